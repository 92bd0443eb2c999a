"""Reading every group's matches in a few statements: counts and hits from the same rows.

A group part is one board's posts or one 붙임 table (금천소식 and 고시공고 share one).
For each part the search reads light rows (id, date, title match?, order columns)
in up to three steps, every step one SQL statement for all parts together:

1. **recent**: the part's newest COUNT_CAP + 1 matches since its cutoff (search/cutoffs.py;
   on SQLite, and for a short board, there is no cutoff: simply the newest).
2. **older** (PostgreSQL): for the parts with fewer, up to the rest of COUNT_CAP + 1
   among the older rows, in any order, found through the key index alone.
   Now every part is either *complete* (all its matches are in hand: at most
   COUNT_CAP) or *dense* (there are more: "100건 이상").
3. **extra**, only for what 1 and 2 cannot tell of a dense part: the newest title
   matches (정확도순 puts them first) when the recent rows hold too few, and the newest
   older matches when the recent rows are fewer than the group shows.

A complete part is sorted here. For a dense one the recent rows are the newest
matches, in order, so most pages need no third step. The rows shown are then
read in full (results.py) — only those.
"""

import dataclasses
import datetime
import functools
from collections import namedtuple
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, Func, IntegerField, Value

from . import engine, statements
from .cutoffs import by_sorting
from .schema import KEY_COLUMNS
from .statements import FixedPlan
from .unions import rows_each

Row = namedtuple("Row", "pk moment in_title tiebreak position")  # moment: the date in microseconds
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MICROSECOND = datetime.timedelta(microseconds=1)


class Moment(Func):
    """A date as whole microseconds since 1970 (PostgreSQL); elsewhere the date itself.

    Only for ordering rows here: a number is read some ten times faster than a
    timestamp, whose Python loader costs 8 ms a thousand rows.
    """

    arity = 1
    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if template is None:  # SQLite: the column as it is, made a number by ``light_row()``
            return compiler.compile(self.get_source_expressions()[0])
        return super().as_sql(compiler, connection, template=template, **extra_context)


def light_row(values):
    pk, moment, in_title, tiebreak, position = values
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if isinstance(moment, datetime.datetime):  # SQLite keeps UTC, without the zone
        moment = (moment.replace(tzinfo=datetime.timezone.utc) - EPOCH) // MICROSECOND
    return Row(pk, moment, in_title, tiebreak, position)


@dataclass
class Part:
    key: str  # "news", or "files:notices.noticeattachment" for a 붙임 table
    owner: object  # the board, or for 붙임 the attachment model (boards may share a table)
    model: object
    # () -> public rows in the period, before matching; never called when statements are compiled
    make_base: object
    fields: tuple  # (heading, text)
    order: tuple  # newest first, as the lists show them
    # The rows the cutoff is counted in: all of the board's, public or not, in any
    # period, so the same for every search and reusable (search/cutoffs.py).
    scope: object = None
    cutoff: object = None
    cap: int = 0
    light: object = None  # all matches as light rows (Reading.light)
    recent: list = field(default_factory=list)
    older: list = field(default_factory=list)

    @functools.cached_property
    def base(self):
        return self.make_base()

    @property
    def table(self):
        return self.model._meta.db_table

    @property
    def date(self):
        return self.order[0].lstrip("-")

    @property
    def complete(self):
        return len(self.recent) + len(self.older) <= self.cap

    def count(self):
        return min(len(self.recent) + len(self.older), self.cap + 1)


Step = namedtuple("Step", "kind limit")
"""One part's light rows in one statement: kind is recent, older, titles, older_sorted or older_other."""


def limit_for(count, cap):
    """A few LIMITs serve every count, so the same statements come back (search/statements.py).

    Reading up to twice the rows needed costs less than compiling a new statement.
    """
    return next((limit for limit in (1, 2, 5, 10, 20, 50) if limit >= count), cap + 1)


