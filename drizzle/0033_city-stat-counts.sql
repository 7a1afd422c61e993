-- The counts of the areas above the county (issue 21). A city's statistics summed the county rows (level 1)
-- of every county below it: at two million matters a city-year was 282,000 rows and 1.6 s. Now every city
-- and province keeps its own rows, level 0: `county_id` holds the city's (or the province's) id,
-- `township_id` the place one level down (the county of a city, the city of a province) for 'total' only
-- and 0 for every other figure, `village_id` -1. The same city-year is about 5,000 rows (1.7 ms in psql,
-- the same answer). The per-department figures (`d_…`) stay county-wide, as in 0021.
-- A matter carries its city and province (0025), so the trigger writes the rows from the matter itself;
-- putting a county under a city (seed/city.ts) changes those columns, so they now move the counts too.
CREATE OR REPLACE FUNCTION case_stats_apply(c cases, delta integer) RETURNS void LANGUAGE sql AS $$
	INSERT INTO case_stat_counts AS s (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT l.area, l.level, case_stat_month(e.at), CASE WHEN l.level = 0 AND e.dim <> 'total' THEN 0 ELSE coalesce(l.child, 0) END,
		l.village, e.dim, e.key, delta
	FROM case_stat_entries(c) AS e CROSS JOIN (VALUES
		(c.county_id, 1::smallint, c.township_id, -1),
		(c.county_id, 2::smallint, c.township_id, coalesce(c.village_id, 0)),
		(c.city_id, 0::smallint, c.county_id, -1),
		(c.province_id, 0::smallint, c.city_id, -1)
	) AS l(area, level, child, village)
	WHERE l.area IS NOT NULL AND (l.level = 1 OR e.dim NOT LIKE 'd\_%')
	ON CONFLICT (county_id, level, month, township_id, village_id, dim, key) DO UPDATE SET n = s.n + excluded.n
$$;
--> statement-breakpoint
DROP TRIGGER case_stats_update ON cases;
--> statement-breakpoint
CREATE TRIGGER case_stats_update AFTER UPDATE ON cases FOR EACH ROW WHEN (
	OLD.registered_at IS DISTINCT FROM NEW.registered_at OR OLD.county_id IS DISTINCT FROM NEW.county_id
	OR OLD.city_id IS DISTINCT FROM NEW.city_id OR OLD.province_id IS DISTINCT FROM NEW.province_id
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
-- The rebuild counts the county's two levels from the matters as before, then sums the rows above the
-- county from the county rows just written (level 1, without the departments' figures), by the place tree:
-- the county's parent is its city, the city's parent its province. That is a few million rows summed
-- instead of every matter's figures derived a third and fourth time; and as the trigger reads the
-- matter's own city and province, a recount (`npm run stats:check`) also shows a matter whose city or
-- province disagrees with the place tree.
CREATE OR REPLACE FUNCTION case_stats_rebuild() RETURNS void LANGUAGE sql AS $$
	DELETE FROM case_stat_counts;
	INSERT INTO case_stat_counts (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT c.county_id, l.level, case_stat_month(e.at), coalesce(c.township_id, 0),
		CASE WHEN l.level = 1 THEN -1 ELSE coalesce(c.village_id, 0) END, e.dim, e.key, count(*)
	FROM cases AS c CROSS JOIN LATERAL case_stat_entries(c) AS e CROSS JOIN (VALUES (1::smallint), (2::smallint)) AS l(level)
	WHERE l.level = 1 OR e.dim NOT LIKE 'd\_%'
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
	INSERT INTO case_stat_counts (county_id, level, month, township_id, village_id, dim, key, n)
	SELECT a.area, 0::smallint, s.month, CASE WHEN s.dim = 'total' THEN a.child ELSE 0 END, -1, s.dim, s.key, sum(s.n)
	FROM case_stat_counts AS s
		JOIN places AS county ON county.id = s.county_id
		LEFT JOIN places AS city ON city.id = county.parent_id
		CROSS JOIN LATERAL (VALUES (city.id, county.id), (city.parent_id, city.id)) AS a(area, child)
	WHERE s.level = 1 AND s.dim NOT LIKE 'd\_%' AND a.area IS NOT NULL
	GROUP BY 1, 3, 4, 6, 7
$$;
--> statement-breakpoint
SELECT case_stats_rebuild();
