from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from files.formats import IMAGE_KINDS, INLINE_KINDS
from files.serving import serve_file

from . import listing, registry
from .counters import add, count_view
from .forms import BoardSearchForm
from .models import block_to_json
from .month_counts import DEEP_OFFSET, months_and_total, public_months, seek
from .pagecache import CSRF_HOLE, cached_page, cached_page_with_holes
from .post_counts import public_count

VIEW_COUNT_HOLE = "view-count-hole-8d41e7"


class LateRowPaginator(Paginator):
    """A board list's pages: the page's ids first, then its rows by id (boards/listing.py).

    ``?page=5000`` would otherwise build 50,000 full rows (department join, 붙임 EXISTS)
    only to throw them away; the ids are an index-only scan on the list index, from the month
    where a deep page starts (boards/month_counts.py). ``matching`` is a search's queryset
    (counted and sliced for ids), or None for the whole public board (총 N건 from the count
    the database keeps; for a deep page, read with the months in one statement).
    """

    def __init__(self, board, now, matching=None):
        super().__init__(matching if matching is not None else (), settings.BOARD_PAGE_SIZE)
        self.board, self.now, self.matching = board, now, matching
        self.months = None

    @cached_property
    def count(self):
        return public_count(self.board, self.now) if self.matching is None else self.matching.count()

    def get_page(self, number):
        if self.matching is None and self.is_deep(number) and "count" not in self.__dict__:
            self.months, self.count = months_and_total(self.board, self.now)
        return super().get_page(number)

    def is_deep(self, number):
        try:
            return (int(number) - 1) * self.per_page >= DEEP_OFFSET
        except (TypeError, ValueError, OverflowError):
            return False

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if top <= bottom:  # nothing to show (an empty board or search): nothing to ask
            return self._get_page([], number, self)
        if self.matching is None:
            before, offset = None, bottom
            if bottom >= DEEP_OFFSET:
                if self.months is None:
                    self.months = public_months(self.board, self.now)
                before, offset = seek(self.months, self.count, bottom)
            ids = listing.public_ids(self.board, self.now, offset, top - bottom, before=before)
        else:
            ids = listing.queryset_ids(self.matching[bottom:top])
        return self._get_page(listing.rows(self.board, *ids), number, self)


def get_board(slug):
    try:
        return registry.get(slug)
    except KeyError:
        raise Http404("없는 게시판입니다.")


@require_safe
@cached_page
def post_list(request, board):
    board = get_board(board)
    form = BoardSearchForm(request.GET)
    now = timezone.now()
    matching = form.filter(board.posts().published(now).latest_first()) if form.searches else None
    page = LateRowPaginator(board, now, matching).get_page(request.GET.get("page"))
    return render(request, "boards/list.html", {"board": board, "form": form, "page": page})


@require_safe
def post_detail(request, board, pk):
    """A post. Cached for anonymous readers; every reading is counted and the count shown."""
    board = get_board(board)
    reading = request.method == "GET"  # a HEAD (link checker, preview bot) is not a reading

    def render_post(holes):
        now = timezone.now()
        post = listing.public_post(board, pk, now)
        if post is None:
            raise Http404("없는 게시글입니다.")
        prefetch_related_objects([post], *board.detail_prefetch)
        context = {"board": board, "post": post}
        context["previous"], context["next"] = listing.neighbours(board, post, now)
        if holes:
            context.update(view_count=VIEW_COUNT_HOLE, csrf_token=CSRF_HOLE)
        else:
            context["view_count"] = (count_view(board.model, post.pk) if reading else None) or post.view_count
        return render(request, "boards/detail.html", context)

    def count_reading():
        views = count_view(board.model, pk)
        if views is None:  # deleted since the page was cached (the cache is bumped on commit)
            raise Http404("없는 게시글입니다.")
        return {VIEW_COUNT_HOLE: views}

    return cached_page_with_holes(request, render_post, count_reading)


@require_safe
def attachment_download(request, board, pk):
    board = get_board(board)
    attachment = get_object_or_404(board.attachments(), pk=pk)
    response = serve_file(attachment.file, filename=attachment.original_name, as_attachment=True)
    if request.method == "GET":  # a HEAD sends no file
        add(type(attachment), attachment.pk, "download_count")
    return response


@require_safe
def attachment_preview(request, board, pk):
    """바로보기: the 붙임 as accessible HTML built from the text extracted at upload."""
    board = get_board(board)
    attachment = get_object_or_404(board.attachments().select_related("post"), pk=pk)
    return render(request, "boards/preview.html", {
        "board": board,
        "post": attachment.post,
        "attachment": attachment,
        # Only what the document shows when opened: hidden sheets, 메모, notes… are screened, never shown.
        "blocks": [block_to_json(block) for block in attachment.extracted().visible_blocks],
        "inline": attachment.extension.lower() in INLINE_KINDS,
        "is_image": attachment.extension.lower() in IMAGE_KINDS,
    })


@require_safe
def attachment_inline(request, board, pk):
    """PDFs and images shown in the browser instead of downloaded."""
    board = get_board(board)
    attachment = get_object_or_404(board.attachments(), pk=pk)
    if attachment.extension.lower() not in INLINE_KINDS:
        raise Http404("바로 볼 수 없는 형식입니다.")
    return serve_file(attachment.file, filename=attachment.original_name, as_attachment=False)
