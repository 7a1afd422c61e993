CREATE TYPE "public"."opinion_position" AS ENUM('supports_applicant', 'supports_respondent', 'compromise', 'abstains');--> statement-breakpoint
CREATE TYPE "public"."outcome_class" AS ENUM('claim_resolved', 'hardship_aided', 'policy_explained');--> statement-breakpoint
CREATE TYPE "public"."outcome_kind" AS ENUM('written_agreement', 'oral_agreement', 'partial_agreement', 'failure');--> statement-breakpoint
CREATE TYPE "public"."outcome_next" AS ENUM('concluded', 'escalated');--> statement-breakpoint
CREATE TYPE "public"."petition_decision" AS ENUM('supported', 'explained', 'not_supported');--> statement-breakpoint
CREATE TABLE "case_outcomes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_outcomes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"kind" "outcome_kind" NOT NULL,
	"content" text NOT NULL,
	"reached_at" timestamp with time zone,
	"routes_told" text[] DEFAULT '{}'::text[] NOT NULL,
	"outcome_class" "outcome_class" NOT NULL,
	"petition_decision" "petition_decision" NOT NULL,
	"next" "outcome_next" NOT NULL,
	"recorded_by_id" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_outcomes_failure_routes" CHECK ("case_outcomes"."kind" <> 'failure' or cardinality("case_outcomes"."routes_told") > 0),
	CONSTRAINT "case_outcomes_oral_reached" CHECK ("case_outcomes"."kind" <> 'oral_agreement' or "case_outcomes"."reached_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "opinion_reveals" (
	"case_id" bigint PRIMARY KEY NOT NULL,
	"revealed_at" timestamp with time zone NOT NULL,
	"revealed_by_id" integer
);
--> statement-breakpoint
CREATE TABLE "outcome_responses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outcome_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"outcome_id" bigint NOT NULL,
	"party_id" bigint NOT NULL,
	"accepted" boolean NOT NULL,
	"reason" varchar(500),
	"recorded_by_id" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outcome_responses_refusal_reason" CHECK ("outcome_responses"."accepted" or "outcome_responses"."reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "panel_opinions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "panel_opinions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	"user_id" integer NOT NULL,
	"position" "opinion_position" NOT NULL,
	"reasons" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "panel_opinions_case_user_uq" UNIQUE("case_id","user_id"),
	CONSTRAINT "panel_opinions_reasons_len" CHECK (char_length("panel_opinions"."reasons") between 1 and 2000)
);
--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_reveals" ADD CONSTRAINT "opinion_reveals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_reveals" ADD CONSTRAINT "opinion_reveals_revealed_by_id_users_id_fk" FOREIGN KEY ("revealed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_outcome_id_case_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."case_outcomes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_member_id_panel_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."panel_members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_outcomes_case_idx" ON "case_outcomes" USING btree ("case_id","recorded_at");--> statement-breakpoint
CREATE INDEX "outcome_responses_outcome_idx" ON "outcome_responses" USING btree ("outcome_id");