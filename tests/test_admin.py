"""The staff side: Django admin for every board, the 편집자 group, and Korean form errors."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import registry
from boards.body_images import BodyImage
from boards.models import Department
from privacy.models import PrivacyOverride
from staff.models import AuditEntry, Role, StaffProfile
from subscriptions.models import Subscription
from staff.roles import give_role_group
from tests.conftest import verified_login
from contracts.models import ContractNotice
from feedback.models import PageFeedback
from home.models import HeroBanner, QuickLink, SiteAlert
from notices.models import Notice
from press.models import PressRelease
from recruitment.models import RecruitmentPost
from tourism.models import CultureTrail
from tests.test_filechecks import hwpx_bytes
from tests.factories import (
    ContractAttachmentFactory,
    ContractFactory,
    CultureTrailFactory,
    DepartmentFactory,
    HeroBannerFactory,
    NewsFactory,
    NoticeAttachmentFactory,
    NoticeFactory,
    PressAttachmentFactory,
    PressPhotoFactory,
    QuickLinkFactory,
    RecruitmentAttachmentFactory,
    RecruitmentFactory,
    TrailStopFactory,
    png_bytes,
)

pytestmark = pytest.mark.django_db

CONTENT_APPS = registry.content_apps()
EDITOR_GROUP = "편집자"
ALL_ACTIONS = ("add", "change", "delete", "view")
EXPECTED_EDITOR_PERMISSIONS = {("boards", "view_department")} | {
    (app, f"{action}_{model}")
    for app, model in [
        ("notices", "notice"), ("notices", "noticeattachment"),
        ("recruitment", "recruitmentpost"), ("recruitment", "recruitmentattachment"),
        ("contracts", "contractnotice"), ("contracts", "contractattachment"),
        ("press", "pressrelease"), ("press", "pressattachment"), ("press", "pressphoto"),
        ("tourism", "culturetrail"), ("tourism", "trailstop"),
        ("home", "herobanner"), ("home", "quicklink"),
    ]
    for action in ALL_ACTIONS
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def notice_form(department, **overrides):
    """A 고시공고 as staff save it: a draft (고시공고 goes public by approval, editorial/review.py)."""
    return {
        "kind": "notice",
        "title": "2026년 금천구 도시관리계획 열람 공고",
        "body": "<p>도시관리계획 결정(안)을 열람합니다.</p>",
        "notice_type": "gonggo",
        "number_year": "2026",
        "number_seq": "123",
        "period_start": "2026-02-01",
        "period_end": "2026-02-14",
        "department": str(department.pk),
        "contact": "",
        "published_at_0": "2026-01-29",
        "published_at_1": "09:00:00",
        **management_form("attachments"),
        "_save": "저장",
        **overrides,
    }


def news_form(department, **overrides):
    """A 금천소식, published at once (no review on that board)."""
    return notice_form(department, kind="news", notice_type="", number_year="", number_seq="",
                       period_start="", period_end="", is_published="on", **overrides)


def recruitment_form(department, **overrides):
    return {
        "kind": "recruit",
        "title": "2026년 기간제근로자 채용 공고",
        "body": "<p>채용 공고입니다.</p>",
        "field_name": "행정 보조",
        "headcount": "2",
        "apply_start_0": "2026-03-01",
        "apply_start_1": "09:00:00",
        "apply_end_0": "2026-03-10",
        "apply_end_1": "18:00:00",
        "department": str(department.pk),
        "contact": "",
        "published_at_0": "2026-02-20",
        "published_at_1": "09:00:00",
        **management_form("attachments"),
        "_save": "저장",
        **overrides,
    }


def banner_form(**overrides):
    return {
        "title": "고향사랑기부제",
        "description": "",
        "image": SimpleUploadedFile("배너.png", png_bytes(), content_type="image/png"),
        "image_alt": "고향사랑기부제에 참여해 주세요",
        "link_url": "https://ilovegohyang.go.kr/",
        "opens_new_window": "on",
        "order": "0",
        "is_active": "on",
        "display_start_0": "2026-01-01",
        "display_start_1": "00:00:00",
        "display_end_0": "",
        "display_end_1": "",
        "_save": "저장",
        **overrides,
    }


@pytest.fixture
def department():
    return DepartmentFactory(name="도시계획과", phone="02-2627-1316")


@pytest.fixture
def editor(django_user_model, department):
    """A 작성자 of 도시계획과."""
    user = django_user_model.objects.create_user("editor", password="편집자-비밀번호-2026", is_staff=True)
    profile = StaffProfile.objects.create(user=user, role=Role.WRITER)
    profile.departments.add(department)
    give_role_group(user, Role.WRITER)
    return user


@pytest.fixture
def editor_client(client, editor):
    return verified_login(client, editor)


@pytest.fixture
def one_of_each():
    NoticeAttachmentFactory()
    RecruitmentAttachmentFactory()
    ContractAttachmentFactory()
    press = PressAttachmentFactory().post
    PressPhotoFactory(post=press)
    TrailStopFactory()
    HeroBannerFactory()
    QuickLinkFactory()
    BodyImage.objects.create(image=SimpleUploadedFile("사진.png", png_bytes()), alt="사진")
    SiteAlert.objects.create(message="점검 안내", display_end=timezone.now() + datetime.timedelta(hours=1))


def test_every_registered_model_has_working_changelist_add_and_change_pages(
    admin_client, one_of_each, django_user_model
):
    checked = set()
    StaffProfile.objects.create(user=django_user_model.objects.create_user("profiled", is_staff=True))
    for model in admin.site._registry:
        if model in (PrivacyOverride, PageFeedback, AuditEntry, Subscription):  # read-only: tested where made
            continue
        if model._meta.app_label in ("axes", "otp_totp", "otp_static"):  # the libraries' own admin pages
            continue
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200, model
        # 본문 이미지 are added through the body editor, which asks for the alt text.
        assert admin_client.get(admin_url(model, "add")).status_code == (403 if model is BodyImage else 200), model
        obj = model._default_manager.first()
        assert obj is not None, model
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        checked.add(model._meta.label)
    assert {
        "boards.Department", "notices.Notice", "recruitment.RecruitmentPost", "contracts.ContractNotice",
        "press.PressRelease", "tourism.CultureTrail", "home.HeroBanner", "home.QuickLink",
    } <= checked


def test_admin_forms_cover_every_editable_field(rf, admin_user):
    """A field left out of a fieldset is silently never saved (or saved as its default)."""
    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in CONTENT_APPS or model in (PrivacyOverride, BodyImage):
            continue  # BodyImage: its file is replaced only by a new upload through the body editor
        editable = {f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key}
        assert editable <= set(model_admin.get_form(request).base_fields), model
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            # original_name is taken from the upload and shown as the file link.
            inline_editable = {
                f.name for f in inline.model._meta.concrete_fields
                if f.editable and not f.primary_key and f.name not in {formset.fk.name, "original_name"}
            }
            assert inline_editable <= set(formset.form.base_fields), inline.model


def test_every_content_model_is_registered():
    registered = {model._meta.label for model in admin.site._registry}
    assert {
        "boards.Department", "notices.Notice", "recruitment.RecruitmentPost", "contracts.ContractNotice",
        "press.PressRelease", "tourism.CultureTrail", "home.HeroBanner", "home.QuickLink",
    } <= registered


def _notices_with_attachments(n):
    for _ in range(n):
        NoticeAttachmentFactory()


def _press_with_photos(n):
    for _ in range(n):
        PressPhotoFactory(post=PressAttachmentFactory().post)


def _trails_with_stops(n):
    for _ in range(n):
        TrailStopFactory()


@pytest.mark.parametrize(
    ("model", "make_rows"),
    [
        (Notice, _notices_with_attachments),
        (RecruitmentPost, lambda n: RecruitmentAttachmentFactory.create_batch(n)),
        (ContractNotice, lambda n: ContractAttachmentFactory.create_batch(n)),
        (PressRelease, _press_with_photos),
        (CultureTrail, _trails_with_stops),
        (HeroBanner, lambda n: HeroBannerFactory.create_batch(n)),
        (QuickLink, lambda n: QuickLinkFactory.create_batch(n)),
        (Department, lambda n: DepartmentFactory.create_batch(n)),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, make_rows):
    url = admin_url(model, "changelist")
    admin_client.get(url)  # warm the session and content-type caches

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(captured)

    make_rows(3)
    few = queries_for_page()
    make_rows(27)
    many = queries_for_page()
    assert model._default_manager.count() >= 30
    assert many == few


def test_notice_with_korean_named_attachment_is_created_through_the_admin(
    admin_client, admin_user, department
):
    content = hwpx_bytes()
    data = notice_form(
        department,
        **management_form("attachments", total=1),
        **{
            "attachments-0-file": SimpleUploadedFile(
                "공고문 붙임.hwpx", content, content_type="application/octet-stream"
            ),
            "attachments-0-order": "0",
            "attachments-0-id": "",
            "attachments-0-post": "",
        },
    )
    response = admin_client.post(admin_url(Notice, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    notice = Notice.objects.get()
    assert notice.kind == "notice"
    assert notice.number == "서울특별시 금천구 공고 제2026-123호"
    assert notice.period_end == datetime.date(2026, 2, 14)
    assert notice.author == admin_user
    attachment = notice.attachments.get()
    assert attachment.original_name == "공고문 붙임.hwpx"
    assert attachment.size == len(content) > 0
    # The disk gets a generated name; the Korean one lives only in the row.
    assert "공고문" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_editing_a_post_keeps_its_original_author(admin_client, admin_user, department, django_user_model):
    writer = django_user_model.objects.create_user("writer", is_staff=True)
    notice = NoticeFactory(author=writer, department=department, number_year=2026, number_seq=5)
    data = notice_form(department, title="고친 제목", number_seq="5")
    response = admin_client.post(admin_url(Notice, "change", notice.pk), data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "고친 제목"
    assert notice.author == writer


def test_attachment_inline_shows_name_size_and_a_staff_link_instead_of_a_media_url(admin_client):
    attachment = NoticeAttachmentFactory(post__is_published=False)
    response = admin_client.get(admin_url(Notice, "change", attachment.post.pk))
    html = response.content.decode()
    file_url = admin_url(Notice, "file", attachment.post.pk, "attachments", attachment.pk, "file")
    assert f'href="{file_url}"' in html
    assert "공고문.pdf" in html
    assert filesizeformat(attachment.size) in html
    assert "/media-not-served/" not in html


def test_staff_can_fetch_an_unpublished_posts_attachment_and_others_cannot(
    admin_client, client, django_user_model
):
    attachment = NoticeAttachmentFactory(post__is_published=False)
    url = admin_url(Notice, "file", attachment.post.pk, "attachments", attachment.pk, "file")

    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%test\n"
    assert "filename*=UTF-8''%EA%B3%B5%EA%B3%A0%EB%AC%B8.pdf" in response["Content-Disposition"]
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    attachment.refresh_from_db()
    assert attachment.download_count == 0  # staff checks are not resident downloads

    assert client.get(url).status_code == 302  # to the login page
    verified_login(client, django_user_model.objects.create_user("nobody", is_staff=True))
    assert client.get(url).status_code in (403, 404)
    other = NoticeAttachmentFactory()
    wrong_post = admin_url(Notice, "file", attachment.post.pk, "attachments", other.pk, "file")
    assert admin_client.get(wrong_post).status_code == 404
    assert admin_client.get(url.replace("/attachments/", "/author/")).status_code == 404


def test_banner_image_is_previewed_through_the_admin(admin_client):
    banner = HeroBannerFactory()
    url = admin_url(HeroBanner, "file", banner.pk, "self", banner.pk, "image")
    html = admin_client.get(admin_url(HeroBanner, "change", banner.pk)).content.decode()
    assert f'src="{url}"' in html
    assert 'alt="배너 설명"' in html
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert "public" not in response["Cache-Control"]


def test_add_page_renders_the_prose_editor(admin_client):
    html = admin_client.get(admin_url(Notice, "add")).content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "django_prose_editor/configurable.js" in html
    assert "django_prose_editor/editor.css" in html
    assert finders.find("django_prose_editor/configurable.js")


def test_saving_the_body_through_the_admin_sanitises_it(admin_client, department):
    body = (
        '<p onclick="x()">a<script>alert(1)</script>'
        '<a href="javascript:alert(1)">나쁜 링크</a> '
        '<a href="https://www.geumcheon.go.kr/" target="_blank" rel="opener">구청</a></p>'
    )
    data = notice_form(department, kind="news", notice_type="", number_year="", number_seq="", body=body)
    response = admin_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 302
    stored = Notice.objects.get().body
    assert "onclick" not in stored
    assert "<script" not in stored and "alert(1)" not in stored
    assert "javascript:" not in stored
    assert "opener\"" not in stored and "_blank" not in stored
    assert '<a href="https://www.geumcheon.go.kr/" rel="noopener noreferrer">구청</a>' in stored
    assert Notice.objects.get().body_text.startswith("a 나쁜 링크")


def _assert_rejected_in_korean(response, message, model, field="__all__"):
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field], errors
    assert message in response.content.decode()
    assert not model.objects.exists()


def test_notice_period_ending_before_it_starts_is_a_korean_form_error(admin_client, department):
    data = notice_form(department, period_start="2026-02-14", period_end="2026-02-01")
    response = admin_client.post(admin_url(Notice, "add"), data)
    _assert_rejected_in_korean(response, "공고기간의 끝은 시작보다 빠를 수 없습니다.", Notice)


def test_duplicate_notice_number_is_a_korean_form_error(admin_client, department):
    existing = NoticeFactory(notice_type="gonggo", number_year=2026, number_seq=123)
    response = admin_client.post(admin_url(Notice, "add"), notice_form(department))
    assert response.status_code == 200
    assert "같은 연도에 같은 번호의 고시·공고가 이미 있습니다." in response.content.decode()
    assert list(Notice.objects.all()) == [existing]

    # The same number as a 고시 (numbered apart from 공고) is fine.
    response = admin_client.post(admin_url(Notice, "add"), notice_form(department, notice_type="gosi"))
    assert response.status_code == 302
    assert Notice.objects.count() == 2


def test_notice_without_type_is_a_korean_form_error(admin_client, department):
    response = admin_client.post(admin_url(Notice, "add"), notice_form(department, notice_type=""))
    _assert_rejected_in_korean(response, "고시공고는 고시·공고 구분을 골라 주세요.", Notice, field="notice_type")


def test_recruitment_closing_before_it_opens_is_a_korean_form_error(admin_client, department):
    data = recruitment_form(department, apply_end_0="2026-02-28")
    response = admin_client.post(admin_url(RecruitmentPost, "add"), data)
    _assert_rejected_in_korean(
        response, "접수 시작과 마감을 함께 넣고, 마감은 시작보다 늦어야 합니다.", RecruitmentPost
    )


def test_recruitment_is_created_through_the_admin(admin_client, department):
    response = admin_client.post(admin_url(RecruitmentPost, "add"), recruitment_form(department))
    assert response.status_code == 302
    post = RecruitmentPost.objects.get()
    assert (post.field_name, post.headcount) == ("행정 보조", 2)
    assert post.apply_end > post.apply_start


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "//evil.example", "JAVASCRIPT:alert(1)", "data:text/html,x"]
)
def test_banner_link_to_script_or_other_host_is_a_korean_form_error(admin_client, link):
    response = admin_client.post(admin_url(HeroBanner, "add"), banner_form(link_url=link))
    _assert_rejected_in_korean(
        response, "연결 주소는 https:// 로 시작하는 주소나 /로 시작하는 이 누리집 주소여야 합니다.",
        HeroBanner, field="link_url",
    )


def test_banner_ending_before_it_starts_is_a_korean_form_error(admin_client):
    data = banner_form(display_end_0="2025-12-31", display_end_1="00:00:00")
    response = admin_client.post(admin_url(HeroBanner, "add"), data)
    _assert_rejected_in_korean(response, "게시 끝은 게시 시작보다 늦어야 합니다.", HeroBanner)


def test_valid_banner_is_created(admin_client):
    response = admin_client.post(admin_url(HeroBanner, "add"), banner_form())
    assert response.status_code == 302
    assert HeroBanner.objects.get().link_url == "https://ilovegohyang.go.kr/"


def test_press_photo_without_alt_text_is_refused(admin_client, department):
    data = {
        "title": "금천구, 보도자료", "subtitle": "- 부제 -", "body": "<p>본문</p>",
        "department": str(department.pk), "contact": "",
        "published_at_0": "2026-01-29", "published_at_1": "09:00:00", "is_published": "on",
        **management_form("photos", total=1),
        "photos-0-image": SimpleUploadedFile("사진.png", png_bytes(), content_type="image/png"),
        "photos-0-alt": "", "photos-0-caption": "행사 사진", "photos-0-order": "0",
        **management_form("attachments"),
        "_save": "저장",
    }
    response = admin_client.post(admin_url(PressRelease, "add"), data)
    assert response.status_code == 200
    assert "필수 항목입니다" in response.content.decode()
    assert not PressRelease.objects.exists()

    data["photos-0-alt"] = "행사에 참석한 주민들"
    data["photos-0-image"] = SimpleUploadedFile("사진.png", png_bytes(), content_type="image/png")
    assert admin_client.post(admin_url(PressRelease, "add"), data).status_code == 302
    assert PressRelease.objects.get().photos.get().alt == "행사에 참석한 주민들"


def test_duplicate_trail_stop_order_is_a_korean_form_error(admin_client):
    trail = CultureTrailFactory()
    stop = TrailStopFactory(trail=trail, order=1)
    data = {
        "name": trail.name, "slug": trail.slug, "summary": trail.summary, "story": trail.story,
        "image_alt": trail.image_alt, "distance_km": "", "duration_minutes": "",
        "order": "0", "is_published": "on",
        **management_form("stops", total=2, initial=1),
        "stops-0-id": str(stop.pk), "stops-0-trail": str(trail.pk),
        "stops-0-order": "1", "stops-0-name": stop.name, "stops-0-description": "",
        "stops-1-id": "", "stops-1-trail": str(trail.pk),
        "stops-1-order": "1", "stops-1-name": "새 지점", "stops-1-description": "",
        "_save": "저장",
    }
    response = admin_client.post(admin_url(CultureTrail, "change", trail.pk), data)
    assert response.status_code == 200
    assert "중복" in response.content.decode()
    assert trail.stops.count() == 1


def test_trail_slug_explains_itself(admin_client):
    html = admin_client.get(reverse("admin:tourism_culturetrail_add")).content.decode()
    assert "영문 소문자, 숫자, 하이픈" in html


def test_publication_state_column_and_filter(admin_client):
    now = timezone.now()
    NewsFactory(title="공개 글", published_at=now - datetime.timedelta(hours=1))
    NewsFactory(title="예약 글", published_at=now + datetime.timedelta(days=2))
    NewsFactory(title="비공개 글", is_published=False)
    NewsFactory(title="끝난 글", published_at=now - datetime.timedelta(days=2), unpublish_at=now - datetime.timedelta(days=1))
    url = admin_url(Notice, "changelist")

    for state, title in [("public", "공개 글"), ("scheduled", "예약 글"), ("private", "비공개 글"), ("ended", "끝난 글")]:
        response = admin_client.get(url, {"state": state})
        assert [post.title for post in response.context["cl"].result_list] == [title]

    html = admin_client.get(url).content.decode()
    for label in ("<td class=\"field-state_label\">공개</td>", "<td class=\"field-state_label\">예약</td>",
                  "<td class=\"field-state_label\">비공개</td>", "<td class=\"field-state_label\">게시 종료</td>"):
        assert label in html


def test_end_time_is_saved_and_must_follow_the_publication_time(admin_client, department):
    url = admin_url(Notice, "add")
    response = admin_client.post(url, news_form(department, unpublish_at_0="2026-01-29", unpublish_at_1="08:00:00"))
    assert response.status_code == 200
    assert "게시 종료일시는 게시일시보다 뒤여야 합니다." in response.content.decode()
    assert not Notice.objects.exists()
    response = admin_client.post(url, news_form(department, unpublish_at_0="2026-02-15", unpublish_at_1="00:00:00"))
    assert response.status_code == 302
    post = Notice.objects.get()
    assert timezone.localtime(post.unpublish_at).strftime("%Y-%m-%d %H:%M") == "2026-02-15 00:00"
    assert post.publication_state() == "ended"


def test_database_refuses_an_end_before_the_start():
    post = NewsFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(post).objects.filter(pk=post.pk).update(unpublish_at=post.published_at)


def test_changelist_shows_attachment_count_and_notice_number(admin_client):
    notice = NoticeFactory(number_year=2026, number_seq=77)
    NoticeAttachmentFactory(post=notice)
    NoticeAttachmentFactory(post=notice)
    NewsFactory()
    response = admin_client.get(admin_url(Notice, "changelist"))
    counts = {post.title: post.attachment_count for post in response.context["cl"].result_list}
    assert sorted(counts.values()) == [0, 2]
    html = response.content.decode()
    assert "2건" in html
    assert "서울특별시 금천구 공고 제2026-77호" in html


def test_changelist_date_hierarchy_and_search_work_with_the_attachment_count(admin_client):
    NoticeAttachmentFactory(post__title="도로 점용 공고", post__published_at=timezone.now())
    NewsFactory(title="주민 소식", published_at=timezone.now())
    url = admin_url(Notice, "changelist")
    year = timezone.localdate().year
    response = admin_client.get(url, {"published_at__year": year, "q": "점용"})
    assert [post.title for post in response.context["cl"].result_list] == ["도로 점용 공고"]
    assert response.context["cl"].result_list[0].attachment_count == 1


def test_recruitment_status_filter_and_column(admin_client):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    RecruitmentFactory(title="예정", apply_start=now + day, apply_end=now + 5 * day)
    RecruitmentFactory(title="진행", apply_start=now - day, apply_end=now + day)
    RecruitmentFactory(title="끝남", apply_start=now - 5 * day, apply_end=now - day)
    url = admin_url(RecruitmentPost, "changelist")
    for status, title in [("upcoming", "예정"), ("open", "진행"), ("closed", "끝남")]:
        response = admin_client.get(url, {"status": status})
        assert [post.title for post in response.context["cl"].result_list] == [title]
    html = admin_client.get(url).content.decode()
    for label in ("접수예정", "접수중", "마감"):
        assert f'<td class="field-status_column">{label}</td>' in html


def test_contract_amount_is_formatted_in_the_list(admin_client):
    ContractFactory(amount=12_345_000)
    assert "12,345,000원" in admin_client.get(admin_url(ContractNotice, "changelist")).content.decode()


def test_display_items_show_whether_they_are_on_the_home_page():
    from home.admin import HeroBannerAdmin

    model_admin = HeroBannerAdmin(HeroBanner, admin.site)
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    assert model_admin.is_showing(HeroBannerFactory(display_start=now - hour))
    assert not model_admin.is_showing(HeroBannerFactory(display_start=now + hour))
    assert not model_admin.is_showing(HeroBannerFactory(display_start=now - 2 * hour, display_end=now - hour))
    assert not model_admin.is_showing(HeroBannerFactory(is_active=False))
    assert set(HeroBanner.objects.current()) == {
        b for b in HeroBanner.objects.all() if model_admin.is_showing(b)
    }


def _group_permissions(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_editor_group_has_exactly_the_expected_permissions():
    group = Group.objects.get(name=EDITOR_GROUP)
    assert _group_permissions(group) == EXPECTED_EDITOR_PERMISSIONS


def test_editor_can_add_a_notice_but_not_manage_users(editor_client, editor, department):
    assert editor_client.get(admin_url(Notice, "add")).status_code == 200
    data = notice_form(
        department,
        **management_form("attachments", total=1),
        **{
            "attachments-0-file": SimpleUploadedFile(
                "공고문.pdf", b"%PDF-1.4\n", content_type="application/pdf"
            ),
            "attachments-0-order": "0",
        },
    )
    response = editor_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.author == editor
    assert notice.attachments.get().original_name == "공고문.pdf"

    user_model = editor._meta.model
    assert editor_client.get(admin_url(user_model, "changelist")).status_code == 403
    assert editor_client.get(admin_url(user_model, "change", editor.pk)).status_code == 403
    assert editor_client.get(admin_url(Group, "changelist")).status_code == 403
    # Departments are chosen, not edited, by editors.
    assert editor_client.get(admin_url(Department, "changelist")).status_code == 200
    assert editor_client.get(admin_url(Department, "add")).status_code == 403
    autocomplete = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "notices", "model_name": "notice", "field_name": "department", "term": "도시"},
    )
    assert autocomplete.status_code == 200
    assert autocomplete.json()["results"] == [{"id": str(department.pk), "text": "도시계획과"}]


def test_editor_group_migration_creates_missing_permissions_reruns_and_reverses():
    migration = importlib.import_module("home.migrations.0002_editor_group")
    schema_editor = SimpleNamespace(connection=connection)
    # As on a fresh database: no group and (for some apps) no permissions yet.
    Group.objects.filter(name=EDITOR_GROUP).delete()
    Permission.objects.filter(content_type__app_label__in=["notices", "home"]).delete()

    migration.create_editor_group(apps, schema_editor)
    assert _group_permissions(Group.objects.get(name=EDITOR_GROUP)) == EXPECTED_EDITOR_PERMISSIONS

    migration.create_editor_group(apps, schema_editor)  # an already-migrated database
    assert Group.objects.filter(name=EDITOR_GROUP).count() == 1
    assert _group_permissions(Group.objects.get(name=EDITOR_GROUP)) == EXPECTED_EDITOR_PERMISSIONS
    assert apps.get_app_config("notices").models_module is not None

    migration.delete_editor_group(apps, schema_editor)
    assert not Group.objects.filter(name=EDITOR_GROUP).exists()
