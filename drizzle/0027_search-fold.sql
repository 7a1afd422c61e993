-- The case search folds width as well as ASCII case (issue 13): a title with the full-width colon
-- "：" was missed because only the query was folded (NFKC). Now the stored text and the query are folded
-- alike, one character for one: full-width ASCII forms (U+FF01–U+FF5E) to ASCII, the ideographic space to
-- a space, ASCII capitals to small letters. cases/list/rules.ts holds the same two strings (FOLD_FROM,
-- FOLD_TO) and a test keeps the bigrams of both sides equal. The function changes its answers, so the
-- index built on it is rebuilt.
CREATE OR REPLACE FUNCTION case_search_grams(doc text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(DISTINCT g), '{}')
	FROM (
		SELECT substr(d, i, 2) AS g
		FROM (SELECT translate(doc, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　ABCDEFGHIJKLMNOPQRSTUVWXYZ', '!"#$%&''()*+,-./0123456789:;<=>?@abcdefghijklmnopqrstuvwxyz[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ abcdefghijklmnopqrstuvwxyz') AS d) AS folded,
			generate_series(1, char_length(d) - 1) AS i
	) AS grams
	WHERE g !~ '[ \t\n\r]'
$$;
--> statement-breakpoint
REINDEX INDEX cases_search_grams_idx;
--> statement-breakpoint
ANALYZE cases;
