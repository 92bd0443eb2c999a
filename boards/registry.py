"""The boards of the portal: one mechanism, configured once per board.

This is the one list of boards. Each content app registers its board(s) in
``AppConfig.ready()``; lists, details, 붙임 downloads, feeds, sitemaps, the home
tabs, 통합검색 (its tables and partitions), the page cache and the benchmark's data
generator all read from here, so a new board touches no other module.

Content that is public but not a board (문화관광 길, home banners, 부서) is
registered with ``register_content``: the page cache then drops pages when it
changes, and asks it when it next changes by itself (a banner's display period).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import router
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.module_loading import import_string

_BOARDS = {}
_CONTENT = {}  # app label -> callable(now) giving the next moment its content changes by itself, or None


@dataclass(frozen=True)
class Board:
    """One board. Partials it adds to the generic pages are found by name:
    ``<slug>/_detail_fields.html`` above a post's body and ``<slug>/_list_links.html`` beside
    the list's RSS link (e.g. a calendar to subscribe to), when the board has them. A mark
    beside a list row's title is the model's ``list_badge`` (boards/models.py, Badge).
    """

    slug: str
    name: str
    model: type
    filters: dict = field(default_factory=dict)
    description: str = ""
    home_tab: bool = True  # one of the home page's 주요소식 tabs
    review: bool = False  # posts go public only once a 승인자 approves them (editorial/review.py)
    # Dotted path of ``f(post)`` giving the schema.org item of a post page, or None for a post
    # that is no such thing (채용공고: recruitment.structured_data.job_posting). Named, not imported:
    # boards sits below the board apps.
    post_schema: str = ""

    @cached_property
    def detail_fields_template(self):
        return self._partial("_detail_fields.html")

    @cached_property
    def list_links_template(self):
        return self._partial("_list_links.html")

    @cached_property
    def post_schema_item(self):
        """The function named by ``post_schema`` (None without one)."""
        return import_string(self.post_schema) if self.post_schema else None

    def _partial(self, name):
        try:
            return get_template(f"{self.slug}/{name}").template.name
        except TemplateDoesNotExist:
            return ""

    @cached_property
    def detail_prefetch(self):
        """What a post page shows from other tables: 붙임, and e.g. 보도자료's photos."""
        return tuple(
            relation.get_accessor_name() for relation in self.model._meta.related_objects
            if relation.one_to_many
        )

    def posts(self):
        return self.model.objects.filter(**self.filters)

    @property
    def db(self):
        """The database ``posts()`` reads from (asked without building that queryset)."""
        return router.db_for_read(self.model)

    def detail_url(self, pk):
        return self._url("detail", pk)

    def download_url(self, pk):
        return self._url("download", pk)

    def _url(self, name, pk):
        """``reverse(f"boards:{name}", …)`` of ``pk``, without resolving it again for every row of a list."""
        key = (name, get_script_prefix())
        prefix = self._url_prefixes.get(key)
        if prefix is None:
            url = reverse(f"boards:{name}", kwargs={"board": self.slug, "pk": 1})
            if not url.endswith("/1/"):  # another address scheme: resolve each time
                return reverse(f"boards:{name}", kwargs={"board": self.slug, "pk": pk})
            prefix = self._url_prefixes[key] = url[:-2]
        return f"{prefix}{pk}/"

    @cached_property
    def _url_prefixes(self):
        return {}

    @property
    def attachment_model(self):
        return self.model.attachments.rel.related_model

    def attachments(self):
        """붙임 whose post belongs to this board and is public."""
        return self.attachment_model.objects.filter(
            post__in=self.posts().published().values("pk")
        )

    def holds(self, post):
        """Whether ``post`` (an instance of some board's model) is one of this board's."""
        return isinstance(post, self.model) and all(
            getattr(post, name) == value for name, value in self.filters.items()
        )


def register(board):
    if board.slug in _BOARDS:
        raise ValueError(f"board {board.slug!r} registered twice")
    _BOARDS[board.slug] = board
    register_content(board.model._meta.app_label)


def get(slug):
    return _BOARDS[slug]


def all_boards():
    return list(_BOARDS.values())


def home_boards():
    return [board for board in _BOARDS.values() if board.home_tab]


def board_of(post):
    """The board ``post`` belongs to."""
    for board in _BOARDS.values():
        if board.holds(post):
            return board
    raise LookupError(f"{post._meta.label} #{post.pk} belongs to no registered board")


def post_models():
    """Every board's post model once, in the order the boards were registered."""
    return list(dict.fromkeys(board.model for board in _BOARDS.values()))


def attachment_models():
    return list(dict.fromkeys(board.attachment_model for board in _BOARDS.values()))


def on_attachment_table(model):
    """The boards whose 붙임 are rows of ``model`` (금천소식 and 고시공고 share one)."""
    return [board for board in _BOARDS.values() if board.attachment_model is model]


def register_content(app_label, next_change=None):
    """Mark ``app_label``'s models as public content (see the module's docstring)."""
    if next_change is not None or app_label not in _CONTENT:
        _CONTENT[app_label] = next_change


def content_apps():
    return set(_CONTENT)


def content_next_changes():
    return [next_change for next_change in _CONTENT.values() if next_change is not None]
