"""고시공고 가져오기 (notices/importing.py, notices/import_file.py, notices/import_admin.py).

Files are built here: CSV with csv (UTF-8 with and without BOM, CP949), XLSX with openpyxl.
Each test goes through the admin as staff do: upload → preview (dry run) → confirm.
"""

import csv
import datetime
import io
import zipfile

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from boards.models import ReviewState
from editorial import review
from editorial.admin import permission_policy
from editorial.models import PendingChange
from notices import import_file
from notices.importing import body_html, parse_date, parse_number, parse_period
from notices.models import Notice
from staff.models import AuditAction, AuditEntry, Role, StaffProfile
from staff.roles import give_role_group
from tests.conftest import verified_login
from tests.factories import DepartmentFactory, NoticeFactory

pytestmark = pytest.mark.django_db

HEADER = ["공고번호", "제목", "담당부서", "게시일", "공고기간", "본문"]
SEOUL = timezone.get_fixed_timezone(9 * 60)


def row(number="제2026-123호", title="금천구 도시관리계획 결정 열람 공고", department="도시계획과",
        posted="2026-01-29", period="2026-02-01 ~ 2026-02-14", body="열람 장소: 도시계획과\n\n문의: 02-2627-1316"):
    return [number, title, department, posted, period, body]


def csv_bytes(rows, *, encoding="utf-8-sig", header=HEADER):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER, above=()):
    workbook = Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(line)
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def staff_member(django_user_model, username, role, *departments):
    user = django_user_model.objects.create_user(username, password="직원-비밀번호-2026-안전", is_staff=True)
    StaffProfile.objects.create(user=user, role=role).departments.set(departments)
    give_role_group(user, role)
    return user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def planning():
    return DepartmentFactory(name="도시계획과")


@pytest.fixture
def welfare():
    return DepartmentFactory(name="복지정책과")


@pytest.fixture
def writer(django_user_model, planning):
    return staff_member(django_user_model, "writer", Role.WRITER, planning)


@pytest.fixture
def writer_client(writer):
    return verified_login(Client(), writer)


@pytest.fixture
def approver(django_user_model, planning):
    return staff_member(django_user_model, "approver", Role.APPROVER, planning)


def import_url():
    return reverse("admin:notices_notice_import")


def preview(client, data, name="고시공고.csv"):
    # What the upload page's form sends: the file and its two hidden fields.
    upload = SimpleUploadedFile(name, data)
    return client.post(import_url(), {"resource": "0", "format": "0", "import_file": upload})


def confirm(client, previewed, **overrides):
    form = previewed.context["confirm_form"]
    return client.post(reverse("admin:notices_notice_process_import"), {**form.initial, **overrides})


def import_file_rows(client, data, name="고시공고.csv"):
    previewed = preview(client, data, name)
    assert previewed.status_code == 200
    assert previewed.context.get("confirm_form") is not None, row_errors(previewed)
    done = confirm(client, previewed)
    assert done.status_code == 302, done.content.decode()[:2000]
    return done


def row_errors(response):
    return [message for shown in response.context.get("rows", []) for message in shown.errors]


def form_errors(response):
    return response.context["form"].errors.get("import_file", [])


def nothing_written():
    audit = AuditEntry.objects.filter(action__in=[AuditAction.CREATE, AuditAction.CHANGE, AuditAction.SUBMIT])
    written = [Notice.objects, Notice.history, LogEntry.objects, audit]
    return all(rows.count() == 0 for rows in written)


# --- the values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("제2026-123호", ("gonggo", 2026, 123)),
    ("2026-123", ("gonggo", 2026, 123)),
    ("고시 제2026-5호", ("gosi", 2026, 5)),
    ("서울특별시 금천구 공고 제2026-77호", ("gonggo", 2026, 77)),
    ("금천구고시제2025-12호", ("gosi", 2025, 12)),
])
def test_notice_numbers_are_read_with_their_type_or_as_gonggo(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["123", "제2026호", "구로구 공고 제2026-1호", "2026-0", "제2026-12-3호"])
def test_other_text_is_not_a_notice_number(text):
    with pytest.raises(ValueError, match="공고번호"):
        parse_number(text)


@pytest.mark.parametrize("text", ["2026-01-29", "2026.01.29", "2026. 1. 29.", "20260129", "2026/1/29",
                                  "2026. 1. 29.(목)", "2026년 1월 29일"])
