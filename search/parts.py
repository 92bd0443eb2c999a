"""Each group's matches as light rows, in one statement and, when that cannot tell, one more.

A group is a board, or 붙임 of every board. A search needs each group's newest
COUNT_CAP + 1 matches (its count stops at "100건 이상", and the rows shown come
first among them) and, for 정확도순 (heading matches first), its newest heading
matches. It reads them in parts, each part one SQL query; all parts of a step are
one statement (UNION ALL):

1. ``recent``: the matches among the group's WINDOW_ROWS newest rows, read newest
   first until COUNT_CAP + 1 turn up; ``boundary``: the date of the window's last
   row; ``unkeyed``: matches among texts too long for keys (search/index.py).
2. only for a group that step 1 cannot settle: ``older``, its matches from the
   boundary's date back (rows of that date may be in both; ``merged`` keeps each
   once), newest first through the keys index; and for 정확도순 ``titles``, its newest
   heading matches through the index, when the matches read hold too few.

Why the window (measured at 1,000,000 posts; README, 통합검색): the index finds
the matches of a word in any order, and putting them newest first costs the same
for every match (RUM reads them all and sorts them inside the index: 200 ms for
"공고" in 금천소식), while walking the newest rows finds 101 matches of a common
word after a few hundred rows. The window bounds the walk for rare words, whose
matches the index then finds and sorts cheaply. The two meet at the boundary
without gap or overlap, so the answers are those of one ORDER BY … LIMIT.

On PostgreSQL every part is plain SQL over the one search table (``EntrySQL``);
on SQLite the window is the whole board, and ``recent`` and ``titles`` are ORM
queries over the boards' own tables (``ORMParts``).
"""

import datetime
import functools
import operator
from collections import namedtuple

from django.db.models import BooleanField, Case, CharField, ExpressionWrapper, F, Q, Value, When

from boards import registry
from boards.models import public_condition

from . import engine, index
from .unions import Compiled, rows_each

WINDOW_ROWS = 2000
FILES = index.FILES
POST_ORDER = ("-published_at", "-id")  # the boards' list order
# 붙임 follow their posts (list order), then the post's own order of them.
FILE_ORDER = ("-post_published_at", "-post_id", "order", "id")

# owner: a board's slug, or a 붙임 model (SQLite); boundary: where ``older`` starts (microseconds);
# limit: how many rows the part needs (the cap + 1 unless fewer will do)
Part = namedtuple("Part", "group kind owner boundary limit", defaults=[None, None])
# One match: its table and id, its date in microseconds, whether the heading holds every
# word, then the rest of the lists' order (the post's id; a 붙임's place among its post's).
Row = namedtuple("Row", "source pk moment in_title tiebreak position board")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MICROSECOND = datetime.timedelta(microseconds=1)
MOMENT = "(extract(epoch FROM published_at) * 1000000)::bigint"  # a row's date in microseconds
COLUMNS = f"source, object_id, {MOMENT}, {{in_title}}, post_id, position, board"


def light_row(values):
    source, pk, moment, in_title, tiebreak, position, board = values
    if isinstance(moment, str):  # SQLite keeps UTC, without the zone
        moment = datetime.datetime.fromisoformat(moment)
    if isinstance(moment, datetime.datetime):
        moment = (moment.replace(tzinfo=datetime.timezone.utc) - EPOCH) // MICROSECOND
    return Row(source, pk, moment, bool(in_title), tiebreak, position, board)


def order_key(row, relevance=False):
    """The lists' order (newest first, then the 붙임's own order), heading matches first for 정확도순."""
    return (relevance and not row.in_title, -row.moment, -row.tiebreak, row.position, row.pk)


def word_sql(column, word):
    """``word`` occurs in ``column`` (one parameter): LIKE's answer, as engine.word_condition gives it."""
    if engine.is_caseless(word):
        return f"strpos({column}, %s) > 0"
    return f"strpos(upper({column}), upper(%s)) > 0"


