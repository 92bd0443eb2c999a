"""search/schema.py's tables from the board registry, and search/ensure.py after ``migrate``.

The ensure tests change the schema inside the test's transaction (PostgreSQL's DDL
is transactional), so the rollback puts it back for every other test.
"""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from boards import registry
from boards.registry import Board
from notices.models import Notice
from search import ensure, schema
from tests.factories import make_attachment, make_post

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search keys are PostgreSQL's")


def frozen(migration):
    return importlib.import_module(f"search.migrations.{migration}")


# --- tables() and partitions() -----------------------------------------------------------------

def test_the_registry_gives_the_tables_and_partitions_the_migrations_froze():
    """Today's boards give exactly what 0002–0005 ran on; a new board adds to these (search/ensure.py)."""
    assert schema.tables() == frozen("0002_stored_search_keys").TABLES == frozen("0003_title_keys").TABLES
    assert [table for table, _, _ in schema.tables()] == frozen("0004_key_statistics").TABLES
    assert [table for table, _, _ in schema.tables()] == frozen("0005_key_storage").TABLES
    assert schema.partitions() == {"notices_notice": ("kind", ("news", "notice"))}
    assert schema.partitions() == frozen("0002_stored_search_keys").PARTITIONS
    assert all(type(value) is str for _, values in schema.partitions().values() for value in values)


def test_the_live_statements_are_the_ones_the_migrations_ran_on_todays_tables():
    keys, titles = frozen("0002_stored_search_keys"), frozen("0003_title_keys")
    for table, head, body in schema.tables():
        assert schema.add_key_column_sql(table, head, body) == keys.add_key_column_sql(table, head, body)
        assert schema.gram_index_sql(table) == keys.gram_index_sql(table)
        assert schema.drop_gram_index_sql(table) == keys.drop_gram_index_sql(table)
        assert schema.unkeyed_index_sql(table) == keys.unkeyed_index_sql(table)
        assert (schema.add_title_key_column_sql(table, head, body)
                == titles.add_title_key_column_sql(table, head, body))
        assert schema.title_index_sql(table) == titles.title_index_sql(table)
        assert schema.drop_title_index_sql(table) == titles.drop_title_index_sql(table)
        assert schema.key_statistics_sql(table) == frozen("0004_key_statistics").key_statistics_sql(table)
        assert schema.key_storage_sql(table) == frozen("0005_key_storage").key_storage_sql(table)


def test_the_search_migrations_import_no_live_search_code():
    """A migration runs the SQL it ran the day it was written, whatever search/ has become since."""
    for migration in ("0001_gram_index", "0002_stored_search_keys", "0003_title_keys", "0004_key_statistics",
                      "0005_key_storage"):
        module = frozen(migration)
        with open(module.__file__, encoding="utf-8") as source:
            imports = [line for line in source if line.startswith(("import ", "from "))]
        assert all("search" not in line or line == "from search.operations import PostgresOnlySQL\n"
                   for line in imports), (migration, imports)


def with_boards(monkeypatch, *extra):
    boards = dict(registry._BOARDS)
    boards.update({board.slug: board for board in extra})
    monkeypatch.setattr(registry, "_BOARDS", boards)


def test_a_third_board_on_a_shared_table_gets_its_own_key_index(monkeypatch):
    with_boards(monkeypatch, Board(slug="gosi", name="고시", model=Notice, filters={"kind": "gosi"}))
    assert schema.partitions() == {"notices_notice": ("kind", ("news", "notice", "gosi"))}
    assert [table for table, _, _ in schema.tables()].count("notices_notice") == 1
    assert schema.gram_index_sql("notices_notice").count("CREATE INDEX") == 3


@pytest.mark.parametrize("filters", [{}, {"is_published": True}, {"kind": "news", "is_published": True},
                                     {"kind__in": ["news"]}, {"kind": "News's"}])
def test_boards_sharing_a_table_must_filter_on_one_field_with_plain_values(monkeypatch, filters):
    with_boards(monkeypatch, Board(slug="odd", name="이상한 게시판", model=Notice, filters=filters))
    with pytest.raises(ImproperlyConfigured, match="notices_notice|odd"):
        schema.partitions()