def test_common_korean_date_forms(text):
    assert parse_date(text) == datetime.date(2026, 1, 29)


def test_a_date_with_time_and_an_excel_date_cell_become_seoul_moments():
    moment = datetime.datetime(2026, 1, 29, 14, 30, tzinfo=SEOUL)
    assert parse_date("2026.01.29 14:30", with_time=True) == moment
    assert parse_date(datetime.datetime(2026, 1, 29, 14, 30), with_time=True) == moment


@pytest.mark.parametrize("text", [
    "2026-02-01 ~ 2026-02-14", "2026.02.01~2026.02.14", "2026. 2. 1. ~ 2026. 2. 14.",
    "2026-02-01 ～ 2026-02-14",
])
def test_period_forms(text):
    assert parse_period(text) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 14))


def test_plain_text_body_becomes_escaped_paragraphs():
    html = body_html("<script>alert(1)</script>\n둘째 줄\n\n새 문단 & 끝")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>둘째 줄</p><p>새 문단 &amp; 끝</p>"


# --- preview, confirm, re-import ----------------------------------------------------------------


def test_the_preview_shows_each_row_and_writes_nothing(writer_client):
    data = csv_bytes([row(), row(number="고시 제2026-5호", title="도로구역 결정 고시")])
    response = preview(writer_client, data)
    assert response.status_code == 200
    assert response.context.get("confirm_form") is not None
    page = response.content.decode()
    assert "아직 아무것도 저장하지 않았습니다" in page and "새로 등록(임시저장)" in page
    assert [shown.line for shown in response.context["rows"]] == [2, 3]
    assert nothing_written()


def test_confirm_saves_drafts_with_a_revision_and_an_audit_entry(writer_client, writer, planning):
    data = csv_bytes([row(), row(number="고시 제2026-5호", title="도로구역 결정 고시", period="")])
    done = import_file_rows(writer_client, data)
    assert done.url.endswith("?kind__exact=notice")

    gonggo = Notice.objects.get(notice_type="gonggo", number_year=2026, number_seq=123)
    assert gonggo.number == "서울특별시 금천구 공고 제2026-123호"
    assert (gonggo.kind, gonggo.department, gonggo.author) == ("notice", planning, writer)
    assert not gonggo.is_published and gonggo.review_state == ReviewState.DRAFT
    assert timezone.localtime(gonggo.published_at) == datetime.datetime(2026, 1, 29, tzinfo=SEOUL)
    assert (gonggo.period_start, gonggo.period_end) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 14))
    assert gonggo.body == "<p>열람 장소: 도시계획과</p><p>문의: 02-2627-1316</p>"
    gosi = Notice.objects.get(notice_type="gosi")
    assert gosi.number == "서울특별시 금천구 고시 제2026-5호" and gosi.period_start is None
    assert not Notice.objects.published().exists()

    revision = gonggo.history.get()
    assert revision.history_user == writer and "고시공고.csv" in revision.history_change_reason
    assert LogEntry.objects.filter(action_flag=ADDITION, user=writer).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, actor=writer).count() == 2


def test_an_imported_draft_goes_public_only_by_another_persons_approval(writer_client, writer, approver):
    import_file_rows(writer_client, csv_bytes([row()]))
    notice = Notice.objects.get()
    review.submit(notice, user=writer)
    with pytest.raises(ValidationError, match="승인할 권한"):
        review.approve(notice, user=writer, policy=permission_policy())
    review.approve(notice, user=approver, policy=permission_policy())
    assert Notice.objects.published().filter(pk=notice.pk).exists()


def test_reimporting_updates_the_same_notices_and_never_duplicates(writer_client):
    first = csv_bytes([row(), row(number="2026-124", title="두 번째 공고")])
    import_file_rows(writer_client, first)
    ids = dict(Notice.objects.values_list("number_seq", "pk"))

    changed = csv_bytes([row(title="금천구 도시관리계획 결정 열람 공고(정정)"), row(number="2026-124", title="두 번째 공고")])
    previewed = preview(writer_client, changed)
    assert [shown.outcome for shown in previewed.context["rows"]] == ["수정(비공개 글)", "변경 없음"]
    assert confirm(writer_client, previewed).status_code == 302

    assert dict(Notice.objects.values_list("number_seq", "pk")) == ids
    assert Notice.objects.get(pk=ids[123]).title.endswith("(정정)")
    assert Notice.objects.get(pk=ids[123]).history.count() == 2
    assert Notice.objects.get(pk=ids[124]).history.count() == 1  # unchanged: no new revision
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == 1


