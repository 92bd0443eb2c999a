"""Character-gram search index for Korean text on PostgreSQL (no-op elsewhere).

pg_trgm cannot serve 1- and 2-syllable queries ("채용", "숲"), the common case, so
each searchable table gets a GIN index over the hashed character unigrams and
bigrams of its text, and a small partial index for text longer than the grams
cover. See search/schema.py for the SQL and search/engine.py for how queries use it.
"""

from django.db import migrations

from search import schema
from search.operations import PostgresOnlySQL


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