# --- ensure_search_schema ------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no search keys")
def test_ensure_does_nothing_on_sqlite(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ensure.ensure_search_schema() == []


def catalog():
    """{table: (key columns, search index names)} as the database holds them now."""
    tables = [table for table, _, _ in schema.tables()]
    columns, indexes = ensure.read_catalogs(connection, tables)
    return {
        table: (
            sorted(column for column in columns[table] if column in schema.KEY_COLUMNS),
            sorted(name for name in indexes.get(table, {}) if name.startswith(f"{table}_search")),
        )
        for table in tables
    }


def ensured():
    """The statements ensure ran, and proof that every query it made besides them only read."""
    with CaptureQueriesContext(connection) as queries:
        done = ensure.ensure_search_schema()
    others = [query["sql"] for query in queries.captured_queries if query["sql"] not in done]
    assert all(sql.lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE")) for sql in others), others
    return done


@postgresql
@pytest.mark.django_db
def test_everything_is_in_place_after_the_migrations_and_ensure_changes_nothing():
    assert ensure.search_migrated(connection)
    expected = {
        table: (sorted(schema.KEY_COLUMNS), sorted(index.name for index in schema.key_indexes(table)))
        for table, _, _ in schema.tables()
    }
    assert catalog() == expected
    assert ensured() == []


def shown(client, query):
    groups = client.get("/search/", {"q": query}).context["groups"]
    return {group.slug: (group.count, [strip_tags(hit.title) for hit in group.hits]) for group in groups}


@postgresql
@pytest.mark.django_db
def test_a_missing_index_and_key_column_are_made_again_and_search_answers_the_same(client):
    for slug in ("news", "notices", "press"):
        post = make_post(slug, title=f"옥상정원 {slug}", body="<p>옥상정원 이야기</p>")
        make_attachment(post)
    before, tables = shown(client, "옥상정원"), catalog()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with foreign key checks pending
        cursor.execute("DROP INDEX notices_notice_search_notice")
        cursor.execute("ALTER TABLE press_pressrelease DROP COLUMN title_keys")  # and its index
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    assert ensured() == [
        "CREATE INDEX IF NOT EXISTS notices_notice_search_notice ON notices_notice USING gin (search_keys) "
        "WHERE kind = 'notice'",
        "ANALYZE notices_notice",
        "ALTER TABLE press_pressrelease ADD COLUMN IF NOT EXISTS title_keys int[] "
        "GENERATED ALWAYS AS (search_text_keys(title, '')) STORED",
        "ALTER TABLE press_pressrelease ALTER COLUMN title_keys SET STATISTICS 1000",
        "ALTER TABLE press_pressrelease ALTER COLUMN title_keys SET STORAGE MAIN",
        "CREATE INDEX IF NOT EXISTS press_pressrelease_search_title ON press_pressrelease "
        "USING gin (title_keys)",
        "ANALYZE press_pressrelease",
    ]
    assert catalog() == tables
    assert ensured() == []
    assert shown(client, "옥상정원") == before
    assert before["press"] == (1, ["옥상정원 press"])


@postgresql
@pytest.mark.django_db
def test_a_new_board_on_a_shared_table_gets_its_key_indexes_without_a_migration(monkeypatch):
    with_boards(monkeypatch, Board(slug="gosi", name="고시", model=Notice, filters={"kind": "gosi"}))
    assert ensured() == [
        "CREATE INDEX IF NOT EXISTS notices_notice_search_gosi ON notices_notice USING gin (search_keys) "
        "WHERE kind = 'gosi'",
        "CREATE INDEX IF NOT EXISTS notices_notice_search_title_gosi ON notices_notice "
        "USING gin (title_keys) WHERE kind = 'gosi'",
        "ANALYZE notices_notice",
    ]
    assert ensured() == []


@postgresql
@pytest.mark.django_db
def test_settings_and_leftover_indexes_are_put_right_but_differing_ones_only_reported(caplog):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE contracts_contractnotice ALTER COLUMN search_keys SET STATISTICS -1")
        cursor.execute("ALTER TABLE press_pressattachment ALTER COLUMN title_keys SET STORAGE EXTENDED")
        # The same name over the wrong column, and a whole-table index on a table boards share.
        cursor.execute("DROP INDEX recruitment_recruitmentpost_search")
        cursor.execute("CREATE INDEX recruitment_recruitmentpost_search ON recruitment_recruitmentpost "
                       "USING gin (title_keys)")
        cursor.execute("CREATE INDEX notices_notice_search ON notices_notice USING gin (search_keys)")

    with caplog.at_level("WARNING", logger="search.ensure"):
        assert ensured() == [
            "DROP INDEX IF EXISTS notices_notice_search",
            "ANALYZE notices_notice",
            "ALTER TABLE contracts_contractnotice ALTER COLUMN search_keys SET STATISTICS 1000",
            "ANALYZE contracts_contractnotice",
            "ALTER TABLE press_pressattachment ALTER COLUMN title_keys SET STORAGE MAIN",
            "ANALYZE press_pressattachment",
        ]
    assert "search index recruitment_recruitmentpost_search differs" in caplog.text
    assert ensured() == []


@postgresql
@pytest.mark.django_db
def test_a_key_column_computed_otherwise_is_reported_not_rewritten(caplog):
    """Rebuilding a stored column rewrites the table: a migration's job, never a side effect of migrate."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE contracts_contractattachment DROP COLUMN title_keys")
        cursor.execute("ALTER TABLE contracts_contractattachment ADD COLUMN title_keys int[] "
                       "GENERATED ALWAYS AS (search_text_keys(extracted_text, '')) STORED")

    with caplog.at_level("WARNING", logger="search.ensure"):
        assert ensured() == [
            "ALTER TABLE contracts_contractattachment ALTER COLUMN title_keys SET STATISTICS 1000",
            "ALTER TABLE contracts_contractattachment ALTER COLUMN title_keys SET STORAGE MAIN",
            "CREATE INDEX IF NOT EXISTS contracts_contractattachment_search_title "
            "ON contracts_contractattachment USING gin (title_keys)",
            "ANALYZE contracts_contractattachment",
        ]
    assert "contracts_contractattachment.title_keys differs" in caplog.text


@postgresql
@pytest.mark.django_db
def test_migrate_runs_it_once_the_search_migrations_are_all_applied():
    """post_migrate (search/apps.py); after going back a search migration it leaves the tables alone."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX press_pressrelease_search_unkeyed")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'search' AND name = '0005_key_storage'")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "press_pressrelease_search_unkeyed" not in catalog()["press_pressrelease"][1]

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) "
                       "VALUES ('search', '0005_key_storage', now())")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "press_pressrelease_search_unkeyed" in catalog()["press_pressrelease"][1]
