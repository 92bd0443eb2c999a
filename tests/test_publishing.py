"""privacy.publishing: the one write path — screen, refuse or record the override, then write.

The admin and load_demo both go through ``publish``; a refusal writes nothing.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from notices.models import Notice, NoticeAttachment
from privacy import publishing
from privacy.models import PrivacyOverride
from tests.factories import DepartmentFactory, NoticeFactory
from tests.test_admin import admin_url, news_form

pytestmark = pytest.mark.django_db

RRN_BODY = "<p>주민등록번호 900101-1234567 을 적었습니다.</p>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def calls(monkeypatch):
    """Every call of publish(), wherever it was imported."""
    seen, real = [], publishing.publish

    def spy(item, **kwargs):
        seen.append(item)
        return real(item, **kwargs)

    for module in ("editorial.admin", "home.management.commands.load_demo"):
        monkeypatch.setattr(f"{module}.publish", spy)
    return seen


def unsaved_notice(**fields):
    department = DepartmentFactory()
    return Notice(title="열람 공고", kind=Notice.Kind.NEWS, department=department, **fields)


def test_a_public_item_with_findings_is_refused_and_nothing_is_written():
    notice = unsaved_notice(body=RRN_BODY)
    with pytest.raises(ValidationError) as refused:
        publishing.publish(notice)
    assert refused.value.messages[1:3] == ["[본문] 1건", "· 주민등록번호: 900101-1******"]
    assert not Notice.objects.exists()


def test_a_private_item_with_findings_is_written():
    notice = unsaved_notice(body=RRN_BODY, is_published=False)
    decision = publishing.publish(notice)
    assert Notice.objects.get() == notice
    assert [finding.kind for finding in decision.findings] == ["rrn"] and not decision.override_reason


def test_a_scheduled_item_counts_as_public():
    notice = unsaved_notice(body=RRN_BODY, published_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        publishing.publish(notice)


def test_an_override_needs_the_permission_and_a_reason_and_is_recorded(django_user_model):
    user = django_user_model.objects.create_user("팀장", password="long-password-123")
    with pytest.raises(ValidationError):  # a reason without the permission
        publishing.publish(unsaved_notice(body=RRN_BODY), user=user, override_reason="공시송달")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="notices", codename="publish_with_personal_data")
    )
    user = django_user_model.objects.get(pk=user.pk)  # fresh permission cache
    with pytest.raises(ValidationError):  # the permission without a reason
        publishing.publish(unsaved_notice(body=RRN_BODY), user=user, override_reason="  ")
    notice = unsaved_notice(body=RRN_BODY)
    decision = publishing.publish(notice, user=user, override_reason="공시송달")
    assert decision.override_reason == "공시송달"
    override = PrivacyOverride.objects.get()
    assert (override.object_id, override.user, override.reason) == (notice.pk, user, "공시송달")


def test_new_files_are_screened_with_the_item_before_write_runs():
    notice = NoticeFactory()
    row = NoticeAttachment(post=notice, file=ContentFile("연락처 010-1234-5678".encode(), name="명단.txt"))
    written = []
    with pytest.raises(ValidationError) as refused:
        publishing.publish(notice, write=lambda: written.append(row.save()), new_files=[row.screened_file()])
    assert refused.value.messages[1:3] == ["[붙임 「명단.txt」] 1건", "· 휴대전화번호: 010-****-5678 (1번째 줄)"]
    assert written == [] and not NoticeAttachment.objects.exists()


def test_stored_files_are_screened_too():
    notice = NoticeFactory(is_published=False)
    NoticeAttachment.objects.create(post=notice, file=ContentFile("900101-1234567".encode(), name="a.txt"))
    notice.is_published = True
    with pytest.raises(ValidationError):
        publishing.publish(notice)


def test_a_new_upload_is_read_once_for_screening_and_saving(monkeypatch):
    import files.extract

    real, names = files.extract.extract_text, []
    monkeypatch.setattr(files.extract, "extract_text", lambda f, name: names.append(name) or real(f, name))
    notice = NoticeFactory()
    row = NoticeAttachment(post=notice, file=ContentFile("공고 본문".encode(), name="공고.txt"))
    publishing.publish(notice, write=row.save, new_files=[row.screened_file()])
    assert names == ["공고.txt"] and row.extracted_text == "공고 본문"


def test_the_admin_writes_through_publish(admin_client, calls):
    department = DepartmentFactory()
    assert admin_client.post(admin_url(Notice, "add"), news_form(department)).status_code == 302
    assert calls == [Notice.objects.get()]


def test_the_admin_shows_a_refusal_as_a_form_error_and_writes_nothing(admin_client, calls):
    response = admin_client.post(admin_url(Notice, "add"), news_form(DepartmentFactory(), body=RRN_BODY))
    assert response.status_code == 200
    assert "개인정보로 보이는 내용이 1건 있어 공개할 수 없습니다." in response.content.decode()
    assert calls == [] and not Notice.objects.exists()


def test_load_demo_writes_posts_and_their_files_through_publish(calls):
    call_command("load_demo", stdout=None)
    posts = [item for item in calls if isinstance(item, Notice)]
    assert posts and {post.pk for post in posts} == set(Notice.objects.values_list("pk", flat=True))
    with_files = Notice.objects.filter(attachments__isnull=False).distinct()
    # Each post with 붙임 is published twice: once alone, once with its new files.
    assert sum(1 for item in calls if item in with_files) == 2 * with_files.count()


def test_a_held_back_item_is_saved_private_even_when_write_saves_only_its_files():
    from tests.test_extract import build_pdf

    notice = NoticeFactory()
    row = NoticeAttachment(post=notice, file=ContentFile(build_pdf([[]]), name="스캔.pdf"))
    decision = publishing.publish(notice, write=row.save, new_files=[row.screened_file()])
    assert decision.held_back
    notice.refresh_from_db()
    assert not notice.is_published and notice.attachments.count() == 1