class Reading:
    """The three steps over ``parts`` for a search (results.Search supplies matching and sort)."""

    def __init__(self, search, parts, cap, compile_once=False):
        self.search, self.parts, self.cap = search, parts, cap
        self.compile_once = compile_once  # search/statements.py (PostgreSQL)
        for part in parts.values():
            part.cap = cap

    # --- light rows -------------------------------------------------------------------------

    def rows(self, part, matches):
        """``matches`` as ``Row`` values: the same five columns for posts and 붙임."""
        heading = part.fields[0]
        in_title = ExpressionWrapper(
            engine.all_words_condition(self.search.words, (heading,), for_planner=bool(self.search.plan)),
            output_field=BooleanField(),
        )
        tiebreak, position = part.order[1].lstrip("-"), (part.order[2] if len(part.order) > 2 else None)
        return matches.annotate(
            moment=Moment(part.date),
            in_title=in_title,
            position=(Value(0, output_field=IntegerField()) if position is None else F(position)),
        ).values_list("pk", "moment", "in_title", tiebreak, "position")

    def matches(self, part, fields=None):
        return self.search.matching(part.base, fields or part.fields)

    def light(self, part):
        """All the part's matches as light rows, built once (every step narrows it)."""
        if part.light is None:
            part.light = self.rows(part, self.matches(part))
        return part.light

    def sorted_order(self, part):
        # On PostgreSQL: sorted from the matches, never a walk of the list index
        # (search/cutoffs.py explains why a LIMIT would tempt the planner).
        return by_sorting(part.order) if self.search.plan else part.order

    def queryset(self, part, step):
        """The light rows of ``step`` for ``part``: everything a statement reads is built here."""
        if step.kind == "recent":
            matches = self.light(part)
            if part.cutoff is not None:
                matches = matches.filter(**{f"{part.date}__gte": part.cutoff})
            return matches.order_by(*part.order)[:step.limit]
        if step.kind == "older":  # any order: only how many there are matters
            return self.light(part).filter(**{f"{part.date}__lt": part.cutoff}).order_by()[:step.limit]
        if step.kind == "titles":
            return self.newest_titles(part, step.limit)
        matches = self.light(part).filter(**{f"{part.date}__lt": part.cutoff})
        if step.kind == "older_other":  # not matching in the title
            matches = matches.filter(in_title=False)
        return matches.order_by(*self.sorted_order(part))[:step.limit]

    def read_rows(self, wanted):
        """``{name: [Row, …]}`` for ``{name: (part key, step, how many rows)}``, in one statement."""
        statements = {name: self.statement(key, step) for name, (key, step, _) in wanted.items()}
        return {
            name: [light_row(values) for values in rows[:wanted[name][2]]]
            for name, rows in rows_each(statements).items()
        }

    def statement(self, key, step):
        return light_rows(self, key, step) if self.compile_once else self.queryset(self.parts[key], step)

    # --- the steps --------------------------------------------------------------------------

    def read(self, no_index_walks):
        every = self.cap + 1
        recent = self.read_rows({key: (key, Step("recent", every), every) for key in self.parts})
        for key, rows in recent.items():
            self.parts[key].recent = rows

        older = {}
        for key, part in self.parts.items():
            if part.cutoff is not None and len(part.recent) <= self.cap:
                count = self.cap + 1 - len(part.recent)
                older[key] = (key, Step("older", limit_for(count, self.cap)), count)
        if older:
            with no_index_walks():
                for key, rows in self.read_rows(older).items():
                    self.parts[key].older = rows

    def first(self, wanted):
        """``{key: the first n rows in the search's order}`` for ``{key: n}`` (n at most cap + 1)."""
        if any(end > self.cap + 1 for end in wanted.values()):
            raise ValueError("a group shows at most COUNT_CAP + 1 rows")
        relevance = self.search.sort != "latest"
        answers, extra, plans = {}, {}, {}
        for key, end in wanted.items():
            part = self.parts[key]
            if part.complete:
                everything = part.recent + part.older
                answers[key] = sorted(everything, key=lambda row: order_key(row, relevance))[:end]
                continue
            if not relevance:
                if len(part.recent) >= end:
                    answers[key] = part.recent[:end]
                    continue
                extra[f"{key}|older"] = self.step(key, "older_sorted", end - len(part.recent))
                plans[key] = "latest"
                continue
            titles = [row for row in part.recent if row.in_title]
            if len(titles) >= end:
                answers[key] = titles[:end]
                continue
            extra[f"{key}|titles"] = self.step(key, "titles", end)
            rest = [row for row in part.recent if not row.in_title]
            # Full recent rows hold enough with the titles (end <= cap + 1); otherwise they
            # are every match since the cutoff, and older ones follow them.
            if len(rest) < end and part.cutoff is not None and len(part.recent) <= self.cap:
                extra[f"{key}|older"] = self.step(key, "older_other", end - len(rest))
            plans[key] = "relevance"
        found = self.read_rows(extra) if extra else {}
        for key, plan in plans.items():
            part, end = self.parts[key], wanted[key]
            older = found.get(f"{key}|older", [])
            if plan == "latest":
                answers[key] = (part.recent + older)[:end]
            else:
                rest = [row for row in part.recent if not row.in_title] + older
                titles = sorted(found[f"{key}|titles"], key=order_key)
                answers[key] = (titles + rest)[:end]
        return answers

    def step(self, key, kind, count):
        return (key, Step(kind, limit_for(count, self.cap)), count)

    def newest_titles(self, part, count):
        """The newest ``count`` title matches: among recent rows first, sorting older ones only if short.

        On PostgreSQL the two readings are one UNION ALL under a LIMIT: when the
        recent rows give ``count``, the database never starts the older sort (a
        word in 2 % of titles has thousands of older ones). Parallel plans are off
        for searches (results.py), so the parts come back in this order.
        """
        titles = self.rows(part, self.matches(part, part.fields[:1]))
        if part.cutoff is None or not self.search.plan:
            return titles.order_by(*self.sorted_order(part))[:count]
        newer = titles.filter(**{f"{part.date}__gte": part.cutoff}).order_by(*part.order)[:count]
        older = titles.filter(**{f"{part.date}__lt": part.cutoff}).order_by(*self.sorted_order(part))[:count]
        return newer.union(older, all=True)[:count]


