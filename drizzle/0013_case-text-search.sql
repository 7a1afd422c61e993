-- Chinese text search on the case list without pg_bigm (not available on PGlite) and without pg_trgm
-- (which, under the C locale, does not index CJK characters). The index holds every two-character
-- sequence (bigram) of a case's title, description and party names; a query asks for the cases holding
-- all of its own bigrams, then checks the real substring on those few rows only. The same bigrams are
-- computed for the query by cases/list/text-search.ts; a test keeps the two definitions equal.
--
-- Bigrams: consecutive characters (not bytes), ASCII letters folded to lower case (ILIKE on Latin
-- text), bigrams containing a space, tab or line break left out (a query's spaces are matched by the
-- substring check). IMMUTABLE, so it can be indexed.
CREATE FUNCTION case_search_grams(doc text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(DISTINCT g), '{}')
	FROM (
		SELECT substr(d, i, 2) AS g
		FROM (SELECT translate(doc, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS d) AS folded,
			generate_series(1, char_length(d) - 1) AS i
	) AS grams
	WHERE g !~ '[ \t\n\r]'
$$;
--> statement-breakpoint
-- Party names of the cases filed before this migration (new filings write them with the parties).
UPDATE cases SET party_names = names.joined
FROM (SELECT case_id, string_agg(name, E'\n' ORDER BY sort_order, id) AS joined FROM case_parties GROUP BY case_id) AS names
WHERE names.case_id = cases.id;
--> statement-breakpoint
-- The expression is repeated exactly by the query (cases/list/text-search.ts), or the planner cannot use it.
CREATE INDEX cases_search_grams_idx ON cases USING gin (case_search_grams(title || ' ' || description || ' ' || party_names));
--> statement-breakpoint
-- Statistics for the new expression at once: PGlite has no autovacuum to gather them later.
ANALYZE cases;
