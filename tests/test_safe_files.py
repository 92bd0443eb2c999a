"""Safe 붙임 end to end: upload checks, images, 개인정보 screening, 바로보기, deletion and orphans.

Everything goes through the public views and the Django admin, so each test fails
without the wiring in boards/models.py, boards/admin.py, boards/screening.py,
boards/signals.py, boards/views.py and the sweep_orphan_files command.
"""

import datetime
import html
import io
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

import files.extract
from files.checks import human_size
from files.images import get_rendition, rendition_name
from boards.models import Department
from privacy.models import PrivacyOverride
from staff.models import Role, StaffProfile
from staff.roles import GROUP_NAMES, give_role_group
from tests.conftest import verified_login
from home.models import HeroBanner
from notices.models import Notice
from press.models import PressPhoto, PressRelease
from tests.factories import (
    DepartmentFactory,
    NewsFactory,
    NoticeAttachmentFactory,
    NoticeFactory,
    PressAttachmentFactory,
    PressFactory,
    PressPhotoFactory,
    png_bytes,
)
from tests.test_admin import EDITOR_GROUP, admin_url, banner_form, management_form, news_form
from tests.test_extract import build_docx, build_hwpx, build_pdf, build_xlsx, encrypt_pdf
from tests.test_filechecks import EXE, PDF, image_bytes
from tests.test_images import BLUE, RED, close_to, encode, gps_exif, marked_image, png_claiming

pytestmark = pytest.mark.django_db

SEED_TEXT = (Path(__file__).parent / "samples" / "seed.txt").read_text(encoding="utf-8")
OVERRIDE_PERMISSION = "publish_with_personal_data"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def department():
    return DepartmentFactory(name="도시계획과", phone="02-2627-1316")


def stored_names(root):
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def page(response):
    return html.unescape(response.content.decode())


def with_attachments(department, files, **overrides):
    """The notice add form with ``files`` as new 붙임 rows."""
    data = news_form(department, **management_form("attachments", total=len(files)), **overrides)
    for index, (name, content) in enumerate(files):
        data[f"attachments-{index}-file"] = SimpleUploadedFile(name, content)
        data[f"attachments-{index}-order"] = str(index)
    return data


def stamp_user(django_user_model, username, *, may_override, department=None):
    """A 작성자 of every 부서 there is (or of ``department``)."""
    user = django_user_model.objects.create_user(username, password="비밀번호-2026-안전", is_staff=True)
    profile = StaffProfile.objects.create(user=user, role=Role.WRITER)
    profile.departments.set([department] if department else Department.objects.all())
    give_role_group(user, Role.WRITER)
    if may_override:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="notices", codename=OVERRIDE_PERMISSION)
        )
    return user


# --- upload checks through the admin ------------------------------------------------------------

JPEG = image_bytes("JPEG")

REFUSED = [
    ("공고.pdf.exe", PDF, "실행 파일이나 스크립트, 웹 문서는 올릴 수 없습니다."),
    ("공고문.pdf", EXE, "실행 파일은 올릴 수 없습니다."),
    ("photo.php.jpg", JPEG, "이름 중간에 실행 파일 확장자(.php)가 들어 있는 파일은 올릴 수 없습니다."),
    ("보고서.pdf", b"plain text, not a PDF at all\n", "파일 내용이 확장자(.pdf)와 맞지 않습니다."),
]


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_attachment_is_a_korean_admin_error_naming_the_file(
    admin_client, department, media, name, content, reason
):
    response = admin_client.post(admin_url(Notice, "add"), with_attachments(department, [(name, content)]))
    assert response.status_code == 200
    assert f"「{name}」: {reason}" in page(response)
    assert not Notice.objects.exists()
    assert stored_names(media) == set()


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_attachment_over_the_size_setting_is_refused(admin_client, department, media):
    big = PDF + b"%" * 2000
    response = admin_client.post(admin_url(Notice, "add"), with_attachments(department, [("큰 공고문.pdf", big)]))
    assert response.status_code == 200
    assert f"「큰 공고문.pdf」: 파일이 너무 큽니다({human_size(len(big))}). 1000바이트까지 올릴 수 있습니다." in page(response)
    assert not Notice.objects.exists()


