"""Each 붙임 carries its post's 게시일시 (``post_published_at``), kept in step by the database.

통합검색 lists 붙임 newest post first. Without the date on the 붙임 row the
database can only get it by joining every candidate to its post: thousands of
joins for a word common in 붙임, since few posts have any. With it, the 붙임
table's own index (``*_newest``) gives the order and only the rows read are
joined, to check that their post is public.

Triggers keep the copy, so no write path can forget it (admin, bulk loads, a
post's date changed by ``update()``): a 붙임 takes its post's date when it is
inserted or moved to another post; a post whose date changes passes it on.

Every board app's migrations run ``PostDateTriggers`` for its 붙임 table (a new
board's too). What it emits must therefore never change: old migrations would
silently run the new SQL. A change is a new operation class and a new migration.
"""

from django.db import migrations


def _postgresql(attachments, posts):
    return [
        f"""CREATE OR REPLACE FUNCTION {attachments}_take_post_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.post_published_at := (SELECT published_at FROM {posts} WHERE id = NEW.post_id);
  RETURN NEW;
END $$""",
        # Not on every UPDATE: a download only counts (download_count), and needs no lookup.
        f"""CREATE TRIGGER {attachments}_take_post_date BEFORE INSERT OR UPDATE OF post_id, post_published_at
ON {attachments}
FOR EACH ROW EXECUTE FUNCTION {attachments}_take_post_date()""",
        f"""CREATE OR REPLACE FUNCTION {posts}_pass_date_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {attachments} SET post_published_at = NEW.published_at WHERE post_id = NEW.id;
  RETURN NULL;
END $$""",
        f"""CREATE TRIGGER {posts}_pass_date_on AFTER UPDATE OF published_at ON {posts}
FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
EXECUTE FUNCTION {posts}_pass_date_on()""",
    ]


def _drop_postgresql(attachments, posts):
    return [
        f"DROP TRIGGER IF EXISTS {posts}_pass_date_on ON {posts}",
        f"DROP FUNCTION IF EXISTS {posts}_pass_date_on()",
        f"DROP TRIGGER IF EXISTS {attachments}_take_post_date ON {attachments}",
        f"DROP FUNCTION IF EXISTS {attachments}_take_post_date()",
    ]


def _sqlite(attachments, posts):
    take = (
        f"UPDATE {attachments} SET post_published_at = "
        f"(SELECT published_at FROM {posts} WHERE id = NEW.post_id) WHERE id = NEW.id"
    )
    return [
        f"CREATE TRIGGER {attachments}_take_post_date AFTER INSERT ON {attachments} BEGIN {take}; END",
        # Any UPDATE naming post_id: Django's save() writes every column, its stale copy too.
        f"CREATE TRIGGER {attachments}_keep_post_date AFTER UPDATE OF post_id, post_published_at "
        f"ON {attachments} BEGIN {take}; END",
        f"CREATE TRIGGER {posts}_pass_date_on AFTER UPDATE OF published_at ON {posts} "
        f"WHEN OLD.published_at IS NOT NEW.published_at BEGIN "
        f"UPDATE {attachments} SET post_published_at = NEW.published_at WHERE post_id = NEW.id; END",
    ]


def _drop_sqlite(attachments, posts):
    return [
        f"DROP TRIGGER IF EXISTS {posts}_pass_date_on",
        f"DROP TRIGGER IF EXISTS {attachments}_keep_post_date",
        f"DROP TRIGGER IF EXISTS {attachments}_take_post_date",
    ]


def backfill_sql(attachments, posts):
    return (
        f"UPDATE {attachments} SET post_published_at = "
        f"(SELECT published_at FROM {posts} WHERE {posts}.id = {attachments}.post_id)"
    )


class TableSQL(migrations.operations.base.Operation):
    """A migration operation that runs SQL on existing tables and changes no model state.

    Subclasses take their arguments positionally (kept for ``deconstruct``) and emit statements.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, *args):
        self.args = args

    def deconstruct(self):
        return (self.__class__.__name__, list(self.args), {})

    def state_forwards(self, app_label, state):
        pass

    def _run(self, schema_editor, statements):
        for statement in statements:
            schema_editor.execute(statement, params=None)


class PostDateTriggers(TableSQL):
    """Creates the triggers for one 붙임 table (and fills in the dates already there)."""

    def __init__(self, attachments, posts):
        super().__init__(attachments, posts)
        self.attachments, self.posts = attachments, posts

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        create = {"postgresql": _postgresql, "sqlite": _sqlite}[vendor]
        statements = [*create(self.attachments, self.posts), backfill_sql(self.attachments, self.posts)]
        if vendor == "postgresql":
            # Without statistics on the new column the planner guesses, and 통합검색 took
            # half a second a search at a million posts until autovacuum came by.
            statements.append(f"ANALYZE {self.attachments}")
        self._run(schema_editor, statements)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        drop = {"postgresql": _drop_postgresql, "sqlite": _drop_sqlite}[schema_editor.connection.vendor]
        self._run(schema_editor, drop(self.attachments, self.posts))

    def describe(self):
        return f"붙임 {self.attachments} takes the 게시일시 of its post ({self.posts})"
