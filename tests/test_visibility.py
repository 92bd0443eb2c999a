"""Drafts (is_published=False), scheduled posts (published_at in the future) and ended ones
(게시 종료일시 passed) are nowhere to be seen: home tabs, lists, search, detail, 붙임, feeds and sitemap.xml."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import BOARD_SLUGS, NewsFactory, NoticeFactory, make_attachment, make_post, sitemap_content

pytestmark = pytest.mark.django_db


def page_text(response):
    return re.sub(r"\s+", "", strip_tags(response.content.decode()))


@pytest.fixture(params=BOARD_SLUGS)
def board_posts(request):
    """One public, one draft and one scheduled post on the board, each with a 붙임."""
    slug = request.param
    posts = {
        "public": make_post(slug, title="누구나 보는 공개 게시글"),
        "draft": make_post(slug, title="아직 쓰는 중인 초안", is_published=False),
        "scheduled": make_post(
            slug, title="내일 열리는 예약 게시글",
            published_at=timezone.now() + datetime.timedelta(hours=1),
        ),
        "ended": make_post(
            slug, title="어제 게시가 끝난 게시글",
            published_at=timezone.now() - datetime.timedelta(days=3),
            unpublish_at=timezone.now() - datetime.timedelta(minutes=1),
        ),
    }
    files = {name: make_attachment(post) for name, post in posts.items()}
    return slug, posts, files


HIDDEN = ("draft", "scheduled", "ended")


def test_list_shows_only_public_posts(client, board_posts):
    slug, posts, _ = board_posts
    response = client.get(f"/{slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [posts["public"]]
    assert posts["public"].title in html
    assert f"/{slug}/{posts['public'].pk}/" in html
    for name in HIDDEN:
        assert posts[name].title not in html
        assert f"/{slug}/{posts[name].pk}/" not in html
    assert "총1건" in page_text(response)


def test_search_does_not_find_hidden_posts(client, board_posts):
    slug, posts, _ = board_posts
    response = client.get(f"/{slug}/", {"field": "title", "q": "예약 게시글"})
    assert list(response.context["page"].object_list) == []
    assert "총0건" in page_text(response)
    response = client.get(f"/{slug}/", {"field": "title", "q": "초안"})
    assert list(response.context["page"].object_list) == []
    response = client.get(f"/{slug}/", {"field": "title", "q": "게시가 끝난"})
    assert list(response.context["page"].object_list) == []


def test_site_search_does_not_find_hidden_posts_or_their_files(client, board_posts):
    slug, posts, files = board_posts
    html = client.get("/search/", {"q": "게시글"}).content.decode()
    assert f"/{slug}/{posts['public'].pk}/" in html
    for name in HIDDEN:
        assert f"/{slug}/{posts[name].pk}/" not in html
        assert f"/{slug}/files/{files[name].pk}/" not in html


def test_detail_is_404_for_hidden_posts(client, board_posts):
    slug, posts, _ = board_posts
    assert client.get(f"/{slug}/{posts['public'].pk}/").status_code == 200
    for name in HIDDEN:
        assert client.get(f"/{slug}/{posts[name].pk}/").status_code == 404


def test_hidden_posts_are_not_counted_as_viewed(client, board_posts):
    slug, posts, _ = board_posts
    client.get(f"/{slug}/{posts['draft'].pk}/")
    posts["draft"].refresh_from_db()
    assert posts["draft"].view_count == 0


def test_attachment_of_hidden_post_is_404(client, board_posts):
    slug, _, files = board_posts
    response = client.get(f"/{slug}/files/{files['public'].pk}/")
    assert response.status_code == 200
    with files["public"].file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    for name in HIDDEN:
        assert client.get(f"/{slug}/files/{files[name].pk}/").status_code == 404
        files[name].refresh_from_db()
        assert files[name].download_count == 0


def test_home_tab_shows_only_public_posts(client, board_posts):
    slug, posts, _ = board_posts
    response = client.get("/")
    tabs = {board.slug: list(items) for board, items in response.context["tabs"]}
    assert tabs[slug] == [posts["public"]]
    html = response.content.decode()
    assert posts["public"].title in html
    for name in HIDDEN:
        assert posts[name].title not in html


def test_feed_shows_only_public_posts(client, board_posts):
    slug, posts, _ = board_posts
    xml = client.get(f"/{slug}/rss/").content.decode()
    assert posts["public"].title in xml
    for name in HIDDEN:
        assert posts[name].title not in xml
        assert f"/{slug}/{posts[name].pk}/" not in xml


def test_sitemap_lists_only_public_posts(client, board_posts):
    slug, posts, _ = board_posts
    xml = sitemap_content(client)
    assert f"/{slug}/{posts['public'].pk}/</loc>" in xml
    for name in HIDDEN:
        assert f"/{slug}/{posts[name].pk}/</loc>" not in xml


def test_post_leaves_on_its_end_time_without_anyone_saving(client):
    post = NewsFactory(title="곧 게시가 끝나는 소식", unpublish_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get(f"/news/{post.pk}/").status_code == 200
    type(post).objects.filter(pk=post.pk).update(unpublish_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"/news/{post.pk}/").status_code == 404
    assert post.title not in client.get("/news/").content.decode()


def test_scheduled_post_appears_once_its_time_has_come(client):
    post = NewsFactory(title="정오에 열리는 소식", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get(f"/news/{post.pk}/").status_code == 404
    type(post).objects.filter(pk=post.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"/news/{post.pk}/").status_code == 200
    assert post.title in client.get("/news/").content.decode()


class TestNewsAndNoticesStayApart:
    """금천소식 and 고시공고 share one table; each board shows only its own kind."""

    @pytest.fixture
    def news(self):
        return NewsFactory(title="금천소식에만 있는 글")

    @pytest.fixture
    def notice(self):
        return NoticeFactory(title="고시공고에만 있는 글")

    def test_lists(self, client, news, notice):
        news_html = client.get("/news/").content.decode()
        notices_html = client.get("/notices/").content.decode()
        assert news.title in news_html and notice.title not in news_html
        assert notice.title in notices_html and news.title not in notices_html

    def test_detail_under_the_wrong_board_is_404(self, client, news, notice):
        assert client.get(f"/news/{news.pk}/").status_code == 200
        assert client.get(f"/notices/{notice.pk}/").status_code == 200
        assert client.get(f"/notices/{news.pk}/").status_code == 404
        assert client.get(f"/news/{notice.pk}/").status_code == 404

    def test_attachment_under_the_wrong_board_is_404(self, client, news, notice):
        news_file, notice_file = make_attachment(news), make_attachment(notice)
        assert client.get(f"/notices/files/{news_file.pk}/").status_code == 404
        assert client.get(f"/news/files/{notice_file.pk}/").status_code == 404

    def test_search_stays_on_its_board(self, client, news, notice):
        response = client.get("/news/", {"q": "있는 글"})
        assert list(response.context["page"].object_list) == [news]

    def test_home_tabs(self, client, news, notice):
        tabs = {board.slug: list(items) for board, items in client.get("/").context["tabs"]}
        assert tabs["news"] == [news]
        assert tabs["notices"] == [notice]

    def test_feeds(self, client, news, notice):
        news_feed = client.get("/news/rss/").content.decode()
        notices_feed = client.get("/notices/rss/").content.decode()
        assert news.title in news_feed and notice.title not in news_feed
        assert notice.title in notices_feed and news.title not in notices_feed

    def test_sitemap_uses_each_posts_own_board(self, client, news, notice):
        xml = sitemap_content(client)
        assert f"/news/{news.pk}/</loc>" in xml
        assert f"/notices/{notice.pk}/</loc>" in xml
        assert f"/notices/{news.pk}/</loc>" not in xml
        assert f"/news/{notice.pk}/</loc>" not in xml


def test_public_scheduled_and_ended_are_one_rule_for_rows_and_querysets(board_posts):
    """PostQuerySet.published()/.scheduled()/.ended() and Post.publication_state() agree on every post."""
    now = timezone.now()
    _, posts, _ = board_posts
    for state, post in posts.items():
        model = type(post)
        expected = {"draft": "private"}.get(state, state)
        assert post.publication_state(now) == expected
        assert model.objects.published(now).filter(pk=post.pk).exists() == (expected == "public")
        assert model.objects.scheduled(now).filter(pk=post.pk).exists() == (expected == "scheduled")
        assert model.objects.ended(now).filter(pk=post.pk).exists() == (expected == "ended")
        assert post.is_public == (expected == "public")
