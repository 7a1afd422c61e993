CREATE TABLE "matter_cluster_cases" (
	"cluster_id" bigint NOT NULL,
	"case_id" bigint NOT NULL,
	CONSTRAINT "matter_cluster_cases_cluster_id_case_id_pk" PRIMARY KEY("cluster_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "matter_clusters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "matter_clusters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"place_id" integer NOT NULL,
	"place_path" varchar(200) NOT NULL,
	"category_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"note" text NOT NULL,
	"department_id" integer NOT NULL,
	"terms" varchar(200) NOT NULL,
	"size" smallint NOT NULL,
	"confirmed_by_id" integer NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "matter_cluster_cases" ADD CONSTRAINT "matter_cluster_cases_cluster_id_matter_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."matter_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_cluster_cases" ADD CONSTRAINT "matter_cluster_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_clusters" ADD CONSTRAINT "matter_clusters_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_clusters" ADD CONSTRAINT "matter_clusters_category_id_case_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."case_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_clusters" ADD CONSTRAINT "matter_clusters_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_clusters" ADD CONSTRAINT "matter_clusters_confirmed_by_id_users_id_fk" FOREIGN KEY ("confirmed_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matter_cluster_cases_case_idx" ON "matter_cluster_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "matter_clusters_department_idx" ON "matter_clusters" USING btree ("department_id","confirmed_at");--> statement-breakpoint
CREATE INDEX "matter_clusters_place_idx" ON "matter_clusters" USING btree ("place_path");--> statement-breakpoint
CREATE INDEX "cases_concluded_idx" ON "cases" USING btree ("concluded_at") WHERE "cases"."concluded_at" is not null;--> statement-breakpoint
CREATE INDEX "cases_rated_idx" ON "cases" USING btree ("public_rated_at") WHERE "cases"."public_rated_at" is not null;