CREATE TYPE "public"."half_day" AS ENUM('am', 'pm');--> statement-breakpoint
CREATE TABLE "duty_roster" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "duty_roster_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"county_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"duty_date" date NOT NULL,
	"half_day" "half_day" NOT NULL,
	"staff_names" varchar(200) NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_roster_slot_uq" UNIQUE("department_id","duty_date","half_day")
);
--> statement-breakpoint
ALTER TABLE "duty_roster" ADD CONSTRAINT "duty_roster_county_id_places_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_roster" ADD CONSTRAINT "duty_roster_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_roster" ADD CONSTRAINT "duty_roster_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_roster_county_date_idx" ON "duty_roster" USING btree ("county_id","duty_date");