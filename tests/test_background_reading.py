"""Large 붙임 are read by the background worker, not in the admin request (boards/file_reading.py).

A post that was to go public waits, private, while its files are read; the worker publishes it
when they pass 개인정보 screening, or leaves it private and says why. Without a broker the
reading runs right after the commit (``django_capture_on_commit_callbacks(execute=True)`` here).
"""

import datetime
import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError

from boards import file_reading
from boards.models import ExtractState
from editorial.models import PendingAttachment
from files import extract
from notices.models import Notice, NoticeAttachment
from tests.factories import NoticeAttachmentFactory, NoticeFactory
from tests.test_admin import admin_url, management_form, news_form
from tests.test_extract import build_pdf, encrypt_pdf
from tests.test_pending_changes import edit_form, live  # noqa: F401 (fixture)
from tests.test_staff import (  # noqa: F401 (fixtures)
    act, approver, approver_client, media, planning, writer, writer_client,
)

pytestmark = pytest.mark.django_db

BIG = 2_000  # bytes: files above this go to the worker in these tests


@pytest.fixture(autouse=True)
def small_request_budget(settings):
    settings.EXTRACT_IN_REQUEST_MAX_BYTES = BIG


@pytest.fixture
def reads_in_request(monkeypatch):
    """Every extract_text call made in the request, by file name."""
    calls = []
    real = extract.extract_text

    def counting(file_obj, name, *args, **kwargs):
        calls.append(name)
        return real(file_obj, name, *args, **kwargs)

    monkeypatch.setattr(extract, "extract_text", counting)
    return calls


