CREATE TYPE "public"."visit_method" AS ENUM('in_person', 'phone', 'video');--> statement-breakpoint
CREATE TABLE "agreement_documents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreement_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agreement_id" bigint NOT NULL,
	"party_id" bigint,
	"agreement_hash" varchar(64) NOT NULL,
	"verify_code" varchar(16) NOT NULL,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" varchar(64) NOT NULL,
	"size_bytes" integer NOT NULL,
	"generated_by_id" integer,
	"generated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agreement_documents_code_uq" UNIQUE("verify_code"),
	CONSTRAINT "agreement_documents_holder_uq" UNIQUE NULLS NOT DISTINCT("agreement_id","party_id","agreement_hash")
);
--> statement-breakpoint
CREATE TABLE "return_visits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "return_visits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"party_id" bigint NOT NULL,
	"visited_on" date NOT NULL,
	"method" "visit_method" NOT NULL,
	"satisfaction" smallint NOT NULL,
	"comment" varchar(500),
	"recorded_by_id" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "return_visits_satisfaction_range" CHECK ("return_visits"."satisfaction" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "term_performance" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "term_performance_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"term_id" bigint NOT NULL,
	"done" boolean NOT NULL,
	"done_on" date,
	"note" varchar(500),
	"recorded_by_id" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "term_performance_done_dated" CHECK (not "term_performance"."done" or "term_performance"."done_on" is not null)
);
--> statement-breakpoint
ALTER TABLE "agreement_documents" ADD CONSTRAINT "agreement_documents_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_documents" ADD CONSTRAINT "agreement_documents_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_documents" ADD CONSTRAINT "agreement_documents_generated_by_id_users_id_fk" FOREIGN KEY ("generated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_visits" ADD CONSTRAINT "return_visits_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_visits" ADD CONSTRAINT "return_visits_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_visits" ADD CONSTRAINT "return_visits_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_performance" ADD CONSTRAINT "term_performance_term_id_agreement_terms_id_fk" FOREIGN KEY ("term_id") REFERENCES "public"."agreement_terms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_performance" ADD CONSTRAINT "term_performance_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreement_documents_pdf_idx" ON "agreement_documents" USING btree ("pdf_sha256");--> statement-breakpoint
CREATE INDEX "return_visits_case_idx" ON "return_visits" USING btree ("case_id","visited_on");--> statement-breakpoint
CREATE INDEX "term_performance_term_idx" ON "term_performance" USING btree ("term_id","recorded_at");