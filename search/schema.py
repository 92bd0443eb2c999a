"""The PostgreSQL objects behind the Korean search index (see search/engine.py).

Every searchable table has a stored generated column ``search_keys``: the distinct
hashed characters and character pairs of its text, computed by the database on
every INSERT and UPDATE, so no write path (admin, bulk loads, raw SQL) can forget
it. A GIN index over the column finds candidate rows; LIKE then decides. Because
the keys are stored, a query that walks another index (newest first) checks a row
by reading its array instead of recomputing it from the text.

Keys are int4 hashes of the grams, not the grams themselves: a GIN index over
by-value integers builds several times faster than one over text, and a hash
collision only lets an extra row through to the LIKE check. ``hashtext`` is
stable for a deterministic collation (the database default here).

The ``search`` migrations run this SQL; ``generate_scale_data`` uses the same
statements to drop the GIN indexes before a bulk load and build them afterwards.
A change here needs a new migration that applies it (and, for a changed key
function, rewrites the column: ``UPDATE t SET title = title``).
"""

# Texts longer than this (heading + body) get no keys (NULL): such rows are
# found through the partial *_search_unkeyed index, and LIKE alone decides for them.
# A 2-million character 붙임 would otherwise make a huge array on every write.
GRAM_TEXT_LIMIT = 100_000
KEY_COLUMN = "search_keys"
# The keys of the heading alone (title, 붙임 file name): 정확도순 lists title matches
# first, and a word found in many bodies but no title must not walk them all.
TITLE_KEY_COLUMN = "title_keys"

FUNCTIONS = rf"""
-- Unigrams of the upper-cased text, then its adjacent pairs at even and at odd
-- offsets: '..' pairs tile the string, each followed by a U+0001 separator, and
-- string_to_array splits them apart again (a U+0001 in the text only breaks pairs
-- that hold it, which no query asks for). Pairs holding a space are left out:
-- queries are split into words first, so no query asks for them.
CREATE OR REPLACE FUNCTION search_text_keys(head text, body text) RETURNS int[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN char_length(doc) > {GRAM_TEXT_LIMIT} THEN NULL ELSE ARRAY(
    SELECT DISTINCT hashtext(gram) FROM unnest(
         string_to_array(doc, NULL)
      || string_to_array(regexp_replace(doc, '..', E'\\&\x01', 'g'), E'\x01')
      || string_to_array(regexp_replace(substr(doc, 2), '..', E'\\&\x01', 'g'), E'\x01')
    ) AS gram
    WHERE gram <> '' AND strpos(gram, ' ') = 0
  ) END
  FROM (SELECT upper(head || ' ' || body) AS doc) AS whole
$$;

-- The keys every matching text holds: for each space-separated word its pairs,
-- or the word itself when it is one character long.
CREATE OR REPLACE FUNCTION search_query_grams(words text) RETURNS int[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT hashtext(gram)), '{{}}')
  FROM unnest(string_to_array(upper(words), ' ')) AS word,
       LATERAL (
         SELECT word WHERE char_length(word) = 1
         UNION ALL
         SELECT substr(word, i, 2) FROM generate_series(1, char_length(word) - 1) AS i
       ) AS grams (gram)
  WHERE gram <> ''
$$;
"""

DROP_FUNCTIONS = "DROP FUNCTION IF EXISTS search_text_keys(text, text);"

# (table, heading column, text column): the posts of every board and their 붙임.
TABLES = [
    ("notices_notice", "title", "body_text"),
    ("recruitment_recruitmentpost", "title", "body_text"),
    ("contracts_contractnotice", "title", "body_text"),
    ("press_pressrelease", "title", "body_text"),
    ("notices_noticeattachment", "original_name", "extracted_text"),
    ("recruitment_recruitmentattachment", "original_name", "extracted_text"),
    ("contracts_contractattachment", "original_name", "extracted_text"),
    ("press_pressattachment", "original_name", "extracted_text"),
]


# Rows of statistics ANALYZE keeps for the key columns. A post holds some 250
# distinct keys, so the default (100) lists only keys found in over a quarter of
# all rows and the planner guesses the rest at 3 %: it then walks the whole board
# newest-first looking for a word no post contains. At 1,000 the list reaches
# down to keys in 0.3 % of the rows.
KEY_STATISTICS = 1000


def key_statistics_sql(table, statistics=KEY_STATISTICS):
    return "; ".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {statistics}"
        for column in (KEY_COLUMN, TITLE_KEY_COLUMN)
    )


# Where the key arrays live in a row. A post's keys (about 1 KB of integers that do
# not compress) are its largest value, so PostgreSQL's default (EXTENDED) moves
# them to the TOAST table first whenever a row passes 2 KB, and every row a
# newest-first reading checks then costs four more page reads: at a million
# posts, reading 2,000 recent posts for a common word took 60 ms instead of 25.
# MAIN keeps them in the row and moves the HTML body out instead, which only the
# post page reads. It applies to rows as they are written (see the 0005 migration).
KEY_STORAGE = "MAIN"


def key_storage_sql(table, storage=KEY_STORAGE):
    return "; ".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}"
        for column in (KEY_COLUMN, TITLE_KEY_COLUMN)
    )


def add_key_column_sql(table, head, body):
    return (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {KEY_COLUMN} int[] "
        f"GENERATED ALWAYS AS (search_text_keys({head}, {body})) STORED"
    )


def drop_key_column_sql(table):
    return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {KEY_COLUMN}"


def add_title_key_column_sql(table, head, body=None):
    return (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {TITLE_KEY_COLUMN} int[] "
        f"GENERATED ALWAYS AS (search_text_keys({head}, '')) STORED"
    )


def drop_title_key_column_sql(table):
    return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {TITLE_KEY_COLUMN}"


# Tables that hold several boards get one key index per board: every search names
# its board, so the index is the board's own and its posting lists half as long,
# and PostgreSQL does not AND in the list index (a third of a million rows) to
# tell the boards apart. (column, values): keep in step with the model's choices;
# tests/test_search_postgres.py checks that.
PARTITIONS = {"notices_notice": ("kind", ("news", "notice"))}


def _partial_indexes(table, suffix, column):
    if table not in PARTITIONS:
        return [f"CREATE INDEX IF NOT EXISTS {table}_{suffix} ON {table} USING gin ({column})"]
    by, values = PARTITIONS[table]
    return [
        f"CREATE INDEX IF NOT EXISTS {table}_{suffix}_{value} ON {table} USING gin ({column}) WHERE {by} = '{value}'"
        for value in values
    ]


def _drop_partial_indexes(table, suffix):
    names = [f"{table}_{suffix}"] + [f"{table}_{suffix}_{value}" for value in PARTITIONS.get(table, ("", ()))[1]]
    return "; ".join(f"DROP INDEX IF EXISTS {name}" for name in names)


def gram_index_sql(table, head=None, body=None):
    return "; ".join(_partial_indexes(table, "search", KEY_COLUMN))


def title_index_sql(table, head=None, body=None):
    return "; ".join(_partial_indexes(table, "search_title", TITLE_KEY_COLUMN))


def drop_title_index_sql(table):
    return _drop_partial_indexes(table, "search_title")


def unkeyed_index_sql(table, head=None, body=None):
    return f"CREATE INDEX IF NOT EXISTS {table}_search_unkeyed ON {table} (id) WHERE {KEY_COLUMN} IS NULL"


def drop_gram_index_sql(table):
    return _drop_partial_indexes(table, "search")


def drop_unkeyed_index_sql(table):
    return f"DROP INDEX IF EXISTS {table}_search_unkeyed"
