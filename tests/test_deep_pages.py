"""Deep list pages start from the month they fall in (boards/month_counts.py): the posts OFFSET gives."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from boards import month_counts, post_counts, registry, views
from boards.listing import public_ids
from boards.models import BoardMonth
from boards.month_counts import months_and_total, public_months, public_months_sql, seek
from editorial.takedown import take_down
from notices.models import Notice
from tests.factories import BOARD_SLUGS, make_post

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


def expected_months(board, now):
    """The ORM's answer: public posts at ``now`` by UTC month, newest first."""
    months = {}
    for moment in board.posts().published(now).values_list("published_at", flat=True):
        month = moment.astimezone(UTC).strftime("%Y-%m")
        months[month] = months.get(month, 0) + 1
    return sorted(months.items(), reverse=True)


def assert_exact(now=None):
    now = now or timezone.now()
    for board in registry.all_boards():
        assert public_months(board, now) == expected_months(board, now), board.slug


def at(year, month, day=1, hour=0, *rest):
    return datetime.datetime(year, month, day, hour, *rest, tzinfo=UTC)


def test_the_monthly_counts_are_exact_through_every_kind_of_change():
    now = timezone.now()
    posts = {}
    for slug in BOARD_SLUGS:
        posts[slug] = [
            make_post(slug, published_at=at(2024, 1, 31, 23, 59, 59, 999999)),  # the last moment of a month
            make_post(slug, published_at=at(2024, 2, 1)),  # the first of the next
            make_post(slug, published_at=at(2024, 2, 1) - 9 * HOUR),  # Seoul's 1 February, UTC's January
            make_post(slug, is_published=False),
            make_post(slug, published_at=now + HOUR),  # scheduled
            make_post(slug, published_at=at(2023, 5, 5), unpublish_at=now + HOUR),  # public, an end ahead
            make_post(slug, published_at=at(2023, 5, 6), unpublish_at=now - HOUR),  # ended
            make_post(slug, published_at=now + HOUR, unpublish_at=now + 2 * HOUR),  # scheduled with an end
        ]
    assert_exact(now)
    assert_exact(now + 90 * datetime.timedelta(minutes=1))  # the scheduled ones started, one end passed
    assert_exact(now + 3 * HOUR)

    news = posts["news"]
    news[0].published_at = at(2022, 7, 1)
    news[0].save()  # its 게시일시 moved to another month
    assert_exact()
    type(news[1]).objects.filter(pk=news[1].pk).update(published_at=at(2021, 3, 3))  # by update() too
    assert_exact()
    news[3].is_published = True
    news[3].save()  # switched on in the admin
    assert_exact()
    news[5].unpublish_at = None
    news[5].save()  # its end removed
    assert_exact()
    news[2].kind = "notice"
    news[2].save()  # moved to another board on the same table
    assert_exact()
    take_down([posts["press"][0]], user=None, reason="wrong_post")
    assert_exact()
    posts["recruitment"][1].delete()
    assert_exact()
    board = registry.get("press")
    board.model.objects.bulk_create([
        board.model(title=f"보도 {n}", department=posts["press"][1].department, published_at=at(2020, n, 9))
        for n in range(1, 4)
    ])
    assert_exact()
    Notice.objects.filter(kind="news").delete()  # a bulk delete
    assert_exact()


def test_recount_rebuilds_the_months_too():
    for slug in BOARD_SLUGS:
        make_post(slug, published_at=at(2024, 3, 3))
        make_post(slug, published_at=at(2025, 4, 4))
    BoardMonth.objects.all().delete()
    post_counts.recount()
    assert_exact()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk loads pause PostgreSQL's triggers")
def test_posts_loaded_with_the_triggers_paused_are_counted_by_month_after():
    board = registry.get("press")
    template = make_post("press", published_at=at(2024, 3, 3))
    with connection.cursor() as cursor:  # no 부서 check left pending inside the test's transaction
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with post_counts.triggers_paused():
        board.model.objects.bulk_create([
            board.model(title=f"보도 {n}", department=template.department, published_at=at(2024, n, 2))
            for n in range(1, 6)
        ])
        assert public_months(board, timezone.now()) == [("2024-03", 1)]  # nothing counted while paused
    assert_exact()


def make_months(slug, now):
    """Posts over four months with ties, boundaries, a scheduled, an ended and an ending post between them."""
    made = []
    for (year, month), many in zip(((2023, 11), (2023, 12), (2024, 1), (2024, 2)), (4, 7, 1, 5)):
        for n in range(many):
            made.append(make_post(slug, published_at=at(year, month, 1 + n)))
    made.append(make_post(slug, published_at=at(2024, 1, 1)))  # the same moment as another: tied by id
    made.append(make_post(slug, published_at=at(2024, 2, 29, 23, 59, 59, 999999)))
    made.append(make_post(slug, published_at=now + HOUR))  # scheduled: on no page yet
    made.append(make_post(slug, published_at=at(2023, 12, 3), unpublish_at=now - HOUR))  # ended
    made.append(make_post(slug, published_at=at(2023, 12, 4), unpublish_at=now + HOUR))  # ending later
    made.append(make_post(slug, published_at=at(2023, 11, 9), is_published=False))
    return made


