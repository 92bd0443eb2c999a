"""붙임 in revisions: a removed 붙임's file is kept REMOVED_FILE_RETENTION_DAYS (never served), restoring an
old revision brings back the 붙임 it had, and ``purge_removed_files`` deletes the files after the period."""

import datetime
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from editorial.models import PendingAttachment, PendingChange
from notices.models import Notice, NoticeAttachment
from tests.factories import NoticeFactory
from tests.test_admin import admin_url, management_form, news_form
from tests.test_staff import act, approver, approver_client, media, planning, writer, writer_client  # noqa: F401

pytestmark = pytest.mark.django_db


def file_rows(post, *names):
    """Formset fields: the post's current 붙임 kept (or DELETE for ``names``), none added."""
    rows = list(post.attachments.all())
    data = management_form("attachments", total=len(rows), initial=len(rows))
    for index, row in enumerate(rows):
        data.update({f"attachments-{index}-id": str(row.pk), f"attachments-{index}-post": str(post.pk),
                     f"attachments-{index}-order": str(row.order)})
        if row.original_name in names:
            data[f"attachments-{index}-DELETE"] = "on"
    return data


def upload(name, text):
    return {**management_form("attachments", total=1), "attachments-0-file": SimpleUploadedFile(name, text.encode()),
            "attachments-0-order": "0"}


@pytest.fixture
def news_with_a_replaced_file(admin_client, planning):
    """A 금천소식 saved with 안내문.txt, then changed: 안내문.txt removed, 새 안내문.txt added."""
    assert admin_client.post(admin_url(Notice, "add"), news_form(planning, title="첫 판",
                                                                 **upload("안내문.txt", "처음 안내"))).status_code == 302
    post = Notice.objects.get()
    old = post.attachments.get()
    second = news_form(planning, title="둘째 판", **file_rows(post, "안내문.txt"))
    second.update({"attachments-TOTAL_FORMS": "2", "attachments-1-order": "1",
                   "attachments-1-file": SimpleUploadedFile("새 안내문.txt", "바뀐 안내".encode())})
    assert admin_client.post(admin_url(Notice, "change", post.pk), second).status_code == 302
    return post, old


def test_a_removed_attachments_file_is_kept_but_never_served(news_with_a_replaced_file, django_capture_on_commit_callbacks):
    post, old = news_with_a_replaced_file
    assert not NoticeAttachment.objects.filter(pk=old.pk).exists()
    assert default_storage.exists(old.file.name)
    assert Client().get(f"/news/files/{old.pk}/").status_code == 404
    sweep = StringIO()
    call_command("sweep_orphan_files", "--min-age-minutes", "0", stdout=sweep)
    assert old.file.name not in sweep.getvalue()  # kept for restoring, not an orphan


