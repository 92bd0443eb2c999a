"""The body editor in a real browser, under the admin's CSP: a table with a caption and header cells,
and an image uploaded into the portal with its alt text, then the public page residents see."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from boards.body_images import BodyImage
from boards.models import Department
from notices.models import Notice
from staff.credentials import current_code, new_second_factor

from .conftest import visit
from .test_admin_login import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "브라우저-본문-비밀번호-2026"


def png_file(tmp_path, name="구청 전경.png"):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def choose_department(page, department):
    page.locator("#id_department").locator("xpath=following-sibling::span").first.click()
    page.locator(".select2-search__field").fill(department.name)
    page.locator(".select2-results__option", has_text=department.name).first.click()


def test_table_with_caption_and_header_cells_and_an_uploaded_image_reach_the_public_page(
    page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = get_user_model().objects.create_superuser("body-editor", password=PASSWORD)
    new_second_factor(user)
    department = Department.objects.order_by("pk").first()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, user.username, PASSWORD, current_code(user))

    visit(page, "/admin/notices/notice/add/")
    page.select_option("#id_kind", "news")
    page.fill("#id_title", "본문 표와 이미지 시험")
    choose_department(page, department)
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    editor.click()
    page.keyboard.type("접수 일정을 알려 드립니다.")
    page.keyboard.press("Enter")

    # A table: the dialog asks for its caption and which cells are headers.
    page.get_by_role("button", name="Insert table").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_role("button", name="표 넣기").click()
    assert editor.locator("table").count() == 0  # the caption is required
    dialog.get_by_label("표 제목(캡션)").fill("접수 일정")
    dialog.get_by_label("행 수").fill("3")
    dialog.get_by_label("열 수").fill("2")
    dialog.get_by_label("제목 칸").select_option("첫 행과 첫 열")
    dialog.get_by_role("button", name="표 넣기").click()
    assert editor.locator("table caption").inner_text() == "접수 일정"
    page.get_by_role("button", name="표 제목(캡션) 적기").click()
    page.locator("dialog[open]").get_by_label("표 제목(캡션)").fill("2026년 상반기 접수 일정")
    page.locator("dialog[open]").get_by_role("button", name="적용").click()
    assert editor.locator("table caption").inner_text() == "2026년 상반기 접수 일정"
    editor.locator("table th").first.click()
    for index, text in enumerate(["구분", "기간", "1차", "3월 2일", "2차", "4월 1일"]):
        if index:
            page.keyboard.press("Tab")  # the next cell (Tab in the last one would add a row)
        page.keyboard.type(text)
    # The last row's first cell becomes a data cell again, then a row header through the menu.
    editor.locator("table tr").nth(2).locator("th, td").first.click()
    page.get_by_role("button", name="선택한 칸을 제목이 아닌 보통 칸으로").click()
    assert editor.locator("table tr").nth(2).locator("td").count() == 2
    page.get_by_role("button", name="선택한 칸을 행 제목 칸으로 (오른쪽 칸들의 제목)").click()
    assert editor.locator("table tr").nth(2).locator("th[scope=row]").count() == 1

    # An image: without alt text the dialog does not send it; a non-image is refused in Korean.
    editor.locator("p").first.click()
    page.keyboard.press("End")
    page.get_by_role("button", name="본문 이미지 올리기").click()
    dialog = page.locator("dialog[open]")
    not_image = tmp_path / "사진.png"
    not_image.write_bytes(b"this is not a picture at all")
    dialog.get_by_label(re.compile("이미지 파일")).set_input_files(str(not_image))
    dialog.get_by_role("button", name="올리고 넣기").click()
    assert BodyImage.objects.count() == 0  # the browser kept the form: no alt text yet
    dialog.get_by_label(re.compile("대체텍스트")).fill("본관 사진")
    dialog.get_by_role("button", name="올리고 넣기").click()
    dialog.get_by_role("alert").filter(has_text="「사진.png」: 파일 내용이 확장자(.png)와 맞지 않습니다").wait_for()
    assert BodyImage.objects.count() == 0
    dialog.get_by_label(re.compile("이미지 파일")).set_input_files(str(png_file(tmp_path)))
    dialog.get_by_role("button", name="올리고 넣기").click()
    editor.locator("img").wait_for()
    body_image = BodyImage.objects.get()
    assert body_image.alt == "본관 사진" and body_image.uploaded_by == user
    assert editor.locator("img").get_attribute("src") == body_image.get_absolute_url()
    # The alt text can be corrected later: select the image, then 대체텍스트.
    editor.locator("img").click()
    page.get_by_role("button", name="선택한 이미지의 대체텍스트 고치기").click()
    page.locator("dialog[open]").get_by_label("대체텍스트(필수)").fill("금천구청 본관 전경")
    page.locator("dialog[open]").get_by_role("button", name="적용").click()
    assert editor.locator("img").get_attribute("alt") == "금천구청 본관 전경"

    # An image pasted from another site is not taken in (and never requested).
    editor.locator("p").first.click()
    page.keyboard.press("End")
    editor.evaluate("""element => {
        const data = new DataTransfer()
        data.setData("text/html", '<p>붙여 넣은 글</p><img src="https://evil.example/x.png" alt="남의 사진">')
        element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }))
    }""")
    assert "붙여 넣은 글" in editor.inner_text()
    assert editor.locator("img").count() == 1

    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state("load")
    post = Notice.objects.get(title="본문 표와 이미지 시험")
    body = post.body
    assert "<caption>2026년 상반기 접수 일정</caption>" in body
    assert '<thead><tr><th scope="col">' in body
    assert body.count('<th scope="row">') == 2
    assert f'<img src="{body_image.get_absolute_url()}" alt="금천구청 본관 전경">' in body

    # Opened again, the editor reads back what it wrote: saving unchanged changes nothing.
    visit(page, f"/admin/notices/notice/{post.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    assert editor.locator("table caption").inner_text() == "2026년 상반기 접수 일정"
    assert editor.locator("th[scope=col]").count() == 2 and editor.locator("th[scope=row]").count() == 2
    assert editor.locator("img").get_attribute("alt") == "금천구청 본관 전경"
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state("load")
    post.refresh_from_db()
    assert post.body == body

    resident = page.context.new_page()
    visit(resident, post.get_absolute_url())
    table = resident.locator(".post-body table")
    assert table.locator("caption").inner_text() == "2026년 상반기 접수 일정"
    assert table.locator("thead th[scope=col]").count() == 2
    image = resident.locator(".post-body img")
    assert image.get_attribute("alt") == "금천구청 본관 전경"
    assert resident.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) == 64
    assert violations == [] and page.watch.errors == [] and page.watch.foreign_requests == []
