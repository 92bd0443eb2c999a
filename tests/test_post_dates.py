"""붙임 carry their post's 게시일시, kept by database triggers (boards/post_dates.py)."""

import datetime

import pytest
from django.utils import timezone

from boards.counters import add
from tests.factories import BOARD_SLUGS, make_attachment, make_post

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def stored(attachment):
    return type(attachment).objects.values_list("post_published_at", flat=True).get(pk=attachment.pk)


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_a_new_attachment_takes_its_posts_date(slug):
    post = make_post(slug, published_at=timezone.now() - 3 * DAY)
    attachment = make_attachment(post)
    assert stored(attachment) == post.published_at
    model = type(attachment)
    [bulk] = model.objects.bulk_create([model(post=post, file="x.pdf", original_name="x.pdf")])
    assert stored(bulk) == post.published_at


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_a_post_passes_a_new_date_on_however_it_is_changed(slug):
    post = make_post(slug, published_at=timezone.now() - 3 * DAY)
    attachments = [make_attachment(post), make_attachment(post)]
    post.published_at = timezone.now() + DAY  # scheduled, saved as admin does
    post.save()
    assert [stored(attachment) for attachment in attachments] == [post.published_at] * 2
    later = post.published_at + DAY
    type(post).objects.filter(pk=post.pk).update(published_at=later)
    assert [stored(attachment) for attachment in attachments] == [later] * 2


def test_a_stale_copy_saved_from_python_does_not_overwrite_the_date():
    post = make_post("news", published_at=timezone.now() - 3 * DAY)
    attachment = make_attachment(post)  # its attribute was never filled in: None
    type(post).objects.filter(pk=post.pk).update(published_at=post.published_at - DAY)
    attachment.order = 3
    attachment.save()
    assert stored(attachment) == post.published_at - DAY


def test_a_moved_attachment_takes_its_new_posts_date():
    old = make_post("press", published_at=timezone.now() - 30 * DAY)
    new = make_post("press", published_at=timezone.now() - 2 * DAY)
    attachment = make_attachment(old)
    type(attachment).objects.filter(pk=attachment.pk).update(post=new)
    assert stored(attachment) == new.published_at


def test_counting_a_download_leaves_the_date_alone():
    post = make_post("recruitment", published_at=timezone.now() - 3 * DAY)
    attachment = make_attachment(post)
    add(type(attachment), attachment.pk, "download_count")
    assert stored(attachment) == post.published_at


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["post", "attachment"])
def test_sqlite_table_remakes_keep_the_triggers(table, settings, tmp_path):
    """A NOT NULL column added on SQLite remakes the table (geumcheon_portal/sqlite/)."""
    from django.db import connection

    from contracts.models import ContractAttachment, ContractNotice

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place")
    settings.MEDIA_ROOT = tmp_path
    with connection.schema_editor() as editor:
        editor._remake_table(ContractNotice if table == "post" else ContractAttachment)
    post = make_post("contracts", published_at=timezone.now() - 3 * DAY)
    attachment = make_attachment(post)
    assert stored(attachment) == post.published_at
    type(post).objects.filter(pk=post.pk).update(published_at=post.published_at - DAY)
    assert stored(attachment) == post.published_at - DAY
