"""The boards of the portal: one mechanism, configured once per board.

Each content app registers its board(s) in ``AppConfig.ready()``; lists,
details, 붙임 downloads, feeds, sitemaps and the home tabs all read from here.
"""

from dataclasses import dataclass, field

_BOARDS = {}


@dataclass(frozen=True)
class Board:
    slug: str
    name: str
    model: type
    filters: dict = field(default_factory=dict)
    description: str = ""
    # Partials a board may add to the generic templates (optional).
    list_badge_template: str = ""
    detail_fields_template: str = ""
    detail_prefetch: tuple = ("attachments",)

    def posts(self):
        return self.model.objects.filter(**self.filters)

    @property
    def attachment_model(self):
        return self.model.attachments.rel.related_model

    def attachments(self):
        """붙임 whose post belongs to this board and is public."""
        return self.attachment_model.objects.filter(
            post__in=self.posts().published().values("pk")
        )


def register(board):
    if board.slug in _BOARDS:
        raise ValueError(f"board {board.slug!r} registered twice")
    _BOARDS[board.slug] = board


def get(slug):
    return _BOARDS[slug]


def all_boards():
    return list(_BOARDS.values())


def on_attachment_table(model):
    """The boards whose 붙임 are rows of ``model`` (금천소식 and 고시공고 share one)."""
    return [board for board in _BOARDS.values() if board.attachment_model is model]
