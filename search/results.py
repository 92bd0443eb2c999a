"""통합검색: one query over every board, 문화관광 and the text of 붙임, grouped by board.

A page costs a fixed number of SQL statements whatever the data size: on
PostgreSQL one for the words' search keys (search/keyplan.py) and, now and then,
one for the groups' cutoffs (search/cutoffs.py); one to three that read every
group's matches as light rows (search/reading.py); one each for the posts and the
붙임 shown; one for 문화관광. Counts stop at COUNT_CAP ("100건 이상"), so a common
word like "공고" never makes the database count half a million rows; the board
list behind 더보기 gives the exact number.
"""

import functools
import heapq
import operator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Greatest, StrIndex, Substr, Upper
from django.urls import reverse
from django.utils import timezone
from psycopg.errors import QueryCanceled

from boards import registry
from boards.models import public_condition
from boards.richtext import html_to_text
from files.names import extension_of
from tourism.models import CultureTrail

from . import engine, statements
from .cutoffs import board_cutoffs
from .highlight import highlight, snippet
from .keyplan import KeyPlan
from .reading import Part, Reading, order_key
from .unions import rows_each

COUNT_CAP = 100
HITS_PER_GROUP = 5
HITS_ONE_GROUP = 10
FILES_MAX_PAGES = COUNT_CAP // HITS_ONE_GROUP
SNIPPET_WINDOW = 400  # characters fetched around the first match
SEARCH_WORK_MEM = "32MB"
COMPILE_ONCE = True  # search/statements.py; tests turn it off to compare

TRAILS = "trails"
FILES = "files"
POST_FIELDS = ("title", "body_text")
FILE_FIELDS = ("original_name", "extracted_text")
POST_ORDER = ("-published_at", "-id")  # the boards' list order
# 붙임 follow their posts (list order), then the post's own order of them: each 붙임
# row holds its post's 게시일시 (boards/post_dates.py) and an index in this order.
FILE_ORDER = ("-post_published_at", "-post_id", "order", "id")


class SearchTooSlow(Exception):
    """PostgreSQL stopped one of the search's queries at SEARCH_STATEMENT_TIMEOUT_MS."""


@dataclass
class Hit:
    title: str  # safe HTML, highlighted
    url: str
    snippet: str = ""  # safe HTML, highlighted
    date: object = None
    board_name: str = ""
    department: str = ""
    post_title: str = ""  # 붙임: the post it belongs to
    post_url: str = ""
    extension: str = ""
    size: int = 0


@dataclass
class Group:
    slug: str
    name: str
    count: int = 0
    hits: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # the posts or 붙임 behind ``hits``, before they are made
    more_url: str = ""
    more_label: str = ""
    page: int = 0  # set when the group is shown page by page (붙임 alone)
    previous_url: str = ""
    next_url: str = ""

    @property
    def capped(self):
        return self.count > COUNT_CAP

    @property
    def shown_count(self):
        return min(self.count, COUNT_CAP)


def group_choices():
    """(slug, name) of every group, in the order the page shows them."""
    return [(board.slug, board.name) for board in registry.all_boards()] + [(TRAILS, "문화관광"), (FILES, "붙임")]


