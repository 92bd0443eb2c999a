"""Review before publishing, in a real browser: a 작성자 writes a 고시공고 and asks for review, a 승인자 of the
same 부서 approves it and residents see it; another is sent back and the writer reads why."""

import pytest
from django.contrib.auth import get_user_model

from boards.models import Department
from notices.models import Notice
from staff.credentials import current_code, new_second_factor
from staff.models import Role, StaffProfile
from staff.roles import give_role_group

from .conftest import visit
from .test_admin_login import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "브라우저-직원-비밀번호-2026"


def member(username, role, department):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    StaffProfile.objects.create(user=user, role=role).departments.add(department)
    give_role_group(user, role)
    new_second_factor(user)
    return user


def signed_in(make_page, user):
    page = make_page()
    sign_in(page, user.username, PASSWORD, current_code(user))
    assert page.url.endswith("/admin/"), page.url
    return page


def run_action(page, title, action_label):
    visit(page, "/admin/notices/notice/")
    page.get_by_role("row", name=title).get_by_role("checkbox").check()
    page.get_by_label("액션:").select_option(label=action_label)
    page.get_by_role("button", name="실행").click()
    page.wait_for_load_state("load")


def test_write_request_review_approve_and_public_then_reject_with_a_reason(make_page):
    department = Department.objects.order_by("pk").first()
    writer = member("writer-b", Role.WRITER, department)
    approver = member("approver-b", Role.APPROVER, department)

    page = signed_in(make_page, writer)
    visit(page, "/admin/notices/notice/add/")
    page.select_option("#id_kind", "notice")
    page.fill("#id_title", "브라우저로 쓴 도시계획 열람 공고")
    page.locator(".ProseMirror[contenteditable=true]").first.click()
    page.keyboard.type("열람 기간과 장소를 알려 드립니다.")
    page.select_option("#id_notice_type", "gonggo")
    page.locator("#id_department").locator("xpath=following-sibling::span").first.click()
    page.locator(".select2-search__field").fill(department.name)
    page.locator(".select2-results__option", has_text=department.name).first.click()
    page.uncheck("#id_is_published")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state("load")
    post = Notice.objects.get(title="브라우저로 쓴 도시계획 열람 공고")
    assert post.review_state == "draft" and not post.is_published

    run_action(page, post.title, "선택한 글 검토 요청")
    assert "1건을 검토 요청했습니다" in page.content()

    approving = signed_in(make_page, approver)
    run_action(approving, post.title, "선택한 글 승인(게시)")
    assert "1건을 승인했습니다" in approving.content()
    resident = make_page()
    visit(resident, post.get_absolute_url())
    assert "브라우저로 쓴 도시계획 열람 공고" in resident.content()

    second = Notice.objects.create(title="다시 써야 할 공고", kind="notice", notice_type="gonggo",
                                   department=department, is_published=False, review_state="draft")
    run_action(page, second.title, "선택한 글 검토 요청")
    run_action(approving, second.title, "선택한 글 반려(사유 적기)")
    approving.get_by_label("반려 사유").fill("공고 기간을 적어 주세요.")
    approving.get_by_role("button", name="반려").click()
    approving.wait_for_load_state("load")
    assert "1건을 반려했습니다" in approving.content()
    visit(page, f"/admin/notices/notice/{second.pk}/change/")
    assert "반려 사유: 공고 기간을 적어 주세요." in page.content()
    visit(resident, second.get_absolute_url(), status=404)


def test_end_of_notice_period_is_offered_as_the_end_time_not_forced(make_page):
    department = Department.objects.order_by("pk").first()
    writer = member("writer-end", Role.WRITER, department)
    post = Notice.objects.create(title="기간이 있는 공고", kind="notice", notice_type="gonggo", department=department,
                                 is_published=False, review_state="draft")
    page = signed_in(make_page, writer)
    visit(page, f"/admin/notices/notice/{post.pk}/change/")
    page.get_by_role("button", name="공고기간 끝으로 맞추기").click()
    assert "공고기간 끝 날짜를 먼저 넣어 주세요." in page.content()
    assert page.input_value("#id_unpublish_at_0") == ""
    page.fill("#id_period_end", "2027-02-28")
    page.get_by_role("button", name="공고기간 끝으로 맞추기").click()
    assert page.input_value("#id_unpublish_at_0") == "2027-03-01"
    assert page.input_value("#id_unpublish_at_1") == "00:00:00"
    page.fill("#id_unpublish_at_0", "")  # only a suggestion: staff may clear it and save
    page.fill("#id_unpublish_at_1", "")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state("load")
    post.refresh_from_db()
    assert post.period_end.isoformat() == "2027-02-28" and post.unpublish_at is None
