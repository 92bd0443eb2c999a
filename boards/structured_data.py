"""schema.org JSON-LD for search engines: the office on the home page, breadcrumbs on content pages,
and a board's own item on its post pages (채용공고: JobPosting, recruitment/structured_data.py).

Items are plain dicts built here and in the board apps; ``json_ld`` writes them into the page as
Django's ``json_script`` does (``<``, ``>`` and ``&`` as ``\\u`` escapes), so no title can end the
script element or open a comment. Links are absolute from SITE_URL (boards/site_url.py).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .site_url import absolute_url

CONTEXT = "https://schema.org"
OFFICE_NAME = "서울특별시 금천구청"
DISTRICT_NAME = "서울특별시 금천구"
# 대표전화 02-2627-2114, written with the country code as schema.org's telephone asks.
OFFICE_TELEPHONE = "+82-2-2627-2114"
HOME_CRUMB = "홈"  # the first item of every visible breadcrumb (templates/base.html)
POST_CRUMB = "글 보기"  # the last item of a post page's breadcrumb (templates/boards/detail.html)

_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(*items):
    """``<script type="application/ld+json">`` for each item that is not None."""
    scripts = []
    for item in items:
        if item is None:
            continue
        text = json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
        scripts.append(format_html('<script type="application/ld+json">{}</script>', mark_safe(text)))
    return mark_safe("\n".join(scripts))


def site_home():
    return absolute_url(reverse("home:index"))


def logo_url():
    logo = static("img/logo.svg")
    return logo if "://" in logo else absolute_url(logo)


def office_address():
    return {
        "@type": "PostalAddress",
        "streetAddress": "시흥대로73길 70",
        "addressLocality": "금천구",
        "addressRegion": "서울특별시",
        "postalCode": "08611",
        "addressCountry": "KR",
    }


def government_organization():
    """The office itself (home page)."""
    return {
        "@context": CONTEXT,
        "@type": "GovernmentOrganization",
        "name": OFFICE_NAME,
        "url": site_home(),
        "logo": logo_url(),
        "address": office_address(),
        "telephone": OFFICE_TELEPHONE,
    }


def breadcrumb_list(*crumbs):
    """``crumbs``: (name, path) pairs after 홈, as the visible breadcrumb shows them."""
    items = [(HOME_CRUMB, reverse("home:index")), *crumbs]
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(name), "item": absolute_url(path)}
            for position, (name, path) in enumerate(items, start=1)
        ],
    }


def board_list_items(board):
    return [breadcrumb_list((board.name, reverse("boards:list", kwargs={"board": board.slug})))]


def post_items(board, post):
    """A post page: its breadcrumb, and the board's own item (None when the board has none)."""
    breadcrumb = breadcrumb_list(
        (board.name, reverse("boards:list", kwargs={"board": board.slug})),
        (POST_CRUMB, post.get_absolute_url()),
    )
    make_item = board.post_schema_item
    return [breadcrumb, make_item(post) if make_item else None]
