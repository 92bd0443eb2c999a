"""Every searched table gets its key columns, indexes and settings after ``migrate``.

The search migrations (0002–0005) gave the tables of their day what search/schema.py
describes: the ``search_keys`` and ``title_keys`` columns, their GIN indexes (one
per board on a table several boards share), the ``*_search_unkeyed`` index, and
the key columns' statistics target and storage. Search reads its tables from the
board registry, so a board added since is searched at once; a search migration
for each new board would tie this app to every board app and go stale as soon as
the next board came. So after every ``migrate`` (search/apps.py) this module
compares each table of ``schema.tables()`` with the catalogs and runs DDL only for
what is missing or different, then ANALYZEs the tables it changed.

Most runs find everything in place and issue nothing but three reads (the applied
migrations, then columns and indexes from the catalogs): a production database
with a million posts is neither locked nor rewritten by a ``migrate``. Only a new
table pays: adding a stored generated column rewrites it. Each changed table's
statements run in one transaction, and its ANALYZE after it.

It adds, never rebuilds: a key column or an index of ours that exists but reads
differently from search/schema.py is reported (a warning), not dropped and made
again. Rebuilding means rewriting a table or re-indexing a million rows inside a
deploy, and a catalog that merely prints an expression otherwise (a new PostgreSQL
version) would do that on every ``migrate``; that is a job for a migration. Only an
invalid index (a failed concurrent build) or one of ours no board needs any more is dropped.

What it leaves alone: the SQL functions the columns call (migration 0002 creates
them; a change needs a migration that also rewrites the columns), a table or a
heading/text column that does not exist yet (the next ``migrate`` will see it),
and SQLite, where LIKE alone answers. It does nothing either while a search
migration is unapplied, so that going back (``migrate search 0003``) is not undone.
"""

import logging
import re
from collections import namedtuple

from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader

from . import schema

APP = "search"
logger = logging.getLogger(__name__)

Column = namedtuple("Column", "type generated expression statistics storage")
FoundIndex = namedtuple("FoundIndex", "method width column where valid")  # width: how many columns

COLUMNS_SQL = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attgenerated,
       pg_get_expr(d.adbin, d.adrelid), coalesce(a.attstattarget, -1), a.attstorage
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND c.relname = ANY(%s)
"""

INDEXES_SQL = """
SELECT t.relname, i.relname, am.amname, x.indnatts, pg_get_indexdef(x.indexrelid, 1, true),
       pg_get_expr(x.indpred, x.indrelid, true), x.indisvalid
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
JOIN pg_am am ON am.oid = i.relam
WHERE t.relname = ANY(%s)
"""


def ensure_search_schema(using="default"):
    """Bring every searched table in line with search/schema.py; the statements run ([] if none)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not search_migrated(connection):
        return []
    wanted = schema.tables()
    columns, indexes = read_catalogs(connection, [table for table, _, _ in wanted])
    done = []
    for table, head, body in wanted:
        if table not in columns or not {head, body} <= columns[table].keys():
            continue
        statements = changes(table, head, body, columns[table], indexes.get(table, {}))
        if not statements:
            continue
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        with connection.cursor() as cursor:  # after the commit: the locks are gone while it reads
            cursor.execute(f"ANALYZE {table}")
        done += [*statements, f"ANALYZE {table}"]
    return done


def search_migrated(connection):
    """Whether every migration of this app is applied (otherwise its schema is not ours to finish)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return set(loader.graph.leaf_nodes(APP)) <= set(loader.applied_migrations)


def read_catalogs(connection, tables):
    """``({table: {column: Column}}, {table: {index name: FoundIndex}})`` of the existing ``tables``."""
    columns, indexes = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(COLUMNS_SQL, [tables])
        for table, name, *found in cursor.fetchall():
            columns.setdefault(table, {})[name] = Column(*found)
        cursor.execute(INDEXES_SQL, [tables])
        for table, name, method, width, column, where, valid in cursor.fetchall():
            indexes.setdefault(table, {})[name] = FoundIndex(method, width, column, where or "", valid)
    return columns, indexes


def changes(table, head, body, columns, indexes):
    """The statements that give ``table`` what search/schema.py describes, in order ([] when it has it)."""
    expected = {index.name: index for index in schema.key_indexes(table)}
    # Ours by name: a leftover (the whole-table index of a table boards now share,
    # the index of a board gone) or an invalid one is dropped; what is missing is made.
    dropped = sorted(
        name for name, found in indexes.items()
        if name.startswith(f"{table}_search") and (name not in expected or not found.valid)
    )
    for name, index in expected.items():
        if name in indexes and name not in dropped and not same_index(indexes[name], index):
            logger.warning("search index %s differs from search/schema.py; left as it is", name)
    statements, added = [f"DROP INDEX IF EXISTS {name}" for name in dropped], set()

    for column, expression in schema.key_columns(head, body).items():
        found = columns.get(column)
        if found is not None:
            if not same_column(found, expression):
                logger.warning("%s.%s differs from search/schema.py; left as it is", table, column)
            continue
        statements.append(schema.add_column_sql(table, column, expression))
        added.add(column)
    for column in schema.KEY_COLUMNS:
        found = columns.get(column)
        if column in added or found.statistics != schema.KEY_STATISTICS:
            statements.append(schema.column_statistics_sql(table, column))
        if column in added or found.storage != schema.STORAGE_CODES[schema.KEY_STORAGE]:
            statements.append(schema.column_storage_sql(table, column))

    for index in expected.values():
        over_added = any(column == index.column or column in index.where for column in added)
        if index.name not in indexes or index.name in dropped or over_added:
            statements.append(schema.create_index_sql(table, index))
    return statements


def same_column(found, expression):
    return (
        found.type == "integer[]" and found.generated == "s"
        and bare(found.expression or "") == bare(expression)
    )


def same_index(found, index):
    return (
        index is not None and found.valid and found.method == index.method and found.width == 1
        and bare(found.column) == bare(index.column) and bare(found.where) == bare(index.where)
    )


def bare(sql):
    """SQL as the catalog gives it back and as search/schema.py writes it, made comparable.

    PostgreSQL adds casts and parentheses (``((kind)::text = 'news'::text)`` for
    ``kind = 'news'``, ``search_text_keys((title)::text, body_text)``), and a
    schema before a function outside the search path. Without them, spaces and
    identifier quotes the two read the same.
    """
    sql = re.sub(r'[\s"]+', "", sql)
    sql = re.sub(r"::\w+(\[\])?", "", sql)
    sql = re.sub(r"\b\w+\.(?=\w+\()", "", sql)
    return re.sub(r"[()]", "", sql)