def test_the_database_refuses_a_second_notice_with_the_same_number(planning):
    NoticeFactory(department=planning, number_year=2026, number_seq=123)
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeFactory(department=planning, number_year=2026, number_seq=123)


def test_a_number_twice_in_one_file_is_a_row_error(writer_client):
    response = preview(writer_client, csv_bytes([row(), row(number="2026-123", title="다른 제목")]))
    assert response.context.get("confirm_form") is None
    assert "3행 「공고번호」: 2행과 공고번호가 같습니다." in row_errors(response)


def test_a_change_to_a_public_notice_waits_for_approval(writer_client, writer, planning):
    public = NoticeFactory(department=planning, number_year=2026, number_seq=123, title="원래 제목",
                           review_state=ReviewState.APPROVED)
    previewed = preview(writer_client, csv_bytes([row(title="고친 제목")]))
    assert [shown.outcome for shown in previewed.context["rows"]] == ["수정 검토 요청(공개 중: 승인 후 반영)"]
    assert confirm(writer_client, previewed).status_code == 302

    public.refresh_from_db()
    assert public.title == "원래 제목" and public.is_published  # residents still see the approved notice
    assert public.review_state == ReviewState.PENDING
    assert PendingChange.objects.get(object_id=public.pk).fields["title"] == "고친 제목"
    assert AuditEntry.objects.filter(action=AuditAction.SUBMIT, actor=writer).exists()


def test_a_change_kept_for_review_before_the_notice_was_switched_off_is_not_left_behind(writer_client, writer,
                                                                                        planning):
    notice = NoticeFactory(department=planning, number_year=2026, number_seq=123, title="원래 제목")
    notice.title = "검토 중인 제목"
    review.submit_change(notice, user=writer)
    Notice.objects.filter(pk=notice.pk).update(is_published=False)  # taken down while the change waited

    import_file_rows(writer_client, csv_bytes([row(title="새올 제목")]))
    notice.refresh_from_db()
    assert notice.title == "새올 제목" and not notice.is_published and notice.review_state == ReviewState.DRAFT
    assert not PendingChange.objects.exists()  # the admin would otherwise show the stale change over it


# --- rows refused ------------------------------------------------------------------------------


def test_a_row_of_another_department_is_refused(writer_client, welfare):
    response = preview(writer_client, csv_bytes([row(), row(number="2026-124", department="복지정책과")]))
    assert response.context.get("confirm_form") is None
    assert row_errors(response) == [
        "3행 「담당부서」: '복지정책과'의 고시공고는 가져올 수 없습니다. 자기 부서의 고시공고만 가져올 수 있습니다."
    ]
    assert nothing_written()


def test_an_existing_notice_of_another_department_is_not_touched(writer_client, welfare):
    theirs = NoticeFactory(department=welfare, number_year=2026, number_seq=123, is_published=False)
    response = preview(writer_client, csv_bytes([row()]))
    assert response.context.get("confirm_form") is None
    assert "2행 「공고번호」: 서울특별시 금천구 공고 제2026-123호은(는) 복지정책과의 고시공고라 바꿀 수 없습니다." in (
        row_errors(response))
    assert Notice.objects.get().title == theirs.title


def test_an_unknown_department_is_a_row_error(writer_client):
    response = preview(writer_client, csv_bytes([row(department="없는과")]))
    assert row_errors(response) == ["2행 「담당부서」: '없는과'은(는) 누리집 부서 목록에 없는 부서입니다. 부서 이름을 확인해 주세요."]


def test_malformed_values_name_the_row_and_the_column(writer_client):
    rows = [row(), row(number="2026-124", posted="2026/13/45"), row(number="2026-125", period="다음 주"),
            row(number="2026-126", period="2026-02-14 ~ 2026-02-01"), row(number="몰라", title="")]
    response = preview(writer_client, csv_bytes(rows))
    errors = row_errors(response)
    assert response.context.get("confirm_form") is None
    assert any(e.startswith("3행 「게시일」: '2026/13/45'은(는) 없는 날짜") for e in errors)
    assert any(e.startswith("4행 「공고기간」: '다음 주'을(를) 공고기간으로 읽을 수 없습니다") for e in errors)
    assert any(e.startswith("5행 「공고기간」: 공고기간의 끝(2026-02-01)이 시작(2026-02-14)보다 빠릅니다") for e in errors)
    assert any(e.startswith("6행 「공고번호」: 공고번호 '몰라'을(를) 읽을 수 없습니다") for e in errors)
    assert "6행 「제목」: 제목을(를) 적어 주세요." in errors
    assert "2" not in {str(shown.line) for shown in response.context["rows"] if shown.errors}
    assert nothing_written()


