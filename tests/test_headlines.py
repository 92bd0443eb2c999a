"""The home page's statements, written as plain SQL: the same rows, in the same order, as the
ORM querysets they stand for (주요소식 tabs: boards/headlines.py; banners, quick links, trails)."""

import datetime

import pytest
from django.utils import timezone

from boards import registry
from boards.headlines import latest_headlines
from tests.factories import BOARD_SLUGS, CultureTrailFactory, HeroBannerFactory, QuickLinkFactory, make_post
from tourism.models import CultureTrail

pytestmark = pytest.mark.django_db


def test_each_board_gets_its_newest_public_posts_as_the_orm_lists_them():
    now = timezone.now()
    same_moment = now - datetime.timedelta(hours=2)
    for slug in BOARD_SLUGS:
        for days in (1, 3, 5, 7):
            make_post(slug, published_at=now - datetime.timedelta(days=days))
        make_post(slug, published_at=same_moment)
        make_post(slug, published_at=same_moment)  # a tie: the higher id first, as in the list
        make_post(slug, is_published=False)
        make_post(slug, published_at=now + datetime.timedelta(hours=1))
        make_post(slug, published_at=now - datetime.timedelta(days=1),
                  unpublish_at=now - datetime.timedelta(minutes=1))

    boards = [registry.get(slug) for slug in BOARD_SLUGS]
    tabs = latest_headlines(boards, 5)

    assert [board for board, _ in tabs] == boards
    for board, posts in tabs:
        expected = list(board.posts().published().latest_first()[:5])
        assert posts == expected
        assert [post.published_at for post in posts] == [post.published_at for post in expected]
        assert all(timezone.is_aware(post.published_at) for post in posts)
        assert all(type(post) is board.model and registry.board_of(post) == board for post in posts)
        assert [post.title for post in posts] == [post.title for post in expected]
        assert posts[0].get_absolute_url() == f"/{board.slug}/{posts[0].pk}/"


def test_boards_sharing_a_table_keep_their_own_posts():
    news = make_post("news", title="금천소식 글")
    notice = make_post("notices", title="고시공고 글")

    boards = [registry.get("news"), registry.get("notices")]
    tabs = {board.slug: posts for board, posts in latest_headlines(boards, 5)}

    assert tabs == {"news": [news], "notices": [notice]}


def test_an_empty_board_has_an_empty_tab_and_no_boards_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert latest_headlines([], 5) == []
    assert latest_headlines([registry.get("press")], 5) == [(registry.get("press"), [])]


def test_banners_and_quick_links_shown_are_the_current_ones_in_display_order():
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    for factory in (HeroBannerFactory, QuickLinkFactory):
        factory(order=2)
        factory(order=1, display_end=now + hour)
        factory(order=1)  # a tie: by id
        factory(order=0, is_active=False)
        factory(order=0, display_start=now + hour)
        factory(order=0, display_start=now - 2 * hour, display_end=now - hour)
        model = factory._meta.model
        assert list(model.objects.shown(now)) == list(model.objects.current(now).order_by("order", "id"))
        assert len(list(model.objects.shown(now))) == 3


def test_the_home_trails_are_the_first_published_in_list_order():
    for order in (3, 1, 2, 1, 0):
        CultureTrailFactory(order=order)
    CultureTrailFactory(order=0, is_published=False)
    assert list(CultureTrail.objects.listed(3)) == list(CultureTrail.objects.published()[:3])
    assert list(CultureTrail.objects.listed()) == list(CultureTrail.objects.published())
