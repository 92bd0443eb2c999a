"""search/index.py: the search table's boards come from the registry; ``migrate`` keeps it in place."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from boards import registry
from boards.registry import Board
from notices.models import Notice
from search import index
from tests.factories import make_attachment, make_post

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search table is PostgreSQL's")


def test_the_registry_gives_each_post_table_its_files_and_boards():
    assert index.post_tables() == {
        "notices_notice": ("notices_noticeattachment", "kind", {"news": "news", "notice": "notices"}),
        "recruitment_recruitmentpost": ("recruitment_recruitmentattachment", "", {"": "recruitment"}),
        "contracts_contractnotice": ("contracts_contractattachment", "", {"": "contracts"}),
        "press_pressrelease": ("press_pressattachment", "", {"": "press"}),
    }
    assert set(Notice.Kind.values) == set(index.post_tables()["notices_notice"][2])


def with_boards(monkeypatch, *extra):
    boards = dict(registry._BOARDS)
    boards.update({board.slug: board for board in extra})
    monkeypatch.setattr(registry, "_BOARDS", boards)


@pytest.mark.parametrize("filters", [{"kind": "x'); DROP TABLE x; --"}, {"kind": "news", "title": "a"}])
def test_boards_sharing_a_table_filter_on_one_field_with_plain_values(monkeypatch, filters):
    """The values go into trigger arguments and SQL literals: only a-z, 0-9 and _."""
    with_boards(monkeypatch, Board(slug="odd", name="이상한 게시판", model=Notice, filters=filters))
    with pytest.raises(ImproperlyConfigured):
        index.post_tables()


def test_the_search_migrations_before_the_table_import_no_live_search_code():
    """0001–0005 run the SQL they ran the day they were written; 0006 builds the table with search/index.py."""
    for migration in ("0001_gram_index", "0002_stored_search_keys", "0003_title_keys", "0004_key_statistics",
                      "0005_key_storage", "0006_one_search_table", "0007_quarter_keys"):
        module = importlib.import_module(f"search.migrations.{migration}")
        with open(module.__file__, encoding="utf-8") as source:
            imports = [line for line in source if line.startswith(("import ", "from "))]
        assert all("search" not in line or line == "from search.operations import PostgresOnlySQL\n"
                   for line in imports), (migration, imports)


@pytest.mark.django_db
def test_install_does_nothing_on_sqlite(django_assert_num_queries):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with django_assert_num_queries(0):
        assert index.install() == []


@postgresql
@pytest.mark.django_db
def test_a_new_board_on_a_shared_table_is_searched_after_migrate(monkeypatch, client):
    """A board added to a shared table: ``migrate`` gives the triggers its kind; its posts are found."""
    post = make_post("news", title="감사 결과 공개")
    make_attachment(post)
    def entries():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT source, grp, board FROM {index.TABLE} WHERE post_id = %s ORDER BY source",
                           [post.pk])
            return cursor.fetchall()

    Notice.objects.filter(pk=post.pk).update(kind="audit")  # a kind no board shows yet: never searched
    assert entries() == [("notices_notice", "-", "-"), ("notices_noticeattachment", "-", "-")]
    with_boards(monkeypatch, Board(slug="audit", name="감사 결과", model=Notice, filters={"kind": "audit"}))
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    Notice.objects.filter(pk=post.pk).update(title="감사 결과 공개(수정)")
    assert entries() == [("notices_notice", "audit", "audit"), ("notices_noticeattachment", "files", "audit")]


@postgresql
@pytest.mark.django_db(transaction=True)  # TRUNCATE waits for no pending trigger events outside a test transaction
def test_a_table_emptied_at_once_takes_its_rows_along():
    """TRUNCATE fires no row triggers (the test runner's flush is one); a statement trigger covers it."""
    make_attachment(make_post("news", title="비울 글"))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notices_noticeattachment, notices_notice CASCADE")
        cursor.execute(f"SELECT count(*) FROM {index.TABLE} WHERE source LIKE 'notices_%%'")
        assert cursor.fetchone()[0] == 0


@postgresql
@pytest.mark.django_db
def test_a_role_that_may_not_create_the_extension_gets_gin_not_an_error(caplog):
    """A managed PostgreSQL often refuses CREATE EXTENSION to the site's role: migrate goes on with GIN."""
    from django.db import ProgrammingError

    class Refusing:
        def __init__(self, cursor):
            self.cursor, self.db = cursor, cursor.db

        def execute(self, sql, params=None):
            if sql.startswith("CREATE EXTENSION"):
                raise ProgrammingError('permission denied to create extension "rum"')
            return self.cursor.execute(sql, params)

        def fetchone(self):
            return self.cursor.fetchone()

    with connection.cursor() as cursor:
        assert index.ensure_rum(Refusing(cursor)) is False
        cursor.execute("SELECT 1")  # the transaction is still usable
    assert "uses a GIN index" in caplog.text