@override_settings(ATTACHMENT_MAX_TOTAL_BYTES=3000)
def test_per_post_total_size_is_refused_in_korean(admin_client, department, media):
    part = PDF + b"%" * 1800
    data = with_attachments(department, [("붙임1.pdf", part), ("붙임2.pdf", part)])
    response = admin_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 200
    assert f"붙임 파일을 모두 합친 크기({human_size(2 * len(part))})가 2.9KB를 넘습니다." in page(response)
    assert not Notice.objects.exists()
    assert stored_names(media) == set()

    # One of them alone fits.
    data = with_attachments(department, [("붙임1.pdf", part)])
    assert admin_client.post(admin_url(Notice, "add"), data).status_code == 302


def test_refused_upload_on_change_keeps_the_post_and_its_attachment(admin_client, department, media):
    notice = NoticeFactory(title="원래 제목", department=department, number_year=2026, number_seq=123)
    existing = NoticeAttachmentFactory(post=notice, file=ContentFile(PDF, name="원래 붙임.pdf"))
    stored_before = stored_names(media)
    data = news_form(
        department,
        title="고친 제목",
        **management_form("attachments", total=2, initial=1),
        **{
            "attachments-0-id": str(existing.pk), "attachments-0-post": str(notice.pk),
            "attachments-0-order": "0",
            "attachments-1-file": SimpleUploadedFile("악성.pdf.exe", PDF), "attachments-1-order": "1",
        },
    )
    response = admin_client.post(admin_url(Notice, "change", notice.pk), data)

    assert response.status_code == 200
    assert "「악성.pdf.exe」: 실행 파일이나 스크립트, 웹 문서는 올릴 수 없습니다." in page(response)
    notice.refresh_from_db()
    assert notice.title == "원래 제목"
    assert list(notice.attachments.values_list("pk", "original_name", "file")) == [
        (existing.pk, "원래 붙임.pdf", existing.file.name)
    ]
    assert stored_names(media) == stored_before
    with default_storage.open(existing.file.name, "rb") as stored:
        assert stored.read() == PDF


# --- images --------------------------------------------------------------------------------------


def press_form(department, **overrides):
    return {
        "title": "금천구, 주민설명회 개최", "subtitle": "- 부제 -", "body": "<p>본문</p>",
        "department": str(department.pk), "contact": "",
        "published_at_0": "2026-01-29", "published_at_1": "09:00:00", "is_published": "on",
        **management_form("photos"), **management_form("attachments"),
        "_save": "저장",
        **overrides,
    }


def test_press_photo_upload_loses_exif_and_is_turned_upright(admin_client, department, media):
    source = encode(marked_image((300, 200)), "JPEG", exif=gps_exif(orientation=6))
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # GPS is there to begin with
    data = press_form(department, **management_form("photos", total=1), **{
        "photos-0-image": SimpleUploadedFile("현장.jpg", source, content_type="image/jpeg"),
        "photos-0-alt": "설명회에 참석한 주민들", "photos-0-caption": "", "photos-0-order": "0",
    })
    response = admin_client.post(admin_url(PressRelease, "add"), data)
    assert response.status_code == 302, page(response)

    photo = PressRelease.objects.get().photos.get()
    with photo.image.open("rb") as stored:
        raw = stored.read()
    assert b"PhoneMaker" not in raw and b"Exif" not in raw
    im = Image.open(io.BytesIO(raw))
    assert not im.getexif()
    # Orientation 6 means "rotate 90° clockwise to view": 300×200 is shown as 200×300,
    # and the red square stored top-left ends up top-right.
    assert im.size == (200, 300)
    rgb = im.convert("RGB")
    assert close_to(rgb.getpixel((190, 10)), RED)
    assert close_to(rgb.getpixel((10, 10)), BLUE)


def test_banner_image_is_re_encoded_without_exif(admin_client, media):
    source = encode(marked_image((120, 80)), "JPEG", exif=gps_exif(orientation=3))
    form = banner_form(image=SimpleUploadedFile("배너.jpg", source, content_type="image/jpeg"))
    assert admin_client.post(admin_url(HeroBanner, "add"), form).status_code == 302
    banner = HeroBanner.objects.get()
    with banner.image.open("rb") as stored:
        im = Image.open(io.BytesIO(stored.read()))
    assert not im.getexif()
    assert close_to(im.convert("RGB").getpixel((110, 70)), RED)  # turned 180°


