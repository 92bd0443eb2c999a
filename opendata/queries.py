"""What the open API reads: only what residents see (``board.posts().published()``)."""

import datetime

from django.utils import timezone

from boards.post_counts import public_count

BIGINT_MAX = 2**63 - 1  # a larger id or 부서 number would overflow PostgreSQL's bigint


def day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(board_api, params):
    """The board's public posts matching ``params``, newest first, with what a list item shows."""
    posts = board_api.board.posts().published().for_list()
    if params.keyword:
        posts = posts.search(params.keyword)
    if params.date_from:
        posts = posts.filter(published_at__gte=day_start(params.date_from))
    if params.date_to:
        posts = posts.filter(published_at__lt=day_start(params.date_to + datetime.timedelta(days=1)))
    if params.dept:
        if params.dept.isascii() and params.dept.isdigit():
            number = int(params.dept)
            posts = posts.filter(department_id=number) if number <= BIGINT_MAX else posts.none()
        else:
            posts = posts.filter(department__name=params.dept)
    return board_api.filter(posts, params)


PAGING = {"pageNo", "numOfRows", "type"}


def narrowed(params):
    """Whether any filter is given (anything besides paging and format)."""
    return any(value not in (None, "") for name, value in params.model_dump().items() if name not in PAGING)


def page(board_api, params):
    """(totalCount, the page's posts). Past the last page: no rows, and no query for them.

    The page's rows are found by id first, as on the board list (boards.views.LateRowPaginator):
    the OFFSET walks the narrow list index, not joined rows.
    """
    posts = filtered(board_api, params)
    # The whole board: the count the database keeps (boards/post_counts.py), not COUNT(*) of every post.
    total = public_count(board_api.board, timezone.now()) if not narrowed(params) else posts.count()
    offset = params.offset()
    if offset >= total:
        return total, []
    page_ids = posts.values("pk")[offset:offset + params.numOfRows]
    return total, list(posts.filter(pk__in=page_ids))


def one(board_api, pk):
    """The board's public post ``pk`` with its 붙임, or None (unpublished, another board's, no such id)."""
    if pk > BIGINT_MAX:
        return None
    return (
        board_api.board.posts().published().select_related("department")
        .prefetch_related("attachments", *board_api.detail_prefetch)
        .filter(pk=pk).first()
    )