def test_a_row_with_personal_data_is_an_error_and_nothing_is_imported(writer_client):
    rows = [row(), row(number="2026-124", body="공시송달 대상: 홍길동 (900101-1234567)")]
    response = preview(writer_client, csv_bytes(rows))
    assert response.context.get("confirm_form") is None
    [error] = row_errors(response)
    assert error.startswith("3행 「본문」: 개인정보로 보이는 내용이 있습니다(주민등록번호")
    assert "1234567" not in error  # shown masked
    assert nothing_written()


def test_a_row_that_fails_at_confirm_undoes_the_whole_import(writer_client, welfare):
    previewed = preview(writer_client, csv_bytes([row(), row(number="2026-124")]))
    NoticeFactory(department=welfare, number_year=2026, number_seq=124)  # appears between preview and confirm
    response = confirm(writer_client, previewed)
    assert response.status_code == 200
    assert any(e.startswith("3행 「공고번호」") for e in row_errors(response))
    assert Notice.objects.count() == 1 and not LogEntry.objects.exists()


def test_confirming_twice_is_a_korean_message_not_a_second_import(writer_client):
    previewed = preview(writer_client, csv_bytes([row()]))
    assert confirm(writer_client, previewed).status_code == 302
    again = confirm(writer_client, previewed)
    assert again.status_code == 302 and again.url == import_url()
    followed = writer_client.get(again.url)
    assert "임시로 보관한 파일을 찾을 수 없습니다" in followed.content.decode()
    assert Notice.objects.count() == 1

    tampered = writer_client.post(reverse("admin:notices_notice_process_import"), {"format": "0"})
    assert tampered.status_code == 302 and tampered.url == import_url()
    assert "가져오기 확인 요청이 올바르지 않습니다" in writer_client.get(import_url()).content.decode()


def test_an_unexpected_failure_in_a_row_is_a_korean_message_not_a_500(writer_client, monkeypatch):
    def broken(text):
        raise RuntimeError("bug")

    monkeypatch.setattr("notices.importing.parse_number", broken)
    response = preview(writer_client, csv_bytes([row()]))
    assert response.status_code == 200 and response.context.get("confirm_form") is None
    assert row_errors(response) == ["2행: 이 행을 처리하지 못했습니다. 누리집 관리자에게 알려 주세요."]
    assert "RuntimeError" not in response.content.decode()


# --- the file ----------------------------------------------------------------------------------


def test_a_cp949_csv_is_read(writer_client):
    data = csv_bytes([row(title="시흥동 지구단위계획 열람 공고")], encoding="cp949")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    import_file_rows(writer_client, data)
    assert Notice.objects.get().title == "시흥동 지구단위계획 열람 공고"


def test_a_utf8_csv_without_bom_is_read(writer_client):
    import_file_rows(writer_client, csv_bytes([row()], encoding="utf-8"))
    assert Notice.objects.get().department.name == "도시계획과"


def test_an_xlsx_with_a_title_line_and_date_cells_is_read(writer_client):
    data = xlsx_bytes([row(posted=datetime.datetime(2026, 1, 29, 9, 0))], above=[["고시공고 목록"], []])
    previewed = preview(writer_client, data, name="고시공고.xlsx")
    assert [shown.line for shown in previewed.context["rows"]] == [4]
    assert confirm(writer_client, previewed).status_code == 302
    notice = Notice.objects.get()
    assert timezone.localtime(notice.published_at) == datetime.datetime(2026, 1, 29, 9, tzinfo=SEOUL)


def broken_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")
    return buffer.getvalue()


