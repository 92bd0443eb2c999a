"""Finer statistics on the key columns, so the planner tells rare words from common ones.

See search/schema.py (KEY_STATISTICS) for the numbers. ANALYZE reads more rows
from now on: about half a minute for a million posts instead of a few seconds.

The SQL is frozen here as this migration runs it (see 0002): a board added later
gets these statistics from search/ensure.py.
"""

from django.db import migrations

from search.operations import PostgresOnlySQL

KEY_COLUMNS = ("search_keys", "title_keys")
KEY_STATISTICS = 1000

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


def key_statistics_sql(table, statistics=KEY_STATISTICS):
    return "; ".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {statistics}" for column in KEY_COLUMNS
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_title_keys")]

    operations = [
        PostgresOnlySQL(
            [key_statistics_sql(table), f"ANALYZE {table}"],
            [key_statistics_sql(table, statistics=-1)],
        )
        for table in TABLES
    ]
