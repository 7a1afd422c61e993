ALTER TABLE "agreement_signatures" DROP CONSTRAINT "agreement_signatures_party_id_case_parties_id_fk";
--> statement-breakpoint
ALTER TABLE "agreement_terms" DROP CONSTRAINT "agreement_terms_obligor_party_id_case_parties_id_fk";
--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_terms" ADD CONSTRAINT "agreement_terms_obligor_party_id_case_parties_id_fk" FOREIGN KEY ("obligor_party_id") REFERENCES "public"."case_parties"("id") ON DELETE cascade ON UPDATE no action;