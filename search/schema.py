"""The PostgreSQL objects behind the Korean search index (see search/engine.py).

Every searchable table has a stored generated column ``search_keys``: the distinct
hashed characters and character pairs of its text, computed by the database on
every INSERT and UPDATE, so no write path (admin, bulk loads, raw SQL) can forget
it. A GIN index over the column finds candidate rows; LIKE then decides. Because
the keys are stored, a query that walks another index (newest first) checks a row
by reading its array instead of recomputing it from the text.

Keys are int4 hashes of the grams, not the grams themselves: a GIN index over
by-value integers builds several times faster than one over text, and a hash
collision only lets an extra row through to the LIKE check. ``hashtext`` is
stable for a deterministic collation (the database default here).

The searched tables come from the board registry (``tables()``), so a new board is
searched with no change here. The ``search`` migrations gave the tables of their
day this module's columns, indexes and settings from frozen copies of its SQL;
search/ensure.py gives every table of ``tables()`` the same after each
``migrate``, and the benchmark's data generator uses the same statements to drop
the GIN indexes before a bulk load and build them afterwards. The SQL functions
the columns call (``search_text_keys``, ``search_query_grams``) are created by
migration 0002: a change to them needs a new migration that replaces them and
rewrites the columns (``UPDATE t SET title = title``).
"""

import enum
import re
from collections import namedtuple

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

from boards import registry

# Texts longer than this (heading + body) get no keys (NULL): such rows are
# found through the partial *_search_unkeyed index, and LIKE alone decides for them.
# A 2-million character 붙임 would otherwise make a huge array on every write.
# search_text_keys (migration 0002) holds the same number.
GRAM_TEXT_LIMIT = 100_000
KEY_COLUMN = "search_keys"
# The keys of the heading alone (title, 붙임 file name): 정확도순 lists title matches
# first, and a word found in many bodies but no title must not walk them all.
TITLE_KEY_COLUMN = "title_keys"
KEY_COLUMNS = (KEY_COLUMN, TITLE_KEY_COLUMN)

# (heading, text) of a board's posts and of their 붙임.
POST_COLUMNS = ("title", "body_text")
ATTACHMENT_COLUMNS = ("original_name", "extracted_text")

# PostgreSQL cuts longer identifiers short, and two index names cut to the same
# prefix would be one index.
MAX_NAME_LENGTH = 63


def tables():
    """``[(table, heading column, text column), …]``: every board's posts, then their 붙임.

    In the order the boards were registered, each table once (금천소식 and 고시공고
    share theirs).
    """
    found = [(model._meta.db_table, *POST_COLUMNS) for model in registry.post_models()]
    found += [(model._meta.db_table, *ATTACHMENT_COLUMNS) for model in registry.attachment_models()]
    return list(dict.fromkeys(found))


def partitions():
    """``{table: (column, (value, …))}`` for every post table several boards share.

    Such a table gets one key index per board: every search names its board, so
    the index is the board's own and its posting lists half as long, and
    PostgreSQL does not AND in the list index (a third of a million rows) to tell
    the boards apart. That needs each board on the table to filter on the same
    single field; the values (plain strings, in the order the boards were
    registered) become index names and SQL literals.
    """
    on_table = {}
    for board in registry.all_boards():
        on_table.setdefault(board.model, []).append(board)
    found = {}
    for model, boards in on_table.items():
        if len(boards) < 2:
            continue
        table, slugs = model._meta.db_table, ", ".join(board.slug for board in boards)
        names = {tuple(board.filters) for board in boards}
        if len(names) != 1 or len(next(iter(names))) != 1:
            raise ImproperlyConfigured(
                f"The boards {slugs} share the table {table}, so search gives each its own key index: "
                f"each must filter on the same single field (their filters: "
                f"{[board.filters for board in boards]})."
            )
        [[name]] = names
        try:
            column = model._meta.get_field(name).column
        except FieldDoesNotExist as error:
            raise ImproperlyConfigured(
                f"The boards {slugs} share the table {table} and filter on {name!r}, which is not a field "
                "of it: search's per-board key indexes need a plain field."
            ) from error
        values = tuple(dict.fromkeys(_plain(board.filters[name], table) for board in boards))
        found[table] = (column, values)
    return found


def _plain(value, table):
    text = str(value.value if isinstance(value, enum.Enum) else value)
    if not re.fullmatch(r"[a-z0-9_]+", text):
        raise ImproperlyConfigured(
            f"A board on {table} filters on {value!r}: search names a key index after it and writes it "
            "into SQL, so it must hold only a-z, 0-9 and _."
        )
    return text


# --- the key columns -------------------------------------------------------------------------

def key_columns(head, body):
    """``{column: the expression the database computes it from}`` for a table searched on ``head, body``."""
    return {
        KEY_COLUMN: f"search_text_keys({head}, {body})",
        TITLE_KEY_COLUMN: f"search_text_keys({head}, '')",
    }


