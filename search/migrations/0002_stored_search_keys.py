"""Store the search keys in a generated column instead of recomputing them.

0001 indexed the expression search_grams(title, body_text). A query that walked the
list index newest-first (the usual plan for a common word) had to recompute that
array for every row it looked at, and a lossy bitmap page did the same: a
2-syllable 통합검색 took seconds at a million posts. Now the database stores the
distinct keys once per row (``search_keys``) and the GIN index covers the column.
Rows with more text than the keys cover hold NULL and a small partial index finds them.
"""

import importlib

from django.db import migrations

from search import schema
from search.operations import PostgresOnlySQL

before = importlib.import_module("search.migrations.0001_gram_index").schema


def forwards(table, head, body):
    return [
        before.drop_gram_index_sql(table),
        before.drop_long_index_sql(table),
        before.drop_length_statistics_sql(table),
        schema.add_key_column_sql(table, head, body),
        schema.gram_index_sql(table),
        schema.unkeyed_index_sql(table),
        f"ANALYZE {table}",
    ]


def backwards(table, head, body):
    return [
        schema.drop_unkeyed_index_sql(table),
        schema.drop_gram_index_sql(table),
        schema.drop_key_column_sql(table),
        before.gram_index_sql(table, head, body),
        before.long_index_sql(table, head, body),
        before.length_statistics_sql(table, head, body),
    ]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_gram_index")]

    operations = [
        PostgresOnlySQL(schema.FUNCTIONS, schema.DROP_FUNCTIONS),
        *(PostgresOnlySQL(forwards(*table), backwards(*table)) for table in schema.TABLES),
        PostgresOnlySQL(
            "DROP FUNCTION IF EXISTS search_beyond_grams(text, text); DROP FUNCTION IF EXISTS search_grams(text, text);",
            before.FUNCTIONS,
        ),
    ]
