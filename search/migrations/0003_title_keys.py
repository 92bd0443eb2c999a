"""The keys of the heading alone, with their own GIN index.

통합검색's 정확도순 shows title matches first. For a word common in bodies but
absent from titles ("채용" in 금천소식), finding "no title has it" meant reading
every body match: half a second at a million posts. ``title_keys`` answers it
from an index. Headings are short, so the column and index are small; a heading
never passes GRAM_TEXT_LIMIT (its column is at most 255 characters).
"""

from django.db import migrations

from search import schema
from search.operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("search", "0002_stored_search_keys")]

    operations = [
        PostgresOnlySQL(
            [schema.add_title_key_column_sql(*table), schema.title_index_sql(table[0]), f"ANALYZE {table[0]}"],
            [schema.drop_title_index_sql(table[0]), schema.drop_title_key_column_sql(table[0])],
        )
        for table in schema.TABLES
    ]
