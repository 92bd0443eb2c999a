"""통합검색: one query over every board, 문화관광 and the text of 붙임, grouped by board.

A page costs at most a fixed number of SQL queries whatever the data size: on
PostgreSQL one for the words' search keys (search/keyplan.py) and one for the
boards' cutoffs (search/newest.py); one or two for all the counts; then per group
with matches one query for its newest hits, or two when the bounded newest-first
reading finds too few (sorted by 정확도, each of those twice unless the title
matches fill the group: title matches first, then the rest). Counts stop at
COUNT_CAP ("100건 이상"), so a common word like "공고" never makes the database
count half a million rows; the board list behind 더보기 gives the exact number.
"""

import heapq
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, StrIndex, Substr, Upper
from django.urls import reverse
from django.utils import timezone
from psycopg.errors import QueryCanceled

from boards import registry
from boards.richtext import html_to_text
from tourism.models import CultureTrail

from . import engine
from .batch import one_value_each, rows_each
from .keyplan import KeyPlan
from .newest import board_cutoffs, newest
from .highlight import highlight, snippet

COUNT_CAP = 100
HITS_PER_GROUP = 5
HITS_ONE_GROUP = 10
FILES_MAX_PAGES = COUNT_CAP // HITS_ONE_GROUP
SNIPPET_WINDOW = 400  # characters fetched around the first match
SEARCH_WORK_MEM = "32MB"

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
    cutoffs: dict = field(default_factory=dict)  # PostgreSQL: group key -> cutoff (search/newest.py)

    def __post_init__(self):
        self.now = self.now or timezone.now()

    @property
    def has_period(self):
        return self.since is not None or self.until is not None

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

    def board_files(self):
        """Per board, the 붙임 of its public posts in the period, before matching.

        One queryset a board, not a 붙임 table: 금천소식 and 고시공고 share one. The
        period and the order use the 붙임's copy of the post's 게시일시; whether the
        post is public is read from the post itself.
        """
        return {
            board.slug: board.attachment_model.objects.filter(
                self.period("post_"), post__is_published=True, post__published_at__lte=self.now,
                **{f"post__{key}": value for key, value in board.filters.items()},
            )
            for board in registry.all_boards()
        }

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
            # than left to hold a worker and a database connection.
            cursor.execute(
                f"SET LOCAL jit = off; SET LOCAL work_mem = '{SEARCH_WORK_MEM}'; SET LOCAL enable_seqscan = off; "
                f"SET LOCAL statement_timeout = {int(settings.SEARCH_STATEMENT_TIMEOUT_MS)}"
            )
            self.plan, self.database = KeyPlan(database, self.words), database
            return self.collect()

    def collect(self):
        boards = [board for board in registry.all_boards() if self.wants(board.slug)]
        files = self.board_files() if self.wants(FILES) else {}
        counted = {
            board.slug: (self.matching(self.board_posts(board), POST_FIELDS), "published_at", board.slug)
            for board in boards
        }
        counted.update({
            f"{FILES}:{slug}": (self.matching(files[slug], FILE_FIELDS), "post_published_at", slug)
            for slug in files
        })
        if self.plan:
            self.cutoffs = board_cutoffs({
                **{board.slug: (self.board_posts(board), "published_at") for board in boards},
                **{f"{FILES}:{slug}": (registry.get(slug).attachment_model.objects.all(), "post_published_at")
                   for slug in files},
            })
        counts = self.count(counted)

        groups = []
        per_group = HITS_ONE_GROUP if self.only else HITS_PER_GROUP
        for board in boards:
            group = Group(board.slug, board.name, counts[board.slug])
            group.rows = self.top(
                self.board_posts(board).select_related("department"), POST_FIELDS, POST_ORDER, per_group,
                found=group.count, key=board.slug, defer=("body", "body_text"),
            )
            group.more_url = (
                reverse("boards:list", kwargs={"board": board.slug})
                + "?" + urlencode({"q": self.query, "field": "all"})
            )
            group.more_label = f"{board.name} 더보기"
            groups.append(group)
        if self.wants(TRAILS) and not self.has_period:  # 문화관광 길 have no 게시일
            groups.append(self.trails())
        if files:
            groups.append(self.files_group(files, counts))
        self.make_hits(groups)
        return groups

    def top(self, queryset, fields, order, limit, *, found, key, offset=0, defer=()):
        """The first ``limit`` matches after ``offset``: newest first, or title matches first.

        ``found`` is the group's capped count: no match, no query; and when the title
        matches fill the page (or are all there is), the rest is not asked for.
        ``queryset`` is not matched yet: the title-first query matches the heading alone
        (its own index), not the heading within the matches of the whole text, which
        would make PostgreSQL count the same condition twice in its estimate.
        """
        if not found:
            return []
        title_field, text_field = fields
        queryset = queryset.defer(*defer)
        end = offset + limit
        everywhere = self.matching(queryset, fields)
        if self.sort == "latest":
            return self.newest(everywhere, order, end, found, key)[offset:end]
        first = self.newest(self.matching(queryset, (title_field,)), order, end, found, key)
        if len(first) >= end or len(first) == found <= COUNT_CAP:
            return first[offset:end]
        in_title = engine.all_words_condition(self.words, (title_field,))
        rest = self.newest(everywhere.exclude(in_title), order, end, found, key)
        return (first + rest)[offset:end]

    def newest(self, matches, order, count, found, key):
        """The first ``count`` of ``matches`` in ``order``; on PostgreSQL by a bounded plan."""
        if self.plan is None:
            return list(matches.order_by(*order)[:count])
        sparse = found <= COUNT_CAP
        cutoff = None if sparse else self.cutoffs.get(key)
        return newest(matches, order, count, sparse=sparse, cutoff=cutoff, date_field=order[0].lstrip("-"))

    def count(self, counted):
        """``{key: min(matches, COUNT_CAP + 1)}`` for ``{key: (matches, date field, board)}``.

        On PostgreSQL in two statements at most: among the rows since each group's
        cutoff (search/newest.py), then, for the groups still short of the cap,
        among the older ones without walking an index.
        """
        if self.plan is None:
            return capped_counts({key: matches for key, (matches, _, _) in counted.items()}, COUNT_CAP)
        recent = {
            key: matches.filter(**{f"{date}__gte": self.cutoffs[key]})
            for key, (matches, date, _) in counted.items() if self.cutoffs.get(key)
        }
        found = capped_counts(recent, COUNT_CAP)
        older = {
            key: matches.filter(**{f"{date}__lt": self.cutoffs[key]}) if key in recent else matches
            for key, (matches, date, _) in counted.items() if found.get(key, 0) <= COUNT_CAP
        }
        more = {}
        if older:
            with self.no_index_walks():
                more = capped_counts(older, COUNT_CAP)
        return {key: min(found.get(key, 0) + more.get(key, 0), COUNT_CAP + 1) for key in counted}

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
        """Every group's rows made into ``Hit``s, with the snippets' source text fetched at once.

        The text around the first match is cut out by the database, for the rows
        shown only and in one statement: computed in the queries that choose the
        rows, it was computed for every candidate a sort reads (thousands for a
        common word in 붙임), each time unpacking the whole text.
        """
        by_model = {}
        for row in (row for group in groups for row in group.rows):
            by_model.setdefault(type(row), []).append(row.pk)
        windows = rows_each({
            model: model.objects.filter(pk__in=pks).annotate(
                snippet_source=self.window(engine.indexed_columns(model)[1])
            ).values_list("pk", "snippet_source")
            for model, pks in by_model.items()
        })
        texts = {(model, pk): text for model, found in windows.items() for pk, text in found}
        for group in groups:
            if group.slug == FILES:
                group.hits = [self.file_hit(row, texts[type(row), row.pk]) for row in group.rows]
            elif group.slug != TRAILS:
                board = registry.get(group.slug)
                group.hits = [self.post_hit(board, row, texts[type(row), row.pk]) for row in group.rows]

    def window(self, text_field):
        """A few hundred characters of the text from just before the first word's match."""
        word = self.words[0]
        text, needle = (F(text_field), Value(word)) if engine.is_caseless(word) else (Upper(text_field), Upper(Value(word)))
        return Substr(text_field, Greatest(StrIndex(text, needle) - 80, Value(1)), SNIPPET_WINDOW)

    def post_hit(self, board, post, text):
        return Hit(
            title=highlight(post.title, self.words),
            url=post.get_absolute_url(),
            snippet=snippet(text, self.words),
            date=post.published_at,
            board_name=board.name,
            department=post.department.name,
        )

    def files_group(self, files, counts):
        group = Group(FILES, "붙임", sum(counts[f"{FILES}:{slug}"] for slug in files))
        if self.only == FILES:
            per_page = HITS_ONE_GROUP
            offset = (min(self.page, FILES_MAX_PAGES) - 1) * per_page
        else:
            per_page, offset = HITS_PER_GROUP, 0
        # Each board's first offset+per_page, merged: the page of the merged order.
        tops = []
        for slug, queryset in files.items():
            rows = self.top(
                queryset.select_related("post", "post__department"), FILE_FIELDS, FILE_ORDER,
                offset + per_page, found=counts[f"{FILES}:{slug}"], key=f"{FILES}:{slug}",
                defer=("extracted_text", "extracted_blocks", "post__body", "post__body_text"),
            )
            tops.append([(self.file_rank(position, row), row) for position, row in enumerate(rows)])
        merged = [row for _, row in heapq.merge(*tops, key=lambda item: item[0])]
        group.rows = merged[offset:offset + per_page]
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

    def file_rank(self, position, row):
        title_first = self.sort != "latest" and engine_words_in(row.original_name, self.words)
        return (not title_first, -row.post.published_at.timestamp(), -row.post_id, row.order, row.pk)

    def file_hit(self, attachment, text):
        post = attachment.post
        board = registry.get(post.board_slug)
        return Hit(
            title=highlight(attachment.original_name, self.words),
            url=reverse("boards:download", kwargs={"board": board.slug, "pk": attachment.pk}),
            snippet=snippet(text, self.words),
            date=post.published_at,
            board_name=board.name,
            department=post.department.name,
            post_title=post.title,
            post_url=post.get_absolute_url(),
            extension=attachment.extension,
            size=attachment.size,
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


def engine_words_in(text, words):
    """Every word occurs in ``text``, ignoring case (as the database's LIKE does)."""
    folded = (text or "").casefold()
    return all(word.casefold() in folded for word in words)


def capped_counts(querysets, cap):
    """``{key: min(count, cap + 1)}`` for many querysets in one SQL statement."""
    limited = {key: queryset.order_by().values("pk")[: cap + 1] for key, queryset in querysets.items()}
    return {key: count or 0 for key, count in one_value_each(limited, "COUNT(*)").items()}
