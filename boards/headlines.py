"""The home page's 주요소식: the newest public posts of every home board, in one statement.

Five ORM querysets cost about 2 ms a render to build and compile (more than the database took to
answer them); this is the same query written once, as plain SQL: one
``ORDER BY published_at DESC, id DESC LIMIT n`` per board (each read from its board's list
index), joined by UNION ALL. Rows come back as the boards' models with only the fields a
headline shows (title, date, link); the texts stay in the database.
"""

from django.db import connections
from django.utils import timezone

from .listing import instance, public_ids

FIELDS = ("id", "title", "published_at")


def latest_headlines(boards, size, now=None):
    """[(board, [post, …]), …]: up to ``size`` of each board's public posts, newest first."""
    if not boards:
        return []
    now = now or timezone.now()
    db = boards[0].db
    connection = connections[db]
    parts, params = [], []
    for number, board in enumerate(boards):
        sql, part_params = public_ids(board, now, 0, size, fields=FIELDS)
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
