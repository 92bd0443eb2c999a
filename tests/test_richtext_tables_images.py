"""What editors expect of the rich-text body: accessible tables (KWCAG) and images uploaded into the portal.

The editor side runs in a real browser in tests/browser/test_body_editor.py; here: the sanitiser's
rules, the form's refusal of images it would drop, the staff-only upload, the serving view, and the
public page.
"""

import io
import json
import re
import uuid
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from boards.body_images import BodyImage
from boards.richtext import BODY_IMAGE_SRC, EXTENSIONS, sanitize_html, validate_body_images
from notices.models import Notice
from staff.models import Role, StaffProfile
from staff.roles import give_role_group
from tests.conftest import verified_login
from tests.factories import DepartmentFactory, NewsFactory, png_bytes
from tests.test_admin import admin_url, news_form

KEY = "0b6f7a52-3c1d-4e8f-9a2b-5d4c3b2a1f00"
OURS = f"/body-images/{KEY}/"
UPLOAD_URL = "/admin/body-images/upload/"

# What the editor (static/js/prose-body.js) writes for a table with a caption, a header row and a
# header column, a merged cell, and an uploaded image.
EDITOR_TABLE = (
    "<table><caption>2026년 상반기 접수 일정</caption>"
    '<thead><tr><th scope="col"><p>구분</p></th><th scope="col" colspan="2"><p>기간</p></th></tr></thead>'
    '<tbody><tr><th scope="row" rowspan="2"><p>1차</p></th><td><p>3월 2일</p></td><td><p>3월 6일</p></td></tr>'
    '<tr><td colspan="2"><p>추가 접수 없음</p></td></tr></tbody></table>'
)
EDITOR_IMAGE = f'<img src="{OURS}" alt="금천구청 본관 전경">'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- the sanitiser: tables -----------------------------------------------------------------

def test_editor_tables_keep_caption_sections_scope_and_spans():
    assert sanitize_html(EDITOR_TABLE) == EDITOR_TABLE
    assert sanitize_html(EDITOR_IMAGE + EDITOR_TABLE) == EDITOR_IMAGE + EDITOR_TABLE


@pytest.mark.parametrize(("scope", "kept"), [
    ("col", "col"), ("row", "row"), ("colgroup", "colgroup"), ("rowgroup", "rowgroup"), ("COL", "col"),
    (" row ", "row"), ("auto", None), ("", None), ("col row", None), ("column", None),
])
def test_header_scope_only_col_row_colgroup_rowgroup(scope, kept):
    cleaned = sanitize_html(f'<table><tbody><tr><th scope="{scope}">구분</th><td>값</td></tr></tbody></table>')
    expected = f' scope="{kept}"' if kept else ""
    assert f"<th{expected}>구분</th>" in cleaned
    assert sanitize_html(cleaned) == cleaned


@pytest.mark.parametrize(("value", "kept"), [
    ("1", "1"), ("2", "2"), (" 3 ", "3"), ("100", "100"), ("101", None), ("0", None), ("-1", None),
    ("02", None), ("2.5", None), ("1e2", None), ("abc", None), ("99999999999999999999", None), ("", None),
])
def test_colspan_only_small_positive_integers(value, kept):
    cleaned = sanitize_html(f'<table><tbody><tr><td colspan="{value}">칸</td></tr></tbody></table>')
    assert (f'<td colspan="{kept}">' if kept else "<td>") in cleaned


@pytest.mark.parametrize(("value", "kept"), [("1000", "1000"), ("1001", None), ("0", None), ("x", None)])
def test_rowspan_only_small_positive_integers(value, kept):
    cleaned = sanitize_html(f'<table><tbody><tr><th rowspan="{value}">칸</th></tr></tbody></table>')
    assert (f'<th rowspan="{kept}">' if kept else "<th>") in cleaned


