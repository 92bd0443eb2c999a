"""Character-gram search index for Korean text on PostgreSQL (no-op elsewhere).

pg_trgm cannot serve 1- and 2-syllable queries ("채용", "숲"), the common case, so
each searchable table gets a GIN index over the hashed character unigrams and
bigrams of its text, and a small partial index for text longer than the grams
cover. See search/schema.py for the SQL and search/engine.py for how queries use it.
"""

from django.db import migrations

from search.operations import PostgresOnlySQL


class schema:  # noqa: N801  the SQL as this migration ran it (search/schema.py has moved on)
    # Characters of text the gram function reads; keep in step with engine.GRAM_TEXT_LIMIT.
    GRAM_TEXT_LIMIT = 100_000

    FUNCTIONS = rf"""
    -- Unigrams of the upper-cased text, then its adjacent pairs at even and at odd
    -- offsets: '..' pairs tile the string, each followed by a U+0001 separator, and
    -- string_to_array splits them apart again (a U+0001 in the text only breaks pairs
    -- that hold it, which no query asks for). Pairs holding a space are left out:
    -- queries are split into words first, so no query asks for them.
    CREATE OR REPLACE FUNCTION search_grams(head text, body text) RETURNS int[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT ARRAY(
        SELECT hashtext(gram) FROM unnest(
             string_to_array(doc, NULL)
          || string_to_array(regexp_replace(doc, '..', E'\\&\x01', 'g'), E'\x01')
          || string_to_array(regexp_replace(substr(doc, 2), '..', E'\\&\x01', 'g'), E'\x01')
        ) AS gram
        WHERE gram <> '' AND strpos(gram, ' ') = 0
      )
      FROM (SELECT upper(left(head || ' ' || body, {GRAM_TEXT_LIMIT})) AS doc) AS capped
    $$;

    -- True when some of the text lies past what search_grams reads: such rows are
    -- found through the partial *_search_long index, and LIKE alone decides for them.
    CREATE OR REPLACE FUNCTION search_beyond_grams(head text, body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT char_length(head) + char_length(body) + 1 > {GRAM_TEXT_LIMIT}
    $$;

    -- The grams every matching text holds: for each space-separated word its pairs,
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

    DROP_FUNCTIONS = """
    DROP FUNCTION IF EXISTS search_query_grams(text);
    DROP FUNCTION IF EXISTS search_beyond_grams(text, text);
    DROP FUNCTION IF EXISTS search_grams(text, text);
    """

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


    @staticmethod
    def gram_index_sql(table, head, body):
        return f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin (search_grams({head}, {body}))"


    @staticmethod
    def long_index_sql(table, head, body):
        return (
            f"CREATE INDEX IF NOT EXISTS {table}_search_long ON {table} (id) "
            f"WHERE search_beyond_grams({head}, {body})"
        )


    @staticmethod
    def length_statistics_sql(table, head, body):
        """Lets the planner estimate search_beyond_grams(): without it, 1/3 of all rows."""
        return (
            f"CREATE STATISTICS IF NOT EXISTS {table}_search_length "
            f"ON ((char_length({head}) + char_length({body})) + 1) FROM {table}"
        )


    @staticmethod
    def drop_length_statistics_sql(table):
        return f"DROP STATISTICS IF EXISTS {table}_search_length"


    @staticmethod
    def drop_gram_index_sql(table):
        return f"DROP INDEX IF EXISTS {table}_search"


    @staticmethod
    def drop_long_index_sql(table):
        return f"DROP INDEX IF EXISTS {table}_search_long"


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_safe_files"),
        ("recruitment", "0002_safe_files"),
        ("contracts", "0002_safe_files"),
        ("press", "0002_safe_files"),
        ("tourism", "0002_safe_files"),
    ]

    operations = [
        PostgresOnlySQL(schema.FUNCTIONS, schema.DROP_FUNCTIONS),
        *(
            PostgresOnlySQL(
                [schema.gram_index_sql(*table), schema.long_index_sql(*table),
                 schema.length_statistics_sql(*table)],
                [schema.drop_gram_index_sql(table[0]), schema.drop_long_index_sql(table[0]),
                 schema.drop_length_statistics_sql(table[0])],
            )
            for table in schema.TABLES
        ),
    ]