@pytest.mark.parametrize(
    "pixels", [(20000, 20000), (10000, 10000)], ids=["over-pillow-limit", "pillow-warns"]
)
def test_decompression_bomb_banner_is_refused_in_korean(admin_client, media, pixels):
    bomb = png_claiming(*pixels)
    form = banner_form(image=SimpleUploadedFile("폭탄.png", bomb, content_type="image/png"))
    response = admin_client.post(admin_url(HeroBanner, "add"), form)
    assert response.status_code == 200
    assert f"「폭탄.png」: 이미지가 너무 큽니다({pixels[0] * pixels[1]:,}화소)." in page(response)
    assert not HeroBanner.objects.exists()
    assert stored_names(media) == set()


# --- 개인정보 screening -----------------------------------------------------------------------------

RRN_BODY = "<p>신청인 홍길동(주민등록번호 900101-1234567)에게 알립니다.</p>"


def test_published_post_with_a_resident_number_in_the_body_is_blocked(admin_client, department):
    response = admin_client.post(admin_url(Notice, "add"), news_form(department, body=RRN_BODY))
    assert response.status_code == 200
    text = page(response)
    assert "개인정보로 보이는 내용이 1건 있어 공개할 수 없습니다." in text
    assert "[본문] 1건</li><li>· 주민등록번호: 900101-1******" in text
    assert "'개인정보 검출 시 공개 사유'를 적고 다시 저장하세요." in text  # a superuser may override
    assert not Notice.objects.exists()


def test_press_release_body_is_screened_alongside_its_photo_inline(admin_client, department, media):
    data = press_form(department, body="<p>담당자 휴대전화 010-1234-5678</p>")
    response = admin_client.post(admin_url(PressRelease, "add"), data)
    assert response.status_code == 200
    assert "[본문] 1건</li><li>· 휴대전화번호: 010-****-5678" in page(response)
    assert not PressRelease.objects.exists()


def test_title_is_screened_too(admin_client, department):
    response = admin_client.post(
        admin_url(Notice, "add"), news_form(department, title="연락처 010-1234-5678 안내")
    )
    assert response.status_code == 200
    assert "[제목] 1건</li><li>· 휴대전화번호: 010-****-5678" in page(response)


PERSONAL_FILES = {
    "명단.docx": (
        lambda: build_docx(["신청인 명단", [["성명", "주민등록번호"], ["홍길동", "900101-1234567"]]]),
        "붙임 「명단.docx」 1번째 표 2번째 행",
    ),
    "명단.xlsx": (
        lambda: build_xlsx({"명단": [["성명", "주민등록번호"], ["홍길동", "900101-1234567"]]}),
        "붙임 「명단.xlsx」 「명단」 시트 2행",
    ),
    "명단.hwpx": (
        lambda: build_hwpx([["신청인 명단", [["성명", "주민등록번호"], ["홍길동", "900101-1234567"]]]]),
        "붙임 「명단.hwpx」 1번째 표 2번째 행",
    ),
    "명단.txt": (lambda: "신청인 명단\n홍길동 900101-1234567\n".encode(), "붙임 「명단.txt」 2번째 줄"),
}


@pytest.mark.parametrize("name", PERSONAL_FILES)
def test_personal_data_in_an_attachment_blocks_publishing_and_names_the_file(
    admin_client, department, media, name
):
    build, where = PERSONAL_FILES[name]
    data = with_attachments(department, [(name, build())])
    response = admin_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 200
    place, spot = where.split("」 ", 1)
    assert f"[{place}」] 1건</li><li>· 주민등록번호: 900101-1****** ({spot})" in page(response)
    assert not Notice.objects.exists()
    assert stored_names(media) == set()

    # Saved as 비공개 (공개 여부 off) it goes through.
    data = with_attachments(department, [(name, build())])
    del data["is_published"]
    assert admin_client.post(admin_url(Notice, "add"), data).status_code == 302
    notice = Notice.objects.get()
    assert not notice.is_published
    assert "900101-1234567" in notice.attachments.get().extracted_text