def test_table_elements_carry_nothing_else():
    dirty = (
        '<table style="width:900px" class="x" id="t" title="t" border="1" summary="s" onclick="x()">'
        '<caption style="color:red" onmouseover="x()" lang="en">제목</caption>'
        '<colgroup><col span="2" style="width:10px"></colgroup>'
        '<thead class="h"><tr style="x" onclick="x()"><th abbr="a" headers="h" id="h" axis="a" '
        'align="center" bgcolor="red" width="5" data-colwidth="90">머리</th></tr></thead>'
        '<tbody><tr><td background="javascript:alert(1)" style="x" headers="h" nowrap>값</td></tr></tbody>'
        "<tfoot><tr><td>합계</td></tr></tfoot></table>"
    )
    cleaned = sanitize_html(dirty)
    assert cleaned == (
        "<table><caption>제목</caption><thead><tr><th>머리</th></tr></thead>"
        "<tbody><tr><td>값</td></tr></tbody><tbody><tr><td>합계</td></tr></tbody></table>"
    )
    assert sanitize_html(cleaned) == cleaned


def test_table_whose_wrapper_is_removed_settles_in_one_save():
    """A removed <tfoot> leaves rows the HTML parser would wrap on the next reading: saving twice is stable."""
    for dirty in [
        "<table><tbody><tr><td>a</td></tr></tbody><tfoot><tr><td>b</td></tr></tfoot></table>",
        "<table><caption>c</caption><colgroup><col></colgroup><tr><td>a</td></tr></table>",
        "<table><thead><tr><th>a</th></tr></thead><tfoot><tr><td>b</td></tr></tfoot><tbody><tr><td>c</td></tr></tbody></table>",
    ]:
        once = sanitize_html(dirty)
        assert sanitize_html(once) == once, dirty


def test_tables_saved_before_this_change_survive_resanitising():
    """What the old sanitiser kept (tbody only, th with spans) comes through unchanged."""
    old = (
        '<table><tbody><tr><th colspan="2"><p>구분</p></th></tr>'
        '<tr><td><p>가</p></td><td rowspan="1"><p>나</p></td></tr></tbody></table>'
    )
    assert sanitize_html(old) == old


# --- the sanitiser: images -----------------------------------------------------------------

def test_our_image_with_alt_text_is_kept_with_src_and_alt_only():
    dirty = (
        f'<img src=" {OURS} " alt="  금천구청\n 본관  전경 " title="t" lang="ko" width="640" height="480" '
        f'srcset="https://evil.example/x.png 2x" sizes="100vw" data-file="3" style="border:0" '
        'loading="lazy" onerror="window.__xss=1" class="photo">'
    )
    assert sanitize_html(dirty) == EDITOR_IMAGE


@pytest.mark.parametrize("image", [
    f'<img src="{OURS}">',
    f'<img src="{OURS}" alt="">',
    f'<img src="{OURS}" alt="   ">',
    f'<img src="{OURS}" alt>',
])
def test_image_without_alt_text_is_removed(image):
    assert sanitize_html(f"<p>앞</p>{image}<p>뒤</p>") == "<p>앞</p><p>뒤</p>"


@pytest.mark.parametrize("src", [
    "https://evil.example/x.png",
    "http://www.geumcheon.go.kr/body-images/x.png",
    f"https://www.geumcheon.go.kr{OURS}",
    f"//evil.example{OURS}",
    "javascript:window.__xss=1",
    "JaVaScRiPt:window.__xss=1",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "x",
    "/media-not-served/boards/2026/01/a.png",
    "/admin/",
    f"{OURS}?x=1",
    f"{OURS}#x",
    f"/body-images/{KEY}",
    f"/body-images/{KEY.upper()}/",
    f"/body-images/{KEY}/../../admin/",
    "/body-images/../admin/",
    f"/body-images/{KEY}/x/",
    "/body-images/1/",
])
def test_image_from_anywhere_else_is_removed_whole(src):
    cleaned = sanitize_html(f'<p>사진</p><img src="{src}" alt="사진 설명">')
    assert cleaned == "<p>사진</p>"


