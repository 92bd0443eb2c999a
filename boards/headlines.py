"""The home page's 주요소식: the newest public posts of every home board, in one statement.

Five ORM querysets cost about 2 ms a render to build and compile (more than the database took to
answer them); this is the same query written once, as plain SQL: one
``ORDER BY published_at DESC, id DESC LIMIT n`` per board (each read from its board's list
index), joined by UNION ALL. Rows come back as the boards' models with only the fields a
headline shows (title, date, link); the texts stay in the database.
"""

from django.db import connections
from django.utils import timezone

from .listing import instance, public_where

FIELDS = ("id", "title", "published_at")


def latest_headlines(boards, size, now=None):
    """[(board, [post, …]), …]: up to ``size`` of each board's public posts, newest first."""
    if not boards:
        return []
    now = now or timezone.now()
    db = boards[0].posts().db
    connection = connections[db]
    parts, params = [], []
    for number, board in enumerate(boards):
        sql, part_params = _board_sql(board, connection, now, size)
        parts.append(f"SELECT {number} AS tab, newest.* FROM ({sql}) AS newest")
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    tabs = [(board, []) for board in boards]
    for number, *values in rows:
        board, posts = tabs[number]
        posts.append(instance(board, connection, db, FIELDS, values))
    for _, posts in tabs:  # UNION ALL promises no order
        posts.sort(key=lambda post: (post.published_at, post.pk), reverse=True)
    return tabs


def _board_sql(board, connection, now, size):
    meta = board.model._meta
    where, params = public_where(board, connection, now)
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in FIELDS)
    sql = (
        f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} WHERE {where}"
        " ORDER BY published_at DESC, id DESC LIMIT %s"
    )
    return sql, [*params, size]