def hwpx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Contents/section0.xml", "<hs:sec/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("공고.pdf", b"%PDF-1.4\n", "CSV 또는 XLSX 파일만 가져올 수 있습니다"),
    ("공고.csv", b"", "빈 파일"),
    ("공고.csv", b"\r\n , ,\r\n", "빈 파일"),
    ("공고.csv", "공고번호,제목,담당부서\n2026-1,제목,도시계획과\n".encode(), "필요한 열이 없습니다: 게시일, 공고기간, 본문"),
    ("공고.csv", ",".join(HEADER).encode() + b"\n", "가져올 행이 없습니다"),
    ("공고.csv", csv_bytes([row(number=f"2026-{n}") for n in range(1, 10_001)]), "행이 너무 많습니다"),
    ("공고.csv", csv_bytes([row(body="가" * 60_000)]), "2행 「본문」 칸의 글자가 너무 많습니다"),
    ("공고.csv", csv_bytes([row(body="가" * 200_000)]), "칸 하나의 글자가 너무 많습니다"),
    ("공고.csv", csv_bytes([row(title="제목\x00끝")]), "NUL 문자"),
    ("공고.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "CSV 파일이 아니거나 깨진 파일입니다"),
    ("공고.csv", ",".join(HEADER).encode() + b"\n2026-1,\x00\x00\n", "NUL 문자"),
    ("공고.csv", b"\xff\xfe" + "공고번호".encode("utf-16-le"), "UTF-16"),
    ("공고.csv", b"\x81\xff\xfe\xfa\x80", "글자 인코딩을 알 수 없습니다"),
    ("공고.csv", ",".join(HEADER).encode() + b'\n"2026-1,"x\n', "CSV 형식이 올바르지 않습니다"),
    ("공고.xlsx", b"PK\x03\x04 not really a zip", "XLSX 파일이 깨져"),
    ("공고.xlsx", broken_xlsx(), "XLSX 파일이 깨져"),
    ("공고.xlsx", hwpx(), "XLSX(엑셀) 파일이 아닙니다"),
    ("공고.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "예전 엑셀(.xls)"),
])
def test_bad_files_get_a_korean_form_error(writer_client, name, data, message):
    response = preview(writer_client, data, name)
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors), errors
    assert response.context.get("confirm_form") is None
    assert nothing_written()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(writer_client, monkeypatch):
    monkeypatch.setattr(import_file, "MAX_BYTES", 1000)
    response = preview(writer_client, csv_bytes([row(body="가" * 1000)]))
    assert any("파일이 너무 큽니다" in error for error in form_errors(response))


def test_an_xlsx_that_unpacks_too_large_is_refused(writer_client, monkeypatch):
    monkeypatch.setattr(import_file, "MAX_XLSX_UNPACKED", 1000)
    response = preview(writer_client, xlsx_bytes([row()]), name="공고.xlsx")
    assert any("XLSX 파일의 내용이 너무 큽니다" in error for error in form_errors(response))


# --- who may import ----------------------------------------------------------------------------


def test_only_staff_who_may_add_notices_reach_the_import(django_user_model, planning, writer_client):
    viewer = django_user_model.objects.create_user("viewer", password="직원-비밀번호-2026-안전", is_staff=True)
    viewer.user_permissions.add(*viewer.user_permissions.model.objects.filter(codename="view_notice"))
    viewer_client = verified_login(Client(), viewer)

    changelist = reverse("admin:notices_notice_changelist")
    assert viewer_client.get(changelist).status_code == 200
    assert import_url() not in viewer_client.get(changelist).content.decode()
    assert viewer_client.get(import_url()).status_code == 403
    assert preview(viewer_client, csv_bytes([row()])).status_code == 403
    assert viewer_client.post(reverse("admin:notices_notice_process_import"), {}).status_code == 403

    assert import_url() in writer_client.get(changelist).content.decode()
    assert writer_client.get(import_url()).status_code == 200
    assert Client().get(import_url()).status_code == 302  # not signed in: to the login page


def test_a_new_posting_date_after_the_notices_end_is_a_row_error(writer_client, planning):
    NoticeFactory(department=planning, number_year=2026, number_seq=123, is_published=False,
                  published_at=datetime.datetime(2026, 1, 1, tzinfo=SEOUL),
                  unpublish_at=datetime.datetime(2026, 1, 20, tzinfo=SEOUL))
    response = preview(writer_client, csv_bytes([row(posted="2026-01-29")]))
    assert row_errors(response) == [
        "2행 「게시일」: 이 글의 게시 종료일시(2026-01-20 00:00)보다 게시일이 늦습니다. 관리 화면에서 게시 종료일시를 먼저 고쳐 주세요."
    ]
