CREATE TABLE "agreement_frozen_texts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agreement_frozen_texts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"agreement_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"text" text NOT NULL,
	"hash" varchar(64) NOT NULL,
	"frozen_at" timestamp with time zone,
	"frozen_by_id" integer,
	"unfrozen_at" timestamp with time zone NOT NULL,
	"unfrozen_by_id" integer,
	"reason" text NOT NULL,
	CONSTRAINT "agreement_frozen_texts_revision_uq" UNIQUE("agreement_id","revision")
);
--> statement-breakpoint
ALTER TABLE "agreement_frozen_texts" ADD CONSTRAINT "agreement_frozen_texts_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_frozen_texts" ADD CONSTRAINT "agreement_frozen_texts_frozen_by_id_users_id_fk" FOREIGN KEY ("frozen_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_frozen_texts" ADD CONSTRAINT "agreement_frozen_texts_unfrozen_by_id_users_id_fk" FOREIGN KEY ("unfrozen_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;