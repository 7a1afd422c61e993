CREATE TABLE "assessment_practices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assessment_practices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"county_id" integer NOT NULL,
	"period" varchar(7) NOT NULL,
	"unit" varchar(60) NOT NULL,
	"text" varchar(500) NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_weight_sets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assessment_weight_sets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"county_id" integer NOT NULL,
	"version" smallint NOT NULL,
	"weights" jsonb NOT NULL,
	"note" varchar(200) NOT NULL,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_weight_sets_version_uq" UNIQUE("county_id","version")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "escalated_to" varchar(10);--> statement-breakpoint
ALTER TABLE "assessment_practices" ADD CONSTRAINT "assessment_practices_county_id_places_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_practices" ADD CONSTRAINT "assessment_practices_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_weight_sets" ADD CONSTRAINT "assessment_weight_sets_county_id_places_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."places"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_weight_sets" ADD CONSTRAINT "assessment_weight_sets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_practices_period_idx" ON "assessment_practices" USING btree ("county_id","period");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_escalated_to" CHECK ("cases"."escalated_to" is null or ("cases"."escalated_beyond_county" and "cases"."escalated_to" in ('city', 'province', 'beijing')));--> statement-breakpoint
-- The assessment (考核通报, issue 13 part 4) ranks townships and county departments from the maintained
-- counts, so case_stat_entries gains what it needs: accepted within the 15 days of 信访工作条例 art. 22/23
-- (`accepted_on_time`, only once accepted), how far above the county a matter went (`escalated_to`:
-- 进京 and 赴省 apart), resolved at the first handling with no 复查 asked (`first_resolved`, by conclusion),
-- and the same figures per county department (`d_…`, key '<department id>:<value>', by the department
-- the matter is routed to). Department rows are kept at level 1 only: a department is ranked county-wide.
CREATE OR REPLACE FUNCTION case_stat_entries(c cases) RETURNS TABLE(at timestamptz, dim text, key text) LANGUAGE sql STABLE AS $$
	SELECT c.registered_at, e.dim, e.key FROM (VALUES
		('total', ''),
		('repeat', c.is_repeat::text),
		('escalated', c.escalated_beyond_county::text),
		('escalated_to', c.escalated_to),
		('channel', c.channel::text),
		('category', c.category_id::text),
		('status', c.status::text),
		('accepted', (c.accepted_at IS NOT NULL)::text),
		('accepted_on_time', CASE WHEN c.accepted_at IS NOT NULL THEN (((c.accepted_at AT TIME ZONE 'UTC') + interval '8 hours')::date - ((c.registered_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= 15)::text END),
		('resolved', (c.accepted_at IS NOT NULL AND c.concluded_at IS NOT NULL)::text),
		('agent', CASE WHEN c.channel = 'agent' THEN c.filed_by_id::text END)
	) AS e(dim, key) WHERE e.key IS NOT NULL
	UNION ALL
	SELECT c.concluded_at, e.dim, e.key FROM (VALUES
		('concluded_days', (((c.concluded_at AT TIME ZONE 'UTC') + interval '8 hours')::date - ((c.registered_at AT TIME ZONE 'UTC') + interval '8 hours')::date)::text),
		('concluded_on_time', (c.conclude_due_on IS NOT NULL AND ((c.concluded_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= c.conclude_due_on)::text),
		('first_resolved', (c.review_stage = 'none')::text)
	) AS e(dim, key) WHERE c.concluded_at IS NOT NULL
	UNION ALL
	SELECT c.public_rated_at, 'rating', c.public_rating::text WHERE c.public_rating IS NOT NULL AND c.public_rated_at IS NOT NULL
	UNION ALL
	SELECT e.at, 'd_' || e.dim, c.department_id::text || ':' || e.key FROM (VALUES
		(c.registered_at, 'total', ''),
		(c.registered_at, 'repeat', c.is_repeat::text),
		(c.registered_at, 'escalated_to', c.escalated_to),
		(c.registered_at, 'accepted_on_time', CASE WHEN c.accepted_at IS NOT NULL THEN (((c.accepted_at AT TIME ZONE 'UTC') + interval '8 hours')::date - ((c.registered_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= 15)::text END),
		(c.concluded_at, 'concluded_on_time', CASE WHEN c.concluded_at IS NOT NULL THEN (c.conclude_due_on IS NOT NULL AND ((c.concluded_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= c.conclude_due_on)::text END),
		(c.concluded_at, 'first_resolved', CASE WHEN c.concluded_at IS NOT NULL THEN (c.review_stage = 'none')::text END),
		(c.public_rated_at, 'rating', c.public_rating::text)
	) AS e(at, dim, key) WHERE c.department_id IS NOT NULL AND e.key IS NOT NULL AND e.at IS NOT NULL
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_stats_apply(c cases, delta integer) RETURNS void LANGUAGE sql AS $$
	INSERT INTO case_stat_counts AS s (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT c.county_id, l.level, case_stat_month(e.at), coalesce(c.township_id, 0),
		CASE WHEN l.level = 1 THEN -1 ELSE coalesce(c.village_id, 0) END, e.dim, e.key, delta
	FROM case_stat_entries(c) AS e CROSS JOIN (VALUES (1::smallint), (2::smallint)) AS l(level)
	WHERE l.level = 1 OR e.dim NOT LIKE 'd\_%'
	ON CONFLICT (county_id, level, month, township_id, village_id, dim, key) DO UPDATE SET n = s.n + excluded.n
$$;
--> statement-breakpoint
DROP TRIGGER case_stats_update ON cases;
--> statement-breakpoint
CREATE TRIGGER case_stats_update AFTER UPDATE ON cases FOR EACH ROW WHEN (
	OLD.registered_at IS DISTINCT FROM NEW.registered_at OR OLD.county_id IS DISTINCT FROM NEW.county_id
	OR OLD.township_id IS DISTINCT FROM NEW.township_id OR OLD.village_id IS DISTINCT FROM NEW.village_id
	OR OLD.is_repeat IS DISTINCT FROM NEW.is_repeat OR OLD.escalated_beyond_county IS DISTINCT FROM NEW.escalated_beyond_county
	OR OLD.escalated_to IS DISTINCT FROM NEW.escalated_to OR OLD.department_id IS DISTINCT FROM NEW.department_id
	OR OLD.review_stage IS DISTINCT FROM NEW.review_stage
	OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.category_id IS DISTINCT FROM NEW.category_id
	OR OLD.status IS DISTINCT FROM NEW.status OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
	OR OLD.concluded_at IS DISTINCT FROM NEW.concluded_at OR OLD.conclude_due_on IS DISTINCT FROM NEW.conclude_due_on
	OR OLD.filed_by_id IS DISTINCT FROM NEW.filed_by_id OR OLD.public_rating IS DISTINCT FROM NEW.public_rating
	OR OLD.public_rated_at IS DISTINCT FROM NEW.public_rated_at
) EXECUTE FUNCTION case_stats_trigger();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_stats_rebuild() RETURNS void LANGUAGE sql AS $$
	DELETE FROM case_stat_counts;
	INSERT INTO case_stat_counts (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT c.county_id, l.level, case_stat_month(e.at), coalesce(c.township_id, 0),
		CASE WHEN l.level = 1 THEN -1 ELSE coalesce(c.village_id, 0) END, e.dim, e.key, count(*)
	FROM cases AS c CROSS JOIN LATERAL case_stat_entries(c) AS e CROSS JOIN (VALUES (1::smallint), (2::smallint)) AS l(level)
	WHERE l.level = 1 OR e.dim NOT LIKE 'd\_%'
	GROUP BY 1, 2, 3, 4, 5, 6, 7
$$;
--> statement-breakpoint
SELECT case_stats_rebuild();
