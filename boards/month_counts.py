"""Where a deep list page starts, without ``OFFSET`` walking the whole board to it.

``?page=5000`` is 50,000 posts down the list: ``OFFSET 50000`` reads 50,000 index entries
(7–9 ms of PostgreSQL at a million posts) on every render. Triggers keep ``BoardMonth``:
``BoardCount.open`` by month of 게시일시 (boards/month_triggers.py). Corrected month by month
the way boards/post_counts.py corrects the total, the months give how many public posts each
month holds at ``now``; adding them up from the newest finds the month where the page starts
and how far into it. The page is then read from the end of that month: a short ``OFFSET``
(at most one month of one board) instead of a long one.
"""

import datetime

from django.db import connections

from .listing import on_board
from .month_triggers import POSTGRESQL_MONTH, SQLITE_MONTH
from .post_counts import board_key, public_count_sql

# Shallower pages: a plain OFFSET costs less than reading the months (at a million posts
# OFFSET 5,000 ≈ 0.8 ms of PostgreSQL; 총 N건 with the months ≈ 0.5 ms more than 총 N건 alone).
DEEP_OFFSET = 5000


def public_months(board, now):
    """[(month "YYYY-MM", public posts at ``now``)], newest first, months with none left out."""
    sql, params = public_months_sql(board, now)
    return [(month, int(public)) for month, public in fetch(board, f"{sql} ORDER BY month DESC", params)]


def months_and_total(board, now):
    """(``public_months``, 총 N건 as boards/post_counts.py counts it) in one statement."""
    rows = fetch(board, *months_and_total_sql(board, now))
    total = rows.pop()[1]  # '' comes last
    return [(month, int(public)) for month, public in rows], int(total)


def months_and_total_sql(board, now):
    months_sql, months_params = public_months_sql(board, now)
    count_sql, count_params = public_count_sql(board, now)
    return f"{months_sql} UNION ALL SELECT '', ({count_sql}) ORDER BY 1 DESC", [*months_params, *count_params]


def fetch(board, sql, params):
    with connections[board.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def public_months_sql(board, now):
    connection = connections[board.db]
    month = {"postgresql": POSTGRESQL_MONTH, "sqlite": SQLITE_MONTH}[connection.vendor].format("p")
    table, key = board_key(board)
    board_sql, board_params = on_board(board, connection, alias="p.")
    posts = (f"SELECT {month} AS month, {{sign}}COUNT(*) AS n FROM {connection.ops.quote_name(table)} p"
             f" WHERE {board_sql}p.is_published = %s AND ")
    moment = connection.ops.adapt_datetimefield_value(now)
    sql = (
        "SELECT month, SUM(n) FROM ("
        "SELECT month, open AS n FROM boards_boardmonth WHERE board_table = %s AND board_key = %s"
        # less the scheduled, plus those public until an end (not open, so not in boards_boardmonth)
        f" UNION ALL {posts.format(sign='-')}p.unpublish_at IS NULL AND p.published_at > %s GROUP BY 1"
        f" UNION ALL {posts.format(sign='')}p.unpublish_at > %s AND p.published_at <= %s GROUP BY 1"
        ") months GROUP BY month HAVING SUM(n) > 0"
    )
    return sql, [table, key, *board_params, True, moment, *board_params, True, moment, moment]


def seek(months, total, offset):
    """(bound, offset): the list from ``offset`` is the list of posts before ``bound``, from the new offset.

    ``months`` are ``public_months``; ``bound`` is the start of the month after the one where
    ``offset`` falls. ``total`` is the board's 총 N건 (boards/post_counts.py): months that do
    not add up to it (never, while the triggers run) give (None, ``offset``), a plain OFFSET,
    rather than another page's posts.
    """
    if sum(public for _, public in months) != total:
        return None, offset
    passed = 0
    for month, public in months:
        if offset - passed < public:
            year, number = int(month[:4]), int(month[5:7])
            after = datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=datetime.timezone.utc)
            return after, offset - passed
        passed += public
    return None, offset
