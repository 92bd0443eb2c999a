"""Storing one answer: which page, which visitor (hashed), how often, once a day."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac

from boards.attempts import client_address, within_limit

from .models import PageFeedback

# Pages that carry the survey; answers for any other address are refused.
SURVEYED_VIEWS = {
    "boards:detail", "tourism:detail", "pages:privacy", "pages:copyright", "pages:accessibility",
}
PAGE_MAX = PageFeedback._meta.get_field("page").max_length


def surveyed_page(value):
    """The normalised path (no query, no fragment) of a page with a survey, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    parts = urlsplit(value)
    path = parts.path
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith(("//", "/\\")):
        return None  # only this site's own pages, never a redirect elsewhere
    if len(path) > PAGE_MAX:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return path if match.view_name in SURVEYED_VIEWS else None


def visitor_key(request, day):
    """A keyed SHA-256 of IP address, browser and date: tells visitors apart for a day,
    cannot be turned back into the IP address, and changes every day."""
    agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    return salted_hmac(
        "feedback.visitor", f"{client_address(request)}\n{agent}\n{day.isoformat()}", algorithm="sha256"
    ).hexdigest()


def within_rate_limit(request):
    """Count this attempt; False once the address passed the hourly limit (all pages together)."""
    return within_limit("feedback", client_address(request), limit=getattr(settings, "FEEDBACK_RATE_LIMIT", 20),
                        window=getattr(settings, "FEEDBACK_RATE_WINDOW", 3600))


def record_feedback(*, page, score, comment, visitor, day):
    """Store one answer. False (and nothing stored) if the visitor answered for this page today."""
    if PageFeedback.objects.filter(page=page, visitor=visitor, day=day).exists():
        return False
    answer = PageFeedback(page=page, score=score, comment=comment, visitor=visitor, day=day)
    answer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:  # a second tab sent the same answer at the same moment
        return False
    return True
