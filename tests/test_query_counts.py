"""Pages cost a fixed number of SQL queries, however many rows they show.

Every post here has a department of its own, a 붙임 (보도자료 also a photo) and the
fields of its board's list badge, so a
template that follows a relation row by row (N+1) adds queries and fails. The
numbers are exact: a change in them is either a regression or a deliberate change
to write down here.
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from tests.factories import (
    sitemap_urls,
    BOARD_SLUGS,
    CultureTrailFactory,
    DepartmentFactory,
    HeroBannerFactory,
    PressPhotoFactory,
    QuickLinkFactory,
    make_attachment,
    make_post,
)

pytestmark = pytest.mark.django_db

# Every page not served from the cache asks for the 긴급 공지 showing now (home.SiteAlert).
ALERTS = 1
# Banners, quick links, the board tabs (one statement for all five: boards/headlines.py), trails.
HOME_QUERIES = 4 + ALERTS
# COUNT(*) for the paginator; the page of rows with the department joined and
# has_attachments as an EXISTS subquery.
LIST_QUERIES = 2 + ALERTS
# A search adds nothing: on PostgreSQL its keys are a subquery of the same statements (search/engine.py).
LIST_SEARCH_QUERIES = LIST_QUERIES
# The latest items with their department joined.
FEED_QUERIES = 1
# The post with its department; its 붙임 (prefetch); the view counter UPDATE; 이전글 and 다음글
# (one statement).
DETAIL_QUERIES = 4 + ALERTS
# The same plus the press photos (prefetch).
PRESS_DETAIL_QUERIES = 5 + ALERTS
# The sitemap index: one COUNT(*) per section (5 boards + trails) for its page count.
SITEMAP_INDEX_QUERIES = 6
# One section: a COUNT(*) for its paginator and the page of URLs.
SITEMAP_SECTION_QUERIES = 2


# What a board's list_badge reads, so that a column missing from the list's rows shows as queries.
NUMBERS = itertools.count(1)
BADGE_FIELDS = {
    "notices": lambda n: {"number_year": 2026, "number_seq": next(NUMBERS)},
    "recruitment": lambda n: {"apply_start": timezone.now() - datetime.timedelta(days=1),
                              "apply_end": timezone.now() + datetime.timedelta(days=n + 1)},
}


def fill(slug, count):
    posts = []
    for n in range(count):
        post = make_post(slug, department=DepartmentFactory(), **BADGE_FIELDS.get(slug, lambda n: {})(n))
        make_attachment(post)
        if slug == "press":
            PressPhotoFactory(post=post)
        posts.append(post)
    return posts


def fill_home(count):
    for slug in BOARD_SLUGS:
        fill(slug, count)
    for _ in range(count):
        HeroBannerFactory()
        QuickLinkFactory()
    for n in range(min(count, 3)):
        CultureTrailFactory()


def test_home(client, django_assert_num_queries):
    fill_home(3)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert [len(posts) for _, posts in response.context["tabs"]] == [3] * 5

    fill_home(27)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert [len(posts) for _, posts in response.context["tabs"]] == [5] * 5
    assert len(response.context["banners"]) == 30
    # A headline needs its title, date and link: the bodies are never read for the home page.
    assert all({"body", "body_text"} <= post.get_deferred_fields() for _, posts in response.context["tabs"] for post in posts)


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_list(client, django_assert_num_queries, slug):
    fill(slug, 3)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"/{slug}/")
    assert len(response.context["page"].object_list) == 3
    assert all({"body", "body_text"} <= post.get_deferred_fields() for post in response.context["page"].object_list)

    fill(slug, 27)
    for params in ({}, {"page": 3}, {"q": "테스트 게시글", "field": "all"}, {"q": "게시글", "field": "title"}):
        with django_assert_num_queries(LIST_SEARCH_QUERIES if "q" in params else LIST_QUERIES):
            response = client.get(f"/{slug}/", params)
        assert len(response.context["page"].object_list) == 10, params


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_feed(client, django_assert_num_queries, slug):
    fill(slug, 3)
    with django_assert_num_queries(FEED_QUERIES):
        assert client.get(f"/{slug}/rss/").content.count(b"<item>") == 3

    fill(slug, 27)
    with django_assert_num_queries(FEED_QUERIES):
        assert client.get(f"/{slug}/rss/").content.count(b"<item>") == 20


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_detail(client, django_assert_num_queries, slug):
    expected = PRESS_DETAIL_QUERIES if slug == "press" else DETAIL_QUERIES
    newer, post, older = fill(slug, 3)  # each post fill() makes is older than the last

    with django_assert_num_queries(expected):
        response = client.get(f"/{slug}/{post.pk}/")
    assert (response.context["previous"], response.context["next"]) == (older, newer)
    assert response.content.decode().count(f"/{slug}/files/") == 2 * 1

    for _ in range(4):
        make_attachment(post)
        if slug == "press":
            PressPhotoFactory(post=post)
    with django_assert_num_queries(expected):
        response = client.get(f"/{slug}/{post.pk}/")
    # Each 붙임 has a download link and a 바로보기 link.
    assert response.content.decode().count(f"/{slug}/files/") == 2 * 5


def test_sitemap(client, django_assert_num_queries):
    for slug in BOARD_SLUGS:
        fill(slug, 3)
    CultureTrailFactory()
    with django_assert_num_queries(SITEMAP_INDEX_QUERIES):
        assert client.get("/sitemap.xml").content.count(b"<sitemap>") == 6
    with django_assert_num_queries(SITEMAP_SECTION_QUERIES):
        assert client.get("/sitemap-news.xml").content.count(b"<url>") == 3

    for slug in BOARD_SLUGS:
        fill(slug, 27)
    CultureTrailFactory()
    with django_assert_num_queries(SITEMAP_INDEX_QUERIES):
        assert client.get("/sitemap.xml").content.count(b"<sitemap>") == 6
    with django_assert_num_queries(SITEMAP_SECTION_QUERIES):
        assert client.get("/sitemap-news.xml").content.count(b"<url>") == 30
    assert len(sitemap_urls(client)) == 5 * 30 + 2
