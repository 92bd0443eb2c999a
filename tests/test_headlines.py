"""The home page's 주요소식 tabs in one statement (boards/headlines.py): the same posts, in the
same order, as each board's ``published().latest_first()`` would give."""

import datetime

import pytest
from django.utils import timezone

from boards import registry
from boards.headlines import latest_headlines
from tests.factories import BOARD_SLUGS, make_post

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
        make_post(slug, published_at=now - datetime.timedelta(days=1), unpublish_at=now - datetime.timedelta(minutes=1))

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

    tabs = {board.slug: posts for board, posts in latest_headlines([registry.get("news"), registry.get("notices")], 5)}

    assert tabs == {"news": [news], "notices": [notice]}


def test_an_empty_board_has_an_empty_tab_and_no_boards_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert latest_headlines([], 5) == []
    assert latest_headlines([registry.get("press")], 5) == [(registry.get("press"), [])]