def test_image_removal_does_not_touch_text_that_looks_like_an_image():
    body = '<p>&lt;img src="x" alt="y"&gt; 는 글자입니다.</p><p><a href="https://a.go.kr/" title="&lt;img&gt;">링크</a></p>'
    cleaned = sanitize_html(body)
    assert "&lt;img src=&quot;x&quot; alt=&quot;y&quot;&gt;" in cleaned or '&lt;img src="x" alt="y"&gt;' in cleaned
    assert 'title="&lt;img&gt;"' in cleaned
    assert sanitize_html(cleaned) == cleaned


@pytest.mark.django_db
def test_alt_text_is_part_of_the_body_text_residents_search():
    post = NewsFactory(body=f'<p>현장 사진</p><img src="{OURS}" alt="금천구청 본관 &amp; 광장">')
    assert post.body_text == "현장 사진 금천구청 본관 & 광장"


def test_sanitiser_knows_the_address_the_serving_view_answers_at():
    key = uuid.uuid4()
    assert BODY_IMAGE_SRC.fullmatch(reverse("boards:body-image", kwargs={"key": key}))


# --- forms refuse what the sanitiser would drop ----------------------------------------------

def test_body_image_check_refuses_missing_alt_and_foreign_images_in_korean():
    validate_body_images(EDITOR_IMAGE + EDITOR_TABLE)
    with pytest.raises(Exception) as missing:
        validate_body_images(f'<p>a</p><img src="{OURS}" alt=" ">')
    assert "대체텍스트" in str(missing.value)
    with pytest.raises(Exception) as foreign:
        validate_body_images('<img src="https://evil.example/x.png" alt="x">')
    assert "이 누리집에 올린 이미지만" in str(foreign.value)


@pytest.fixture
def department():
    return DepartmentFactory(name="도시계획과", phone="02-2627-1316")


@pytest.mark.django_db
@pytest.mark.parametrize(("image", "message"), [
    (f'<img src="{OURS}">', "본문 이미지에 대체텍스트가 없습니다."),
    ('<img src="https://evil.example/x.png" alt="남의 사진">', "이 누리집에 올린 이미지만"),
])
def test_admin_refuses_a_body_image_it_would_drop_with_a_korean_message(admin_client, department, image, message):
    response = admin_client.post(admin_url(Notice, "add"), news_form(department, body=f"<p>본문</p>{image}"))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["body"]
    assert message in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_admin_saves_tables_and_our_images_as_written(admin_client, department):
    body = f"<p>접수 일정입니다.</p>{EDITOR_IMAGE}{EDITOR_TABLE}"
    response = admin_client.post(admin_url(Notice, "add"), news_form(department, body=body))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    post = Notice.objects.get()
    assert post.body == body
    assert "구분 기간 1차 3월 2일" in post.body_text


@pytest.mark.django_db
def test_posts_saved_outside_forms_lose_such_images_silently():
    post = NewsFactory(body=f'<p>a</p><img src="{OURS}"><img src="https://evil.example/x.png" alt="x">{EDITOR_IMAGE}')
    post.refresh_from_db()
    assert post.body == f"<p>a</p>{EDITOR_IMAGE}"


# --- the editor configuration --------------------------------------------------------------

@pytest.mark.django_db
def test_admin_editor_loads_our_extensions_from_our_own_static_files(admin_client):
    html = admin_client.get(admin_url(Notice, "add")).content.decode()
    config = json.loads(
        re.search(r'data-django-prose-editor-configurable="([^"]*)"', html).group(1).replace("&quot;", '"')
    )
    extensions = config["extensions"]
    assert {"CaptionedTable", "ScopedTableHeader", "BodyImage", "TableRow", "TableCell"} <= set(extensions)
    assert "Table" not in extensions and "TableHeader" not in extensions  # replaced, not doubled
    assert extensions["BodyImage"] == {"uploadUrl": UPLOAD_URL, "srcPrefix": "/body-images/"}
    assert config["js_modules"] == ["/static/js/prose-body.js"]
    assert finders.find("js/prose-body.js")


def test_editor_module_loads_nothing_from_another_host():
    source = Path(finders.find("js/prose-body.js")).read_text(encoding="utf-8")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", source, re.IGNORECASE)
    assert re.findall(r'from "([^"]+)"', source) == ["django-prose-editor/editor"]  # the import map's name
    assert "innerHTML" not in source and "eval(" not in source


