"""One search table for every post and 붙임 (search/index.py) instead of key columns on each table.

Drops the key columns of 0002–0005 (their GIN indexes go with them; a catalog change,
no rewrite) and the functions they called. The table itself, its triggers and its
rows come right after, at the end of the same ``migrate`` (search/apps.py runs
search/index.py's ``install``, which follows the board registry as it is then): at a
million posts some minutes (README, "통합검색 색인을 새로 만들 때").
"""

from django.db import migrations

from search.operations import PostgresOnlySQL

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

DROP_KEYS = [
    f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_keys, DROP COLUMN IF EXISTS title_keys" for table in TABLES
] + [
    "DROP FUNCTION IF EXISTS search_text_keys(text, text)",
    "DROP FUNCTION IF EXISTS search_query_grams(text)",
]


# Going back drops the table and its triggers (with the functions they call); the key
# columns of 0002–0005 are not made again.
DROP_TABLE = [
    "DROP FUNCTION IF EXISTS search_keep_post() CASCADE",
    "DROP FUNCTION IF EXISTS search_keep_file() CASCADE",
    "DROP FUNCTION IF EXISTS search_forget_table() CASCADE",
    "DROP TABLE IF EXISTS search_entry",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_key_storage"),
        ("notices", "0009_post_counts"),
        ("recruitment", "0009_post_counts"),
        ("contracts", "0009_post_counts"),
        ("press", "0010_post_counts"),
    ]

    operations = [
        PostgresOnlySQL(DROP_KEYS, DROP_TABLE),
    ]
