-- The statistics' counts (case_stat_counts) kept in step with the matters by triggers, in the same
-- transaction as every insert, update and delete of a case: the dashboard reads a few hundred counts
-- instead of scanning a year of matters (issue 6: p95 < 300 ms on 200k matters).
--
-- case_stat_entries(c) lists what one matter counts towards, each with the instant it counts at:
-- by registration (intake, first-time/repeat, escalated, channel, category, status, accepted, resolved,
-- filed by an agent), by conclusion (days from registration, on time against the statutory date) and
-- by its public rating. Months and days are Shanghai calendar ones (UTC+8, no daylight saving).
CREATE OR REPLACE FUNCTION case_stat_entries(c cases) RETURNS TABLE(at timestamptz, dim text, key text) LANGUAGE sql STABLE AS $$
	SELECT c.registered_at, e.dim, e.key FROM (VALUES
		('total', ''),
		('repeat', c.is_repeat::text),
		('escalated', c.escalated_beyond_county::text),
		('channel', c.channel::text),
		('category', c.category_id::text),
		('status', c.status::text),
		('accepted', (c.accepted_at IS NOT NULL)::text),
		('resolved', (c.accepted_at IS NOT NULL AND c.concluded_at IS NOT NULL)::text),
		('agent', CASE WHEN c.channel = 'agent' THEN c.filed_by_id::text END)
	) AS e(dim, key) WHERE e.key IS NOT NULL
	UNION ALL
	SELECT c.concluded_at, e.dim, e.key FROM (VALUES
		('concluded_days', (((c.concluded_at AT TIME ZONE 'UTC') + interval '8 hours')::date - ((c.registered_at AT TIME ZONE 'UTC') + interval '8 hours')::date)::text),
		('concluded_on_time', (c.conclude_due_on IS NOT NULL AND ((c.concluded_at AT TIME ZONE 'UTC') + interval '8 hours')::date <= c.conclude_due_on)::text)
	) AS e(dim, key) WHERE c.concluded_at IS NOT NULL
	UNION ALL
	SELECT c.public_rated_at, 'rating', c.public_rating::text WHERE c.public_rating IS NOT NULL AND c.public_rated_at IS NOT NULL
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_stat_month(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT date_trunc('month', (at AT TIME ZONE 'UTC') + interval '8 hours')::date
$$;
--> statement-breakpoint
-- Adds `delta` (1 or -1) to every count the matter falls under, at both levels.
CREATE OR REPLACE FUNCTION case_stats_apply(c cases, delta integer) RETURNS void LANGUAGE sql AS $$
	INSERT INTO case_stat_counts AS s (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT c.county_id, l.level, case_stat_month(e.at), coalesce(c.township_id, 0),
		CASE WHEN l.level = 1 THEN -1 ELSE coalesce(c.village_id, 0) END, e.dim, e.key, delta
	FROM case_stat_entries(c) AS e CROSS JOIN (VALUES (1::smallint), (2::smallint)) AS l(level)
	ON CONFLICT (county_id, level, month, township_id, village_id, dim, key) DO UPDATE SET n = s.n + excluded.n
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_stats_apply(OLD, -1); END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM case_stats_apply(NEW, 1); END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER case_stats_insert_delete AFTER INSERT OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION case_stats_trigger();
--> statement-breakpoint
-- Only changes to what the counts depend on (not, say, the last activity time) move them.
CREATE TRIGGER case_stats_update AFTER UPDATE ON cases FOR EACH ROW WHEN (
	OLD.registered_at IS DISTINCT FROM NEW.registered_at OR OLD.county_id IS DISTINCT FROM NEW.county_id
	OR OLD.township_id IS DISTINCT FROM NEW.township_id OR OLD.village_id IS DISTINCT FROM NEW.village_id
	OR OLD.is_repeat IS DISTINCT FROM NEW.is_repeat OR OLD.escalated_beyond_county IS DISTINCT FROM NEW.escalated_beyond_county
	OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.category_id IS DISTINCT FROM NEW.category_id
	OR OLD.status IS DISTINCT FROM NEW.status OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
	OR OLD.concluded_at IS DISTINCT FROM NEW.concluded_at OR OLD.conclude_due_on IS DISTINCT FROM NEW.conclude_due_on
	OR OLD.filed_by_id IS DISTINCT FROM NEW.filed_by_id OR OLD.public_rating IS DISTINCT FROM NEW.public_rating
	OR OLD.public_rated_at IS DISTINCT FROM NEW.public_rated_at
) EXECUTE FUNCTION case_stats_trigger();
--> statement-breakpoint
-- Recomputes every count from the matters (after a bulk load that switched the triggers off, or to check them).
CREATE OR REPLACE FUNCTION case_stats_rebuild() RETURNS void LANGUAGE sql AS $$
	DELETE FROM case_stat_counts;
	INSERT INTO case_stat_counts (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT c.county_id, l.level, case_stat_month(e.at), coalesce(c.township_id, 0),
		CASE WHEN l.level = 1 THEN -1 ELSE coalesce(c.village_id, 0) END, e.dim, e.key, count(*)
	FROM cases AS c CROSS JOIN LATERAL case_stat_entries(c) AS e CROSS JOIN (VALUES (1::smallint), (2::smallint)) AS l(level)
	GROUP BY 1, 2, 3, 4, 5, 6, 7
$$;
--> statement-breakpoint
SELECT case_stats_rebuild();
