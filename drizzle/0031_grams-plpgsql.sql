-- The search bigrams of a matter, the same answers as 0027 in PL/pgSQL rather than SQL (issue 21): a SQL
-- function with a query in it is planned again at every call on PostgreSQL before 18, about 10 ms a matter
-- on a busy 2-core machine, which made the search index the larger part of every insert into cases and
-- of a bulk load (2 million matters: hours). PL/pgSQL keeps the plan of its query for the session: about
-- an eighth of the time. Same answers, so the index stays as it is.
CREATE OR REPLACE FUNCTION case_search_grams(doc text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN (SELECT coalesce(array_agg(DISTINCT g), '{}')
	FROM (
		SELECT substr(d, i, 2) AS g
		FROM (SELECT translate(doc, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　ABCDEFGHIJKLMNOPQRSTUVWXYZ', '!"#$%&''()*+,-./0123456789:;<=>?@abcdefghijklmnopqrstuvwxyz[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ abcdefghijklmnopqrstuvwxyz') AS d) AS folded,
			generate_series(1, char_length(d) - 1) AS i
	) AS grams
	WHERE g !~ '[ \t\n\r]');
END
$$;