@pytest.mark.parametrize("slug", ["news", "press"])  # a board sharing its table, a board of its own
def test_every_page_read_from_its_month_is_the_page_offset_would_give(settings, monkeypatch, slug):
    settings.BOARD_PAGE_SIZE = 3
    monkeypatch.setattr(views, "DEEP_OFFSET", 0)  # every page from its month
    now = timezone.now()
    make_months(slug, now)
    make_months("notices" if slug == "news" else "contracts", now)  # another board's posts in the same months
    board = registry.get(slug)
    expected = list(board.posts().published(now).latest_first().values_list("id", flat=True))
    assert len(expected) == 20  # 17 in the months, the tie, the last moment of February, the ending one
    paginator = views.LateRowPaginator(board, now)
    for number in paginator.page_range:
        shown = [post.id for post in paginator.page(number).object_list]
        assert shown == expected[(number - 1) * 3:number * 3], number
    for number in [*paginator.page_range, 99]:  # as a request asks: the total and the months together
        fresh = views.LateRowPaginator(board, now)
        shown = [post.id for post in fresh.get_page(number).object_list]
        assert shown == expected[(min(number, 7) - 1) * 3:min(number, 7) * 3], number
        assert fresh.count == len(expected) and fresh.months is not None
    months = public_months(board, now)
    assert months_and_total(board, now) == (months, len(expected))
    for offset in range(len(expected)):  # every start, not only the pages'
        before, rest = seek(months, len(expected), offset)
        sql, params = public_ids(board, now, rest, 4, before=before)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert [row[0] for row in cursor.fetchall()] == expected[offset:offset + 4], offset
    # Past the end: a plain OFFSET, which finds nothing.
    assert seek(months, len(expected), len(expected)) == (None, len(expected))


def test_seek_names_the_month_after_and_the_offset_into_it():
    now = timezone.now()
    for day in (1, 2):
        make_post("press", published_at=at(2024, 12, day))  # December: its month after is next January
    for day in (1, 2, 3):
        make_post("press", published_at=at(2024, 11, day))
    board = registry.get("press")
    months = public_months(board, now)
    assert months == [("2024-12", 2), ("2024-11", 3)]
    assert seek(months, 5, 0) == (at(2025, 1, 1), 0)
    assert seek(months, 5, 1) == (at(2025, 1, 1), 1)
    assert seek(months, 5, 2) == (at(2024, 12, 1), 0)
    assert seek(months, 5, 4) == (at(2024, 12, 1), 2)
    assert seek(months, 5, 5) == (None, 5)
    assert seek(months, 6, 2) == (None, 2)  # months and 총 N건 disagree: a plain OFFSET


def test_a_deep_page_reads_from_its_month_and_a_shallow_one_does_not(client, settings, monkeypatch,
                                                                       django_assert_num_queries):
    settings.BOARD_PAGE_SIZE = 2
    monkeypatch.setattr(views, "DEEP_OFFSET", 4)
    for (year, month), many in zip(((2024, 1), (2024, 2), (2024, 3)), (3, 3, 3)):
        for n in range(many):
            title = f"{year}년 {month}월 {n + 1}번째 소식"
            make_post("news", title=title, published_at=at(year, month, 10 + n))
    with django_assert_num_queries(3) as shallow:  # the total, the page of rows, the 긴급 공지
        client.get("/news/?page=2")
    assert "boards_boardmonth" not in " ".join(query["sql"] for query in shallow.captured_queries)
    with django_assert_num_queries(3) as deep:  # the total with the months, the page of rows, the 긴급 공지
        page = client.get("/news/?page=4").content.decode()
    first = deep.captured_queries[0]["sql"]
    assert "boards_boardmonth" in first and "boards_boardcount" in first
    # Posts 7 and 8 of nine: the first two of January, read from February's end without passing March's.
    assert "2024년 1월 3번째 소식" in page and "2024년 1월 2번째 소식" in page
    assert "2024년 1월 1번째 소식" not in page and "2024년 2월 1번째 소식" not in page
    assert month_counts.DEEP_OFFSET == 5000  # the real threshold: page 501 of ten a page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")
def test_the_months_come_from_indexes_and_the_page_scan_starts_at_its_month():
    board = registry.get("news")
    now = timezone.now()
    for n in range(40):
        make_post("news", published_at=at(2020 + n // 12, n % 12 + 1, 5))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notices_notice")
        cursor.execute("ANALYZE boards_boardmonth")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + public_months_sql(board, now)[0], public_months_sql(board, now)[1])
        months_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in months_plan, months_plan  # the months by key, the corrections by short ranges

    before, offset = seek(public_months(board, now), 40, 30)
    assert (before, offset) == (at(2020, 11, 1), 0)
    sql, params = public_ids(board, now, offset, 10, before=before)
    with connection.cursor() as cursor:
        # The plan a million posts get (a few dozen rows would rather be sorted): the list index in order.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    scan = plan["Plans"][0]
    assert "Index" in scan["Node Type"] and scan["Actual Rows"] == 10, plan  # not the 30 newer posts first


@pytest.mark.parametrize("month", ["2023-11", "2023-12", "2024-02"])  # the oldest, one between, the newest
def test_months_that_do_not_add_up_fall_back_to_offset_never_to_other_posts(settings, monkeypatch, month):
    settings.BOARD_PAGE_SIZE = 3
    monkeypatch.setattr(views, "DEEP_OFFSET", 0)
    now = timezone.now()
    make_months("press", now)
    board = registry.get("press")
    expected = list(board.posts().published(now).latest_first().values_list("id", flat=True))
    BoardMonth.objects.filter(month=month).delete()  # e.g. a bulk load whose recount has not run yet
    paginator = views.LateRowPaginator(board, now)
    for number in paginator.page_range:
        shown = [post.id for post in paginator.page(number).object_list]
        assert shown == expected[(number - 1) * 3:number * 3], number
