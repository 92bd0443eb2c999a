"""Deadline calendars (iCalendar, RFC 5545) that residents subscribe to: a board's dates as events.

Built with the ``icalendar`` library (it escapes, folds long lines at 75 octets and writes the
Asia/Seoul VTIMEZONE). A board app says which posts and which dates (recruitment/calendar.py,
notices/calendar.py); this module writes them the same way for every board:

- one event per date (접수 시작, 접수 마감…), not one event spanning the period: the day that
  matters shows on its own day, with its time, and a year of overlapping periods does not bury
  every day of the month under bars;
- UIDs from the board, the post and the date's name only, so a subscriber's calendar updates
  the event in place when the post is edited;
- DTSTAMP and LAST-MODIFIED from the post's 수정일시, so the same content is the same bytes;
- times in Asia/Seoul (TZID and VTIMEZONE), dates without a time as all-day DATE values;
- events stay after their day (subscribers keep their history) for WINDOW after posting.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import registry
from .pagecache import cached_page
from .site_url import absolute_url
from .templatetags.portal import kdatetime

CONTENT_TYPE = "text/calendar; charset=utf-8"
SEOUL = ZoneInfo("Asia/Seoul")
UID_DOMAIN = "geumcheon.go.kr"
PRODID = "-//서울특별시 금천구청//누리집 일정 달력//KO"
# How far back a feed reaches, by 게시일시: a year of history, and the request stays an index range.
WINDOW = datetime.timedelta(days=365)
REFRESH = datetime.timedelta(hours=1)


def window_start(now):
    return now - WINDOW


@dataclass(frozen=True)
class Mark:
    """One date of a post: ``key`` goes into the UID ("start", "end"), ``label`` into the title."""

    key: str
    label: str
    moment: datetime.date  # a date, or an aware datetime


def post_event(board, post, mark, details):
    """The VEVENT of one date of ``post``; ``details``: (label, value) lines for DESCRIPTION."""
    url = absolute_url(post.get_absolute_url())
    lines = [f"{label}: {value}" for label, value in details if value]
    lines += [f"담당부서: {post.department.name}", *([f"연락처: {post.phone}"] if post.phone else []),
              f"자세히 보기: {url}"]
    event = icalendar.Event()
    event.add("uid", f"{board.slug}-{post.pk}-{mark.key}@{UID_DOMAIN}")
    event.add("dtstamp", post.updated_at.astimezone(datetime.timezone.utc))
    event.add("last-modified", post.updated_at.astimezone(datetime.timezone.utc))
    if isinstance(mark.moment, datetime.datetime):
        event.add("dtstart", timezone.localtime(mark.moment, SEOUL))  # a moment: no DTEND, it lasts no time
    else:
        event.add("dtstart", mark.moment)
        event.add("dtend", mark.moment + datetime.timedelta(days=1))  # all day
    event.add("summary", f"[{mark.label}] {post.title}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", [board.name])
    event.add("class", "PUBLIC")
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def calendar_bytes(board, *, name, description, events, feed_url_name):
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        method="PUBLISH",
        name=name,  # NAME and X-WR-CALNAME
        description=description,  # DESCRIPTION and X-WR-CALDESC
        uid=f"{board.slug}-calendar@{UID_DOMAIN}",
        url=absolute_url(reverse("boards:list", kwargs={"board": board.slug})),
        source=absolute_url(reverse(feed_url_name)),
    )
    calendar.add("x-wr-timezone", "Asia/Seoul")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH).to_ical().decode())  # Outlook's own
    # Always there, so that a calendar without events is still a valid one (RFC 5545 asks for a component).
    calendar.add_component(icalendar.Timezone.from_tzid("Asia/Seoul"))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def format_moment(value):
    """``2026. 1. 29.(목) 14:00`` (Seoul), or a date alone; '' for None."""
    return kdatetime(value) if value else ""


def board_feed(slug, *, name, description, posts, events, url_name):
    """The view of a board's calendar: ``posts(board, now)`` the posts in it, ``events(board, post)`` theirs."""

    @require_safe
    @cached_page(content_type=CONTENT_TYPE)
    def feed(request):
        board = registry.get(slug)
        found = [event for post in posts(board, timezone.now()) for event in events(board, post)]
        content = calendar_bytes(board, name=name, description=description, events=found, feed_url_name=url_name)
        return HttpResponse(content, content_type=CONTENT_TYPE)

    return feed
