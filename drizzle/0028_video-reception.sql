CREATE TYPE "public"."reception_status" AS ENUM('requested', 'scheduled', 'filed', 'cancelled');--> statement-breakpoint
CREATE TABLE "reception_codes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reception_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" bigint NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reception_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reception_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"county_id" integer NOT NULL,
	"township_id" integer,
	"name" varchar(60) NOT NULL,
	"phone" varchar(20) NOT NULL,
	"matter" varchar(200) NOT NULL,
	"preferred_date" date NOT NULL,
	"preferred_half_day" "half_day" NOT NULL,
	"status" "reception_status" DEFAULT 'requested' NOT NULL,
	"scheduled_at" timestamp with time zone,
	"scheduled_by_id" integer,
	"link_token_hash" varchar(64),
	"link_expires_at" timestamp with time zone,
	"grant_hash" varchar(64),
	"grant_expires_at" timestamp with time zone,
	"case_id" bigint,
	"closed_by_id" integer,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reception_requests_link_token_hash_unique" UNIQUE("link_token_hash")
);
--> statement-breakpoint
ALTER TABLE "reception_codes" ADD CONSTRAINT "reception_codes_request_id_reception_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."reception_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reception_requests" ADD CONSTRAINT "reception_requests_county_id_places_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reception_requests" ADD CONSTRAINT "reception_requests_township_id_places_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reception_requests" ADD CONSTRAINT "reception_requests_scheduled_by_id_users_id_fk" FOREIGN KEY ("scheduled_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reception_requests" ADD CONSTRAINT "reception_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reception_requests" ADD CONSTRAINT "reception_requests_closed_by_id_users_id_fk" FOREIGN KEY ("closed_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reception_codes_request_idx" ON "reception_codes" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE INDEX "reception_requests_queue_idx" ON "reception_requests" USING btree ("county_id","status","preferred_date");--> statement-breakpoint
CREATE INDEX "reception_requests_phone_idx" ON "reception_requests" USING btree ("phone");