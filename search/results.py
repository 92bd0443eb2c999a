"""통합검색: one query over every board, 문화관광 and the text of 붙임, grouped by board.

For each group (a board, or 붙임 of every board) search/parts.py reads its newest
COUNT_CAP + 1 matches as light rows, and for 정확도순 its newest heading matches
where those are needed: one statement, sometimes two. So counts stop at "100건
이상" (a common word never makes the database count half a million rows; the
board list behind 더보기 gives the exact number), and the rows shown are the
first of a known order. Then one statement reads the posts and 붙임 shown, and one
문화관광.
"""

import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from psycopg.errors import QueryCanceled

from boards import registry
from boards.listing import department_join
from boards.pagecache import cached_value
from boards.richtext import html_to_text
from files.names import extension_of
from tourism.models import CultureTrail

from . import engine, index, parts
from .highlight import highlight, snippet
from .parts import order_key
from .unions import Compiled, rows_each

COUNT_CAP = 100
HITS_PER_GROUP = 5
HITS_ONE_GROUP = 10
FILES_MAX_PAGES = COUNT_CAP // HITS_ONE_GROUP
SNIPPET_WINDOW = 400  # characters fetched around the first match
TRAILS = "trails"
FILES = index.FILES

class SearchTooSlow(Exception):
    """PostgreSQL stopped the search at SEARCH_STATEMENT_TIMEOUT_MS."""


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
    rows: list = field(default_factory=list)  # the light rows behind ``hits``
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

    def __post_init__(self):
        self.now = self.now or timezone.now()
        self.database = registry.all_boards()[0].model.objects.db
        self.postgresql = connections[self.database].vendor == "postgresql"

    @property
    def relevance(self):
        return self.sort != "latest"

    def wants(self, slug):
        return not self.only or self.only == slug

    # --- running it -----------------------------------------------------------------------------

    def run(self):
        if not self.postgresql:
            return self.collect()
        try:
            with transaction.atomic(using=self.database), connections[self.database].cursor() as cursor:
                # For this request only (JIT is off for every connection: settings.py): a
                # search that still takes too long is stopped (SearchTooSlow) rather than
                # left to hold a worker and a connection.
                cursor.execute(
                    "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL work_mem = '32MB'; "
                    f"SET LOCAL statement_timeout = {int(settings.SEARCH_STATEMENT_TIMEOUT_MS)}"
                )
                return self.collect()
        except OperationalError as error:
            if isinstance(error.__cause__, QueryCanceled):
                raise SearchTooSlow from error
            raise

    def collect(self):
        rows = self.read()
        groups = []
        for board in registry.all_boards():
            if self.wants(board.slug):
                group = self.group(board.slug, board.name, rows)
                group.more_url = (reverse("boards:list", kwargs={"board": board.slug})
                                  + "?" + urlencode({"q": self.query, "field": "all"}))
                group.more_label = f"{board.name} 더보기"
                groups.append(group)
        if self.wants(TRAILS) and self.since is None and self.until is None:  # 문화관광 길 have no 게시일
            groups.append(self.trails())
        if self.wants(FILES):
            groups.append(self.files_group(rows))
        self.make_hits(groups)
        return groups

    def period(self, prefix=""):
        bounds = {"gte": self.since, "lt": self.until}
        return Q(**{f"{prefix}published_at__{lookup}": bound for lookup, bound in bounds.items() if bound is not None})

    # --- groups and the order they are shown in -----------------------------------------------

    def read(self):
        """The light rows of every wanted group (search/parts.py)."""
        owners = {board.slug: [board.slug] for board in registry.all_boards() if self.wants(board.slug)}
        if self.wants(FILES):  # PostgreSQL: one table for all 붙임; SQLite: each 붙임 table
            owners[FILES] = [None] if self.postgresql else list(registry.attachment_models())
        return parts.read(self, owners, COUNT_CAP, self.shown_end)

    def shown_end(self, group):
        if group == FILES and self.only == FILES:
            return min(self.page, FILES_MAX_PAGES) * HITS_ONE_GROUP
        return HITS_ONE_GROUP if self.only else HITS_PER_GROUP

    def group(self, slug, name, rows, offset=0):
        """A group of the page: its count, and its rows in the page's order from ``offset``.

        Newest first; for 정확도순 heading matches first. When the group's matches are
        all in hand they are simply sorted; otherwise the heading matches come from
        the rows read (the newest matches hold enough) or their own part.
        """
        matches = rows.get((slug, "newest"), [])
        if not self.relevance or len(matches) <= COUNT_CAP:
            ordered = sorted(matches, key=functools.partial(order_key, relevance=self.relevance))
        else:
            titles = rows.get((slug, "titles")) or [row for row in matches if row.in_title]
            ordered = sorted(titles, key=order_key) + [row for row in matches if not row.in_title]
        return Group(slug, name, len(matches), rows=ordered[offset:self.shown_end(slug)])

    def files_group(self, rows):
        """붙임 of every board in one group; shown alone it is paged."""
        page = min(self.page, FILES_MAX_PAGES) if self.only == FILES else 1
        group = self.group(FILES, "붙임", rows, offset=(page - 1) * HITS_ONE_GROUP)
        link = {**self.link_params, "board": FILES}
        if self.only == FILES:
            group.page = page
            last = min(-(-group.shown_count // HITS_ONE_GROUP), FILES_MAX_PAGES)
            if page > 1:
                group.previous_url = "?" + urlencode({**link, "page": page - 1})
            if page < last:
                group.next_url = "?" + urlencode({**link, "page": page + 1})
        else:
            group.more_url = "?" + urlencode(link)
            group.more_label = "붙임 더보기"
        return group

    # --- the hits shown -----------------------------------------------------------------------

    def make_hits(self, groups):
        """The rows shown, read in full in one statement: posts and 붙임 alike.

        The text around the first match is cut out by the database for these rows only.
        """
        tables = {model._meta.db_table: model for model in [*registry.post_models(), *registry.attachment_models()]}
        pks_of = {}
        for group in groups:
            for row in group.rows:
                pks_of.setdefault(tables[row.source], []).append(row.pk)
        shown = {}
        for model, values in rows_each({model: self.shown_rows(model, pks) for model, pks in pks_of.items()}).items():
            shown.update({(model._meta.db_table, found[0]): found for found in values})
        for group in groups:  # (a row deleted since it was matched is left out, not an error)
            if group.slug != TRAILS:
                group.hits = [self.hit(row, shown[row.source, row.pk]) for row in group.rows
                              if (row.source, row.pk) in shown]

    def shown_rows(self, model, pks):
        """The same columns for a post and a 붙임: id, heading, size, post id and title, date, 부서, text.

        Plain SQL (``Compiled`` for rows_each): built with the ORM, nine of these took ~3 ms a search.
        """
        connection = connections[self.database]
        quote = connection.ops.quote_name
        if model in registry.attachment_models():
            post_field = model._meta.get_field("post")
            post_model = post_field.related_model
            columns = (f"a.id, a.{quote('original_name')}, a.{quote('size')}, a.{quote(post_field.column)},"
                       " p.title, p.published_at, d.name")
            text = f"a.{quote('extracted_text')}"
            tables = (f"{quote(model._meta.db_table)} a"
                      f" JOIN {quote(post_model._meta.db_table)} p ON p.id = a.{quote(post_field.column)}")
        else:
            post_model, text = model, "p.body_text"
            columns = "p.id, p.title, 0, p.id, '', p.published_at, d.name"
            tables = f"{quote(model._meta.db_table)} p"
        found = window(connection, text, self.words[0])
        sql = (f"SELECT {columns}, {found[0]} AS text FROM {tables}{department_join(connection, post_model)}"
               f" WHERE {'a' if post_model is not model else 'p'}.id IN ({', '.join(['%s'] * len(pks))})")
        return Compiled(sql, [*found[1], *pks], self.database)

    def hit(self, row, values):
        pk, heading, size, post_id, post_title, published_at, department, text = values
        board = registry.get(row.board)
        hit = Hit(title=highlight(heading, self.words), snippet=snippet(text, self.words), date=published_at,
                  board_name=board.name, department=department,
                  url=board.detail_url(post_id))
        if row.source != board.model._meta.db_table:  # a 붙임: downloaded; its post linked beside it
            hit.post_title, hit.post_url, hit.extension, hit.size = post_title, hit.url, extension_of(heading), size
            hit.url = board.download_url(pk)
        return hit

    def trails(self):
        """문화관광 길: a handful of rows, matched here in Python on their plain text."""
        group = Group(TRAILS, "문화관광")
        matched = []
        for trail, text in cached_value("search-trails", trail_texts):
            if all(words_in(trail.name, [word]) or words_in(text, [word]) for word in self.words):
                matched.append((self.relevance and not words_in(trail.name, self.words), trail, text))
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


def trail_texts():
    """Every listed 문화관광 길 with its plain text (summary and story), in list order."""
    return [(trail, " ".join([trail.summary, html_to_text(trail.story)])) for trail in CultureTrail.objects.listed()]


def window(connection, text, word):
    """(sql, params): a few hundred characters of ``text`` from just before ``word``'s first match."""
    position, greatest = ("STRPOS", "GREATEST") if connection.vendor == "postgresql" else ("INSTR", "MAX")
    haystack, needle = (text, "%s") if engine.is_caseless(word) else (f"UPPER({text})", "UPPER(%s)")
    return f"SUBSTR({text}, {greatest}({position}({haystack}, {needle}) - 80, 1), {SNIPPET_WINDOW})", [word]


def words_in(text, words):
    """Every word occurs in ``text``, ignoring case (as the database's LIKE does)."""
    folded = (text or "").casefold()
    return all(word.casefold() in folded for word in words)
