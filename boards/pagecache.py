"""Whole-page cache for the anonymous home page and board lists.

Every cached page is stored under the current *content version*. Saving or
deleting any content bumps the version, so an edit in admin shows at once.
Scheduled content (a post's future 게시일시, a banner's display period) needs
nobody to save anything: a page is kept at most until the next such moment.
"""

import datetime
import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

from . import registry

VERSION_KEY = "content-version"
CONTENT_APPS = {"boards", "notices", "recruitment", "contracts", "press", "tourism", "home"}


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(VERSION_KEY, content_version() + 1, timeout=None)


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        transaction.on_commit(bump_content_version)


def next_scheduled_change(now):
    """The soonest future moment at which some public page changes by itself."""
    from home.models import HeroBanner, QuickLink

    moments = []
    for model in {board.model for board in registry.all_boards()}:
        moments.append(
            model.objects.filter(is_published=True, published_at__gt=now)
            .aggregate(next=models.Min("published_at"))["next"]
        )
    for model in (HeroBanner, QuickLink):
        upcoming = model.objects.filter(is_active=True)
        moments.append(upcoming.filter(display_start__gt=now).aggregate(next=models.Min("display_start"))["next"])
        moments.append(upcoming.filter(display_end__gt=now).aggregate(next=models.Min("display_end"))["next"])
    return min((moment for moment in moments if moment), default=None)


def _seconds_to_keep(version):
    now = timezone.now()
    key = f"next-change:{version}"
    moment = cache.get(key)
    if moment is None:
        moment = next_scheduled_change(now) or now + datetime.timedelta(days=1)
        cache.set(key, moment, timeout=max(1, int((moment - now).total_seconds())))
    return min(settings.PAGE_CACHE_SECONDS, int((moment - now).total_seconds()))


def _cacheable(request):
    # Only plain pages (?page=N at most): search queries are too varied to be
    # worth keeping and would let anyone fill the cache.
    return (
        settings.PAGE_CACHE_SECONDS
        and request.method == "GET"
        and set(request.GET) <= {"page"}
        and request.GET.get("page", "1").isdigit()
        and not request.user.is_authenticated
    )


def cached_page(view):
    """Serve a view's 200 GET responses to anonymous visitors from the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        version = content_version()
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{version}:{path}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            seconds = _seconds_to_keep(version)
            if seconds > 0:
                cache.set(key, response.content, timeout=seconds)
        return response

    return wrapper
