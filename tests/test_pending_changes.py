"""수정 검토: on a board with review, an edit of a public post waits for a 승인자; residents keep the approved post."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from editorial.models import PendingAttachment, PendingChange
from notices.models import Notice, NoticeAttachment
from staff.models import AuditAction, AuditEntry
from tests.factories import NoticeAttachmentFactory, NoticeFactory
from tests.test_admin import admin_url, management_form, notice_form
from tests.test_staff import (  # noqa: F401 (fixtures)
    act, approver, approver_client, media, planning, welfare, writer, writer_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(planning):
    """An approved, public 고시공고 with one 붙임."""
    post = NoticeFactory(department=planning, review_state="approved", title="승인된 제목",
                         body="<p>승인된 본문</p>", number_year=2026, number_seq=123, notice_type="gonggo")
    NoticeAttachmentFactory(post=post, file=SimpleUploadedFile("옛 안내문.txt", "옛 안내".encode()))
    return post


def edit_form(post, **overrides):
    """The change form as staff post it: ``post``'s fields, its one 붙임 kept, a new one added."""
    old = post.attachments.get()
    return notice_form(post.department, **{
        "title": post.title, **management_form("attachments", total=2, initial=1),
        "attachments-0-id": str(old.pk), "attachments-0-post": str(post.pk), "attachments-0-order": "0",
        "attachments-1-file": SimpleUploadedFile("새 안내문.txt", "새 안내".encode()),
        "attachments-1-order": "1", "is_published": "on", **overrides,
    })


def resident_sees(post):
    response = Client().get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_edit_of_a_public_notice_waits_and_the_public_page_keeps_the_approved_one(
    writer_client, approver_client, writer, live
):
    old_file = live.attachments.get()
    data = edit_form(live, title="고친 제목", body="<p>고친 본문</p>", **{"attachments-0-DELETE": "on"})
    response = writer_client.post(admin_url(Notice, "change", live.pk), data, follow=True)
    assert "승인자가 승인한 뒤에 누리집에 반영됩니다" in response.content.decode()

    live.refresh_from_db()
    assert live.title == "승인된 제목" and live.is_published and live.review_state == "pending"
    assert live.submitted_by == writer
    page = resident_sees(live)
    assert "승인된 제목" in page and "고친 제목" not in page and "옛 안내문.txt" in page and "새 안내문.txt" not in page
    change = PendingChange.objects.get()
    assert change.fields["title"] == "고친 제목" and change.removed_attachments == [old_file.pk]
    upload = PendingAttachment.objects.get()
    assert upload.original_name == "새 안내문.txt" and upload.file.storage.exists(upload.file.name)

    form = writer_client.get(admin_url(Notice, "change", live.pk)).content.decode()
    assert 'value="고친 제목"' in form and "검토 중인 수정이 있습니다" in form
    assert "승인되면 더할 붙임: 새 안내문.txt" in form and "승인되면 뺄 붙임: 옛 안내문.txt" in form
    preview = writer_client.get(admin_url(Notice, "preview", live.pk)).content.decode()
    assert "미리보기" in preview and "고친 제목" in preview and "승인되면 더할 붙임: 새 안내문.txt" in preview

    assert act(writer_client, "approve", [live]).status_code == 200  # not the writer's to approve
    assert Notice.objects.get(pk=live.pk).title == "승인된 제목"
    done = act(approver_client, "approve", [live])
    assert "1건을 승인했습니다" in done.content.decode()
    live.refresh_from_db()
    assert live.title == "고친 제목" and live.review_state == "approved" and live.reviewed_by.username == "approver"
    page = resident_sees(live)
    assert "고친 제목" in page and "새 안내문.txt" in page and "옛 안내문.txt" not in page
    new_file = live.attachments.get()
    assert new_file.original_name == "새 안내문.txt" and new_file.extracted_text == "새 안내"
    assert new_file.file.storage.exists(new_file.file.name)  # the stored file moved over, not deleted
    assert not PendingChange.objects.exists() and not PendingAttachment.objects.exists()
    assert live.history.latest().title == "고친 제목"
    assert list(AuditEntry.objects.filter(action__in=[AuditAction.SUBMIT, AuditAction.APPROVE])
                .order_by("id").values_list("action", flat=True)) == ["submit", "approve"]


def test_a_second_edit_adds_to_the_first_and_approval_applies_both(writer_client, approver_client, live):
    writer_client.post(admin_url(Notice, "change", live.pk), edit_form(live, title="첫 수정"))
    second = edit_form(live, title="둘째 수정")
    second["attachments-1-file"] = SimpleUploadedFile("또 다른 안내문.txt", "또".encode())
    writer_client.post(admin_url(Notice, "change", live.pk), second)
    change = PendingChange.objects.get()
    assert change.fields["title"] == "둘째 수정" and change.added_files.count() == 2
    act(approver_client, "approve", [live])
    live.refresh_from_db()
    assert live.title == "둘째 수정"
    assert sorted(live.attachments.values_list("original_name", flat=True)) == [
        "또 다른 안내문.txt", "새 안내문.txt", "옛 안내문.txt",
    ]


