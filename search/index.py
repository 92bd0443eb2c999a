"""통합검색's index on PostgreSQL: one table, ``search_entry``, for every post and 붙임.

Each row is one searchable thing — a post of a board, or a 붙임 — with what a
search needs and nothing else: its group (the board's slug, or ``files`` for the
붙임 of every board), its board, its post, the post's 공개 switch and times, its
heading and text, and ``keys``: the hashed characters and character pairs of
the upper-cased text. Triggers on every board's tables keep it current, so no
write path (admin, import, raw SQL) can forget it; a post's change of 공개 or
게시일시 reaches its 붙임 rows in the same statement.

Keys are salted with the group and the quarter of the row's date
("news@8104:채용" hashes apart from "press@8104:채용" and from "news@8103:채용"), so
one index holds a separate posting list per group and quarter. Heading pairs are
salted with the group alone ("news:t:채용"): they are read only for 정확도순 when a
group's newest matches hold too few heading matches, so their lists are short. A
text longer than GRAM_TEXT_LIMIT keeps one "unkeyed" key for its group instead of
its pairs; LIKE decides there.

Why quarters (measured at 1,000,000 posts; README, 통합검색): a search wants a
group's newest matches. One posting list per group holds every match of a common
word (half a board), and putting them newest first costs the same for each; a
quarter's list is a few thousand rows at most, so ``search_newest`` (index.sql)
reads the newest quarter's list, then the one before, until it has enough: a
common word stops after one or two quarters, a rare word reads every quarter's
short list. The keys index is RUM (Debian's postgresql-15-rum) when the server has
it: GIN-like matching that keeps each row's date beside its keys, so a quarter's
matches come back newest first from the index alone. Without RUM the same table
gets a GIN index and each quarter's matches are sorted: the same answers.
"""

import logging
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction

from boards import registry

logger = logging.getLogger(__name__)

TABLE = "search_entry"
INDEX = "search_entry_keys"
FILES = "files"  # the group of every board's 붙임
NO_BOARD = "-"  # the group and board of a post (and its 붙임) whose kind no board shows: never searched
GRAM_TEXT_LIMIT = 100_000  # longer texts get the unkeyed key instead of their pairs
COLUMNS = "source, object_id, grp, board, post_id, is_published, published_at, unpublish_at, position, heading, body"

# The table, its functions and the trigger functions (CREATE … IF NOT EXISTS / OR REPLACE):
# plain SQL, with the names above written out.
SCHEMA_SQL = (Path(__file__).parent / "index.sql").read_text(encoding="utf-8")
RUM_ORDER = "ORDER BY e.published_at <=| now_"  # in search_bucket: the newest first, from RUM
SORTED_ORDER = "ORDER BY (e.published_at + interval '0 s') DESC"  # from GIN: sorted, never the list index


def schema_sql(use_rum):
    """index.sql as installed: without RUM, search_bucket sorts each quarter's matches."""
    return SCHEMA_SQL if use_rum else SCHEMA_SQL.replace(RUM_ORDER, SORTED_ORDER)


RUM_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING rum (keys rum_anyarray_addon_ops, published_at) "
    "WITH (attach = 'published_at', to = 'keys', order_by_attach = 't')"
)
GIN_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (keys)"


def post_tables():
    """``{post table: (붙임 table, column telling its boards apart or '', {value: slug})}``."""
    found = {}
    for board in registry.all_boards():
        table = board.model._meta.db_table
        if len(board.filters) > 1:
            raise ImproperlyConfigured(f"{board.slug}: 통합검색 tells boards on one table apart by one field")
        column, value = next(iter(board.filters.items()), ("", ""))
        if column:
            column = board.model._meta.get_field(column).column
        value = str(getattr(value, "value", value))
        for text in (value, board.slug):  # they go into trigger arguments and SQL literals
            if not re.fullmatch(r"[a-z0-9_]*", text):
                raise ImproperlyConfigured(f"{board.slug}: {text!r} may hold only a-z, 0-9 and _ (통합검색)")
        attachments = board.attachment_model._meta.db_table
        found.setdefault(table, (attachments, column, {}))[2][value] = board.slug
    return found


def board_case(column, slugs):
    """SQL naming the board of a post row (what the trigger does row by row)."""
    if not column:
        return "'%s'" % next(iter(slugs.values()))
    whens = " ".join(f"WHEN '{value}' THEN '{slug}'" for value, slug in slugs.items())
    return f"(CASE {column}::text {whens} ELSE '{NO_BOARD}' END)"