def test_every_extension_in_the_editor_config_has_its_sanitiser_processor():
    from django_prose_editor.config import allowlist_from_extensions, expand_extensions

    allow = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    assert {"table", "caption", "thead", "tbody", "tr", "th", "td", "img"} <= allow["tags"]
    assert allow["attributes"]["th"] == {"colspan", "rowspan", "scope"}
    assert allow["attributes"]["td"] == {"colspan", "rowspan"}
    assert allow["attributes"]["img"] == {"src", "alt"}
    assert not {"tfoot", "colgroup", "col", "figure", "div", "span"} & allow["tags"]


# --- uploading through the editor ----------------------------------------------------------

def jpeg_with_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel 12"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 60)).save(buffer, "JPEG", exif=exif.tobytes(), comment=b"secret")
    return buffer.getvalue()


@pytest.fixture
def writer(django_user_model, department):
    """A 작성자: staff, changes posts of their 부서's boards through the role group."""
    user = django_user_model.objects.create_user("writer", password="작성자-비밀번호-2026", is_staff=True)
    StaffProfile.objects.create(user=user, role=Role.WRITER).departments.add(department)
    give_role_group(user, Role.WRITER)
    return user


@pytest.fixture
def writer_client(writer):
    return verified_login(Client(), writer)


def upload(client, name="사진.jpg", content=None, alt="금천구청 본관 전경", **extra):
    data = {"alt": alt} if alt is not None else {}
    if content is not False:
        data["image"] = SimpleUploadedFile(name, content if content is not None else jpeg_with_exif())
    return client.post(UPLOAD_URL, data, **extra)


@pytest.mark.django_db
def test_staff_upload_is_re_encoded_stored_and_answered_as_json_for_the_editor(writer_client, writer):
    assert reverse("body-image-upload") == UPLOAD_URL
    response = upload(writer_client)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    body_image = BodyImage.objects.get()
    assert response.json() == {"url": body_image.get_absolute_url(), "alt": "금천구청 본관 전경"}
    assert BODY_IMAGE_SRC.fullmatch(body_image.get_absolute_url())
    assert body_image.uploaded_by == writer and body_image.uploaded_at
    assert re.fullmatch(r"boards/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", body_image.image.name)  # not the uploaded name
    with body_image.image.open("rb") as stored, Image.open(stored) as im:
        assert im.size == (40, 30)
        assert not im.getexif() and "comment" not in im.info and "exif" not in im.info


@pytest.mark.django_db
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"alt": None}, "대체텍스트를 적어 주세요."),
    ({"alt": "   "}, "대체텍스트를 적어 주세요."),
    ({"alt": "가" * 301}, "대체텍스트는 300자까지"),
    ({"content": False}, "올릴 이미지 파일을 골라 주세요."),
    ({"name": "사진.png", "content": b"this is not a picture at all"}, "「사진.png」: 파일 내용이 확장자(.png)와 맞지 않습니다."),
    ({"name": "공고문.pdf", "content": b"%PDF-1.4\n"}, "「공고문.pdf」: 올릴 수 없는 파일 형식입니다."),
    ({"name": "그림.svg", "content": b"<svg onload='alert(1)'></svg>"}, "「그림.svg」: 실행 파일이나 스크립트, 웹 문서는 올릴 수 없습니다."),
    ({"name": "빈 파일.png", "content": b""}, "빈 파일입니다."),
    ({"name": "잘린 사진.jpg", "content": jpeg_with_exif()[:400]}, "「잘린 사진.jpg」"),
    ({"name": "큰 사진.png", "content": png_bytes() + bytes(20 * 1024 * 1024)}, "「큰 사진.png」: 파일이 너무 큽니다"),
])
def test_bad_uploads_get_a_korean_message_never_a_server_error(writer_client, kwargs, message):
    response = upload(writer_client, **kwargs)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not BodyImage.objects.exists()


