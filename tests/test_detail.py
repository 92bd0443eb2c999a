"""Detail pages: 이전글/다음글 and the view counter."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.counters import add
from tests.factories import BOARD_SLUGS, NewsFactory, make_attachment, make_post

pytestmark = pytest.mark.django_db


def ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


@pytest.fixture(params=BOARD_SLUGS)
def timeline(request):
    """Public posts with a tie on published_at, hidden posts between and around them."""
    slug = request.param
    tie = ago(30)
    posts = {
        "oldest": make_post(slug, title="가장 오래된 글", published_at=ago(50)),
        "draft_between": make_post(slug, title="사이에 낀 초안", published_at=ago(40), is_published=False),
        "tie_first": make_post(slug, title="같은 시각 먼저 등록", published_at=tie),
        "tie_second": make_post(slug, title="같은 시각 나중 등록", published_at=tie),
        "newest": make_post(slug, title="가장 최근 글", published_at=ago(10)),
        "draft_after": make_post(slug, title="최근 비공개 글", published_at=ago(5), is_published=False),
        "scheduled": make_post(
            slug, title="내일 예약 글", published_at=timezone.now() + datetime.timedelta(days=1)
        ),
    }
    return slug, posts


HIDDEN = ("draft_between", "draft_after", "scheduled")
# 이전글 is the older neighbour, 다음글 the newer; equal times are ordered by id.
EXPECTED = {
    "oldest": (None, "tie_first"),
    "tie_first": ("oldest", "tie_second"),
    "tie_second": ("tie_first", "newest"),
    "newest": ("tie_second", None),
}


def test_neighbours_follow_list_order(client, timeline):
    slug, posts = timeline
    listed = list(client.get(f"/{slug}/").context["page"].object_list)
    assert listed == [posts[name] for name in ("newest", "tie_second", "tie_first", "oldest")]
    for name, (previous, following) in EXPECTED.items():
        response = client.get(f"/{slug}/{posts[name].pk}/")
        assert response.status_code == 200
        assert response.context["post"] == posts[name]
        assert response.context["previous"] == (posts[previous] if previous else None), name
        assert response.context["next"] == (posts[following] if following else None), name


def test_neighbour_links_in_the_page(client, timeline):
    slug, posts = timeline
    html = client.get(f"/{slug}/{posts['tie_first'].pk}/").content.decode()
    for name in ("oldest", "tie_second"):
        assert posts[name].title in html
        assert f"/{slug}/{posts[name].pk}/" in html
    for name in ("newest", *HIDDEN):
        assert posts[name].title not in html
        assert f"/{slug}/{posts[name].pk}/" not in html


def test_ends_have_no_hidden_neighbour(client, timeline):
    slug, posts = timeline
    for name in ("oldest", "newest"):
        html = client.get(f"/{slug}/{posts[name].pk}/").content.decode()
        for hidden in HIDDEN:
            assert posts[hidden].title not in html
            assert f"/{slug}/{posts[hidden].pk}/" not in html


def test_detail_shows_its_attachments(client):
    post = NewsFactory(title="붙임이 있는 소식")
    files = [
        make_attachment(post, file=ContentFile(b"hwp", name="2026년 공고문(최종).hwp"), order=1),
        make_attachment(post, file=ContentFile(b"xlsx", name="신청서.xlsx"), order=2),
    ]
    response = client.get(f"/news/{post.pk}/")
    html = response.content.decode()
    assert post.title in html
    for attachment in files:
        assert f"/news/files/{attachment.pk}/" in html
        assert attachment.original_name in html
    assert html.index(files[0].original_name) < html.index(files[1].original_name)


def test_each_view_counts_once(client):
    post, other = NewsFactory(), NewsFactory()
    for _ in range(3):
        assert client.get(f"/news/{post.pk}/").status_code == 200
    post.refresh_from_db()
    other.refresh_from_db()
    assert post.view_count == 3
    assert other.view_count == 0


def test_head_request_is_not_counted_as_a_view(client):
    post = NewsFactory()
    assert client.head(f"/news/{post.pk}/").status_code == 200
    post.refresh_from_db()
    assert post.view_count == 0


def test_view_counter_is_an_atomic_update(client):
    post = NewsFactory()
    updated_at = post.updated_at
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/news/{post.pk}/")
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1
    # The database adds one (view_count + 1) and returns it; no read-modify-write of the row.
    assert re.search(r'SET "view_count" = "view_count" \+ 1 .*RETURNING "view_count"', writes[0]), writes[0]
    post.refresh_from_db()
    assert post.updated_at == updated_at
    assert post.view_count == 1


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_unknown_pk_is_404(client, slug):
    post = make_post(slug)
    assert client.get(f"/{slug}/{post.pk + 1000}/").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_view_counter_commit_does_not_wait_for_the_disk_and_nothing_else_is_relaxed(client):
    post = NewsFactory()
    with transaction.atomic(), connection.cursor() as cursor:
        assert add(type(post), post.pk, "view_count") == 1
        cursor.execute("SELECT current_setting('synchronous_commit')")
        assert cursor.fetchone()[0] == "off"  # for the increment's own transaction …
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        assert cursor.fetchone()[0] == "on"  # … and not after it
    assert client.get(post.get_absolute_url()).status_code == 200
    post.refresh_from_db()
    assert post.view_count == 2


def test_counter_of_a_missing_row_is_none():
    post = NewsFactory()
    assert add(type(post), post.pk + 1000, "view_count") is None


def test_readings_are_written_in_batches_and_the_page_counts_every_one(client, settings):
    settings.VIEW_COUNT_BATCH = 3
    cache.clear()
    post = NewsFactory(view_count=100)
    shown = [int(re.search(r"<dt>조회수</dt><dd>([0-9]+)</dd>", client.get(post.get_absolute_url()).content.decode())
                 .group(1)) for _ in range(7)]
    assert shown == [101, 102, 103, 104, 105, 106, 107]
    post.refresh_from_db()
    assert post.view_count == 106  # two batches of three; the seventh waits for its batch
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())
    post.refresh_from_db()
    assert post.view_count == 109


def test_a_lost_counter_starts_again_from_the_database(client, settings):
    settings.VIEW_COUNT_BATCH = 3
    cache.clear()
    post = NewsFactory(view_count=50)
    for _ in range(4):
        client.get(post.get_absolute_url())
    cache.clear()  # a restart of a local-memory cache
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<dt>조회수</dt><dd>54</dd>" in page  # 53 stored + this reading


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_the_post_read_by_plain_sql_is_the_orms_post_with_its_department(slug):
    from boards import registry
    from boards.listing import public_post

    board = registry.get(slug)
    post = make_post(slug)
    found = public_post(board, post.pk, timezone.now())
    expected = board.posts().published().select_related("department").get(pk=post.pk)
    assert found == expected and type(found) is board.model
    field_names = [field.attname for field in board.model._meta.concrete_fields]
    assert [getattr(found, name) for name in field_names] == [getattr(expected, name) for name in field_names]
    assert (found.department.pk, found.department.name, found.department.phone) == (
        expected.department.pk, expected.department.name, expected.department.phone)
    hidden = make_post(slug, is_published=False)
    assert public_post(board, hidden.pk, timezone.now()) is None
    assert public_post(board, 2**63, timezone.now()) is None