def trigger_sql(post_table, attachments, column, slugs):
    pairs = "".join(f", '{value}', '{slug}'" for value, slug in slugs.items())
    kept_by = {post_table: f"search_keep_post('{attachments}', '{column}'{pairs})",
               attachments: f"search_keep_file('{post_table}')"}
    watched = {post_table: ["title", "body_text", "is_published", "published_at", "unpublish_at", *filter(None, [column])],
               attachments: ["original_name", "extracted_text", "post_id", "order"]}
    statements = []
    for table, function in kept_by.items():
        changed = " OR ".join(f'OLD."{name}" IS DISTINCT FROM NEW."{name}"' for name in watched[table])
        statements += [  # TRUNCATE (the tests' flush among others) fires no row triggers: a statement trigger
            f"CREATE OR REPLACE TRIGGER {table}_search_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION search_forget_table()",
            f"CREATE OR REPLACE TRIGGER {table}_search AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}",
            f"CREATE OR REPLACE TRIGGER {table}_search_update AFTER UPDATE ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {function}",
        ]
    return statements


def fill_sql(post_table, attachments, column, slugs):
    """The rows of one post table and its 붙임, written at once (install, rebuild)."""
    board = board_case(column, slugs)
    return [
        f"DELETE FROM {TABLE} WHERE source IN ('{post_table}', '{attachments}')",
        f"INSERT INTO {TABLE} ({COLUMNS}, keys) "
        f"SELECT '{post_table}', id, board, board, id, is_published, published_at, unpublish_at, 0, title, "
        f"body_text, search_entry_keys(board, published_at, title, body_text) "
        f"FROM (SELECT *, {board} AS board FROM {post_table}) AS posts",
        f"INSERT INTO {TABLE} ({COLUMNS}, keys) "
        f"SELECT '{attachments}', a.id, CASE p.board WHEN '{NO_BOARD}' THEN p.board ELSE '{FILES}' END, "
        f"p.board, a.post_id, p.is_published, p.published_at, "
        f"p.unpublish_at, a.\"order\", a.original_name, a.extracted_text, "
        f"search_entry_keys('{FILES}', p.published_at, a.original_name, a.extracted_text) "
        f"FROM {attachments} AS a JOIN {TABLE} AS p ON p.source = '{post_table}' AND p.object_id = a.post_id",
    ]


def install(using="default", rebuild=False):
    """The table, its functions and index, and every board table's triggers; fills what is new.

    Run after every ``migrate`` (search/apps.py): it adds what is missing and fills
    the rows of a board table that had no trigger yet (of every table with
    ``rebuild``, the index dropped meanwhile so it is built once, in bulk). The
    table is committed before it is filled, so searches meanwhile find nothing
    rather than fail. Returns the post tables it filled.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        use_rum = ensure_rum(cursor)
        cursor.execute(schema_sql(use_rum))
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s", ["%\\_search"])
        triggers = {name for (name,) in cursor.fetchall()}
        tables = post_tables()
        filled = [table for table in tables if rebuild or f"{table}_search" not in triggers]
        if rebuild:  # emptied at once: rows deleted in this transaction would still go into the new index
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
            cursor.execute(f"TRUNCATE {TABLE}")
        for table, (attachments, column, slugs) in tables.items():
            for statement in trigger_sql(table, attachments, column, slugs):
                cursor.execute(statement)
            if table in filled:
                for statement in fill_sql(table, attachments, column, slugs):
                    cursor.execute(statement)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(RUM_INDEX_SQL if use_rum else GIN_INDEX_SQL)
    if filled:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
    return filled


def ensure_rum(cursor):
    """Whether the RUM extension is there (made here when the server has it and lets us)."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    if not cursor.fetchone():
        logger.warning("PostgreSQL has no RUM extension (postgresql-15-rum): 통합검색 uses a GIN index")
        return False
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError as error:  # e.g. a role that may not create extensions
        logger.warning("CREATE EXTENSION rum failed (%s): 통합검색 uses a GIN index", error)
        return False
    return True


def remove_triggers(using="default"):
    """Drop every board table's triggers (a bulk load; ``install(rebuild=True)`` puts them back)."""
    with connections[using].cursor() as cursor:
        for table, (attachments, _, _) in post_tables().items():
            for name in (table, attachments):
                for suffix in ("", "_update", "_truncate"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}_search{suffix} ON {name}")
