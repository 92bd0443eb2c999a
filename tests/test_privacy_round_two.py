"""개인정보, round two (privacy room): files that cannot be read are held back, every finding is listed,
and every text a resident can see is screened — links, 부제, 수의계약 사유, photo texts, trails, banners."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from home.models import HeroBanner, QuickLink
from notices.models import Notice
from press.models import PressRelease
from privacy.models import PrivacyOverride
from privacy.screening import screen
from tests.conftest import verified_login
from tests.factories import (
    ContractFactory, CultureTrailFactory, NoticeFactory, PressFactory, QuickLinkFactory,
    RecruitmentFactory, TrailStopFactory, png_bytes,
)
from tests.test_admin import admin_url, banner_form, management_form, news_form
from tests.test_extract import build_cfb, build_pdf, encrypt_pdf
from tests.test_safe_files import press_form, stamp_user
from tests.test_staff import act, approver, approver_client, media, planning, writer, writer_client  # noqa: F401
from tourism.models import CultureTrail

pytestmark = pytest.mark.django_db


def a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("명단.txt", "홍길동 900101-1234567")
    return buffer.getvalue()


def an_odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


UNREADABLE = {
    "암호.pdf": (lambda: encrypt_pdf(build_pdf([["names"]]), "secret", "owner", "AES-256"), "암호가 걸린 파일"),
    "스캔.pdf": (lambda: build_pdf([[]]), "글자가 없는 PDF"),
    "옛 공고.doc": (lambda: build_cfb({"WordDocument": b"\x00" * 600}), "내용을 자동으로 확인하지 못합니다"),
    "자료 묶음.zip": (a_zip, "압축"),
    "계획.odt": (an_odt, "지원하지 않는"),
}


def with_files(department, files, **overrides):
    data = news_form(department, **management_form("attachments", total=len(files)), **overrides)
    for index, (name, content) in enumerate(files):
        data[f"attachments-{index}-file"] = SimpleUploadedFile(name, content)
        data[f"attachments-{index}-order"] = str(index)
    return data


def messages_of(response, level):
    return [str(m) for m in response.context["messages"] if m.level_tag == level]


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_file_that_cannot_be_read_holds_the_post_back(writer_client, planning, name):
    build, reason = UNREADABLE[name]
    response = writer_client.post(admin_url(Notice, "add"), with_files(planning, [(name, build())]), follow=True)
    assert response.status_code == 200
    post = Notice.objects.get()
    assert not post.is_published and post.attachments.count() == 1  # saved, not public
    (error,) = messages_of(response, "error")
    assert "내용을 확인하지 못한 붙임이 있어 공개하지 않고 비공개로 저장했습니다" in error
    assert f"「{name}」" in error and reason in error
    assert Client().get(post.get_absolute_url()).status_code == 404


def test_a_file_cut_short_at_the_extraction_limits_holds_the_post_back(writer_client, planning, settings):
    settings.EXTRACT_MAX_CHARS = 100
    content = ("안내 문장입니다. " * 200).encode()
    response = writer_client.post(admin_url(Notice, "add"), with_files(planning, [("긴 안내.txt", content)]),
                                  follow=True)
    assert not Notice.objects.get().is_published
    assert "「긴 안내.txt」(파일 내용이 너무 많아 앞부분만 확인했습니다.)" in messages_of(response, "error")[0]


def test_an_image_is_not_held_back(writer_client, planning):
    writer_client.post(admin_url(Notice, "add"), with_files(planning, [("사진.png", png_bytes())]))
    assert Notice.objects.get().is_published


def test_someone_who_may_override_publishes_it_with_a_reason_and_it_is_recorded(
    client, django_user_model, planning
):
    user = stamp_user(django_user_model, "팀장", may_override=True, department=planning)
    verified_login(client, user)
    build, _ = UNREADABLE["암호.pdf"]
    without_reason = client.post(admin_url(Notice, "add"), with_files(planning, [("암호.pdf", build())]), follow=True)
    assert "'개인정보 검출 시 공개 사유'를 적고 다시 저장하세요" in messages_of(without_reason, "error")[0]
    Notice.objects.all().delete()
    data = with_files(planning, [("암호.pdf", build())], privacy_override_reason="원본 PDF를 열어 직접 확인함")
    response = client.post(admin_url(Notice, "add"), data, follow=True)
    post = Notice.objects.get()
    assert post.is_published
    override = PrivacyOverride.objects.get()
    assert override.reason == "원본 PDF를 열어 직접 확인함" and override.user == user
    assert override.findings == [{"kind": "확인하지 못한 붙임", "where": "붙임 「암호.pdf」",
                                  "excerpt": "암호가 걸린 파일이라 내용을 확인할 수 없습니다."}]
    assert "내용을 확인하지 못한 붙임 1개을(를) 확인하고 공개했습니다" in " ".join(messages_of(response, "warning"))


def test_approving_a_post_with_an_unreadable_file_is_refused(writer_client, approver_client, planning):
    post = NoticeFactory(department=planning, is_published=False, review_state="draft")
    post.attachments.create(file=SimpleUploadedFile("스캔.pdf", build_pdf([[]])))
    act(writer_client, "request_review", [post])
    response = act(approver_client, "approve", [post])
    assert "내용을 확인하지 못한 붙임이 있어 승인할 수 없습니다: 「스캔.pdf」" in response.content.decode()
    post.refresh_from_db()
    assert not post.is_published and post.review_state == "pending"


# --- every finding listed ---------------------------------------------------------------------------

def test_every_finding_is_listed_grouped_by_place_however_many(admin_client, planning):
    numbers = [f"9001{day:02d}-1{day:06d}" for day in range(1, 29)] + ["850505-2345678"] * 2
    body = "".join(f"<p>{number}</p>" for number in numbers)
    sheet = "\n".join(f"{index}번 010-{1000 + index}-{2000 + index}" for index in range(1, 41)).encode()
    response = admin_client.post(admin_url(Notice, "add"), with_files(planning, [("연락처.txt", sheet)], body=body))
    assert response.status_code == 200 and not Notice.objects.exists()
    errors = response.context["adminform"].form.non_field_errors() or response.context["inline_admin_formsets"][0]\
        .formset.non_form_errors()
    lines = list(errors)
    assert lines[0] == "개인정보로 보이는 내용이 70건 있어 공개할 수 없습니다."
    assert "[본문] 30건" in lines and "[붙임 「연락처.txt」] 40건" in lines
    assert sum(line.startswith("· 주민등록번호") for line in lines) == 30
    assert sum(line.startswith("· 휴대전화번호") for line in lines) == 40
    assert "· 휴대전화번호: 010-****-2040 (40번째 줄)" in lines


# --- places that were not screened ------------------------------------------------------------------

def findings_where(item):
    return [finding.where for finding in screen(item.screened_texts(), []).findings]


@pytest.mark.parametrize("href", [
    "tel:010-1234-5678", "tel:+821012345678", "mailto:hong.gildong@gmail.com",
    "https://example.com/apply?phone=01012345678", "https://example.com/?rrn=900101%2D1234567",
])
def test_link_targets_in_the_body_are_screened(href):
    post = NoticeFactory(body=f'<p><a href="{href}">신청</a></p>')
    assert findings_where(post) == ["본문 링크"]


def test_every_text_field_of_a_board_is_screened_not_only_title_and_body():
    assert findings_where(PressFactory(subtitle="- 문의 010-1234-5678 -")) == ["부제"]
    assert findings_where(ContractFactory(reason="대표자 900101-1234567 의 긴급 수리")) == ["수의계약 사유"]
    assert findings_where(RecruitmentFactory(field_name="행정보조(문의 010-2222-3333)")) == ["채용분야"]


def test_a_refused_subtitle_leaves_the_saved_press_release_untouched(admin_client, planning):
    saved = PressFactory(department=planning, subtitle="- 주민설명회 -")
    data = press_form(planning, subtitle="- 담당 010-1234-5678 -")
    response = admin_client.post(admin_url(PressRelease, "change", saved.pk), data)
    assert response.status_code == 200 and "[부제] 1건" in response.content.decode()
    saved.refresh_from_db()
    assert saved.subtitle == "- 주민설명회 -"


def test_press_photo_texts_are_screened(admin_client, planning):
    data = press_form(planning, **management_form("photos", total=1), **{
        "photos-0-image": SimpleUploadedFile("현장.png", png_bytes()), "photos-0-alt": "설명회 참석자",
        "photos-0-caption": "촬영 문의 010-1234-5678", "photos-0-order": "0",
    })
    response = admin_client.post(admin_url(PressRelease, "add"), data)
    assert response.status_code == 200 and "사진 설명" in response.content.decode()
    assert not PressRelease.objects.exists()


def trail_data(trail, **overrides):
    stop = trail.stops.get()
    return {
        "name": trail.name, "slug": trail.slug, "summary": trail.summary, "story": trail.story,
        "image_alt": trail.image_alt, "distance_km": "", "duration_minutes": "", "order": "0", "is_published": "on",
        **management_form("stops", total=1, initial=1),
        "stops-0-id": str(stop.pk), "stops-0-trail": str(trail.pk), "stops-0-order": "1",
        "stops-0-name": stop.name, "stops-0-description": "", "_save": "저장", **overrides,
    }


@pytest.mark.parametrize("field, value, where", [
    ("summary", "해설 신청 010-1234-5678", "[한 줄 소개] 1건"),
    ("story", '<p><a href="mailto:guide.kim@naver.com">해설사</a></p>', "[이야기 링크] 1건"),
    ("stops-0-description", "관리인 900101-1234567", "[코스 지점 1번째 줄 설명] 1건"),
])
def test_culture_trail_texts_and_stops_are_screened(admin_client, field, value, where):
    trail = CultureTrailFactory()
    TrailStopFactory(trail=trail, order=1)
    before = (trail.summary, trail.story)
    response = admin_client.post(admin_url(CultureTrail, "change", trail.pk), trail_data(trail, **{field: value}))
    assert response.status_code == 200
    assert where in response.content.decode()
    trail.refresh_from_db()
    assert (trail.summary, trail.story) == before and trail.stops.get().description == ""


def test_a_private_trail_may_hold_it_until_it_is_switched_on(admin_client):
    trail = CultureTrailFactory(is_published=False)
    TrailStopFactory(trail=trail, order=1)
    data = trail_data(trail, summary="해설 신청 010-1234-5678")
    del data["is_published"]
    assert admin_client.post(admin_url(CultureTrail, "change", trail.pk), data).status_code == 302
    switch_on = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(trail.pk),
                 "form-0-order": "0", "form-0-is_published": "on", "_save": "저장"}
    response = admin_client.post(admin_url(CultureTrail, "changelist"), switch_on)
    assert response.status_code == 200
    trail.refresh_from_db()
    assert not trail.is_published  # the list's 공개 여부 box screens too


@pytest.mark.parametrize("field, value", [
    ("title", "문의 010-1234-5678"), ("description", "담당 900101-1234567"),
    ("image_alt", "담당자 hong.gildong@gmail.com"), ("link_url", "https://example.com/?tel=01012345678"),
])
def test_banner_texts_are_screened(admin_client, field, value):
    response = admin_client.post(admin_url(HeroBanner, "add"), banner_form(**{field: value}))
    assert response.status_code == 200 and "개인정보로 보이는 내용이 1건" in response.content.decode()
    assert not HeroBanner.objects.exists()


def test_quick_link_texts_are_screened(admin_client):
    link = QuickLinkFactory(title="고향사랑기부제")
    data = {
        "title": "문의 010-1234-5678", "link_url": link.link_url, "order": "0", "is_active": "on",
        "display_start_0": "2026-01-01", "display_start_1": "00:00:00", "display_end_0": "", "display_end_1": "",
        "_save": "저장",
    }
    response = admin_client.post(admin_url(QuickLink, "change", link.pk), data)
    assert response.status_code == 200 and "[제목] 1건" in response.content.decode()
    link.refresh_from_db()
    assert link.title == "고향사랑기부제"


def test_an_unused_banner_may_hold_it(admin_client):
    assert admin_client.post(admin_url(HeroBanner, "add"), banner_form(
        title="문의 010-1234-5678", is_active="")).status_code == 302
    assert HeroBanner.objects.get().title == "문의 010-1234-5678"  # saved, switched off: screened when switched on


def test_reextract_attachments_brings_stored_files_up_to_date(planning):
    from io import StringIO

    from django.core.management import call_command

    post = NoticeFactory(department=planning)
    scan = post.attachments.create(file=SimpleUploadedFile("스캔.pdf", build_pdf([[]])))
    Notice.attachments.rel.related_model.objects.filter(pk=scan.pk).update(
        extracted_text="예전에 읽은 글", extracted_blocks=[["p", "예전에 읽은 글", None, None]], extract_state="",
    )
    revisions = post.history.count()
    out = StringIO()
    call_command("reextract_attachments", stdout=out)
    scan.refresh_from_db()
    assert (scan.extracted_text, scan.extracted_blocks, scan.extract_state) == ("", [], "no_text")
    assert "붙임 1개를 다시 읽었습니다" in out.getvalue() and post.history.count() == revisions


def test_the_alt_text_of_a_body_image_is_screened():
    post = NoticeFactory(body='<p><img src="/body-images/0b6f6c1e-2f7a-4c8e-9a55-8f1f3f7f2a10/" '
                              'alt="신청자 홍길동 010-1234-5678 신분증"></p>')
    assert findings_where(post) == ["본문"]


def test_two_numbers_that_mask_alike_on_one_page_are_both_listed():
    from files.extract import Block, Extracted
    from privacy.detectors import scan_extracted

    page = Extracted(blocks=[Block("p", "신청인 900101-1234567, 보호자 900101-1765432", "1쪽"),
                             Block("p", "연락처 010-1234-5678", "2쪽"), Block("p", "연락처 010-9999-5678", "2쪽")])
    found = [(finding.excerpt, finding.where) for finding in scan_extracted(page, "명단.pdf")]
    assert found == [("900101-1******", "붙임 「명단.pdf」 1쪽"), ("900101-1******", "붙임 「명단.pdf」 1쪽"),
                     ("010-****-5678", "붙임 「명단.pdf」 2쪽"), ("010-****-5678", "붙임 「명단.pdf」 2쪽")]
