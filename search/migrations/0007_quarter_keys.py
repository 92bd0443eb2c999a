"""Search keys salted with the quarter of each row's date as well as its group (search/index.py).

Every row's keys change, so the table is made again: this drops the search table, its
trigger functions (their triggers on the board tables go with them) and the functions whose
arguments changed; at the end of the same ``migrate`` search/index.py's ``install`` makes
them anew and fills the table from the board tables in one pass, then builds the index
(at a million posts some minutes: README, "통합검색 색인을 새로 만들 때"). Going back does
the same, and the older code's ``install`` refills the table with its own keys.
"""

from django.db import migrations

from search.operations import PostgresOnlySQL

REMAKE = [
    "DROP FUNCTION IF EXISTS search_keep_post() CASCADE",
    "DROP FUNCTION IF EXISTS search_keep_file() CASCADE",
    "DROP FUNCTION IF EXISTS search_forget_table() CASCADE",
    "DROP FUNCTION IF EXISTS search_entry_keys(text, text, text)",
    "DROP FUNCTION IF EXISTS search_query_keys(text, text[], text)",
    "DROP TABLE IF EXISTS search_entry",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_one_search_table")]

    operations = [PostgresOnlySQL(REMAKE, REMAKE)]
