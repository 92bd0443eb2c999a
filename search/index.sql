-- 통합검색의 표, 함수와 트리거 함수 (PostgreSQL): search/index.py가 migrate 끝에 실행합니다.
-- The search table, its functions and trigger functions; search/index.py runs this after every migrate.
CREATE TABLE IF NOT EXISTS search_entry (
  source text NOT NULL, object_id bigint NOT NULL, grp text NOT NULL, board text NOT NULL,
  post_id bigint NOT NULL, is_published boolean NOT NULL, published_at timestamptz NOT NULL,
  unpublish_at timestamptz, position integer NOT NULL DEFAULT 0,
  heading text NOT NULL, body text NOT NULL, keys int[] NOT NULL,
  PRIMARY KEY (source, object_id)
);
CREATE INDEX IF NOT EXISTS search_entry_post ON search_entry (source, post_id);
CREATE INDEX IF NOT EXISTS search_entry_newest ON search_entry (grp, published_at DESC, post_id DESC, position, object_id);
-- The texts too long to key (search_entry_keys): few or none, so a search asks this small index
-- whether a group has any before it reads the group's unkeyed bucket from the keys index.
CREATE INDEX IF NOT EXISTS search_entry_unkeyed ON search_entry (grp) WHERE char_length(body) > 100000;
-- The keys stay in the row (the text moves out first): a row's keys are read without the
-- TOAST table.
ALTER TABLE search_entry ALTER COLUMN keys SET STORAGE MAIN;

-- Characters and adjacent pairs of a text ('..' pairs at even and at odd offsets);
-- pairs holding a space are never asked for: queries are split into words first.
CREATE OR REPLACE FUNCTION search_grams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT gram FROM unnest(
         string_to_array(doc, NULL)
      || string_to_array(regexp_replace(doc, '..', E'\\&\x01', 'g'), E'\x01')
      || string_to_array(regexp_replace(substr(doc, 2), '..', E'\\&\x01', 'g'), E'\x01')
    ) AS gram WHERE gram <> '' AND strpos(gram, ' ') = 0)
$$;

-- The quarter (UTC) a date falls in, as one number (year * 4 + quarter - 1).
CREATE OR REPLACE FUNCTION search_quarter(moment timestamptz) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT extract(year FROM moment AT TIME ZONE 'UTC')::int * 4
       + (extract(month FROM moment AT TIME ZONE 'UTC')::int - 1) / 3
$$;

-- A row's keys: its text's pairs salted with its group and quarter ("news@8104:채용"), or
-- for a text too long to key the group's one unkeyed key ("news:*"); and its heading's
-- pairs salted with the group alone ("news:t:채용": read only when the newest matches hold
-- too few heading matches, so their lists are short).
CREATE OR REPLACE FUNCTION search_entry_keys(grp text, moment timestamptz, heading text, body text) RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT hashtext(grp || ':t:' || gram) FROM unnest(search_grams(upper(heading))) AS gram)
      || CASE WHEN char_length(body) > 100000 THEN ARRAY[hashtext(grp || ':*')]
         ELSE ARRAY(SELECT hashtext(bucket || ':' || gram)
                    FROM unnest(search_grams(upper(heading || ' ' || body))) AS gram) END
  FROM (SELECT grp || '@' || search_quarter(moment)) AS salt (bucket)
$$;

-- What the keys of every match hash, after the bucket: for each word its pairs, or the
-- word itself when it is one character long, behind ``part``: '' (heading and text) or
-- 't:' (heading).
CREATE OR REPLACE FUNCTION search_query_grams(words text[], part text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT ':' || part || gram FROM unnest(words) AS word, LATERAL (
      SELECT upper(word) WHERE char_length(word) = 1
      UNION ALL
      SELECT substr(upper(word), i, 2) FROM generate_series(1, char_length(word) - 1) AS i
    ) AS grams (gram))
$$;

CREATE OR REPLACE FUNCTION search_bucket_keys(bucket text, grams text[]) RETURNS int[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT hashtext(bucket || gram) FROM unnest(grams) AS gram)
$$;

