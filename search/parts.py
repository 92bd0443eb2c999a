"""Each group's matches as light rows, in one statement and, for 정확도순, sometimes one more.

A group is a board, or 붙임 of every board. A search needs each group's newest
COUNT_CAP + 1 matches (its count stops at "100건 이상", and the rows shown come
first among them) and, for 정확도순 (heading matches first), its newest heading
matches. It reads them in parts, each part one SQL query; all parts of a step are
one statement (UNION ALL):

1. ``newest``: the group's newest cap + 1 matches (on PostgreSQL with its texts too
   long for keys: search/index.py).
2. only for 정확도순, and only for a group whose newest matches hold fewer heading
   matches than the page shows: ``titles``, its newest heading matches.

On PostgreSQL a part is one call of ``search_newest`` (search/index.sql): a text's
keys are salted by quarter, and it reads the newest quarter's posting list newest
first, then the quarters before, until it has enough — so a common word costs one
short list, not a sort of every match (README, 통합검색). Every
match of a date comes back, so the cut below keeps the lists' order among rows
sharing a date. On SQLite the parts are ORM queries over the boards' own tables
(``ORMParts``).
"""

import datetime
import functools
import operator
from collections import namedtuple

from django.db import connections
from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, F, Q, Value, When

from boards import registry
from boards.models import public_condition

from . import engine, index
from .unions import Compiled, rows_each

FILES = index.FILES
POST_ORDER = ("-published_at", "-id")  # the boards' list order
# 붙임 follow their posts (list order), then the post's own order of them.
FILE_ORDER = ("-post_published_at", "-post_id", "order", "id")

# owner: a board's slug, or a 붙임 model (SQLite); limit: how many rows the part needs (the cap + 1
# unless fewer will do)
Part = namedtuple("Part", "group kind owner limit", defaults=[None])
# One match: its table and id, its date in microseconds, whether the heading holds every
# word, then the rest of the lists' order (the post's id; a 붙임's place among its post's).
Row = namedtuple("Row", "source pk moment in_title tiebreak position board")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MICROSECOND = datetime.timedelta(microseconds=1)


def light_row(values):
    """A Row from SQLite's values (search_newest's are Rows already: ``Row._make``)."""
    source, pk, moment, in_title, tiebreak, position, board = values
    if isinstance(moment, str):  # SQLite keeps UTC, without the zone
        moment = datetime.datetime.fromisoformat(moment)
    if isinstance(moment, datetime.datetime):
        moment = (moment.replace(tzinfo=datetime.timezone.utc) - EPOCH) // MICROSECOND
    return Row(source, pk, moment, bool(in_title), tiebreak, position, board)


def order_key(row, relevance=False):
    """The lists' order (newest first, then the 붙임's own order), heading matches first for 정확도순."""
    return (relevance and not row.in_title, -row.moment, -row.tiebreak, row.position, row.pk)


def read(search, groups, cap, shown_end):
    """``{(group, kind): [Row, …]}`` for ``groups`` ({slug: owners}), in one statement or two.

    ``shown_end(group)``: how many of the group's rows the page shows, from its first.
    """
    build = EntrySQL(search, cap) if search.postgresql else ORMParts(search, cap)
    newest = [Part(group, "newest", owner) for group, owners in groups.items() for owner in owners]
    rows = statement(build, newest)
    titles = []
    for group, owners in groups.items():
        matches = rows.get((group, "newest"), [])
        if search.relevance and len(matches) > cap and sum(row.in_title for row in matches) < shown_end(group):
            titles += [Part(group, "titles", owner, limit=shown_end(group)) for owner in owners]
    if titles:
        rows.update(statement(build, titles))
    return rows


def statement(build, parts):
    """``{(group, kind): rows}``: each newest first, at most the cap (a group's tables merged on SQLite)."""
    found = {}
    for part, values in rows_each({part: build(part) for part in parts}).items():
        found.setdefault((part.group, part.kind), []).extend(map(build.row, values))
    return {key: sorted(rows, key=order_key)[:build.cap + 1] for key, rows in found.items()}


class EntrySQL:
    """The parts on PostgreSQL: ``search_newest`` over the search table (search/index.sql)."""

    row = Row._make  # its columns are a Row's, the date in microseconds already

    def __init__(self, search, cap):
        self.search, self.cap = search, cap

    def __call__(self, part):
        search = self.search
        escape = connections[search.database].ops.prep_for_like_query  # what ``contains`` lookups use
        patterns = {True: [], False: []}  # LIKE patterns of the words without and with letter case
        for word in search.words:
            patterns[engine.is_caseless(word)].append(f"%{escape(word)}%")
        keys = "t:" if part.kind == "titles" else ""
        return Compiled(
            "SELECT * FROM search_newest(%s, %s::text[], %s::text[], %s::text[], %s, "
            "%s::timestamptz, %s::timestamptz, %s::timestamptz, %s::int)",
            [part.group, search.words, patterns[True], patterns[False], keys, search.now, search.since, search.until,
             part.limit or self.cap + 1],
            search.database,
        )


class ORMParts:
    """The parts elsewhere (SQLite): ORM queries over each board's table."""

    row = staticmethod(light_row)

    def __init__(self, search, cap):
        self.search, self.cap = search, cap

    def __call__(self, part):
        search = self.search
        if part.group == FILES:
            model, boards = part.owner, registry.on_attachment_table(part.owner)
            heading, date, order = "original_name", "post_published_at", FILE_ORDER
            rows = model.objects.filter(search.period("post_"), public_condition(search.now, through="post__"))
            rows = rows.filter(on_boards(boards)).annotate(board_slug=board_of(boards), tiebreak=F("post_id"))
            fields = ("original_name", "extracted_text")
        else:
            board = registry.get(part.owner)
            model, heading, date, order = board.model, "title", "published_at", POST_ORDER
            rows = board.posts().published(search.now).filter(search.period())
            rows = rows.annotate(board_slug=Value(board.slug), tiebreak=F("pk"), order=Value(0))
            fields = ("title", "body_text")
        in_title = ExpressionWrapper(engine.all_words_condition(search.words, (heading,)), output_field=BooleanField())
        matches = engine.match(rows, search.words, fields[:1] if part.kind == "titles" else fields)
        return matches.annotate(source=Value(model._meta.db_table), in_title=in_title).values_list(
            "source", "pk", date, "in_title", "tiebreak", "order", "board_slug",
        ).order_by(*order)[:part.limit or self.cap + 1]


def board_filter(board):
    return Q(**{f"post__{key}": value for key, value in board.filters.items()})


def on_boards(boards):
    """The 붙임 whose post belongs to one of ``boards`` (all on one table)."""
    if any(not board.filters for board in boards):  # a board that is the whole table
        return Q()
    return functools.reduce(operator.or_, map(board_filter, boards))


def board_of(boards):
    """An expression naming, for each 붙임 row, the board of its post among ``boards``."""
    if len(boards) == 1:
        return Value(boards[0].slug)
    return Case(*[When(board_filter(board), then=Value(board.slug)) for board in boards], output_field=CharField())