@pytest.mark.django_db
def test_too_many_pixels_is_refused_in_korean(writer_client, settings):
    settings.IMAGE_MAX_PIXELS = 1000
    response = upload(writer_client, name="파노라마.png", content=png_bytes(size=(100, 100)))
    assert response.status_code == 400
    assert "「파노라마.png」: 이미지가 너무 큽니다(10,000화소)" in response.json()["error"]
    assert not BodyImage.objects.exists()


@pytest.mark.django_db
def test_upload_is_for_signed_in_staff_with_post_change_permission_only(django_user_model, department):
    anonymous = upload(Client())
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    resident = django_user_model.objects.create_user("resident", password="주민-비밀번호-2026")
    assert upload(verified_login(Client(), resident)).status_code == 302

    bare_staff = django_user_model.objects.create_user("bare", password="직원-비밀번호-2026", is_staff=True)
    refused = upload(verified_login(Client(), bare_staff))
    assert refused.status_code == 403
    assert refused.json() == {"error": "본문 이미지를 올릴 권한이 없습니다."}

    unverified = django_user_model.objects.create_user("nocode", password="직원-비밀번호-2026", is_staff=True)
    give_role_group(unverified, Role.WRITER)
    client = Client()
    client.force_login(unverified)  # password only, no second factor
    assert upload(client).status_code == 302
    assert not BodyImage.objects.exists()


@pytest.mark.django_db
def test_upload_needs_the_csrf_token_and_a_post(writer):
    client = verified_login(Client(enforce_csrf_checks=True), writer)
    assert upload(client).status_code == 403
    assert not BodyImage.objects.exists()
    page = client.get(admin_url(Notice, "add"))
    token = page.cookies["csrftoken"].value
    assert upload(client, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert client.get(UPLOAD_URL).status_code == 405


# --- serving -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_body_image_is_served_by_our_view_inert_and_by_its_key_only(writer_client):
    url = upload(writer_client).json()["url"]
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    with BodyImage.objects.get().image.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    assert Client().get(f"/body-images/{uuid.uuid4()}/").status_code == 404
    assert Client().get(f"/body-images/{BodyImage.objects.get().pk}/").status_code == 404
    assert Client().post(url).status_code == 405


@pytest.mark.django_db
def test_deleting_a_body_image_removes_its_file(writer_client, django_capture_on_commit_callbacks):
    upload(writer_client)
    body_image = BodyImage.objects.get()
    path = Path(body_image.image.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        body_image.delete()
    assert not path.exists()


# --- the public page -----------------------------------------------------------------------

@pytest.mark.django_db
def test_public_page_shows_the_table_and_the_image(writer_client, client):
    url = upload(writer_client).json()["url"]
    image = f'<img src="{url}" alt="금천구청 본관 전경">'
    post = NewsFactory(title="접수 일정 안내", body=f"<p>안내</p>{image}{EDITOR_TABLE}")
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<div class="post-body"><p>안내</p>{image}{EDITOR_TABLE}</div>' in html
    assert client.get(url).status_code == 200

    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    assert ".post-body table { display: table;" in css
    assert ".post-body caption {" in css


def test_site_managers_find_and_remove_body_images_writers_only_see_them(django_user_model, admin_client):
    from tests.test_staff import staff_member

    image = BodyImage.objects.create(image=SimpleUploadedFile("사진.png", png_bytes()), alt="주민설명회 현장")
    url = reverse("admin:boards_bodyimage_changelist")
    listing = admin_client.get(url)
    assert listing.status_code == 200 and "주민설명회 현장" in listing.content.decode()
    assert admin_client.get(reverse("admin:boards_bodyimage_add")).status_code == 403
    writer = verified_login(Client(), staff_member(django_user_model, "writer", Role.WRITER))
    assert writer.get(url).status_code == 200
    assert writer.post(reverse("admin:boards_bodyimage_delete", args=[image.pk]), {"post": "yes"}).status_code == 403
    manager = verified_login(Client(), staff_member(django_user_model, "manager", Role.MANAGER))
    assert manager.post(reverse("admin:boards_bodyimage_delete", args=[image.pk]), {"post": "yes"}).status_code == 302
    assert not BodyImage.objects.exists()
