"""Run by tests/test_sixth_board.py in a pytest of its own, under tests.sixth_board.settings.

A board registered by its own app (tests/sixth_board/) and nothing else: it must
show up in its list and detail pages, the home tabs, its RSS feed, the sitemap,
통합검색 (posts and 붙임, with the gram index on PostgreSQL), the admin and the
page cache's invalidation, the staff roles' permissions, and the scale-data generator.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from boards import registry
from boards.models import Department

from .models import Minutes, MinutesAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes():
    department = Department.objects.create(name="기획예산과", phone="02-2627-1000")
    post = Minutes.objects.create(
        title="도시계획위원회 회의록", body="<p>제3차 회의에서 가로수길 정비를 심의했습니다.</p>",
        department=department, published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    MinutesAttachment.objects.create(post=post, file=ContentFile("속기록: 느티나무 식재 안건".encode(), name="속기록.txt"))
    return post


def test_the_board_is_registered_and_derives_its_slug(minutes):
    assert registry.get("minutes").model is Minutes
    assert minutes.board_slug == "minutes"
    assert minutes.get_absolute_url() == f"/minutes/{minutes.pk}/"


def test_list_detail_and_download(client, minutes):
    listing = client.get("/minutes/")
    assert listing.status_code == 200
    assert "도시계획위원회 회의록" in listing.content.decode()
    assert "총 <strong>1</strong>건" in listing.content.decode()
    assert client.get("/minutes/?q=가로수길").context["page"].paginator.count == 1
    detail = client.get(minutes.get_absolute_url())
    assert detail.status_code == 200
    assert "기획예산과" in detail.content.decode()
    attachment = minutes.attachments.get()
    assert client.get(f"/minutes/files/{attachment.pk}/").status_code == 200


def test_home_tab(client, minutes):
    page = client.get("/").content.decode()
    assert "회의록" in page and "도시계획위원회 회의록" in page and "회의록 더보기" in page


def test_feed_and_sitemap(client, minutes):
    feed = client.get("/minutes/rss/").content.decode()
    assert "도시계획위원회 회의록" in feed
    assert "sitemap-minutes.xml" in client.get("/sitemap.xml").content.decode()
    assert f"/minutes/{minutes.pk}/" in client.get("/sitemap-minutes.xml").content.decode()


def test_integrated_search_finds_posts_and_attachments(client, minutes):
    groups = {group.slug: group for group in client.get("/search/?q=가로수길").context["groups"]}
    assert groups["minutes"].count == 1 and groups["minutes"].name == "회의록"
    files = {group.slug: group for group in client.get("/search/?q=느티나무").context["groups"]}["files"]
    assert files.count == 1 and files.hits[0].board_name == "회의록"


def test_search_table_on_postgresql(minutes):
    if connection.vendor != "postgresql":
        pytest.skip("the search table is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sixth_board_%%search%%'")
        triggers = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT source, grp, board FROM search_entry WHERE source LIKE 'sixth_board_%%' ORDER BY source")
        entries = cursor.fetchall()
    assert {"sixth_board_minutes_search", "sixth_board_minutesattachment_search"} <= triggers
    assert entries == [("sixth_board_minutes", "minutes", "minutes"),
                       ("sixth_board_minutesattachment", "files", "minutes")]
    assert Minutes.objects.get().attachments.get().post_published_at == minutes.published_at


def test_admin(admin_client, minutes):
    assert admin_client.get("/admin/sixth_board/minutes/").status_code == 200
    assert admin_client.get(f"/admin/sixth_board/minutes/{minutes.pk}/change/").status_code == 200


def test_the_writer_role_may_write_on_it():
    from django.contrib.auth.models import Group

    from staff.roles import GROUP_NAMES

    writers = Group.objects.get(name=GROUP_NAMES["writer"])
    granted = set(writers.permissions.values_list("codename", flat=True))
    assert {"add_minutes", "change_minutes", "add_minutesattachment"} <= granted


def test_page_cache_drops_pages_when_the_board_changes(minutes, django_capture_on_commit_callbacks):
    from boards import pagecache

    before = pagecache.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        minutes.title = "도시계획위원회 회의록(수정)"
        minutes.save()
    assert pagecache.content_version() > before
    assert pagecache.next_scheduled_change(timezone.now()) is None
    Minutes.objects.filter(pk=minutes.pk).update(published_at=timezone.now() + datetime.timedelta(hours=2))
    assert pagecache.next_scheduled_change(timezone.now()) > timezone.now()


@pytest.mark.django_db(transaction=True)  # on PostgreSQL it ends with VACUUM ANALYZE
def test_the_scale_data_generator_fills_it():
    from django.core.management import call_command

    from bench.management.commands.generate_scale_data import Command
    from bench.scale_data import generated_departments

    call_command(Command(), posts=300, seed=1, workers=1, stdout=None)
    generated = Minutes.objects.filter(department__in=generated_departments())
    assert generated.exists()
    call_command(Command(), clear=True, stdout=None)
    assert not generated.exists()