def test_restoring_an_old_revision_brings_its_attachments_back(admin_client, news_with_a_replaced_file):
    post, old = news_with_a_replaced_file
    first = post.history.order_by("history_date").first()
    response = admin_client.post(admin_url(Notice, "restore", post.pk, first.history_id), follow=True)
    assert "판으로 되돌렸습니다" in response.content.decode()
    post.refresh_from_db()
    assert post.title == "첫 판"
    (back,) = post.attachments.all()
    assert (back.pk, back.original_name, back.file.name) == (old.pk, "안내문.txt", old.file.name)
    assert back.extracted_text == "처음 안내"
    download = Client().get(f"/news/files/{back.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == "처음 안내".encode()
    records = list(post.history.order_by("history_date"))
    compared = admin_client.get(admin_url(Notice, "revisions", post.pk),
                                {"a": records[1].history_id, "b": records[2].history_id})
    assert compared.context["files"] == [("삭제", "새 안내문.txt"), ("추가", "안내문.txt")]


def test_a_file_past_its_retention_cannot_come_back_and_the_restore_says_so(admin_client, news_with_a_replaced_file):
    post, old = news_with_a_replaced_file
    default_storage.delete(old.file.name)
    first = post.history.order_by("history_date").first()
    response = admin_client.post(admin_url(Notice, "restore", post.pk, first.history_id), follow=True)
    assert "보관 기간이 지나 되살리지 못한 붙임: 안내문.txt" in response.content.decode()
    post.refresh_from_db()
    assert post.title == "첫 판" and not post.attachments.exists()


def test_on_a_board_with_review_the_restored_attachments_wait_for_approval(
    writer_client, approver_client, planning, django_capture_on_commit_callbacks
):
    post = NoticeFactory(department=planning, review_state="approved", title="공개 중인 공고")
    first_file = post.attachments.create(file=SimpleUploadedFile("공고문.txt", "공고 본문".encode()))
    file_pk, first = first_file.pk, post.history.order_by("history_date").last()
    post.title = "붙임을 뺀 공고"  # a later revision (say, an approved change) that removed the 붙임
    post.save()
    with django_capture_on_commit_callbacks(execute=True):
        first_file.delete()

    writer_client.post(admin_url(Notice, "restore", post.pk, first.history_id))
    post.refresh_from_db()
    assert post.title == "붙임을 뺀 공고" and not post.attachments.exists()  # residents: unchanged
    restored = PendingAttachment.objects.get()
    assert restored.restored_from == file_pk and restored.file.name == first_file.file.name

    act(approver_client, "approve", [post])
    post.refresh_from_db()
    assert post.title == "공개 중인 공고"
    assert list(post.attachments.values_list("pk", "original_name")) == [(file_pk, "공고문.txt")]
    assert default_storage.exists(first_file.file.name)


def test_withdrawing_a_restore_leaves_the_kept_file_alone(writer_client, planning, django_capture_on_commit_callbacks):
    post = NoticeFactory(department=planning, review_state="approved")
    kept = post.attachments.create(file=SimpleUploadedFile("공고문.txt", "공고".encode()))
    first = post.history.order_by("history_date").last()
    post.title = "고친 제목"
    post.save()
    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    writer_client.post(admin_url(Notice, "restore", post.pk, first.history_id))
    with django_capture_on_commit_callbacks(execute=True):
        act(writer_client, "withdraw_change", [post])
    assert not PendingChange.objects.exists()
    assert default_storage.exists(kept.file.name)


def test_purge_deletes_only_files_removed_before_the_retention_period(
    news_with_a_replaced_file, settings, django_capture_on_commit_callbacks
):
    post, old = news_with_a_replaced_file
    recent = post.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        recent.delete()
    old_removal = NoticeAttachment.history.get(id=old.pk, history_type="-")
    old_removal.history_date = timezone.now() - datetime.timedelta(days=settings.REMOVED_FILE_RETENTION_DAYS + 1)
    old_removal.save()

    dry = StringIO()
    call_command("purge_removed_files", "--dry-run", stdout=dry)
    assert old.file.name in dry.getvalue() and default_storage.exists(old.file.name)
    out = StringIO()
    call_command("purge_removed_files", stdout=out)
    assert "삭제된 붙임의 파일 1개를 지웠습니다" in out.getvalue()
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)  # removed today: kept


def test_purge_keeps_a_file_that_came_back_with_a_restored_revision(admin_client, news_with_a_replaced_file):
    post, old = news_with_a_replaced_file
    first = post.history.order_by("history_date").first()
    admin_client.post(admin_url(Notice, "restore", post.pk, first.history_id))
    call_command("purge_removed_files", "--days", "0", stdout=StringIO())
    assert default_storage.exists(old.file.name)  # held by the 붙임 again


def test_with_no_retention_a_removed_file_goes_at_once(settings, planning, django_capture_on_commit_callbacks):
    settings.REMOVED_FILE_RETENTION_DAYS = 0
    post = NoticeFactory(department=planning)
    attachment = post.attachments.create(file=SimpleUploadedFile("공고문.txt", "공고".encode()))
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert not default_storage.exists(attachment.file.name)