def test_private_post_with_personal_data_in_the_body_is_saved(admin_client, department):
    data = news_form(department, body=RRN_BODY)
    del data["is_published"]
    assert admin_client.post(admin_url(Notice, "add"), data).status_code == 302
    assert Notice.objects.get().is_published is False


def test_publishing_a_private_post_with_personal_data_is_blocked(admin_client, department):
    notice = NoticeFactory(
        number_year=2026, number_seq=123, department=department, is_published=False, body=RRN_BODY
    )
    data = news_form(department, body=RRN_BODY)
    response = admin_client.post(admin_url(Notice, "change", notice.pk), data)
    assert response.status_code == 200
    assert "[본문] 1건</li><li>· 주민등록번호: 900101-1******" in page(response)
    notice.refresh_from_db()
    assert notice.is_published is False


def test_permitted_user_with_a_reason_publishes_and_the_override_is_recorded(
    client, django_user_model, department, caplog
):
    user = stamp_user(django_user_model, "팀장", may_override=True)
    verified_login(client, user)
    reason = "공시송달: 법령에 따라 주소불명자 주민등록번호 앞자리 공개"
    data = news_form(department, body=RRN_BODY, privacy_override_reason=reason)
    with caplog.at_level("WARNING", logger="privacy.screening"):
        response = client.post(admin_url(Notice, "add"), data, follow=True)
    assert response.status_code == 200
    notice = Notice.objects.get()
    assert notice.is_published
    override = PrivacyOverride.objects.get()
    assert (override.user, override.reason, override.object_id) == (user, reason, notice.pk)
    assert override.content_type.model_class() is Notice
    assert override.findings == [{"kind": "주민등록번호", "where": "본문", "excerpt": "900101-1******"}]
    assert any("개인정보 검출 글 공개" in record.getMessage() for record in caplog.records)
    assert "개인정보 검출 1건을(를) 확인하고 공개했습니다" in " ".join(str(m) for m in response.context["messages"])


def test_permitted_user_without_a_reason_is_still_blocked(client, django_user_model, department):
    verified_login(client, stamp_user(django_user_model, "팀장", may_override=True))
    response = client.post(admin_url(Notice, "add"), news_form(department, body=RRN_BODY))
    assert response.status_code == 200
    assert "'개인정보 검출 시 공개 사유'를 적고 다시 저장하세요." in page(response)
    assert not Notice.objects.exists() and not PrivacyOverride.objects.exists()


def test_editor_without_the_permission_cannot_override_even_with_a_reason(
    client, django_user_model, department
):
    editor = stamp_user(django_user_model, "편집자1", may_override=False)
    assert not editor.has_perm(f"notices.{OVERRIDE_PERMISSION}")
    verified_login(client, editor)
    data = news_form(department, body=RRN_BODY, privacy_override_reason="그냥 올립니다")
    response = client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 200
    text = page(response)
    assert "[본문] 1건</li><li>· 주민등록번호: 900101-1******" in text
    assert "비공개로 저장할 수는 있습니다." in text
    assert not Notice.objects.exists() and not PrivacyOverride.objects.exists()


@pytest.mark.parametrize("name", [EDITOR_GROUP, *GROUP_NAMES.values()])
def test_editor_and_role_groups_do_not_hold_the_override_permission(name):
    group = Group.objects.get(name=name)
    assert not group.permissions.filter(codename=OVERRIDE_PERMISSION).exists()


def test_the_whole_seed_text_as_a_body_is_not_blocked(admin_client, department):
    body = "".join(f"<p>{html.escape(line)}</p>" for line in SEED_TEXT.splitlines() if line.strip())
    response = admin_client.post(admin_url(Notice, "add"), news_form(department, body=body))
    assert response.status_code == 302, page(response)[:2000]
    body_text = Notice.objects.get().body_text
    assert "02-2627-1316" in body_text and "cjy2614@geumcheon.go.kr" in body_text