def test_a_rejected_change_leaves_the_post_public_the_writer_sees_why_and_may_ask_again(
    writer_client, approver_client, live
):
    writer_client.post(admin_url(Notice, "change", live.pk), edit_form(live, title="고친 제목"))
    act(approver_client, "reject", [live], apply="1", reason="제목에 공고번호를 넣어 주세요.")
    live.refresh_from_db()
    assert live.review_state == "rejected" and live.is_published and live.title == "승인된 제목"
    assert "승인된 제목" in resident_sees(live)
    form = writer_client.get(admin_url(Notice, "change", live.pk)).content.decode()
    assert "반려 사유: 제목에 공고번호를 넣어 주세요." in form and 'value="고친 제목"' in form

    act(writer_client, "request_review", [live])
    live.refresh_from_db()
    assert live.review_state == "pending" and live.is_published
    withdrawn = act(writer_client, "withdraw_change", [live])
    assert "검토 중인 수정을 취소했습니다" in withdrawn.content.decode()
    live.refresh_from_db()
    assert live.review_state == "approved" and live.title == "승인된 제목"
    assert not PendingChange.objects.exists() and not PendingAttachment.objects.exists()


def test_asking_review_of_a_public_post_without_a_change_is_refused(writer_client, live):
    response = act(writer_client, "request_review", [live])
    assert "공개 중인 글입니다" in response.content.decode()
    live.refresh_from_db()
    assert live.review_state == "approved" and live.is_published


def test_an_approvers_own_edit_also_waits_for_another_approver(approver_client, live):
    approver_client.post(admin_url(Notice, "change", live.pk), edit_form(live, title="승인자가 고친 제목"))
    live.refresh_from_db()
    assert live.title == "승인된 제목" and live.review_state == "pending"
    response = act(approver_client, "approve", [live])
    assert "스스로 승인하거나 반려할 수 없습니다" in response.content.decode()


def test_personal_data_in_an_edit_is_refused_before_it_is_kept(writer_client, live):
    data = edit_form(live, body="<p>주민등록번호 900101-1234567</p>")
    response = writer_client.post(admin_url(Notice, "change", live.pk), data)
    assert response.status_code == 200 and "개인정보로 보이는 내용" in response.content.decode()
    assert not PendingChange.objects.exists() and not PendingAttachment.objects.exists()


def test_removing_a_file_with_personal_data_is_approved_although_the_file_holds_it(
    writer_client, approver_client, planning
):
    post = NoticeFactory(department=planning, review_state="approved", title="명단 공고")
    leaked = NoticeAttachmentFactory(post=post, file=SimpleUploadedFile("명단.txt", "홍길동 900101-1234567".encode()))
    data = notice_form(planning, title=post.title, number_seq="", number_year="", is_published="on",
                       **management_form("attachments", total=1, initial=1),
                       **{"attachments-0-id": str(leaked.pk), "attachments-0-post": str(post.pk),
                          "attachments-0-order": "0", "attachments-0-DELETE": "on"})
    assert writer_client.post(admin_url(Notice, "change", post.pk), data).status_code == 302
    act(approver_client, "approve", [post])
    assert not post.attachments.exists()


def test_switching_a_public_post_off_applies_at_once_with_the_change_it_had(writer_client, live):
    writer_client.post(admin_url(Notice, "change", live.pk), edit_form(live, title="고친 제목"))
    data = edit_form(live, title="내리면서 고친 제목")
    del data["is_published"], data["attachments-1-file"], data["attachments-1-order"]
    data["attachments-TOTAL_FORMS"] = "1"
    assert writer_client.post(admin_url(Notice, "change", live.pk), data).status_code == 302
    live.refresh_from_db()
    assert not live.is_published and live.title == "내리면서 고친 제목" and live.review_state == "draft"
    assert Client().get(live.get_absolute_url()).status_code == 404
    assert sorted(live.attachments.values_list("original_name", flat=True)) == ["새 안내문.txt", "옛 안내문.txt"]
    assert not PendingChange.objects.exists()


def test_deleting_a_post_drops_its_pending_change_and_its_stored_files(
    writer_client, live, django_capture_on_commit_callbacks
):
    writer_client.post(admin_url(Notice, "change", live.pk), edit_form(live))
    upload = PendingAttachment.objects.get()
    storage, name = upload.file.storage, upload.file.name
    with django_capture_on_commit_callbacks(execute=True):
        Notice.objects.get(pk=live.pk).delete()
    assert not PendingChange.objects.exists() and not storage.exists(name)


def test_boards_without_review_save_edits_at_once(writer_client, planning):
    news = NoticeFactory(kind="news", notice_type="", number_year=None, number_seq=None, department=planning)
    NoticeAttachmentFactory(post=news)
    data = edit_form(news, title="바로 고친 소식", kind="news", notice_type="", number_year="", number_seq="")
    writer_client.post(admin_url(Notice, "change", news.pk), data)
    news.refresh_from_db()
    assert news.title == "바로 고친 소식" and not PendingChange.objects.exists()
    assert NoticeAttachment.objects.filter(post=news).count() == 2


def test_approvers_filter_the_list_by_review_state(approver_client, writer_client, live, planning):
    waiting = NoticeFactory(department=planning, is_published=False, review_state="draft", title="기다리는 공고")
    act(writer_client, "request_review", [waiting])
    writer_client.post(admin_url(Notice, "change", live.pk), edit_form(live, title="고친 제목"))
    response = approver_client.get(admin_url(Notice, "changelist"), {"review_state__exact": "pending"})
    assert sorted(post.title for post in response.context["cl"].result_list) == ["기다리는 공고", "승인된 제목"]
