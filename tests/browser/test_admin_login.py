"""The staff side in a real browser: sign-in with the second factor, and the editor working under the
admin's Content-Security-Policy."""

import pytest
from django.contrib.auth import get_user_model

from staff.credentials import current_code, new_second_factor

from .conftest import visit

pytestmark = pytest.mark.browser


def sign_in(page, username, password, code):
    visit(page, "/admin/login/")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_label("인증 코드").fill(code)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state("load")


def test_staff_sign_in_needs_the_code_and_the_editor_works_under_the_admin_csp(page):
    user = get_user_model().objects.create_superuser("browser-admin", password="브라우저-비밀번호-2026")
    new_second_factor(user)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    sign_in(page, "browser-admin", "브라우저-비밀번호-2026", "")
    assert "인증 앱의 6자리 코드(또는 복구 코드)를 입력해 주세요." in page.content()
    sign_in(page, "browser-admin", "브라우저-비밀번호-2026", current_code(user))
    assert page.url.endswith("/admin/")

    response = visit(page, "/admin/notices/notice/add/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    editor.click()
    page.keyboard.type("편집기가 동작합니다")
    assert "편집기가 동작합니다" in editor.inner_text()
    assert violations == [] and page.watch.errors == [] and page.watch.foreign_requests == []