def test_encrypted_pdf_is_held_back_saved_but_not_public(admin_client, department, media):
    locked = encrypt_pdf(build_pdf([["900101-1234567"]]), "secret", "owner", "AES-256")
    data = with_attachments(department, [("암호.pdf", locked)])
    response = admin_client.post(admin_url(Notice, "add"), data, follow=True)
    assert response.status_code == 200
    post = Notice.objects.get()
    attachment = post.attachments.get()
    assert attachment.extract_error == "암호가 걸린 파일이라 내용을 확인할 수 없습니다."
    assert not post.is_published  # held back (tests/test_privacy_round_two.py has the rest)
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert any("「암호.pdf」(암호가 걸린 파일이라 내용을 확인할 수 없습니다.)" in error for error in errors)


# --- extracted text stored once ------------------------------------------------------------------


def test_text_is_extracted_once_at_upload_and_reused(admin_client, department, monkeypatch):
    real = files.extract.extract_text
    calls = []

    def counting(file_obj, name):
        calls.append(name)
        return real(file_obj, name)

    monkeypatch.setattr(files.extract, "extract_text", counting)
    content = build_docx(["2026년 도시관리계획 열람 공고", [["구분", "내용"], ["열람기간", "2월 1일부터"]]])
    data = with_attachments(department, [("공고문.docx", content)])
    response = admin_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 302
    assert calls == ["공고문.docx"]
    notice = Notice.objects.get()
    attachment = notice.attachments.get()
    assert "2026년 도시관리계획 열람 공고" in attachment.extracted_text
    assert "열람기간" in attachment.extracted_text
    assert ["table", [["구분", "내용"], ["열람기간", "2월 1일부터"]], None, None] in attachment.extracted_blocks

    data = news_form(
        department, title="고친 제목",
        **management_form("attachments", total=1, initial=1),
        **{"attachments-0-id": str(attachment.pk), "attachments-0-post": str(notice.pk),
           "attachments-0-order": "0"},
    )
    assert admin_client.post(admin_url(Notice, "change", notice.pk), data).status_code == 302
    assert Notice.objects.get().title == "고친 제목"
    assert calls == ["공고문.docx"]


def test_stored_text_of_an_existing_attachment_is_screened_on_publish(admin_client, department):
    notice = NoticeFactory(number_year=2026, number_seq=123, department=department, is_published=False)
    attachment = NoticeAttachmentFactory(
        post=notice, file=ContentFile("홍길동 900101-1234567\n".encode(), name="명단.txt")
    )
    data = news_form(
        department,
        **management_form("attachments", total=1, initial=1),
        **{"attachments-0-id": str(attachment.pk), "attachments-0-post": str(notice.pk),
           "attachments-0-order": "0"},
    )
    response = admin_client.post(admin_url(Notice, "change", notice.pk), data)
    assert response.status_code == 200
    assert "[붙임 「명단.txt」] 1건</li><li>· 주민등록번호: 900101-1****** (1번째 줄)" in page(response)


# --- 바로보기 ---------------------------------------------------------------------------------------


def preview_url(attachment, view="preview", board="news"):
    return reverse(f"boards:{view}", kwargs={"board": board, "pk": attachment.pk})


def attach(name, content, **post_fields):
    post = NewsFactory(title="바로보기 시험 글", **post_fields)
    return NoticeAttachmentFactory(post=post, file=ContentFile(content, name=name))


PREVIEWABLE = {
    "안내.docx": lambda: build_docx(["신청 안내입니다.", [["구분", "기간"], ["접수", "3월 2일"]]]),
    "안내.xlsx": lambda: build_xlsx({"일정": [["구분", "기간"], ["접수", "3월 2일"]]}),
    "안내.hwpx": lambda: build_hwpx([["신청 안내입니다.", [["구분", "기간"], ["접수", "3월 2일"]]]]),
    "안내.txt": lambda: "신청 안내입니다.\n접수는 3월 2일입니다.\n".encode(),
    "일정.csv": lambda: "구분,기간\n접수,3월 2일\n".encode("cp949"),
}