def light_rows(reading, key, step):
    """The statement of ``step`` for one part of ``reading``, compiled once per shape (search/statements.py).

    The template is built from a twin of the search holding sentinels in place of
    its values (its words, period, cutoff and keys), through the same
    ``Reading.queryset`` as a statement built directly.
    """
    search, part = reading.search, reading.parts[key]
    shape = (
        "light", search.database, key, step, reading.cap,
        tuple(search.plan.keys(part.table, column)[1] for column in KEY_COLUMNS),
    )
    values = {("word", n): word for n, word in enumerate(search.words)}
    values.update({"now": search.now, "since": search.since, "until": search.until, "cutoff": part.cutoff})
    values.update({("keys", column): search.plan.keys(part.table, column)[0] for column in KEY_COLUMNS})

    def build(given):
        given_keys = {column: given["keys", column] for column in KEY_COLUMNS}
        twin = dataclasses.replace(
            search,
            words=[given["word", n] for n in range(len(search.words))],
            now=given["now"], since=given.get("since"), until=given.get("until"),
            plan=FixedPlan(search.plan, part.table, given_keys),
        )
        twin_part = twin.parts()[key]
        twin_part.cutoff = given.get("cutoff")
        return Reading(twin, {key: twin_part}, reading.cap).queryset(twin_part, step)

    return statements.statement(shape, values, build)


def order_key(row, relevance=False):
    """The lists' order (newest first, then the 붙임's own order), title matches first for 정확도순."""
    return (relevance and not row.in_title, -row.moment, -row.tiebreak, row.position, row.pk)
