CREATE TYPE "public"."notice_kind" AS ENUM('panel_invited', 'session_scheduled', 'session_cancelled', 'agreement_ready', 'signing_requested', 'terms_due', 'return_visit_due');--> statement-breakpoint
CREATE TABLE "notices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"case_id" bigint NOT NULL,
	"kind" "notice_kind" NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notices_user_read_idx" ON "notices" USING btree ("user_id","read_at");--> statement-breakpoint
CREATE INDEX "notices_case_idx" ON "notices" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notices_due_uq" ON "notices" USING btree ("user_id","case_id","kind",("payload"->>'due')) WHERE ("notices"."payload"->>'due') is not null;