@pytest.mark.parametrize("name", PREVIEWABLE)
def test_preview_shows_paragraphs_and_tables_as_html(client, name):
    attachment = attach(name, PREVIEWABLE[name]())
    response = client.get(preview_url(attachment))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"<title>{name} | 바로보기 | 금천소식 | 금천구청</title>" in text
    assert f"<h1 class=\"post-title\">{name}</h1>" in text
    assert f'href="{preview_url(attachment, "download")}"' in text
    assert f'href="{attachment.post.get_absolute_url()}"' in text
    assert preview_url(attachment, "inline") not in text
    if name.endswith(".txt"):
        assert "<p>신청 안내입니다.</p>" in text and "<p>접수는 3월 2일입니다.</p>" in text
        assert "<table" not in text
        return
    if name.endswith((".docx", ".hwpx")):
        assert "<p>신청 안내입니다.</p>" in text
    assert "<table>" in text
    caption = "<caption>표 1 (「일정」 시트)</caption>" if name.endswith(".xlsx") else "<caption>표 1</caption>"
    assert caption in text
    assert "<tr><td>구분</td><td>기간</td></tr>" in text
    assert "<tr><td>접수</td><td>3월 2일</td></tr>" in text


def test_tables_are_numbered_in_order(client):
    attachment = attach("두 표.docx", build_docx([[["가"]], "사이 문단", [["나"]]]))
    text = client.get(preview_url(attachment)).content.decode()
    assert text.index("<caption>표 1</caption>") < text.index("<p>사이 문단</p>") < text.index(
        "<caption>표 2</caption>"
    )


def test_markup_inside_a_file_is_shown_as_text(client):
    attachment = attach("스크립트.txt", '<script>alert(1)</script>\n<img src=x onerror="alert(2)">\n'.encode())
    text = client.get(preview_url(attachment)).content.decode()
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in text
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in text
    assert "<script>alert" not in text and "<img src=x" not in text


def test_preview_of_a_file_without_content_says_to_download_it(client):
    attachment = attach("옛공고.hwp", b"HWP Document File V3.00 \x1a" + b"\x00" * 100)
    attachment.extracted_blocks = []
    attachment.save(update_fields=["extracted_blocks"])
    text = page(client.get(preview_url(attachment)))
    assert "이 파일은 바로보기 내용을 만들 수 없습니다. 내려받아 확인해 주세요." in text


def test_preview_of_an_encrypted_file_explains_why_in_korean(client):
    attachment = attach("암호.pdf", encrypt_pdf(build_pdf([["x"]]), "secret", "owner", "AES-256"))
    text = page(client.get(preview_url(attachment)))
    assert "암호가 걸린 파일이라 내용을 확인할 수 없습니다." in text
    assert "이 파일은 바로보기 내용을 만들 수 없습니다." in text


def test_pdf_preview_links_to_the_inline_view_which_is_locked_down(client):
    attachment = attach("공고문.pdf", build_pdf([["Notice of public hearing"]]))
    text = client.get(preview_url(attachment)).content.decode()
    inline = preview_url(attachment, "inline")
    assert f'href="{inline}"' in text and "PDF 원본 보기" in text
    assert "Notice of public hearing" in text

    response = client.get(inline)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="download.pdf"; filename*=UTF-8\'\'')
    assert "%EA%B3%B5%EA%B3%A0%EB%AC%B8.pdf" in response["Content-Disposition"]  # 공고문.pdf
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'") and "script-src" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_image_preview_shows_the_image_with_alt_text(client):
    attachment = attach("현장 사진.png", png_bytes())
    text = client.get(preview_url(attachment)).content.decode()
    assert f'<img src="{preview_url(attachment, "inline")}" alt="현장 사진.png (붙임 이미지)">' in text
    assert "바로보기 내용을 만들 수 없습니다" not in text
    response = client.get(preview_url(attachment, "inline"))
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]


def test_documents_are_not_served_inline(client):
    attachment = attach("안내.docx", PREVIEWABLE["안내.docx"]())
    assert client.get(preview_url(attachment, "inline")).status_code == 404


@pytest.mark.parametrize("state", ["private", "future"])
@pytest.mark.parametrize("view", ["preview", "inline", "download"])
def test_attachments_of_hidden_posts_are_404(client, state, view):
    fields = {"is_published": False} if state == "private" else {
        "published_at": timezone.now() + datetime.timedelta(days=1)
    }
    attachment = attach("공고문.pdf", build_pdf([["draft"]]), **fields)
    assert client.get(preview_url(attachment, view)).status_code == 404


