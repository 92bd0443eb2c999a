"""총 N건 of a board list without counting the board: a count the database keeps, corrected by two short ranges.

``COUNT(*)`` of a board's public posts reads every entry of its list index: some 350,000 at
a million posts (≈ 80 ms), on every list render after each staff save empties the page
cache. Instead, triggers keep ``BoardCount.open``: the posts switched on with no 게시 종료일시,
per board (table and the value of the field that tells boards on one table apart). The
exact number of public posts at ``now`` is then

    open − (open posts scheduled after now) + (posts with an end still to come, already started)

and both corrections are index ranges over the few posts that are scheduled or have an end
ahead (``%(class)s_list`` from ``published_at > now``; ``%(class)s_ends`` from
``unpublish_at > now``). Posts whose end has passed are in neither, however many pile up.
The triggers are boards/count_triggers.py, run by every board app's migrations.
"""

from contextlib import contextmanager

from django.db import connection, connections, transaction

from . import month_triggers, registry
from .count_triggers import backfill_sql
from .listing import on_board


def board_key(board):
    """(table, key): where ``board``'s count is kept. Boards sharing a table filter on one field."""
    values = list(board.filters.values())
    return board.model._meta.db_table, str(getattr(values[0], "value", values[0])) if values else ""


def public_count(board, now):
    """The exact number of ``board``'s public posts at ``now``, in one statement of three short reads."""
    sql, params = public_count_sql(board, now)
    with connections[board.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def public_count_sql(board, now):
    """Plain SQL: the ORM took longer to build these three reads than the database to answer them."""
    connection = connections[board.db]
    table, key = board_key(board)
    board_sql, board_params = on_board(board, connection)
    posts = f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {board_sql}is_published = %s AND "
    moment = connection.ops.adapt_datetimefield_value(now)
    sql = (
        "SELECT COALESCE((SELECT open FROM boards_boardcount WHERE board_table = %s AND board_key = %s), 0)"
        f" - ({posts}unpublish_at IS NULL AND published_at > %s)"
        f" + ({posts}unpublish_at > %s AND published_at <= %s)"
    )
    return sql, (table, key, *board_params, True, moment, *board_params, True, moment, moment)


def counted_tables():
    """{post table: the column that tells its boards apart, or ""}, from the registry."""
    found = {}
    for board in registry.all_boards():
        column = board.model._meta.get_field(next(iter(board.filters))).column if board.filters else ""
        found[board.model._meta.db_table] = column
    return found


def recount():
    """Count every board again from its table, in all and by month (after a load with the triggers paused)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table, column in counted_tables().items():
            cursor.execute("DELETE FROM boards_boardcount WHERE board_table = %s", [table])
            cursor.execute(backfill_sql(table, column))
            cursor.execute("DELETE FROM boards_boardmonth WHERE board_table = %s", [table])
            cursor.execute(month_triggers.backfill_sql(table, column, connection.vendor))


@contextmanager
def triggers_paused():
    """PostgreSQL bulk loads from several processes: no counts per row (nor their locks), a recount after."""
    names = ("keep_count", "keep_count_on_update", *month_triggers.TRIGGERS)
    with connection.cursor() as cursor:
        for table in counted_tables():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_{name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in counted_tables():
                for name in names:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_{name}")
        recount()