def add_column_sql(table, column, expression):
    return (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} int[] "
        f"GENERATED ALWAYS AS ({expression}) STORED"
    )


def add_key_column_sql(table, head, body):
    return add_column_sql(table, KEY_COLUMN, key_columns(head, body)[KEY_COLUMN])


def drop_key_column_sql(table):
    return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {KEY_COLUMN}"


def add_title_key_column_sql(table, head, body=None):
    return add_column_sql(table, TITLE_KEY_COLUMN, key_columns(head, body)[TITLE_KEY_COLUMN])


def drop_title_key_column_sql(table):
    return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {TITLE_KEY_COLUMN}"


# Rows of statistics ANALYZE keeps for the key columns. A post holds some 250
# distinct keys, so the default (100) lists only keys found in over a quarter of
# all rows and the planner guesses the rest at 3 %: it then walks the whole board
# newest-first looking for a word no post contains. At 1,000 the list reaches
# down to keys in 0.3 % of the rows.
KEY_STATISTICS = 1000


def column_statistics_sql(table, column, statistics=KEY_STATISTICS):
    return f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {statistics}"


def key_statistics_sql(table, statistics=KEY_STATISTICS):
    return "; ".join(column_statistics_sql(table, column, statistics) for column in KEY_COLUMNS)


# Where the key arrays live in a row. A post's keys (about 1 KB of integers that do
# not compress) are its largest value, so PostgreSQL's default (EXTENDED) moves
# them to the TOAST table first whenever a row passes 2 KB, and every row a
# newest-first reading checks then costs four more page reads: at a million
# posts, reading 2,000 recent posts for a common word took 60 ms instead of 25.
# MAIN keeps them in the row and moves the HTML body out instead, which only the
# post page reads. It applies to rows as they are written (see the 0005 migration).
KEY_STORAGE = "MAIN"
# pg_attribute.attstorage of each setting.
STORAGE_CODES = {"PLAIN": "p", "EXTERNAL": "e", "EXTENDED": "x", "MAIN": "m"}


def column_storage_sql(table, column, storage=KEY_STORAGE):
    return f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}"


def key_storage_sql(table, storage=KEY_STORAGE):
    return "; ".join(column_storage_sql(table, column, storage) for column in KEY_COLUMNS)


# --- the indexes -------------------------------------------------------------------------------

# One index search needs: ``where`` is its condition ("" for none); a btree index
# is written without USING, as PostgreSQL's default.
KeyIndex = namedtuple("KeyIndex", "name method column where")


def _board_indexes(table, suffix, column):
    """A GIN index over ``column``, or one per board on a table several share (``partitions()``)."""
    split = partitions().get(table)
    if split is None:
        return [_named(KeyIndex(f"{table}_{suffix}", "gin", column, ""))]
    by, values = split
    return [
        _named(KeyIndex(f"{table}_{suffix}_{value}", "gin", column, f"{by} = '{value}'")) for value in values
    ]


def _unkeyed_index(table):
    return _named(KeyIndex(f"{table}_search_unkeyed", "btree", "id", f"{KEY_COLUMN} IS NULL"))


def _named(index):
    if len(index.name.encode()) > MAX_NAME_LENGTH:
        raise ImproperlyConfigured(f"The search index name {index.name} is longer than PostgreSQL keeps.")
    return index


def key_indexes(table):
    """Every index search needs on ``table``: what search/ensure.py compares with the catalog."""
    return [
        *_board_indexes(table, "search", KEY_COLUMN),
        *_board_indexes(table, "search_title", TITLE_KEY_COLUMN),
        _unkeyed_index(table),
    ]


def create_index_sql(table, index):
    using = "" if index.method == "btree" else f" USING {index.method}"
    where = f" WHERE {index.where}" if index.where else ""
    return f"CREATE INDEX IF NOT EXISTS {index.name} ON {table}{using} ({index.column}){where}"


def _drop_board_indexes(table, suffix):
    """The table's index and those of its boards, whichever of them exist."""
    values = partitions().get(table, ("", ()))[1]
    names = [f"{table}_{suffix}"] + [f"{table}_{suffix}_{value}" for value in values]
    return "; ".join(f"DROP INDEX IF EXISTS {name}" for name in names)


def gram_index_sql(table, head=None, body=None):
    return "; ".join(create_index_sql(table, index) for index in _board_indexes(table, "search", KEY_COLUMN))


def title_index_sql(table, head=None, body=None):
    return "; ".join(
        create_index_sql(table, index) for index in _board_indexes(table, "search_title", TITLE_KEY_COLUMN)
    )


def drop_title_index_sql(table):
    return _drop_board_indexes(table, "search_title")


def unkeyed_index_sql(table, head=None, body=None):
    return create_index_sql(table, _unkeyed_index(table))


def drop_gram_index_sql(table):
    return _drop_board_indexes(table, "search")


def drop_unkeyed_index_sql(table):
    return f"DROP INDEX IF EXISTS {table}_search_unkeyed"
