"""Whole-page cache for the anonymous home page, board lists and post pages.

Every cached page is stored under the current *content version*. Saving or
deleting any content bumps the version, so an edit in admin shows at once.
Scheduled content (a post's future 게시일시 or 게시 종료일시, a banner's display period) needs
nobody to save anything: a page is kept at most until the next such moment.

A post page holds two things that differ per request: its view count and the
visitor's CSRF token (the 만족도 조사 form). It is cached with markers in their
place and the markers are filled in on every request (``cached_page_with_holes``).
"""

import datetime
import hashlib
import re
import time
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.contrib.messages import get_messages
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.utils import timezone

from . import registry

VERSION_KEY = "content-version"
ASCII_DIGITS = re.compile(r"[0-9]+")
# Stands in for the visitor's CSRF token in a cached page; filled in per request.
CSRF_HOLE = "csrf-hole-3f9c2a"


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # Starts from the clock, not 1: after a cache restart no old entry (in
        # another worker's memory, say) can carry the new version by chance.
        started = time.time_ns() // 1000
        cache.add(VERSION_KEY, started, timeout=None)
        version = cache.get(VERSION_KEY, started)
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(VERSION_KEY, content_version() + 1, timeout=None)


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, **kwargs):
    if sender._meta.app_label in registry.content_apps():
        transaction.on_commit(bump_content_version)


def next_scheduled_change(now):
    """The soonest future moment at which some public page changes by itself."""
    moments = [upcoming_post(board, now) for board in registry.all_boards()]
    moments += [next_change(now) for next_change in registry.content_next_changes()]
    return min((moment for moment in moments if moment), default=None)


def upcoming_post(board, now):
    """The board's next 게시일시 or 게시 종료일시 still to come (None: none), in one query.

    Per board, not per table: the filter then matches the board's list index
    (kind, is_published, published_at), so PostgreSQL reads one index entry; on a
    table two boards share it had no index to start from and read 45 ms of rows.
    """
    return min(board.posts().next_changes(now), default=None)


def seconds_to_keep(version):
    """How long a page made from content ``version`` may be kept: until the next scheduled change at most."""
    now = timezone.now()
    key = f"next-change:{version}"
    moment = cache.get(key)
    if moment is None:
        moment = next_scheduled_change(now) or now + datetime.timedelta(days=1)
        cache.set(key, moment, timeout=max(1, int((moment - now).total_seconds())))
    return min(settings.PAGE_CACHE_SECONDS, int((moment - now).total_seconds()))


def canonical_redirect(request):
    """``?page=01``, ``?page=0005``: one permanent redirect to ``?page=1``, ``?page=5``.

    Otherwise each spelling of a page number would be a cache entry of its own, and
    anyone could fill the shared cache with ``?page=0001``, ``?page=00001``…
    """
    page = request.GET.get("page")
    if request.method not in ("GET", "HEAD") or page is None or not ASCII_DIGITS.fullmatch(page):
        return None
    number = page.lstrip("0") or "0"
    if number == page:
        return None
    query = request.GET.copy()
    query["page"] = number
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


def _cacheable(request):
    # Only plain pages (?page=N at most, canonical: canonical_redirect): searches and unknown
    # parameters are too varied for this shared cache and would let anyone fill it
    # (they are answered uncached); 통합검색 has its own (cached_search_page).
    return (
        settings.PAGE_CACHE_SECONDS
        and request.method == "GET"
        and set(request.GET) <= {"page"}
        and ASCII_DIGITS.fullmatch(request.GET.get("page", "1"))
        and not request.user.is_authenticated
    )


def _page_key(request):
    """(key, version): the key names the content version the page was made from."""
    version = content_version()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{version}:{path}", version


def _store(key, version, response, store=cache):
    if response.status_code == 200 and not response.streaming:
        seconds = seconds_to_keep(version)
        if seconds > 0:
            store.set(key, response.content, timeout=seconds)