@dataclass
class Search:
    words: list
    query: str
    only: str = ""  # one group's slug, or "" for all
    since: object = None  # aware datetimes, inclusive / exclusive
    until: object = None
    sort: str = "relevance"
    page: int = 1
    now: object = None
    link_params: dict = field(default_factory=dict)  # the query string's filters, for links
    plan: object = None  # PostgreSQL: the KeyPlan for these words, made once per search
    database: str = ""

    def __post_init__(self):
        self.now = self.now or timezone.now()

    @property
    def has_period(self):
        return self.since is not None or self.until is not None

    @property
    def compile_once(self):
        return bool(self.plan) and COMPILE_ONCE

    def wants(self, slug):
        return not self.only or self.only == slug

    def period(self, prefix=""):
        condition = Q()
        if self.since is not None:
            condition &= Q(**{f"{prefix}published_at__gte": self.since})
        if self.until is not None:
            condition &= Q(**{f"{prefix}published_at__lt": self.until})
        return condition

    # --- the parts -------------------------------------------------------------------------

    def board_posts(self, board):
        """The board's public posts in the period, before matching."""
        return board.posts().published(self.now).filter(self.period())

    def table_files(self, model):
        """The 붙임 on ``model``'s table of public posts of any board on it, in the period, before matching.

        One queryset a table, not a board: 금천소식 and 고시공고 share one, and a word
        found in the 붙임 of one of them only must not make the other read them all
        to find none. The period and the order use the 붙임's copy of the post's
        게시일시; whether the post is public is read from the post itself.
        """
        return model.objects.filter(
            self.period("post_"), public_condition(self.now, through="post__"),
        ).filter(on_boards(registry.on_attachment_table(model)))

    def matching(self, queryset, fields):
        return engine.match(queryset, self.words, fields, plan=self.plan)

    # --- running it ---------------------------------------------------------------------------

    def run(self):
        database = registry.all_boards()[0].model.objects.db
        if connections[database].vendor != "postgresql":
            return self.collect()
        try:
            return self.collect_in_transaction(database)
        except OperationalError as error:
            if isinstance(error.__cause__, QueryCanceled):
                raise SearchTooSlow from error
            raise

    def collect_in_transaction(self, database):
        with transaction.atomic(using=database), connections[database].cursor() as cursor:
            # For this request only: no JIT (compiling costs more than these short
            # queries take); room for exact bitmaps of common words, so the
            # database does not recheck every row of a lossy heap page; and no
            # reading of whole tables. Every query here can start from an index,
            # but with a LIMIT the planner assumes matches are spread evenly and
            # may scan a million rows from the oldest hoping to meet 101 soon.
            # A search that still takes too long is stopped (SearchTooSlow) rather
            # than left to hold a worker and a database connection. No parallel
            # workers: these are short queries beside other visitors' on a few
            # cores, and search/reading.py relies on UNION ALL keeping its order.
            cursor.execute(
                f"SET LOCAL jit = off; SET LOCAL work_mem = '{SEARCH_WORK_MEM}'; SET LOCAL enable_seqscan = off; "
                "SET LOCAL max_parallel_workers_per_gather = 0; "
                f"SET LOCAL statement_timeout = {int(settings.SEARCH_STATEMENT_TIMEOUT_MS)}"
            )
            self.plan, self.database = KeyPlan(database, self.words), database
            return self.collect()

    def parts(self):
        """Each wanted board's posts, and each 붙임 table when 붙임 are wanted (search/reading.py).

        On PostgreSQL ``set_cutoffs`` then gives each its cutoff (search/cutoffs.py).
        """
        parts = {
            board.slug: Part(
                board.slug, board, board.model, functools.partial(self.board_posts, board), POST_FIELDS,
                POST_ORDER, scope=board.posts(),
            )
            for board in registry.all_boards() if self.wants(board.slug)
        }
        if self.wants(FILES):
            for model in registry.attachment_models():
                key = f"{FILES}:{model._meta.label_lower}"
                parts[key] = Part(key, model, model, functools.partial(self.table_files, model), FILE_FIELDS,
                                  FILE_ORDER, scope=model.objects.all())
        return parts

    def set_cutoffs(self, parts):
        scopes = {key: (part.scope, part.date) for key, part in parts.items()}
        cutoffs = board_cutoffs(scopes, max_age=settings.SEARCH_CUTOFF_SECONDS)
        for key, part in parts.items():
            part.cutoff = cutoffs.get(key)

    def collect(self):
        boards = [board for board in registry.all_boards() if self.wants(board.slug)]
        parts = self.parts()
        if self.plan:
            self.set_cutoffs(parts)
        reading = Reading(self, parts, COUNT_CAP, compile_once=self.compile_once)
        reading.read(self.no_index_walks)

        per_group = HITS_ONE_GROUP if self.only else HITS_PER_GROUP
        if self.only == FILES:
            per_page = HITS_ONE_GROUP
            offset = (min(self.page, FILES_MAX_PAGES) - 1) * per_page
        else:
            per_page, offset = HITS_PER_GROUP, 0
        # A group never shows more rows than it counts (COUNT_CAP + 1 is "more than COUNT_CAP").
        wanted = {
            key: min(offset + per_page if key.startswith(f"{FILES}:") else per_group, COUNT_CAP + 1)
            for key in parts
        }
        first = reading.first({key: end for key, end in wanted.items() if parts[key].count()})

        groups = []
        for board in boards:
            group = Group(board.slug, board.name, parts[board.slug].count())
            group.rows = [(board, row) for row in first.get(board.slug, [])]
            group.more_url = (
                reverse("boards:list", kwargs={"board": board.slug})
                + "?" + urlencode({"q": self.query, "field": "all"})
            )
            group.more_label = f"{board.name} 더보기"
            groups.append(group)
        if self.wants(TRAILS) and not self.has_period:  # 문화관광 길 have no 게시일
            groups.append(self.trails())
        if self.wants(FILES):
            files = {key: part for key, part in parts.items() if key.startswith(f"{FILES}:")}
            groups.append(self.files_group(files, first, offset, per_page))
        self.make_hits(groups)
        return groups

    @contextmanager
    def no_index_walks(self):
        """For the counts of older posts: any 101 matches will do, so none walks a list index.

        Reading newest-first until 101 matches turn up is the planner's favourite
        for a word it thinks common, and unbounded when it is wrong (here it has
        just been shown rare among recent posts); the key index finds the
        candidates in any order, which is all a count needs.
        """
        if self.plan is None:
            yield
            return
        with connections[self.database].cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            try:
                yield
            finally:
                cursor.execute("SET LOCAL enable_indexscan = on")

    def make_hits(self, groups):
        """The rows shown made into ``Hit``s: each read in full here, all in two statements.

        The text around the first match is cut out by the database for these rows
        only: computed while choosing them, it would be computed for every candidate
        a sort reads (thousands for a common word in 붙임), each time unpacking the
        whole text.
        """
        posts, files = {}, {}
        for group in groups:
            for owner, row in group.rows:  # a board's posts, or a 붙임 table (a model)
                if group.slug == FILES:
                    files.setdefault(owner, []).append(row.pk)
                else:
                    posts.setdefault(owner.model, []).append(row.pk)
        shown = {}
        for kind, pks_of in (("posts", posts), ("files", files)):
            querysets = {model: self.shown_rows(kind, model, pks) for model, pks in pks_of.items()}
            for model, rows in rows_each(querysets).items():
                shown.update({(model, values[0]): values for values in rows})
        for group in groups:
            if group.slug == FILES:
                group.hits = [self.file_hit(shown[model, row.pk]) for model, row in group.rows]
            elif group.slug != TRAILS:
                group.hits = [self.post_hit(board, shown[board.model, row.pk]) for board, row in group.rows]

    def shown_rows(self, kind, model, pks):
        """What the ``Hit``s of ``pks`` show (compiled once per shape on PostgreSQL: search/statements.py)."""
        values = {("pk", n): pk for n, pk in enumerate(pks)}
        values["word"] = self.words[0]

        def build(given):
            chosen = model.objects.filter(pk__in=[given["pk", n] for n in range(len(pks))])
            if kind == "posts":
                return chosen.annotate(snippet_source=window("body_text", given["word"])).values_list(
                    "pk", "title", "published_at", "department__name", "snippet_source")
            return chosen.annotate(
                board_slug=board_of(registry.on_attachment_table(model)),
                snippet_source=window("extracted_text", given["word"]),
            ).values_list("pk", "original_name", "size", "post_id", "post__title", "post__published_at",
                          "post__department__name", "board_slug", "snippet_source")

        if not self.compile_once:
            return build(values)
        return statements.statement(("shown", self.database, kind, model._meta.label_lower), values, build)

    def post_hit(self, board, values):
        pk, title, published_at, department, text = values
        return Hit(
            title=highlight(title, self.words),
            url=reverse("boards:detail", kwargs={"board": board.slug, "pk": pk}),
            snippet=snippet(text, self.words),
            date=published_at,
            board_name=board.name,
            department=department,
        )

    def files_group(self, parts, first, offset, per_page):
        """붙임 of every board in one group: each table's first rows, merged into one order."""
        group = Group(FILES, "붙임", sum(part.count() for part in parts.values()))
        relevance = self.sort != "latest"
        merged = heapq.merge(
            *([(order_key(row, relevance), part.owner, row) for row in first.get(key, [])]
              for key, part in parts.items()),
            key=lambda item: item[0],
        )
        group.rows = [(model, row) for _, model, row in merged][offset:offset + per_page]
        link = {**self.link_params, "board": FILES}
        if self.only == FILES:
            group.page = offset // per_page + 1
            last = min(-(-group.shown_count // per_page), FILES_MAX_PAGES)
            if group.page > 1:
                group.previous_url = "?" + urlencode({**link, "page": group.page - 1})
            if group.page < last:
                group.next_url = "?" + urlencode({**link, "page": group.page + 1})
        else:
            group.more_url = "?" + urlencode(link)
            group.more_label = "붙임 더보기"
        return group

    def file_hit(self, values):
        pk, name, size, post_id, post_title, published_at, department, slug, text = values
        board = registry.get(slug)
        return Hit(
            title=highlight(name, self.words),
            url=reverse("boards:download", kwargs={"board": board.slug, "pk": pk}),
            snippet=snippet(text, self.words),
            date=published_at,
            board_name=board.name,
            department=department,
            post_title=post_title,
            post_url=reverse("boards:detail", kwargs={"board": board.slug, "pk": post_id}),
            extension=extension_of(name),
            size=size,
        )

    def trails(self):
        """문화관광 길: a handful of rows, matched here in Python on their plain text."""
        group = Group(TRAILS, "문화관광")
        matched = []
        for trail in CultureTrail.objects.published():
            text = " ".join([trail.summary, html_to_text(trail.story)])
            if all(engine_words_in(trail.name, [word]) or engine_words_in(text, [word]) for word in self.words):
                in_name = engine_words_in(trail.name, self.words)
                matched.append((not in_name if self.sort != "latest" else False, trail, text))
        matched.sort(key=lambda item: item[0])  # stable: keeps the trails' own order
        group.count = len(matched)
        group.hits = [
            Hit(title=highlight(trail.name, self.words), url=trail.get_absolute_url(),
                snippet=snippet(text, self.words), board_name="문화관광")
            for _, trail, text in matched
        ]
        group.more_url = reverse("tourism:list")
        group.more_label = "문화관광 더보기"
        return group


def window(text_field, word):
    """A few hundred characters of the text from just before ``word``'s first match."""
    if engine.is_caseless(word):
        text, needle = F(text_field), Value(word)
    else:
        text, needle = Upper(text_field), Upper(Value(word))
    return Substr(text_field, Greatest(StrIndex(text, needle) - 80, Value(1)), SNIPPET_WINDOW)


def on_boards(boards):
    """The 붙임 whose post belongs to one of ``boards`` (all on one table)."""
    conditions = [Q(**{f"post__{key}": value for key, value in board.filters.items()}) for board in boards]
    if any(not condition for condition in conditions):  # a board that is the whole table
        return Q()
    return functools.reduce(operator.or_, conditions)


def board_of(boards):
    """An expression naming, for each 붙임 row, the board of its post among ``boards``."""
    if len(boards) == 1:
        return Value(boards[0].slug)
    return Case(*[
        When(Q(**{f"post__{key}": value for key, value in board.filters.items()}), then=Value(board.slug))
        for board in boards
    ], output_field=CharField())


def engine_words_in(text, words):
    """Every word occurs in ``text``, ignoring case (as the database's LIKE does)."""
    folded = (text or "").casefold()
    return all(word.casefold() in folded for word in words)
