"""RSS per board and sitemap.xml for every board and the culture trails."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from boards.feeds import FEED_SIZE
from tests.factories import BOARD_SLUGS, CultureTrailFactory, make_post, sitemap_content, sitemap_urls

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BOARD_NAMES = {"news": "금천소식", "notices": "고시공고", "recruitment": "채용공고",
               "contracts": "소액수의 계약", "press": "보도자료"}


def ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def rss_items(response):
    channel = ET.fromstring(response.content).find("channel")
    return channel, [
        {child.tag: child.text for child in item} for item in channel.findall("item")
    ]


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_feed_lists_published_items_newest_first(client, slug):
    older = make_post(slug, title="지난주 올린 글", body="<p>첫 <b>본문</b></p>", published_at=ago(60 * 24 * 7))
    newer = make_post(slug, title="오늘 올린 글 & 안내", published_at=ago(5))
    make_post(slug, title="비공개 글", is_published=False)
    make_post(slug, title="예약 글", published_at=timezone.now() + datetime.timedelta(minutes=5))

    response = client.get(f"/{slug}/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel, items = rss_items(response)
    assert channel.findtext("title") == f"{BOARD_NAMES[slug]} | 금천구청"
    assert channel.findtext("link") == f"http://testserver/{slug}/"
    assert [item["title"] for item in items] == [newer.title, older.title]
    assert [item["link"] for item in items] == [
        f"http://testserver/{slug}/{newer.pk}/",
        f"http://testserver/{slug}/{older.pk}/",
    ]
    assert items[1]["description"] == "첫 본문"


def test_feed_is_capped(client):
    for n in range(FEED_SIZE + 5):
        make_post("press", title=f"보도자료 {n}", published_at=ago(n + 1))
    _, items = rss_items(client.get("/press/rss/"))
    assert [item["title"] for item in items] == [f"보도자료 {n}" for n in range(FEED_SIZE)]


def test_sitemap_lists_every_board_and_the_trails(client):
    public = {slug: make_post(slug, title=f"{slug} 공개") for slug in BOARD_SLUGS}
    hidden = [make_post(slug, is_published=False) for slug in BOARD_SLUGS] + [
        make_post(slug, published_at=timezone.now() + datetime.timedelta(hours=2)) for slug in BOARD_SLUGS
    ]
    trail = CultureTrailFactory(slug="hoamsan")
    hidden_trail = CultureTrailFactory(slug="closed-trail", is_published=False)

    locations = [loc for loc, _ in sitemap_urls(client)]
    content = sitemap_content(client)
    expected = {f"http://testserver/{slug}/{post.pk}/" for slug, post in public.items()}
    expected.add("http://testserver/trails/hoamsan/")
    assert set(locations) == expected
    assert len(locations) == len(expected)
    for post in hidden:
        assert f"/{post.board_slug}/{post.pk}/" not in content
    assert f"/trails/{hidden_trail.slug}/" not in content
    assert trail.slug in content


def test_sitemap_lastmod_is_the_posts_update_time(client):
    post = make_post("notices")
    ((loc, lastmod),) = sitemap_urls(client)
    assert loc == f"http://testserver/notices/{post.pk}/"
    assert lastmod == timezone.localdate(post.updated_at).isoformat()
