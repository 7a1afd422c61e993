CREATE TYPE "public"."agreement_status" AS ENUM('draft', 'frozen', 'effective');--> statement-breakpoint
CREATE TYPE "public"."agreement_signature_channel" AS ENUM('account', 'invitation');--> statement-breakpoint
CREATE TYPE "public"."agreement_signature_mark" AS ENUM('drawn', 'thumbprint');--> statement-breakpoint
CREATE TYPE "public"."agreement_signer_role" AS ENUM('party', 'mediator');--> statement-breakpoint
CREATE TABLE "agreement_parties" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreement_parties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agreement_id" bigint NOT NULL,
	"party_id" bigint NOT NULL,
	"responsibility" text DEFAULT '' NOT NULL,
	CONSTRAINT "agreement_parties_uq" UNIQUE("agreement_id","party_id")
);
--> statement-breakpoint
CREATE TABLE "agreement_signatures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreement_signatures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agreement_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"hash" varchar(64) NOT NULL,
	"role" "agreement_signer_role" NOT NULL,
	"party_id" bigint,
	"user_id" integer,
	"channel" "agreement_signature_channel" NOT NULL,
	"refused" boolean DEFAULT false NOT NULL,
	"refusal_reason" varchar(500),
	"mark" "agreement_signature_mark",
	"image" "bytea",
	"image_sha256" varchar(64),
	"typed_name" varchar(60),
	"signed_at" timestamp with time zone NOT NULL,
	"ip" varchar(64),
	"voided_at" timestamp with time zone,
	"void_reason" varchar(300),
	CONSTRAINT "agreement_signatures_party_named" CHECK ("agreement_signatures"."role" <> 'party' or "agreement_signatures"."party_id" is not null),
	CONSTRAINT "agreement_signatures_shape" CHECK (("agreement_signatures"."refused" and "agreement_signatures"."refusal_reason" is not null and "agreement_signatures"."image" is null) or (not "agreement_signatures"."refused" and "agreement_signatures"."image" is not null and "agreement_signatures"."mark" is not null and "agreement_signatures"."typed_name" is not null))
);
--> statement-breakpoint
CREATE TABLE "agreement_terms" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreement_terms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agreement_id" bigint NOT NULL,
	"seq" smallint NOT NULL,
	"obligor_party_id" bigint,
	"what" varchar(500) NOT NULL,
	"amount_fen" bigint,
	"how" varchar(300) DEFAULT '' NOT NULL,
	"due_on" date,
	CONSTRAINT "agreement_terms_amount_non_negative" CHECK ("agreement_terms"."amount_fen" is null or "agreement_terms"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint NOT NULL,
	"session_id" bigint,
	"status" "agreement_status" DEFAULT 'draft' NOT NULL,
	"facts" text DEFAULT '' NOT NULL,
	"issues" text DEFAULT '' NOT NULL,
	"other_terms" text DEFAULT '' NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"committee_place_id" integer,
	"frozen_text" text,
	"frozen_hash" varchar(64),
	"frozen_at" timestamp with time zone,
	"frozen_by_id" integer,
	"sealed_at" timestamp with time zone,
	"effective_at" timestamp with time zone,
	"effective_on" date,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agreements_case_uq" UNIQUE("case_id"),
	CONSTRAINT "agreements_frozen_has_hash" CHECK ("agreements"."status" = 'draft' or ("agreements"."frozen_hash" is not null and "agreements"."frozen_text" is not null)),
	CONSTRAINT "agreements_effective_dated" CHECK ("agreements"."status" <> 'effective' or "agreements"."effective_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "committee_seals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "committee_seals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"place_id" integer NOT NULL,
	"image" "bytea" NOT NULL,
	"image_sha256" varchar(64) NOT NULL,
	"uploaded_by_id" integer,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "committee_seals_place_uq" UNIQUE("place_id")
);
--> statement-breakpoint
CREATE TABLE "signing_codes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "signing_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"invitation_id" bigint NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "signing_invitations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "signing_invitations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agreement_id" bigint NOT NULL,
	"party_id" bigint NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"grant_hash" varchar(64),
	"grant_expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sms_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sms_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" bigint,
	"phone" varchar(20) NOT NULL,
	"body" varchar(500) NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agreement_parties" ADD CONSTRAINT "agreement_parties_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_parties" ADD CONSTRAINT "agreement_parties_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_terms" ADD CONSTRAINT "agreement_terms_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_terms" ADD CONSTRAINT "agreement_terms_obligor_party_id_case_parties_id_fk" FOREIGN KEY ("obligor_party_id") REFERENCES "public"."case_parties"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_session_id_mediation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."mediation_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_committee_place_id_places_id_fk" FOREIGN KEY ("committee_place_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_frozen_by_id_users_id_fk" FOREIGN KEY ("frozen_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_seals" ADD CONSTRAINT "committee_seals_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_seals" ADD CONSTRAINT "committee_seals_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_codes" ADD CONSTRAINT "signing_codes_invitation_id_signing_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."signing_invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_invitations" ADD CONSTRAINT "signing_invitations_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_invitations" ADD CONSTRAINT "signing_invitations_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_invitations" ADD CONSTRAINT "signing_invitations_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_outbox" ADD CONSTRAINT "sms_outbox_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreement_signatures_agreement_idx" ON "agreement_signatures" USING btree ("agreement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_signatures_party_uq" ON "agreement_signatures" USING btree ("agreement_id","party_id") WHERE "agreement_signatures"."voided_at" is null and "agreement_signatures"."role" = 'party';--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_signatures_mediator_uq" ON "agreement_signatures" USING btree ("agreement_id") WHERE "agreement_signatures"."voided_at" is null and "agreement_signatures"."role" = 'mediator';--> statement-breakpoint
CREATE INDEX "agreement_terms_agreement_idx" ON "agreement_terms" USING btree ("agreement_id","seq");--> statement-breakpoint
CREATE INDEX "signing_codes_invitation_idx" ON "signing_codes" USING btree ("invitation_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_invitations_token_uq" ON "signing_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "signing_invitations_agreement_idx" ON "signing_invitations" USING btree ("agreement_id","party_id");--> statement-breakpoint
CREATE INDEX "sms_outbox_case_idx" ON "sms_outbox" USING btree ("case_id","created_at");