CREATE TYPE "public"."case_channel" AS ENUM('leader_mailbox', 'online', 'phone', 'sms', 'wechat', 'video', 'walk_in', 'grid_report', 'agent');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('registered', 'not_accepted', 'accepted', 'assigned', 'in_mediation', 'concluded', 'follow_up', 'archived');--> statement-breakpoint
CREATE TYPE "public"."party_kind" AS ENUM('person', 'organisation');--> statement-breakpoint
CREATE TYPE "public"."party_side" AS ENUM('applicant', 'respondent');--> statement-breakpoint
CREATE TYPE "public"."review_stage" AS ENUM('none', 'review_requested', 'review_answered', 're_review_requested', 're_review_answered');--> statement-breakpoint
CREATE TYPE "public"."supervision_status" AS ENUM('open', 'answered', 'closed');--> statement-breakpoint
CREATE TABLE "case_attachments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"uploaded_by_id" integer,
	"file_name" varchar(200) NOT NULL,
	"mime_type" varchar(60) NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"storage_key" varchar(80) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_attachments_storage_uq" UNIQUE("storage_key")
);
--> statement-breakpoint
CREATE TABLE "case_categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" varchar(30) NOT NULL,
	"name_zh" varchar(40) NOT NULL,
	"name_en" varchar(60) NOT NULL,
	"sort_order" smallint DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "case_categories_code_uq" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" integer,
	"kind" varchar(40) NOT NULL,
	"from_status" "case_status",
	"to_status" "case_status",
	"note" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"public" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_number_counters" (
	"year" smallint NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_number_counters_year_uq" UNIQUE("year")
);
--> statement-breakpoint
CREATE TABLE "case_parties" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_parties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"side" "party_side" NOT NULL,
	"kind" "party_kind" DEFAULT 'person' NOT NULL,
	"name" varchar(60) NOT NULL,
	"phone" varchar(11),
	"id_number" varchar(18),
	"address" varchar(200),
	"user_id" integer,
	"sort_order" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" varchar(20) NOT NULL,
	"query_code_hash" varchar(64) NOT NULL,
	"channel" "case_channel" NOT NULL,
	"category_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"description" text NOT NULL,
	"status" "case_status" DEFAULT 'registered' NOT NULL,
	"county_id" integer NOT NULL,
	"township_id" integer,
	"village_id" integer,
	"place_id" integer NOT NULL,
	"place_path" varchar(200) NOT NULL,
	"department_id" integer,
	"mediator_id" integer,
	"filed_by_id" integer,
	"repeat_of_id" bigint,
	"is_repeat" boolean DEFAULT false NOT NULL,
	"escalated_beyond_county" boolean DEFAULT false NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"concluded_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"extension_days" smallint,
	"extension_reason" text,
	"review_stage" "review_stage" DEFAULT 'none' NOT NULL,
	"review_requested_at" timestamp with time zone,
	"review_answered_at" timestamp with time zone,
	"re_review_requested_at" timestamp with time zone,
	"re_review_answered_at" timestamp with time zone,
	"reject_reason" text,
	"conclusion_reason" text,
	"conclusion_summary" text,
	"next_due_on" date,
	"route_due_on" date,
	"conclude_due_on" date,
	"last_activity_at" timestamp with time zone NOT NULL,
	"public_rating" smallint,
	"public_rating_comment" varchar(500),
	"public_rated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_number_uq" UNIQUE("number"),
	CONSTRAINT "cases_rating_range" CHECK ("cases"."public_rating" is null or "cases"."public_rating" between 1 and 5),
	CONSTRAINT "cases_extension_range" CHECK ("cases"."extension_days" is null or "cases"."extension_days" between 1 and 30)
);
--> statement-breakpoint
CREATE TABLE "supervision_orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "supervision_orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"issued_by_id" integer NOT NULL,
	"owner_id" integer NOT NULL,
	"due_on" date NOT NULL,
	"note" text NOT NULL,
	"status" "supervision_status" DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_attachments" ADD CONSTRAINT "case_attachments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_attachments" ADD CONSTRAINT "case_attachments_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_category_id_case_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."case_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_county_id_places_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_township_id_places_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_village_id_places_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_mediator_id_users_id_fk" FOREIGN KEY ("mediator_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_filed_by_id_users_id_fk" FOREIGN KEY ("filed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_repeat_of_id_cases_id_fk" FOREIGN KEY ("repeat_of_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_issued_by_id_users_id_fk" FOREIGN KEY ("issued_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_orders" ADD CONSTRAINT "supervision_orders_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_attachments_case_idx" ON "case_attachments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "case_parties_case_idx" ON "case_parties" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_parties_user_idx" ON "case_parties" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "case_parties_phone_idx" ON "case_parties" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "cases_county_registered_idx" ON "cases" USING btree ("county_id","registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_township_registered_idx" ON "cases" USING btree ("township_id","registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_village_registered_idx" ON "cases" USING btree ("village_id","registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_department_idx" ON "cases" USING btree ("department_id","registered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_filed_by_idx" ON "cases" USING btree ("filed_by_id");--> statement-breakpoint
CREATE INDEX "cases_mediator_idx" ON "cases" USING btree ("mediator_id");--> statement-breakpoint
CREATE INDEX "cases_status_due_idx" ON "cases" USING btree ("status","next_due_on");--> statement-breakpoint
CREATE INDEX "cases_repeat_of_idx" ON "cases" USING btree ("repeat_of_id");--> statement-breakpoint
CREATE INDEX "supervision_owner_idx" ON "supervision_orders" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "supervision_case_idx" ON "supervision_orders" USING btree ("case_id");--> statement-breakpoint
INSERT INTO "case_categories" ("code", "name_zh", "name_en", "sort_order") VALUES
	('land_forest', '土地山林权属', 'Land and forest rights', 10),
	('marriage_family', '婚姻家庭', 'Marriage and family', 20),
	('neighbours', '邻里纠纷', 'Neighbours', 30),
	('debt', '债务纠纷', 'Debts', 40),
	('wages', '劳资纠纷', 'Wages', 50),
	('housing_demolition', '房屋征收补偿', 'Housing and demolition compensation', 60),
	('environment', '环境污染', 'Environment', 70),
	('medical', '医疗纠纷', 'Medical', 80),
	('other', '其他', 'Other', 90);