-- The keys every match holds. bucket: for part '' the group and quarter ('news@8104'), for
-- 't:' (headings) and '*' (unkeyed texts) the group.
CREATE OR REPLACE FUNCTION search_query_keys(bucket text, words text[], part text) RETURNS int[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN part = '*' THEN ARRAY[hashtext(bucket || ':*')]
         ELSE search_bucket_keys(bucket, search_query_grams(words, part)) END
$$;

-- A post's row, and its 붙임 rows' copy of its 공개 switch, times and board.
-- TG_ARGV: the 붙임 table, the column telling the table's boards apart ('' for one
-- board), then pairs of (that column's value, the board's slug).
CREATE OR REPLACE FUNCTION search_keep_post() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  slug text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_entry WHERE source = TG_TABLE_NAME AND object_id = OLD.id;
    DELETE FROM search_entry WHERE source = TG_ARGV[0] AND post_id = OLD.id;
    RETURN NULL;
  END IF;
  FOR i IN 2 .. TG_NARGS - 1 BY 2 LOOP
    IF TG_ARGV[1] = '' OR to_jsonb(NEW) ->> TG_ARGV[1] = TG_ARGV[i] THEN
      slug := TG_ARGV[i + 1];
      EXIT;
    END IF;
  END LOOP;
  slug := coalesce(slug, '-');
  IF TG_OP = 'UPDATE' AND OLD.title = NEW.title AND OLD.body_text = NEW.body_text THEN
    UPDATE search_entry SET grp = slug, board = slug, is_published = NEW.is_published,
      published_at = NEW.published_at, unpublish_at = NEW.unpublish_at,
      keys = CASE WHEN grp = slug AND search_quarter(published_at) = search_quarter(NEW.published_at) THEN keys
                  ELSE search_entry_keys(slug, NEW.published_at, NEW.title, NEW.body_text) END
    WHERE source = TG_TABLE_NAME AND object_id = NEW.id;
  ELSE
    INSERT INTO search_entry (source, object_id, grp, board, post_id, is_published, published_at, unpublish_at, position, heading, body, keys) VALUES (
      TG_TABLE_NAME, NEW.id, slug, slug, NEW.id, NEW.is_published, NEW.published_at,
      NEW.unpublish_at, 0, NEW.title, NEW.body_text, search_entry_keys(slug, NEW.published_at, NEW.title, NEW.body_text))
    ON CONFLICT (source, object_id) DO UPDATE SET grp = EXCLUDED.grp, board = EXCLUDED.board,
      is_published = EXCLUDED.is_published, published_at = EXCLUDED.published_at,
      unpublish_at = EXCLUDED.unpublish_at, heading = EXCLUDED.heading, body = EXCLUDED.body,
      keys = EXCLUDED.keys;
  END IF;
  UPDATE search_entry SET grp = CASE slug WHEN '-' THEN slug ELSE 'files' END, board = slug,
    is_published = NEW.is_published, published_at = NEW.published_at, unpublish_at = NEW.unpublish_at,
    keys = CASE WHEN search_quarter(published_at) = search_quarter(NEW.published_at) THEN keys
                ELSE search_entry_keys('files', NEW.published_at, heading, body) END
  WHERE source = TG_ARGV[0] AND post_id = NEW.id;
  RETURN NULL;
END $$;

-- A 붙임's row, with its post's board, switch and times read from the post's row.
-- TG_ARGV: the post table.
CREATE OR REPLACE FUNCTION search_keep_file() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  post search_entry%ROWTYPE;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_entry WHERE source = TG_TABLE_NAME AND object_id = OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN NULL;
  END IF;
  SELECT * INTO post FROM search_entry WHERE source = TG_ARGV[0] AND object_id = NEW.post_id;
  IF FOUND THEN
    INSERT INTO search_entry (source, object_id, grp, board, post_id, is_published, published_at, unpublish_at, position, heading, body, keys) VALUES (
      TG_TABLE_NAME, NEW.id, CASE post.board WHEN '-' THEN post.board ELSE 'files' END,
      post.board, NEW.post_id, post.is_published, post.published_at,
      post.unpublish_at, NEW."order", NEW.original_name, NEW.extracted_text,
      search_entry_keys('files', post.published_at, NEW.original_name, NEW.extracted_text));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_forget_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entry WHERE source = TG_TABLE_NAME;
  RETURN NULL;
END $$;

-- The quarters a group's rows fall in, newest first: two entries of its list index. Not a plain
-- SQL function, so that its small row estimate holds: a board list's search (search/engine.py)
-- joins it to the keys index, and guessing a thousand quarters the planner would scan the whole
-- board checking LIKE instead of reading the few matches by id.
CREATE OR REPLACE FUNCTION search_quarters(g text) RETURNS SETOF int
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 3 AS $$
BEGIN
  RETURN QUERY SELECT generate_series(
    search_quarter((SELECT published_at FROM search_entry WHERE grp = g ORDER BY published_at DESC LIMIT 1)),
    search_quarter((SELECT published_at FROM search_entry WHERE grp = g ORDER BY published_at LIMIT 1)), -1);
END $$;

