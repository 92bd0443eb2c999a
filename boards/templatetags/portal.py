"""Template filters and tags for the resident-facing pages.

Dates are written the way Korean public notices write them: ``2026. 1. 29.(목)``.
"""

import datetime
import re
from html import escape
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()

SEOUL = ZoneInfo("Asia/Seoul")
WEEKDAYS = "월화수목금토일"
PAGE_WINDOW = 10


def _seoul(value):
    """A date stays as it is; an aware datetime is moved to Seoul time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(SEOUL)
    return value


@register.filter
def kdate(value):
    """``2026. 1. 29.(목)`` for a date or datetime; '' for anything else."""
    if not isinstance(value, datetime.date):
        return ""
    day = _seoul(value)
    return f"{day.year}. {day.month}. {day.day}.({WEEKDAYS[day.weekday()]})"


@register.filter
def iso(value):
    """What ``|date:'c'`` gives (ISO 8601, Seoul time) for a ``<time datetime>``, without Django's
    date formatter or its move to local time: it is on every row of every list, and those took 28 µs
    and 10 µs each."""
    return _seoul(value).isoformat() if isinstance(value, datetime.date) else ""


@register.filter
def kdatetime(value):
    """``2026. 1. 29.(목) 14:00``; a plain date gets no time."""
    if not isinstance(value, datetime.datetime):
        return kdate(value)
    moment = _seoul(value)
    return f"{kdate(moment)} {moment:%H:%M}"


@register.filter
def filesize_ko(value):
    """``512 B``, ``12.3 KB``, ``1.2 MB``: one decimal, binary units."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{max(size, 0)} B"
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if round(amount, 1) < 1024:
            return f"{amount:.1f} {unit}"
    return f"{amount / 1024:.1f} TB"


@register.filter
def tel_href(value):
    """``tel:0226271316`` from ``02-2627-1316``; only the first number of ``02-2104-5562~3``."""
    first = re.split(r"[~,/]", str(value or ""), maxsplit=1)[0]
    digits = re.sub(r"\D", "", first)
    return f"tel:{digits}" if digits else ""


@register.filter
def number_comma(value):
    """``12,000,000`` (thousands separators regardless of locale settings)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def list_number(page, index):
    """The 번호 column: counts down from the total across pages."""
    return page.paginator.count - (page.start_index() - 1) - index


# A board list's row. The rows were the largest part of a list page's work (the template engine
# took about 0.35 million instructions to fill each one), so they are filled here, in Python, as
# Django's admin fills its change list. The cells are those of the <thead> in templates/boards/list.html.
ROW = """
      <tr>
        <td class="col-num">{number}</td>
        <td class="col-title">
          {badge}
          <a href="{url}">{title}</a>
        </td>
        <td class="col-dept" data-label="담당부서">{department}</td>
        <td class="col-date" data-label="등록일"><time datetime="{iso}">{date}</time></td>
        <td class="col-views" data-label="조회수">{views}</td>
        <td class="col-file">{attachment}</td>
      </tr>
      """
ATTACHMENT_MARK = mark_safe(
    '<svg class="icon-file" role="img" aria-label="첨부파일 있음" viewBox="0 0 24 24" width="20" height="20"'
    ' focusable="false"><title>첨부파일 있음</title><path fill="currentColor"'
    ' d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5'
    ' 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10h-1.5z"/></svg>'
)


@register.simple_tag
def post_badge(post):
    """The post's own mark (``list_badge``: 고시공고's number, 채용공고's 접수 state), or ''."""
    badge = post.list_badge
    return mark_safe(f'<span class="badge {escape(badge.css)}">{escape(badge.text)}</span>') if badge else ""


@register.simple_tag
def list_table_rows(page):
    """The <tr> of every post of a board list's page (ROW)."""
    return mark_safe("".join(_list_row(page, index, post) for index, post in enumerate(page.object_list)))


def _list_row(page, index, post):
    """ROW filled in, every text escaped (html.escape: what Django's escape calls, a third of its cost)."""
    return ROW.format(
        number=list_number(page, index), url=escape(post.get_absolute_url()), title=escape(post.title),
        badge=post_badge(post),
        department=escape(post.department_name or ""), iso=iso(post.published_at),
        date=kdate(post.published_at), views=int(post.view_count),
        attachment=ATTACHMENT_MARK if post.has_attachments else "",
    )


# A post in the home page's 주요소식 tabs: 25 of them, filled here for the reason given above ROW.
NEWS_ITEM = """
        <li class="news-item">
          <a href="{url}">{title}</a>
          <time datetime="{iso}">{date}</time>
        </li>
        """


@register.simple_tag
def news_items(posts):
    """The <li> of each of a tab's posts (NEWS_ITEM)."""
    return mark_safe("".join(
        NEWS_ITEM.format(url=escape(post.get_absolute_url()), title=escape(post.title),
                         iso=iso(post.published_at), date=kdate(post.published_at))
        for post in posts
    ))


@register.simple_tag
def page_window(page, size=PAGE_WINDOW):
    """Up to ``size`` page numbers around the current one."""
    last = page.paginator.num_pages
    start = max(1, min(page.number - size // 2 + 1, last - size + 1))
    return range(start, min(last, start + size - 1) + 1)


@register.simple_tag(takes_context=True)
def page_links(context, page):
    """The pagination's links: ``previous``, ``next`` (or None), ``numbers`` ([(number, href, is_current)]).

    The page's query string with its ``page=`` replaced, built once per page rather than once
    per link (``{% querystring %}`` copied and encoded the query for each of a dozen links).
    """
    query = context["request"].GET.copy()
    query.pop("page", None)
    base = query.urlencode()

    def href(number):
        return f"?{base}&page={number}" if base else f"?page={number}"

    return {
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
        "numbers": [(number, href(number), number == page.number) for number in page_window(page)],
    }


@register.filter
def preview_blocks(blocks):
    """Stored 바로보기 blocks as dicts, tables numbered in reading order (표 1, 표 2 …)."""
    numbered, tables = [], 0
    for kind, content, where, *_ in blocks or []:
        if kind == "table":
            tables += 1
        numbered.append({"kind": kind, "content": content, "where": where, "number": tables})
    return numbered