def big_text(words="금천구 도시관리계획 열람 안내입니다. ", extra=""):
    return (words * (BIG // len(words.encode()) + 10) + extra).encode()


def with_files(data, *files):
    data.update(management_form("attachments", total=len(files)))
    for index, (name, content) in enumerate(files):
        data[f"attachments-{index}-file"] = SimpleUploadedFile(name, content)
        data[f"attachments-{index}-order"] = str(index)
    return data


def save_news(client, planning, *files, **fields):
    data = with_files(news_form(planning, title="큰 붙임이 있는 소식", **fields), *files)
    response = client.post(admin_url(Notice, "add"), data, follow=True)
    assert response.status_code == 200
    return Notice.objects.get(title="큰 붙임이 있는 소식"), response.content.decode()


def is_public(post):
    return Notice.objects.published().filter(pk=post.pk).exists()


def test_a_large_file_is_not_read_in_the_request_and_its_post_waits_private(
    admin_client, planning, reads_in_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as asked:
        post, page = save_news(admin_client, planning, ("작은 안내.txt", "작은 안내문".encode()),
                               ("큰 공고문.txt", big_text()))
    assert reads_in_request == ["작은 안내.txt"]  # the large one is left to the worker
    small, large = post.attachments.order_by("order")
    assert small.extract_state == ExtractState.COMPLETE and large.extract_state == ExtractState.CHECKING
    assert large.extracted_text == "" and large.extract_error == ""
    assert not post.is_published and post.awaiting_files and not is_public(post)
    assert "「큰 공고문.txt」은(는) 파일이 커서 내용을 따로 확인하고 있습니다" in page
    assert Client().get(post.get_absolute_url()).status_code == 404
    assert [c.__module__ for c in asked].count("boards.file_reading") == 1  # one reading, once the save commits

    listing = admin_client.get(admin_url(Notice, "changelist")).content.decode()
    assert "붙임 확인 중" in listing
    waiting = admin_client.get(admin_url(Notice, "changelist") + "?state=waiting").content.decode()
    assert "큰 붙임이 있는 소식" in waiting
    form = admin_client.get(admin_url(Notice, "change", post.pk)).content.decode()
    assert "확인 중" in form and "저절로 공개합니다" in form
    assert 'name="is_published" id="id_is_published" checked' in form  # what staff asked for, not the waiting state

    for callback in asked:  # the worker's turn
        callback()
    post.refresh_from_db()
    large.refresh_from_db()
    assert large.extract_state == ExtractState.COMPLETE and "도시관리계획" in large.extracted_text
    assert post.is_published and not post.awaiting_files and post.files_check_note == "" and is_public(post)
    assert "큰 공고문.txt" in Client().get(post.get_absolute_url()).content.decode()
    assert post.history.first().is_published  # the worker's publishing is a recorded revision too


def test_personal_data_found_by_the_worker_keeps_the_post_private_and_says_why(
    admin_client, planning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post, _ = save_news(admin_client, planning,
                            ("명단.txt", big_text(extra="홍길동 주민등록번호 900101-1234567")))
    post.refresh_from_db()
    assert not post.is_published and not post.awaiting_files and not is_public(post)
    assert "공개하지 않았습니다" in post.files_check_note and "주민등록번호" in post.files_check_note
    assert "900101-1******" in post.files_check_note and "1234567" not in post.files_check_note
    listing = admin_client.get(admin_url(Notice, "changelist")).content.decode()
    assert "비공개 (붙임 확인 결과 참고)" in listing
    form = admin_client.get(admin_url(Notice, "change", post.pk)).content.decode()
    assert "주민등록번호" in form and "공개하지 않았습니다" in form


def test_a_large_file_the_worker_cannot_read_holds_the_post_back_with_the_reason(
    admin_client, planning, django_capture_on_commit_callbacks
):
    locked = encrypt_pdf(build_pdf([[f"page {page} applicants " * 40] for page in range(8)]), "secret", "owner", "AES-256")
    assert len(locked) > BIG
    with django_capture_on_commit_callbacks(execute=True):
        post, _ = save_news(admin_client, planning, ("명단.pdf", locked))
    post.refresh_from_db()
    assert post.attachments.get().extract_error == extract.ENCRYPTED
    assert not post.is_published and not post.awaiting_files
    assert "내용을 확인하지 못한 붙임이 있어" in post.files_check_note and "「명단.pdf」" in post.files_check_note


def test_a_file_gone_from_storage_is_reported_not_raised(admin_client, planning, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as asked:
        post, _ = save_news(admin_client, planning, ("큰 공고문.txt", big_text()))
    attachment = post.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    for callback in asked:
        callback()
    attachment.refresh_from_db()
    post.refresh_from_db()
    assert "읽을 수 없습니다" in attachment.extract_error and not post.is_published
    assert "내용을 확인하지 못한 붙임이 있어" in post.files_check_note


def test_nobody_overrides_a_file_not_read_yet(admin_client, planning, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        post, _ = save_news(admin_client, planning, ("큰 공고문.txt", big_text()),
                            privacy_override_reason="급한 공고라 확인하고 올립니다")
    assert not post.is_published and post.awaiting_files  # nobody has seen what is in it yet


def test_a_takedown_while_files_are_read_is_not_undone_by_the_worker(
    admin_client, planning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as asked:
        post, _ = save_news(admin_client, planning, ("큰 공고문.txt", big_text()))
    response = act(admin_client, "take_down", [post], apply="1", reason="wrong_post", note="잘못 올림")
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.takedown_reason == "wrong_post" and not post.awaiting_files
    for callback in asked:
        callback()
    post.refresh_from_db()
    assert not post.is_published and post.attachments.get().extract_state == ExtractState.COMPLETE


def test_the_admin_save_stands_when_the_broker_is_down(
    admin_client, planning, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(file_reading.read_uploaded_file, "delay", broker_down)
    with caplog.at_level(logging.WARNING, logger="boards.file_reading"):
        with django_capture_on_commit_callbacks(execute=True):
            post, page = save_news(admin_client, planning, ("큰 공고문.txt", big_text()))
    assert "추가되었습니다" in page  # saved, and staff are told so
    assert post.awaiting_files and post.attachments.get().extract_state == ExtractState.CHECKING
    assert "붙임 읽기 작업을 넣지 못했습니다" in caplog.text

    monkeypatch.undo()  # the broker is back: the periodic job asks again for what waited too long
    NoticeAttachment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    out = io.StringIO()
    call_command("read_waiting_files", stdout=out)
    assert "1개를 다시 요청했습니다" in out.getvalue()
    post.refresh_from_db()
    assert post.is_published and is_public(post)


def test_the_periodic_job_leaves_files_whose_reading_may_still_be_under_way(planning):
    post = NoticeFactory(department=planning, is_published=False)
    attachment = NoticeAttachmentFactory(post=post, file=SimpleUploadedFile("a.txt", b"a"))
    NoticeAttachment.objects.filter(pk=attachment.pk).update(extract_state=ExtractState.CHECKING)
    out = io.StringIO()
    call_command("read_waiting_files", stdout=out)
    assert "0개" in out.getvalue()
    call_command("read_waiting_files", "--minutes=0", stdout=out)
    attachment.refresh_from_db()
    assert attachment.extract_state == ExtractState.COMPLETE and attachment.extracted_text == "a"


def test_approval_waits_for_files_being_read(
    writer_client, approver_client, planning, django_capture_on_commit_callbacks
):
    from tests.test_admin import notice_form

    with django_capture_on_commit_callbacks(execute=False) as asked:
        data = with_files(notice_form(planning), ("열람 공고문.txt", big_text()))
        assert writer_client.post(admin_url(Notice, "add"), data).status_code == 302
    post = Notice.objects.get()
    assert not post.awaiting_files  # a draft waits for nobody
    act(writer_client, "request_review", [post])
    refused = act(approver_client, "approve", [post]).content.decode()
    assert "확인이 끝나야 승인할 수 있습니다" in refused
    post.refresh_from_db()
    assert not post.is_published and post.review_state == "pending"

    for callback in asked:
        callback()
    assert "1건을 승인했습니다" in act(approver_client, "approve", [post]).content.decode()
    assert is_public(post)


def test_a_large_file_in_a_change_under_review_is_read_before_approval(
    writer_client, approver_client, live, django_capture_on_commit_callbacks  # noqa: F811
):
    data = edit_form(live, title="고친 제목")
    data["attachments-1-file"] = SimpleUploadedFile("큰 새 안내문.txt", big_text())
    with django_capture_on_commit_callbacks(execute=False) as asked:
        page = writer_client.post(admin_url(Notice, "change", live.pk), data, follow=True).content.decode()
    assert "확인이 끝나야 승인할 수 있습니다" in page
    upload = PendingAttachment.objects.get()
    assert upload.extract_state == ExtractState.CHECKING
    assert "확인이 끝나야 승인할 수 있습니다" in act(approver_client, "approve", [live]).content.decode()
    assert Notice.objects.get(pk=live.pk).title != "고친 제목"

    for callback in asked:
        callback()
    upload.refresh_from_db()
    assert upload.extract_state == ExtractState.COMPLETE
    assert "1건을 승인했습니다" in act(approver_client, "approve", [live]).content.decode()
    live.refresh_from_db()
    assert live.title == "고친 제목" and is_public(live)
    assert "도시관리계획" in live.attachments.get(original_name="큰 새 안내문.txt").extracted_text


def test_small_files_are_still_refused_at_once_as_a_form_error(admin_client, planning):
    data = with_files(news_form(planning, title="작은 명단"), ("명단.txt", "주민등록번호 900101-1234567".encode()))
    response = admin_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 200 and "개인정보로 보이는 내용이 1건" in response.content.decode()
    assert not Notice.objects.exists()