def read(search, groups, cap, shown_end):
    """``{(group, kind): [Row, …]}`` for ``groups`` ({slug: owners}), in one or two statements.

    ``shown_end(group)``: how many of the group's rows the page shows, from its first.
    """
    build = EntrySQL(search, cap) if search.postgresql else ORMParts(search, cap)
    rows = statement(build, [Part(group, kind, owner) for group, owners in groups.items()
                             for owner in owners for kind in build.first_kinds])
    second = []
    for group, owners in groups.items():
        recent, boundary = rows.get((group, "recent"), []), rows.get((group, "boundary"))
        matches = merged(recent, rows.get((group, "unkeyed"), []), cap=cap)
        older = bool(boundary) and len(recent) <= cap
        if older:  # as many as the newest cap + 1 still lack (the window's last date is read again)
            newer = sum(row.moment > boundary[0].moment for row in recent)
            second.append(Part(group, "older", None, boundary[0].moment, limit=cap + 1 - newer))
        titles = sum(row.in_title for row in matches)
        if search.relevance and (older or (len(matches) > cap and titles < shown_end(group))):
            second += [Part(group, "titles", owner, limit=shown_end(group)) for owner in owners]
    if second:
        rows.update(statement(build, second))
    return rows


def merged(*lists, cap):
    """The newest ``cap + 1`` rows of ``lists``, each once."""
    return sorted({(row.source, row.pk): row for rows in lists for row in rows}.values(), key=order_key)[:cap + 1]


def statement(build, parts):
    """``{(group, kind): rows}``: each newest first, at most the cap (a group's tables merged on SQLite)."""
    found = {}
    for part, values in rows_each({part: build(part) for part in parts}).items():
        found.setdefault((part.group, part.kind), []).extend(light_row(row) for row in values)
    return {key: sorted(rows, key=order_key)[:build.cap + 1] for key, rows in found.items()}


class EntrySQL:
    """The parts on PostgreSQL: plain SQL over the search table (search/index.py)."""

    first_kinds = ("recent", "boundary", "unkeyed")

    def __init__(self, search, cap):
        self.search, self.cap = search, cap
        self.rum = index.uses_rum(search.database)

    def __call__(self, part):
        search, group = self.search, part.group
        if part.kind == "boundary":  # the WINDOW_ROWS-th newest row of the group
            return Compiled(f"SELECT '', 0, {MOMENT}, false, 0, 0, '' FROM {index.TABLE} WHERE grp = %s "
                            f"ORDER BY published_at DESC OFFSET {WINDOW_ROWS - 1} LIMIT 1", [group], search.database)
        keys = {"titles": "t:", "unkeyed": "*"}.get(part.kind, "")
        columns = ("heading",) if part.kind == "titles" else ("heading", "body")
        conditions = [
            ("keys @> search_query_keys(%s, %s::text[], %s)", [group, search.words, keys]),
            ("is_published AND published_at <= %s AND (unpublish_at IS NULL OR unpublish_at > %s)",
             [search.now, search.now]),
            *((f"published_at {op} %s", [bound]) for op, bound in ((">=", search.since), ("<", search.until))
              if bound),
            *((f"({' OR '.join(word_sql(column, word) for column in columns)})", [word] * len(columns))
              for word in search.words),
        ]
        where = " AND ".join(sql for sql, _ in conditions)
        params = [param for _, values in conditions for param in values]
        selected = COLUMNS.format(in_title=" AND ".join(word_sql("heading", word) for word in search.words))
        limit = part.limit or self.cap + 1
        if part.kind == "recent":  # walk the newest rows (the list index), never the keys index
            window = f"SELECT * FROM {index.TABLE} WHERE grp = %s ORDER BY {index.NEWEST} LIMIT {WINDOW_ROWS}"
            sql = f"SELECT {selected} FROM ({window}) AS recent WHERE {where} ORDER BY {index.NEWEST} LIMIT {limit}"
            return Compiled(sql, [*search.words, group, *params], search.database)
        latest = search.now  # the newest date a match may have: the RUM order counts from it
        if part.kind == "older":
            latest = EPOCH + part.boundary * MICROSECOND
            where += " AND published_at <= %s"
            params.append(latest)
        # Without RUM: sorted from the GIN matches, never by walking the list index for a word it may not hold.
        # The index orders by date alone: WITH TIES keeps every row of the last date, and statement() cuts
        # them in the lists' order.
        order = "published_at <=| %s" if self.rum else "(published_at + interval '0 s') DESC"
        sql = (f"SELECT {selected} FROM {index.TABLE} WHERE grp = %s AND {where} "
               f"ORDER BY {order} FETCH FIRST {limit} ROWS WITH TIES")
        return Compiled(sql, [*search.words, group, *params, *([latest] if self.rum else [])], search.database)


class ORMParts:
    """The parts elsewhere (SQLite): ORM queries over each board's table, the window the whole board."""

    first_kinds = ("recent",)

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
