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
-- The keys stay in the row (the text moves out first): the walk over the newest rows
-- (search/parts.py) checks them without reading the TOAST table.
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

CREATE OR REPLACE FUNCTION search_entry_keys(grp text, heading text, body text) RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT hashtext(grp || ':t:' || gram) FROM unnest(search_grams(upper(heading))) AS gram)
      || CASE WHEN char_length(body) > 100000 THEN ARRAY[hashtext(grp || ':*')]
         ELSE ARRAY(SELECT hashtext(grp || ':' || gram)
                    FROM unnest(search_grams(upper(heading || ' ' || body))) AS gram) END
$$;

-- The keys every match holds: for each word its pairs, or the word itself when it is
-- one character long. part: '' (heading and text), 't:' (heading), '*' (unkeyed texts).
CREATE OR REPLACE FUNCTION search_query_keys(grp text, words text[], part text) RETURNS int[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN part = '*' THEN ARRAY[hashtext(grp || ':*')] ELSE (
    SELECT coalesce(array_agg(DISTINCT hashtext(grp || ':' || part || gram)), '{}')
    FROM unnest(words) AS word, LATERAL (
      SELECT upper(word) WHERE char_length(word) = 1
      UNION ALL
      SELECT substr(upper(word), i, 2) FROM generate_series(1, char_length(word) - 1) AS i
    ) AS grams (gram)) END
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
      keys = CASE WHEN grp = slug THEN keys ELSE search_entry_keys(slug, NEW.title, NEW.body_text) END
    WHERE source = TG_TABLE_NAME AND object_id = NEW.id;
  ELSE
    INSERT INTO search_entry (source, object_id, grp, board, post_id, is_published, published_at, unpublish_at, position, heading, body, keys) VALUES (
      TG_TABLE_NAME, NEW.id, slug, slug, NEW.id, NEW.is_published, NEW.published_at,
      NEW.unpublish_at, 0, NEW.title, NEW.body_text, search_entry_keys(slug, NEW.title, NEW.body_text))
    ON CONFLICT (source, object_id) DO UPDATE SET grp = EXCLUDED.grp, board = EXCLUDED.board,
      is_published = EXCLUDED.is_published, published_at = EXCLUDED.published_at,
      unpublish_at = EXCLUDED.unpublish_at, heading = EXCLUDED.heading, body = EXCLUDED.body,
      keys = EXCLUDED.keys;
  END IF;
  UPDATE search_entry SET grp = CASE slug WHEN '-' THEN slug ELSE 'files' END, board = slug,
    is_published = NEW.is_published, published_at = NEW.published_at, unpublish_at = NEW.unpublish_at
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
      search_entry_keys('files', NEW.original_name, NEW.extracted_text));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_forget_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entry WHERE source = TG_TABLE_NAME;
  RETURN NULL;
END $$;
