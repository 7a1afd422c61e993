CREATE TABLE "retention_policies" (
	"record_type" varchar(40) PRIMARY KEY NOT NULL,
	"years" smallint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_id" integer,
	CONSTRAINT "retention_policies_years" CHECK ("retention_policies"."years" between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "case_parties" ADD COLUMN "personal_data_masked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;