def cached_search_page(request, params, render):
    """통합검색 results for anonymous visitors, from this process's own search cache.

    ``params`` are the search's cleaned filters (so equivalent URLs share an entry).
    Searches are too varied for the shared page cache: anyone could fill it with
    queries and push out the home page. They get a cache of their own (the
    ``search`` alias, local memory, a bounded number of entries), under the same
    content version and expiry as pages, so an edit or a scheduled post shows at once.
    """
    if not (settings.PAGE_CACHE_SECONDS and request.method == "GET" and not request.user.is_authenticated):
        return render()
    return cached_variant(caches["search"], "search", sorted(params.items()), render)


def cached_variant(store, prefix, what, render):
    """``render()``'s response, from ``store`` when an equal request (``what``: its cleaned parameters)
    was answered under this content version; kept no longer than a page would be.

    For answers too varied for the shared cache (searches, open API queries): ``store`` is a
    bounded cache of the process's own, the version the shared one.
    """
    version = content_version()
    key = f"{prefix}:{version}:{hashlib.sha256(repr(what).encode()).hexdigest()}"
    hit = store.get(key)
    if hit is not None:
        content_type, content = hit
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        seconds = seconds_to_keep(version)
        if seconds > 0:
            store.set(key, (response["Content-Type"], response.content), timeout=seconds)
    return response


def cached_value(name, compute):
    """``compute()``, kept in the shared cache under the content version like a page.

    For a small piece every page shows (the 긴급 공지): a page rendered without the page
    cache (a search, or the first render after a save) then reads the cache, not the database.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    version = content_version()
    key = f"{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        seconds = seconds_to_keep(version)
        if seconds > 0:
            cache.set(key, value, timeout=seconds)
    return value


def cached_page(view=None, *, content_type=None):
    """Serve a view's 200 GET responses to anonymous visitors from the cache.

    ``@cached_page(content_type=...)`` for a view that answers other than HTML (a calendar feed).
    """
    if view is None:
        return partial(cached_page, content_type=content_type)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if redirect := canonical_redirect(request):
            return redirect
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key, version = _page_key(request)
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        _store(key, version, response)
        return response

    return wrapper


def cached_page_with_holes(request, render, holes):
    """A page cached once for all anonymous visitors, with per-request parts filled in.

    ``render(holes=True)`` renders the page with markers for the parts that differ
    per request (``csrf_token`` is set to CSRF_HOLE here); ``render(holes=False)``
    renders it plainly, for staff and for visitors with a message waiting to be
    shown. ``holes()`` gives ``{marker: value}`` for this request; it runs on every
    served request, cached or not, after the page exists (so a 404 counts nothing).
    """
    if redirect := canonical_redirect(request):
        return redirect
    if not _cacheable(request) or len(get_messages(request)):
        return render(holes=False)
    key, version = _page_key(request)
    content = cache.get(key)
    if content is None:
        response = render(holes=True)
        if response.status_code != 200:
            return response
        _store(key, version, response)
        content = response.content
    for marker, value in {**holes(), CSRF_HOLE: get_token(request)}.items():
        content = content.replace(marker.encode(), str(value).encode())
    return HttpResponse(content)


def check_one_cache_truth(app_configs=None, **kwargs):
    """A page cache in each worker's own memory, in production with several workers, is a mistake.

    Each worker would keep serving a post another worker took down until its own copy
    expires (PAGE_CACHE_SECONDS): production needs the shared cache (REDIS_URL). A
    deliberate single-process setup says ALLOW_PROCESS_CACHE=1 (or runs one worker).
    """
    from django.core import checks
    from django.core.cache.backends.locmem import LocMemCache

    if settings.DEBUG or not settings.PAGE_CACHE_SECONDS or settings.ALLOW_PROCESS_CACHE:
        return []
    if not isinstance(caches["default"], LocMemCache) or settings.WEB_WORKERS == 1:
        return []
    return [checks.Error(
        "운영 설정(DEBUG 꺼짐)에서 작업자가 여럿인데 페이지 캐시가 작업자마다 따로 있습니다: 내린 글이 다른 작업자에서 "
        "한동안 계속 보입니다.",
        hint="REDIS_URL로 함께 쓰는 캐시를 정하세요. 정말 한 프로세스만 쓴다면 GUNICORN_WORKERS=1 또는 ALLOW_PROCESS_CACHE=1.",
        id="geumcheon.E001",
    )]