-- Every word occurs in the heading or the body (search/engine.py's LIKE, the same answers):
-- ``plain`` and ``folded`` are LIKE patterns ('%word%'), folded ones upper-cased for words
-- with letter case. One expression, no sub-SELECT, so PostgreSQL inlines it.
CREATE OR REPLACE FUNCTION search_holds(heading text, body text, plain text[], folded text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (heading || ' ' || body) LIKE ALL (plain)
     AND CASE WHEN cardinality(folded) = 0 THEN true ELSE upper(heading || ' ' || body) LIKE ALL (folded) END
$$;

-- The public matches holding ``wanted_keys`` (one bucket: a group's quarter, its headings or
-- its unkeyed texts), newest first: the first ``wanted`` and every row sharing the last one's date.
-- Columns: search/parts.py's Row. A plain SQL function: the caller's plan holds its query.
CREATE OR REPLACE FUNCTION search_bucket(wanted_keys int[], g text, plain text[], folded text[],
    part text, now_ timestamptz, since timestamptz, until timestamptz, wanted int)
RETURNS TABLE (source text, object_id bigint, moment bigint, in_title boolean, post_id bigint,
               "position" int, board text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT e.source, e.object_id, (extract(epoch FROM e.published_at) * 1000000)::bigint,
         search_holds(e.heading, '', plain, folded), e.post_id, e.position, e.board
  FROM search_entry AS e
  -- The keys are the one index condition; "(…) IS TRUE" keeps the others filters: as index
  -- conditions RUM would read the date entries of every row before now (the date is an index
  -- column too), and a plan made for any group would AND in the group's whole list index.
  WHERE e.keys @> wanted_keys AND (e.grp = g) IS TRUE
    AND e.is_published AND (e.published_at <= now_) IS TRUE AND (e.unpublish_at IS NULL OR e.unpublish_at > now_)
    AND (since IS NULL OR e.published_at >= since) AND (until IS NULL OR e.published_at < until)
    AND search_holds(e.heading, CASE part WHEN 't:' THEN '' ELSE e.body END, plain, folded)
  ORDER BY e.published_at <=| now_
  FETCH FIRST wanted ROWS WITH TIES
$$;

-- A group's newest ``wanted`` matches (and more: the caller keeps the newest). part ''
-- (heading and text) reads its quarters from the newest, one, then one more, then two,
-- four, … in one statement each, until enough are found: a common word stops after the
-- first, a rare one reads every quarter's short posting list in a few statements; then the
-- group's texts too long to key (one bucket), only if it has any. 't:' (headings) has one
-- bucket a group.
-- enable_sort = off: RUM hands a quarter's matches back newest first, but the planner cannot
-- tell how many of them the LIKE check keeps and would read and sort all of them (a common
-- word: 3,000 rows and 10 ms a quarter instead of about 100 rows and 1 ms). Nothing here
-- needs a sort, and where only a sort can order the rows (GIN) it is still made.
CREATE OR REPLACE FUNCTION search_newest(g text, words text[], plain text[], folded text[], part text,
    now_ timestamptz, since timestamptz, until timestamptz, wanted int)
RETURNS TABLE (source text, object_id bigint, moment bigint, in_title boolean, post_id bigint,
               "position" int, board text)
LANGUAGE plpgsql STABLE SET enable_sort = off AS $$
DECLARE
  grams text[];
  quarters int[];
  next_one int := 1;  -- the place in quarters of the next to read
  chunk int := 1;
  found_rows int := 0;
  added int;
BEGIN
  folded := ARRAY(SELECT upper(pattern) FROM unnest(folded) AS pattern);
  IF part <> '' THEN
    RETURN QUERY SELECT * FROM search_bucket(search_query_keys(g, words, part), g, plain, folded, part,
                                             now_, since, until, wanted);
    RETURN;
  END IF;
  grams := search_query_grams(words, part);
  quarters := ARRAY(SELECT q FROM search_quarters(g) AS q WHERE q <= search_quarter(least(now_, until))
                    AND q >= coalesce(search_quarter(since), q));
  WHILE next_one <= cardinality(quarters) LOOP
    -- (The keys from a function, not a sub-SELECT: PostgreSQL inlines search_bucket only so.)
    RETURN QUERY SELECT found.* FROM unnest(quarters[next_one:next_one + chunk - 1]) AS quarter, LATERAL search_bucket(
        search_bucket_keys(g || '@' || quarter, grams), g, plain, folded, part, now_, since, until,
        wanted - found_rows) AS found;
    GET DIAGNOSTICS added = ROW_COUNT;
    found_rows := found_rows + added;
    EXIT WHEN found_rows >= wanted;
    next_one := next_one + chunk;
    chunk := CASE WHEN next_one = 2 THEN 1 ELSE chunk * 2 END;
  END LOOP;
  -- Few groups have a text too long to key (search_entry_keys), and the small index says which.
  IF EXISTS (SELECT FROM search_entry WHERE grp = g AND char_length(body) > 100000) THEN
    RETURN QUERY SELECT * FROM search_bucket(search_query_keys(g, words, '*'), g, plain, folded, '*',
                                             now_, since, until, wanted);
  END IF;
END $$;
