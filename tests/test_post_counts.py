"""총 N건 from the count the database keeps (boards/post_counts.py): exact through every way a post changes."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from boards import registry
from boards.models import BoardCount
from boards.post_counts import public_count
from editorial.takedown import take_down
from notices.models import Notice
from tests.factories import BOARD_SLUGS, make_post

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def assert_exact(now=None):
    now = now or timezone.now()
    for board in registry.all_boards():
        assert public_count(board, now) == board.posts().published(now).count(), board.slug


def test_the_kept_count_is_exact_through_every_kind_of_change():
    now = timezone.now()
    posts = {}
    for slug in BOARD_SLUGS:
        posts[slug] = [
            make_post(slug),
            make_post(slug, is_published=False),
            make_post(slug, published_at=now + HOUR),  # scheduled
            make_post(slug, unpublish_at=now + HOUR),  # public, with an end ahead
            make_post(slug, published_at=now - 3 * HOUR, unpublish_at=now - HOUR),  # ended
            make_post(slug, published_at=now + HOUR, unpublish_at=now + 2 * HOUR),  # scheduled with an end
        ]
    assert_exact(now)
    assert_exact(now + 90 * datetime.timedelta(minutes=1))  # the scheduled ones started, one end passed
    assert_exact(now + 3 * HOUR)

    news = posts["news"]
    news[1].is_published = True
    news[1].save()  # switched on in the admin
    assert_exact()
    type(news[0]).objects.filter(pk=news[0].pk).update(is_published=False)  # an update() too
    assert_exact()
    news[3].unpublish_at = None
    news[3].save()  # its end removed
    assert_exact()
    news[2].kind = "notice"
    news[2].save()  # moved to another board on the same table
    assert_exact()
    take_down([posts["press"][0]], user=None, reason="wrong_post")
    assert_exact()
    posts["recruitment"][0].delete()
    assert_exact()
    Notice.objects.filter(kind="news").delete()  # a bulk delete
    assert_exact()


def test_bulk_inserts_are_counted_too():
    board = registry.get("press")
    model = board.model
    template = make_post("press")
    rows = [model(title=f"보도 {n}", department=template.department, published_at=template.published_at)
            for n in range(7)]
    model.objects.bulk_create(rows)
    assert public_count(board, timezone.now()) == 8
    assert_exact()


def test_saves_that_change_nothing_public_leave_the_count_alone():
    post = make_post("news")
    kept = BoardCount.objects.get(board_table="notices_notice", board_key="news").open
    post.title = "제목만 고침"
    post.save()
    type(post).objects.filter(pk=post.pk).update(view_count=99)
    assert BoardCount.objects.get(board_table="notices_notice", board_key="news").open == kept == 1


def test_a_board_list_says_the_exact_total_without_counting_the_board(client, django_assert_num_queries):
    now = timezone.now()
    for _ in range(3):
        make_post("news")
    make_post("news", published_at=now + HOUR)
    make_post("news", unpublish_at=now + HOUR)
    make_post("news", published_at=now - 3 * HOUR, unpublish_at=now - HOUR)
    with django_assert_num_queries(3) as captured:  # the total, the page of rows, the 긴급 공지
        page = client.get("/news/").content.decode()
    assert re.search(r"총\s*<strong>4</strong>\s*건", page), re.findall(r"총.{0,40}건", page)
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    assert "boards_boardcount" in statements
    searched = client.get("/news/?q=없는낱말").content.decode()  # a search still counts what it finds
    assert re.search(r"총\s*<strong>0</strong>\s*건", searched)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")
def test_the_total_reads_only_the_scheduled_and_the_ending_posts():
    board = registry.get("news")
    now = timezone.now()
    for _ in range(30):
        make_post("news")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notices_notice")
    from boards.post_counts import public_count_sql

    sql, params = public_count_sql(board, now)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    posts_reads = [line for line in plan.splitlines() if " on notices_notice" in line]
    assert len(posts_reads) == 2 and all("Index" in line for line in posts_reads), plan
    assert "Seq Scan" not in plan, plan


def test_the_open_api_total_of_a_whole_board_comes_from_the_kept_count_too(client, django_assert_num_queries):
    now = timezone.now()
    make_post("press")
    make_post("press", published_at=now + HOUR)
    with django_assert_num_queries(2) as captured:  # the total, the page of rows
        body = client.get("/api/v1/press/").json()["response"]["body"]
    assert body["totalCount"] == 1 and "boards_boardcount" in captured.captured_queries[0]["sql"]
    assert client.get("/api/v1/press/?keyword=없는낱말").json()["response"]["body"]["totalCount"] == 0
