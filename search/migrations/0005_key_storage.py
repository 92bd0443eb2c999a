"""Search keys stay in the row (search/schema.py, KEY_STORAGE).

Instant: only the column's storage setting changes. Rows get the new layout when
they are next written; to lay out existing rows at once (minutes for a million
posts, and the table's size in free disk space), run for each table below:
``UPDATE <table> SET id = id; VACUUM FULL <table>``.

The SQL is frozen here as this migration runs it (see 0002): a board added later
gets this storage from search/ensure.py.
"""

from django.db import migrations

from search.operations import PostgresOnlySQL

KEY_COLUMNS = ("search_keys", "title_keys")
KEY_STORAGE = "MAIN"

# The tables of every board's posts and their 붙임.
TABLES = [
    "notices_notice",
    "recruitment_recruitmentpost",
    "contracts_contractnotice",
    "press_pressrelease",
    "notices_noticeattachment",
    "recruitment_recruitmentattachment",
    "contracts_contractattachment",
    "press_pressattachment",
]


def key_storage_sql(table, storage=KEY_STORAGE):
    return "; ".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}" for column in KEY_COLUMNS
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_key_statistics")]

    operations = [
        PostgresOnlySQL([key_storage_sql(table)], [key_storage_sql(table, storage="EXTENDED")])
        for table in TABLES
    ]
