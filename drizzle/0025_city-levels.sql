ALTER TYPE "public"."place_kind" ADD VALUE 'province' BEFORE 'county';--> statement-breakpoint
ALTER TYPE "public"."place_kind" ADD VALUE 'city' BEFORE 'county';--> statement-breakpoint
ALTER TABLE "places" DROP CONSTRAINT "places_county_root";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "province_id" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "city_id" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_province_id_places_id_fk" FOREIGN KEY ("province_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_city_id_places_id_fk" FOREIGN KEY ("city_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_province_registered_idx" ON "cases" USING btree ("province_id","registered_at" DESC NULLS LAST) WHERE "cases"."province_id" is not null;--> statement-breakpoint
CREATE INDEX "cases_city_registered_idx" ON "cases" USING btree ("city_id","registered_at" DESC NULLS LAST) WHERE "cases"."city_id" is not null;--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_root_kind" CHECK ("places"."parent_id" is not null or "places"."kind"::text in ('province', 'city', 'county'));