def test_post_page_links_each_attachment_to_its_preview(client):
    attachment = attach("안내.docx", PREVIEWABLE["안내.docx"]())
    text = client.get(attachment.post.get_absolute_url()).content.decode()
    assert f'href="{preview_url(attachment)}"><span class="sr-only">안내.docx </span>바로보기</a>' in text


def test_mask_name_filter():
    rendered = Template("{% load privacy %}{{ a|mask_name }} {{ b|mask_name }} {{ c|mask_name }}").render(
        Context({"a": "이재종", "b": "이재", "c": "남궁민수"})
    )
    assert rendered == "이○종 이○ 남○○수"


# --- files leave storage only after the delete commits ------------------------------------------


def press_with_files():
    post = PressFactory()
    jpeg = ContentFile(encode(marked_image((800, 600)), "JPEG"), name="a.jpg")
    photo = PressPhotoFactory(post=post, image=jpeg)
    attachment = PressAttachmentFactory(post=post, file=ContentFile(PDF, name="보도자료.pdf"))
    rendition = get_rendition(photo.image, 160)
    assert rendition == rendition_name(photo.image.name, 160)
    return post, [photo.image.name, rendition, attachment.file.name]


def test_rolled_back_delete_keeps_the_files(media, django_capture_on_commit_callbacks):
    post, names = press_with_files()
    pk = post.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            post.delete()
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert PressRelease.objects.get(pk=pk).photos.count() == 1
    assert all(default_storage.exists(name) for name in names)


def test_committed_delete_removes_files_and_renditions(media, settings, django_capture_on_commit_callbacks):
    settings.REMOVED_FILE_RETENTION_DAYS = 0  # 붙임 files too, at once (otherwise kept: test_revisions_files.py)
    post, names = press_with_files()
    other, other_names = press_with_files()
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
        assert all(default_storage.exists(name) for name in names)  # not before the commit
    assert not any(default_storage.exists(name) for name in names)
    assert all(default_storage.exists(name) for name in other_names)


# --- orphan sweeper -----------------------------------------------------------------------------


def sweep(*args):
    out = StringIO()
    call_command("sweep_orphan_files", *args, stdout=out)
    return out.getvalue()


def every_stored_file_field():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.attname: ""})
                for name in rows.values_list(field.attname, flat=True):
                    yield model, name


def test_sweeper_finds_the_file_of_a_failed_save_and_removes_it_when_asked(media):
    post = PressFactory()
    kept_photo = PressPhotoFactory(post=post)
    kept_rendition = get_rendition(kept_photo.image, 160)
    kept_attachment = PressAttachmentFactory(post=post)
    before = stored_names(media)

    # The file is written by the field's pre_save, then the INSERT breaks the alt check.
    with pytest.raises(IntegrityError), transaction.atomic():
        PressPhoto(post=post, image=ContentFile(png_bytes(), name="설명 없음.png"), alt="").save()
    (orphan,) = stored_names(media) - before
    assert orphan.startswith("press/") and orphan.endswith(".png")
    assert not PressPhoto.objects.filter(image=orphan).exists()

    # Younger than the default 60 minutes: could be an upload in progress.
    assert orphan not in sweep()

    listed = sweep("--min-age-minutes", "0")
    assert f"고아 파일: {orphan}" in listed
    assert "고아 파일 1개를 찾았습니다" in listed
    for name in (kept_photo.image.name, kept_rendition, kept_attachment.file.name):
        assert name not in listed
    assert default_storage.exists(orphan)  # a dry run deletes nothing

    # DEBUG is off under pytest: deleting names the database (tests/test_sweeper_safety.py).
    removed = sweep("--min-age-minutes", "0", "--delete", "--confirm-database", connection.settings_dict["NAME"])
    assert f"지움: {orphan}" in removed
    assert not default_storage.exists(orphan)
    assert stored_names(media) == before
    assert "고아 파일 0개" in sweep("--min-age-minutes", "0")

    rows = list(every_stored_file_field())
    assert len(rows) == 2
    assert all(default_storage.exists(name) for _, name in rows)
