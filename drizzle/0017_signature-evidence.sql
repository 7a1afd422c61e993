CREATE TYPE "public"."agreement_name_confirmation" AS ENUM('typed', 'tapped', 'mark_only');--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD COLUMN "user_agent" varchar(300);--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD COLUMN "phone_tail" varchar(4);--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD COLUMN "name_confirmation" "agreement_name_confirmation";