"""The keys of the heading alone, with their own GIN index.

통합검색's 정확도순 shows title matches first. For a word common in bodies but
absent from titles ("채용" in 금천소식), finding "no title has it" meant reading
every body match: half a second at a million posts. ``title_keys`` answers it
from an index. Headings are short, so the column and index are small; a heading
never passes GRAM_TEXT_LIMIT (its column is at most 255 characters).

The SQL is frozen here as this migration runs it (see 0002): a board added later
gets its heading keys from search/ensure.py.
"""

from django.db import migrations

from search.operations import PostgresOnlySQL

TITLE_KEY_COLUMN = "title_keys"

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


def add_title_key_column_sql(table, head, body):
    return (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {TITLE_KEY_COLUMN} int[] "
        f"GENERATED ALWAYS AS (search_text_keys({head}, '')) STORED"
    )


def drop_title_key_column_sql(table):
    return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {TITLE_KEY_COLUMN}"


def title_index_sql(table):
    if table not in PARTITIONS:
        return f"CREATE INDEX IF NOT EXISTS {table}_search_title ON {table} USING gin ({TITLE_KEY_COLUMN})"
    by, values = PARTITIONS[table]
    return "; ".join(
        f"CREATE INDEX IF NOT EXISTS {table}_search_title_{value} ON {table} "
        f"USING gin ({TITLE_KEY_COLUMN}) WHERE {by} = '{value}'"
        for value in values
    )


def drop_title_index_sql(table):
    names = [f"{table}_search_title"] + [
        f"{table}_search_title_{value}" for value in PARTITIONS.get(table, ("", ()))[1]
    ]
    return "; ".join(f"DROP INDEX IF EXISTS {name}" for name in names)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_stored_search_keys")]

    operations = [
        PostgresOnlySQL(
            [add_title_key_column_sql(*table), title_index_sql(table[0]), f"ANALYZE {table[0]}"],
            [drop_title_index_sql(table[0]), drop_title_key_column_sql(table[0])],
        )
        for table in TABLES
    ]
