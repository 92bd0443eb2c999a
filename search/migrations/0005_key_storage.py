"""Search keys stay in the row (search/schema.py, KEY_STORAGE).

Instant: only the column's storage setting changes. Rows get the new layout when
they are next written; to lay out existing rows at once (minutes for a million
posts, and the table's size in free disk space), run for each table in
search/schema.py TABLES: ``UPDATE <table> SET id = id; VACUUM FULL <table>``.
"""

from django.db import migrations

from search import schema
from search.operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("search", "0004_key_statistics")]

    operations = [
        PostgresOnlySQL([schema.key_storage_sql(table)], [schema.key_storage_sql(table, storage="EXTENDED")])
        for table, _, _ in schema.TABLES
    ]
