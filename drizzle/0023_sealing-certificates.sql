CREATE TABLE "sealing_certificates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sealing_certificates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"place_id" integer NOT NULL,
	"subject" text NOT NULL,
	"issuer" text NOT NULL,
	"serial_number" varchar(80) NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"fingerprint" varchar(64) NOT NULL,
	"certificate" "bytea" NOT NULL,
	"chain_pem" text DEFAULT '' NOT NULL,
	"key_ciphertext" "bytea" NOT NULL,
	"sealing_key_id" varchar(16) NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"uploaded_by_id" integer,
	"uploaded_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "agreement_documents" ADD COLUMN "seal_certificate_id" integer;--> statement-breakpoint
ALTER TABLE "agreement_documents" ADD COLUMN "timestamped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sealing_certificates" ADD CONSTRAINT "sealing_certificates_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sealing_certificates" ADD CONSTRAINT "sealing_certificates_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sealing_certificates_current_uq" ON "sealing_certificates" USING btree ("place_id") WHERE "sealing_certificates"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "sealing_certificates_place_idx" ON "sealing_certificates" USING btree ("place_id");--> statement-breakpoint
ALTER TABLE "agreement_documents" ADD CONSTRAINT "agreement_documents_seal_certificate_id_sealing_certificates_id_fk" FOREIGN KEY ("seal_certificate_id") REFERENCES "public"."sealing_certificates"("id") ON DELETE restrict ON UPDATE no action;