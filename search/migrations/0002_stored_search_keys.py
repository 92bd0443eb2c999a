"""Store the search keys in a generated column instead of recomputing them.

0001 indexed the expression search_grams(title, body_text). A query that walked the
list index newest-first (the usual plan for a common word) had to recompute that
array for every row it looked at, and a lossy bitmap page did the same: a
2-syllable 통합검색 took seconds at a million posts. Now the database stores the
distinct keys once per row (``search_keys``) and the GIN index covers the column.
Rows with more text than the keys cover hold NULL and a small partial index finds them.

The SQL is frozen here as this migration runs it: search/schema.py moves on (its
tables now come from the board registry), and a migration must not move with it.
A board added later gets its columns and indexes from search/ensure.py instead.
"""

import importlib

from django.db import migrations

from search.operations import PostgresOnlySQL

before = importlib.import_module("search.migrations.0001_gram_index").schema

GRAM_TEXT_LIMIT = 100_000
KEY_COLUMN = "search_keys"

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

# Tables holding several boards: one key index per board, {table: (column, values)}.
PARTITIONS = {"notices_notice": ("kind", ("news", "notice"))}

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


def add_key_column_sql(table, head, body):
    return (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {KEY_COLUMN} int[] "
        f"GENERATED ALWAYS AS (search_text_keys({head}, {body})) STORED"
    )


def drop_key_column_sql(table):
    return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {KEY_COLUMN}"


def gram_index_sql(table):
    if table not in PARTITIONS:
        return f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin ({KEY_COLUMN})"
    by, values = PARTITIONS[table]
    return "; ".join(
        f"CREATE INDEX IF NOT EXISTS {table}_search_{value} ON {table} "
        f"USING gin ({KEY_COLUMN}) WHERE {by} = '{value}'"
        for value in values
    )


def drop_gram_index_sql(table):
    names = [f"{table}_search"] + [f"{table}_search_{value}" for value in PARTITIONS.get(table, ("", ()))[1]]
    return "; ".join(f"DROP INDEX IF EXISTS {name}" for name in names)


def unkeyed_index_sql(table):
    return f"CREATE INDEX IF NOT EXISTS {table}_search_unkeyed ON {table} (id) WHERE {KEY_COLUMN} IS NULL"


def drop_unkeyed_index_sql(table):
    return f"DROP INDEX IF EXISTS {table}_search_unkeyed"


def forwards(table, head, body):
    return [
        before.drop_gram_index_sql(table),
        before.drop_long_index_sql(table),
        before.drop_length_statistics_sql(table),
        add_key_column_sql(table, head, body),
        gram_index_sql(table),
        unkeyed_index_sql(table),
        f"ANALYZE {table}",
    ]


def backwards(table, head, body):
    return [
        drop_unkeyed_index_sql(table),
        drop_gram_index_sql(table),
        drop_key_column_sql(table),
        before.gram_index_sql(table, head, body),
        before.long_index_sql(table, head, body),
        before.length_statistics_sql(table, head, body),
    ]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_gram_index")]

    operations = [
        PostgresOnlySQL(FUNCTIONS, DROP_FUNCTIONS),
        *(PostgresOnlySQL(forwards(*table), backwards(*table)) for table in TABLES),
        PostgresOnlySQL(
            "DROP FUNCTION IF EXISTS search_beyond_grams(text, text); DROP FUNCTION IF EXISTS search_grams(text, text);",
            before.FUNCTIONS,
        ),
    ]
