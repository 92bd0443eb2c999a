"""Staff governance (staff/): 부서 and roles, the second factor, lockout, sessions, where the admin
lives, and the audit log. Each rule has its negative case."""

import csv
import datetime
import importlib
import io
import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import clear_url_caches
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from boards.models import Department
from editorial.models import PendingChange
from home.models import HeroBanner
from notices.models import Notice
from staff import middleware
from staff.credentials import current_code, new_second_factor
from staff.models import AuditAction, AuditEntry, Role, StaffProfile
from staff.network import client_ip
from staff.roles import give_role_group
from tests.conftest import verified_login
from tests.factories import DepartmentFactory, HeroBannerFactory, NoticeAttachmentFactory, NoticeFactory
from tests.test_admin import admin_url, management_form, news_form, notice_form

pytestmark = pytest.mark.django_db

PASSWORD = "직원-비밀번호-2026-안전"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def planning():
    return DepartmentFactory(name="도시계획과")


@pytest.fixture
def welfare():
    return DepartmentFactory(name="복지정책과")


def staff_member(django_user_model, username, role, *departments):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    profile = StaffProfile.objects.create(user=user, role=role)
    profile.departments.set(departments)
    give_role_group(user, role)
    return user


@pytest.fixture
def writer(django_user_model, planning):
    return staff_member(django_user_model, "writer", Role.WRITER, planning)


@pytest.fixture
def writer_client(writer):
    return verified_login(Client(), writer)


def actions(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True))


# --- 1. 부서 and roles ----------------------------------------------------------------------------

def test_a_writer_sees_and_changes_only_their_own_departments_posts(writer_client, planning, welfare):
    own = NoticeFactory(department=planning, title="도시계획 열람 공고")
    other = NoticeFactory(department=welfare, title="복지 급여 안내 공고")
    listing = writer_client.get(admin_url(Notice, "changelist"))
    assert list(listing.context["cl"].result_list) == [own]
    assert writer_client.get(admin_url(Notice, "changelist") + "?q=복지").context["cl"].result_count == 0
    assert writer_client.get(admin_url(Notice, "change", own.pk)).status_code == 200
    for view in ("change", "delete", "history"):
        assert writer_client.get(admin_url(Notice, view, other.pk)).status_code == 403, view
    response = writer_client.post(admin_url(Notice, "delete", other.pk), {"post": "yes"})
    assert response.status_code == 403 and Notice.objects.filter(pk=other.pk).exists()


def test_a_writer_cannot_fetch_another_departments_attachment(writer_client, planning, welfare):
    attachment = NoticeAttachmentFactory(post=NoticeFactory(department=welfare))
    url = admin_url(Notice, "file", attachment.post.pk, "attachments", attachment.pk, "file")
    assert writer_client.get(url).status_code in (403, 404)
    own = NoticeAttachmentFactory(post=NoticeFactory(department=planning))
    own_url = admin_url(Notice, "file", own.post.pk, "attachments", own.pk, "file")
    assert writer_client.get(own_url).status_code == 200


def test_a_writer_can_only_file_posts_under_their_own_department(writer_client, writer, planning, welfare):
    response = writer_client.post(admin_url(Notice, "add"), notice_form(welfare, **management_form("attachments")))
    assert response.status_code == 200
    assert "올바르게 선택해 주세요" in response.content.decode()
    assert not Notice.objects.exists()
    ok = writer_client.post(admin_url(Notice, "add"), notice_form(planning, **management_form("attachments")))
    assert ok.status_code == 302 and Notice.objects.get().department == planning
    choices = writer_client.get(reverse_autocomplete()).json()["results"]
    assert [choice["text"] for choice in choices] == ["도시계획과"]


def reverse_autocomplete():
    return (
        "/admin/autocomplete/?app_label=notices&model_name=notice&field_name=department&term="
    )


def test_banners_quick_links_users_and_departments_belong_to_the_site_manager(
    writer_client, django_user_model, planning
):
    banner = HeroBannerFactory()
    assert writer_client.get(admin_url(HeroBanner, "changelist")).status_code == 403
    assert writer_client.get(admin_url(HeroBanner, "change", banner.pk)).status_code == 403
    assert writer_client.get(admin_url(django_user_model, "changelist")).status_code == 403
    assert writer_client.get(admin_url(Department, "add")).status_code == 403
    manager = verified_login(Client(), staff_member(django_user_model, "manager", Role.MANAGER))
    assert manager.get(admin_url(HeroBanner, "change", banner.pk)).status_code == 200
    assert manager.get(admin_url(Department, "add")).status_code == 200
    other = NoticeFactory(department=DepartmentFactory(name="민원여권과"))
    assert manager.get(admin_url(Notice, "change", other.pk)).status_code == 200


def test_a_site_manager_cannot_make_superusers_or_touch_one(django_user_model, admin_user):
    manager_user = staff_member(django_user_model, "manager", Role.MANAGER)
    manager = verified_login(Client(), manager_user)
    writer = staff_member(django_user_model, "writer2", Role.WRITER)
    page = manager.get(admin_url(django_user_model, "change", writer.pk))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = {"username": "admin", "is_superuser": "", "is_active": "", "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00"}
    assert manager.post(admin_url(django_user_model, "change", admin_user.pk), data).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_superuser and admin_user.is_active
    assert manager.post(admin_url(django_user_model, "delete", admin_user.pk), {"post": "yes"}).status_code == 403


def test_create_staff_provisions_an_account_once_and_records_role_changes(planning, welfare):
    out = io.StringIO()
    call_command("create_staff", "kim", "--role", "작성자", "--department", "도시계획과", stdout=out)
    text = out.getvalue()
    password = re.search(r"일회용 비밀번호: (\S+)", text).group(1)
    uri = re.search(r"(otpauth://totp/\S+)", text).group(1)
    user = StaffProfile.objects.get(user__username="kim").user
    assert user.check_password(password) and user.is_staff and not user.is_superuser
    assert "secret=" in uri and TOTPDevice.objects.get(user=user).config_url == uri
    assert user.groups.get().name == "작성자"
    assert [d.name for d in user.staff_profile.departments.all()] == ["도시계획과"]

    again = io.StringIO()
    call_command("create_staff", "kim", "--role", "승인자", "--department", "도시계획과", "--department", "복지정책과",
                 stdout=again)
    assert "일회용 비밀번호" not in again.getvalue() and "otpauth" not in again.getvalue()
    user.refresh_from_db()
    assert user.check_password(password) and user.groups.get().name == "승인자"
    change = AuditEntry.objects.filter(action=AuditAction.ROLE_CHANGE, target_repr="kim").latest("id")
    assert change.detail["before"] == {"role": "작성자", "departments": ["도시계획과"]}
    assert change.detail["after"] == {"role": "승인자", "departments": ["도시계획과", "복지정책과"]}

    with pytest.raises(CommandError, match="없는 부서입니다: 홍보과"):
        call_command("create_staff", "lee", "--role", "작성자", "--department", "홍보과")
    with pytest.raises(CommandError, match="부서를 하나 이상"):
        call_command("create_staff", "lee", "--role", "작성자")
    with pytest.raises(CommandError, match="작성자, 승인자, 관리자"):
        call_command("create_staff", "lee", "--role", "편집장", "--department", "도시계획과")


def test_role_changes_in_the_admin_are_recorded(admin_client, writer, welfare):
    profile = writer.staff_profile
    data = {"user": str(writer.pk), "role": "approver", "departments": [str(welfare.pk)]}
    assert admin_client.post(admin_url(StaffProfile, "change", profile.pk), data).status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.ROLE_CHANGE)
    assert entry.actor_name == "admin" and entry.target_repr == "writer"
    assert entry.detail["before"]["role"] == "작성자" and entry.detail["after"] == {
        "role": "승인자", "departments": ["복지정책과"]}
    assert writer.groups.get().name == "승인자"


# --- 4. the second factor ---------------------------------------------------------------------------

def login(client, username, password=PASSWORD, code="", **extra):
    return client.post("/admin/login/", {"username": username, "password": password, "otp_token": code,
                                         "next": "/admin/"}, **extra)


def test_a_login_without_the_second_factor_is_refused_in_korean(writer):
    new_second_factor(writer)
    client = Client()
    response = login(client, "writer")
    assert response.status_code == 200
    assert "인증 앱의 6자리 코드(또는 복구 코드)를 입력해 주세요." in response.content.decode()
    assert client.get("/admin/").status_code == 302
    wrong = login(client, "writer", code="000000" if current_code(writer) != "000000" else "111111")
    assert "인증 코드가 맞지 않습니다" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_right_code_or_a_recovery_code_once_lets_staff_in(writer):
    _, codes = new_second_factor(writer)
    client = Client()
    assert login(client, "writer", code=current_code(writer)).status_code == 302
    assert client.get("/admin/").status_code == 200
    recovery = Client()
    assert login(recovery, "writer", code=codes[0]).status_code == 302
    assert recovery.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert login(Client(), "writer", code=codes[0]).status_code == 200  # used up


def test_a_password_session_without_the_second_factor_is_no_staff_session(writer):
    client = Client()
    client.force_login(writer)
    assert client.get("/admin/").status_code == 302


# --- 4. lockout ------------------------------------------------------------------------------------

@pytest.fixture
def counted_hashes(monkeypatch):
    calls = []
    real = PBKDF2PasswordHasher.verify

    def verify(self, password, encoded):
        calls.append(1)
        return real(self, password, encoded)

    monkeypatch.setattr(PBKDF2PasswordHasher, "verify", verify)
    return calls


def test_five_failures_lock_the_account_even_with_the_right_password(writer, counted_hashes):
    new_second_factor(writer)
    for _ in range(4):
        assert login(Client(), "writer", password="틀린-비밀번호").status_code == 200
    assert login(Client(), "writer", password="틀린-비밀번호").status_code == 429  # the fifth locks
    hashed = len(counted_hashes)
    locked = login(Client(), "writer", code=current_code(writer))
    assert locked.status_code == 429
    assert "로그인이 잠시 잠겼습니다" in locked.content.decode() and "15분" in locked.content.decode()
    assert len(counted_hashes) == hashed  # refused before any password hash
    assert AuditAction.LOCKOUT in actions()
    assert actions().count(AuditAction.LOGIN_FAILED) == 6  # the refused sixth attempt too


def test_five_failures_from_one_address_lock_that_address(django_user_model):
    for n in range(5):
        login(Client(), f"없는사람{n}", REMOTE_ADDR="203.0.113.7")
    assert login(Client(), "누구든", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert login(Client(), "누구든", REMOTE_ADDR="203.0.113.8").status_code == 200


def test_a_shared_office_address_counts_per_account_only(writer, settings):
    settings.LOCKOUT_SHARED_NETWORKS = ["10.20.0.0/16"]
    for n in range(6):
        login(Client(), f"오타낸직원{n}", REMOTE_ADDR="10.20.0.1")
    new_second_factor(writer)
    assert login(Client(), "writer", code=current_code(writer), REMOTE_ADDR="10.20.0.1").status_code == 302
    for _ in range(5):
        login(Client(), "writer", password="틀린-비밀번호", REMOTE_ADDR="10.20.0.1")
    assert login(Client(), "writer", code=current_code(writer), REMOTE_ADDR="10.20.0.1").status_code == 429


def test_the_site_manager_lifts_a_lockout(writer, django_user_model):
    new_second_factor(writer)
    for _ in range(5):
        login(Client(), "writer", password="틀린-비밀번호")
    manager = verified_login(Client(), staff_member(django_user_model, "manager", Role.MANAGER))
    attempt = AccessAttempt.objects.get(username="writer")
    response = manager.post(admin_url(AccessAttempt, "delete", attempt.pk), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.filter(username="writer").exists()
    assert login(Client(), "writer", code=current_code(writer)).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, actor_name="manager").exists()


def test_the_lockout_pages_speak_korean_and_no_page_shows_a_second_factor_secret(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert "로그인 잠금" in index and "접근 시도" in index
    assert "TOTP" not in index and "otp_totp" not in index
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404


# --- 4. sessions -----------------------------------------------------------------------------------

def backdate(client, *, started=0, seen=0):
    session = client.session
    session[middleware.STARTED] = time.time() - started
    session[middleware.SEEN] = time.time() - seen
    session.save()


def test_an_idle_staff_session_ends_after_30_minutes(writer_client):
    assert writer_client.get("/admin/").status_code == 200
    backdate(writer_client, started=31 * 60, seen=29 * 60)
    assert writer_client.get("/admin/").status_code == 200
    backdate(writer_client, started=40 * 60, seen=31 * 60)
    response = writer_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert AuditAction.SESSION_ENDED in actions()
    assert writer_client.get("/admin/").status_code == 302


def test_a_busy_staff_session_ends_after_8_hours(writer_client):
    writer_client.get("/admin/")
    backdate(writer_client, started=8 * 3600 + 60, seen=10)
    assert writer_client.get("/admin/").status_code == 302


def test_the_session_cookie_lasts_until_the_browser_closes(writer):
    new_second_factor(writer)
    client = Client()
    response = login(client, "writer", code=current_code(writer))
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]


def test_a_password_change_ends_the_other_sessions(writer_client, writer):
    other = verified_login(Client(), writer)
    assert other.get("/admin/").status_code == 200
    writer.set_password("새-비밀번호-2026-안전")
    writer.save()
    assert other.get("/admin/").status_code == 302


# --- 4. where the admin lives --------------------------------------------------------------------

@override_settings(ADMIN_ALLOWED_NETWORKS=["10.20.0.0/16"])
def test_from_outside_the_allowed_networks_the_admin_is_not_there(writer_client):
    assert Client(REMOTE_ADDR="203.0.113.5").get("/admin/login/").status_code == 404
    assert writer_client.get("/admin/", REMOTE_ADDR="203.0.113.5").status_code == 404
    assert Client(REMOTE_ADDR="10.20.3.4").get("/admin/login/").status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.5").get("/").status_code == 200  # residents are not affected


@override_settings(ADMIN_ALLOWED_NETWORKS=["10.20.0.0/16"], TRUSTED_PROXIES=["127.0.0.1/32"])
def test_a_forwarded_address_counts_only_from_a_trusted_proxy():
    forged = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert forged.get("/admin/login/").status_code == 404
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.20.3.4")
    assert proxied.get("/admin/login/").status_code == 200
    outside = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.3.4, 203.0.113.9")
    assert outside.get("/admin/login/").status_code == 404


def test_client_ip_ignores_junk_in_the_forwarded_header(rf, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")) == "127.0.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="10.0.0.1")) == "198.51.100.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="unix:/run/gunicorn.sock")) is None


@pytest.fixture
def moved_admin(settings):
    settings.ADMIN_URL = "gwanri-7f3a/"
    import geumcheon_portal.urls

    clear_url_caches()
    importlib.reload(geumcheon_portal.urls)
    yield
    settings.ADMIN_URL = "admin/"
    clear_url_caches()
    importlib.reload(geumcheon_portal.urls)


def test_the_admin_lives_at_admin_url(moved_admin, client):
    assert client.get("/admin/login/").status_code == 404
    assert client.get("/gwanri-7f3a/login/").status_code == 200
    assert "gwanri" not in client.get("/robots.txt").content.decode()


def test_admin_pages_carry_a_content_security_policy(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    scripts = policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in scripts and "'sha256-" in scripts  # only the editor's import map, by hash


# --- 3. the audit log ------------------------------------------------------------------------------

def test_logins_failures_and_logouts_are_recorded(writer):
    new_second_factor(writer)
    client = Client()
    login(client, "writer", password="틀린-비밀번호", REMOTE_ADDR="10.1.2.3")
    login(client, "writer", code=current_code(writer), REMOTE_ADDR="10.1.2.3")
    client.post("/admin/logout/")
    assert actions(actor_name="writer") == [
        AuditAction.OTP_SETUP, AuditAction.OTP_SETUP,  # the TOTP app and the recovery codes
        AuditAction.LOGIN_FAILED, AuditAction.LOGIN, AuditAction.LOGOUT,
    ]
    login_entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert login_entry.ip_address == "10.1.2.3" and login_entry.department == "도시계획과"


def test_a_connection_without_an_ip_address_is_still_recorded(writer):
    client = Client(REMOTE_ADDR="unix:/run/gunicorn.sock")
    login(client, "writer", password="틀린-비밀번호")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_name == "writer" and entry.ip_address is None


def test_admin_changes_privacy_overrides_and_staff_downloads_are_recorded(admin_client, planning):
    response = admin_client.post(admin_url(Notice, "add"), notice_form(planning, **management_form("attachments")))
    assert response.status_code == 302
    notice = Notice.objects.get()
    entry = AuditEntry.objects.get(action=AuditAction.CREATE)
    assert (entry.actor_name, entry.target_id, entry.target_repr) == ("admin", str(notice.pk), notice.title)

    hidden = NoticeAttachmentFactory(post=NoticeFactory(department=planning, is_published=False))
    public = NoticeAttachmentFactory(post=NoticeFactory(department=planning))
    for attachment in (hidden, public):
        url = admin_url(Notice, "file", attachment.post.pk, "attachments", attachment.pk, "file")
        assert admin_client.get(url).status_code == 200
    downloads = AuditEntry.objects.filter(action=AuditAction.STAFF_DOWNLOAD)
    assert [entry.target_id for entry in downloads] == [str(hidden.pk)]


def test_nobody_edits_or_deletes_the_audit_log_through_the_app(admin_client):
    AuditEntry.objects.create(action=AuditAction.LOGIN, actor_name="someone")
    entry = AuditEntry.objects.get(actor_name="someone")
    assert admin_client.get(admin_url(AuditEntry, "changelist")).status_code == 200
    assert admin_client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert admin_client.post(admin_url(AuditEntry, "change", entry.pk), {"actor_name": "x"}).status_code == 403
    assert admin_client.post(admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "someone"


def test_the_audit_log_filters_and_exports_csv(admin_client, django_user_model):
    AuditEntry.objects.create(action=AuditAction.LOGIN, actor_name="park", department="도시계획과")
    AuditEntry.objects.create(action=AuditAction.LOGIN_FAILED, actor_name="choi", department="복지정책과")
    page = admin_client.get(admin_url(AuditEntry, "changelist") + "?action=login_failed")
    assert [entry.actor_name for entry in page.context["cl"].result_list] == ["choi"]
    assert "CSV 내려받기" in page.content.decode()
    export = admin_client.get(admin_url(AuditEntry, "export") + "?department=도시계획과")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["일시", "아이디", "부서", "행위"]
    assert [row[1] for row in rows[1:]] == ["park"]
    assert AuditEntry.objects.filter(action=AuditAction.AUDIT_EXPORT, actor_name="admin").exists()
    writer = verified_login(Client(), staff_member(django_user_model, "w", Role.WRITER))
    assert writer.get(admin_url(AuditEntry, "export")).status_code == 403


def test_purge_keeps_a_year_at_least(settings):
    now = timezone.now()
    for name, days in (("this-year", 200), ("last-year", 400), ("old", 800)):
        entry = AuditEntry.objects.create(action=AuditAction.LOGIN, actor_name=name)
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=now - datetime.timedelta(days=days))
    settings.AUDIT_RETENTION_DAYS = 30  # below the legal minimum: a year is kept anyway
    call_command("purge_audit", "--dry-run", stdout=io.StringIO())
    assert AuditEntry.objects.count() == 3
    call_command("purge_audit", stdout=io.StringIO())
    assert set(AuditEntry.objects.values_list("actor_name", flat=True)) == {"this-year"}
    settings.AUDIT_RETENTION_DAYS = 730
    entry = AuditEntry.objects.create(action=AuditAction.LOGIN, actor_name="two-years")
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=now - datetime.timedelta(days=700))
    call_command("purge_audit", stdout=io.StringIO())
    assert AuditEntry.objects.filter(actor_name="two-years").exists()


def test_totp_code_is_for_development_only(writer, settings):
    new_second_factor(writer)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="운영 환경"):
        call_command("totp_code", "writer")
    settings.DEBUG = True
    out = io.StringIO()
    call_command("totp_code", "writer", stdout=out)
    device = TOTPDevice.objects.get(user=writer)
    assert out.getvalue().strip() == f"{totp(device.bin_key):06d}"


# --- 2. 게시 중단 (takedown with a reason) ---------------------------------------------------------------

def take_down_request(client, posts, **form):
    data = {"action": "take_down", "_selected_action": [str(post.pk) for post in posts], **form}
    return client.post(admin_url(Notice, "changelist"), data)


def test_a_takedown_asks_for_a_reason_then_removes_the_post_at_once(
    writer_client, planning, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    post = NoticeFactory(department=planning, title="잘못 올린 공고")
    assert "잘못 올린 공고" in Client().get("/notices/").content.decode()  # cached now

    form = take_down_request(writer_client, [post])
    assert form.status_code == 200 and "게시 중단 사유" in form.content.decode()
    missing = take_down_request(writer_client, [post], apply="1")
    assert missing.status_code == 200 and "필수 항목입니다" in missing.content.decode()
    post.refresh_from_db()
    assert post.is_published and not post.takedown_reason

    with django_capture_on_commit_callbacks(execute=True):
        done = take_down_request(writer_client, [post], apply="1", reason="personal_data", note="연락처가 보임")
    assert done.status_code == 302
    post.refresh_from_db()
    assert not post.is_published and post.takedown_reason == "personal_data" and post.taken_down_at
    assert "잘못 올린 공고" not in Client().get("/notices/").content.decode()
    assert Client().get(post.get_absolute_url()).status_code == 404
    entry = AuditEntry.objects.get(action=AuditAction.TAKEDOWN)
    assert (entry.actor_name, entry.target_id, entry.department) == ("writer", str(post.pk), "도시계획과")
    assert entry.detail == {"reason": "personal_data", "note": "연락처가 보임"}
    assert "개인정보 노출" in writer_client.get(admin_url(Notice, "change", post.pk)).content.decode()


def test_a_writer_cannot_take_down_another_departments_post(writer_client, welfare):
    other = NoticeFactory(department=welfare)
    take_down_request(writer_client, [other], apply="1", reason="wrong_post")
    other.refresh_from_db()
    assert other.is_published and not other.takedown_reason
    assert not AuditEntry.objects.filter(action=AuditAction.TAKEDOWN).exists()


def test_publishing_again_clears_the_takedown(planning, writer):
    from editorial.takedown import take_down

    post = NoticeFactory(department=planning)
    take_down([post], user=writer, reason="expired")
    post.refresh_from_db()
    post.is_published = True
    post.save()
    post.refresh_from_db()
    assert post.is_published and post.takedown_reason == "" and post.taken_down_at is None


# --- 2. review before publishing (고시공고, 채용공고) ---------------------------------------------------

@pytest.fixture
def approver(django_user_model, planning):
    return staff_member(django_user_model, "approver", Role.APPROVER, planning)


@pytest.fixture
def approver_client(approver):
    return verified_login(Client(), approver)


def act(client, action, posts, **form):
    data = {"action": action, "_selected_action": [str(post.pk) for post in posts], **form}
    return client.post(admin_url(Notice, "changelist"), data, follow=True)


def is_public(post):
    return Notice.objects.published().filter(pk=post.pk).exists()


def test_a_writer_cannot_publish_a_notice_but_saves_a_draft(writer_client, planning):
    data = notice_form(planning, is_published="on")
    refused = writer_client.post(admin_url(Notice, "add"), data)
    assert refused.status_code == 200 and not Notice.objects.exists()
    assert "고시공고은(는) 승인자의 승인을 거쳐 게시됩니다" in refused.content.decode()
    del data["is_published"]
    assert writer_client.post(admin_url(Notice, "add"), data).status_code == 302
    post = Notice.objects.get()
    assert post.review_state == "draft" and not is_public(post)


def test_request_review_then_a_different_approver_publishes(writer_client, approver_client, writer, planning):
    post = NoticeFactory(department=planning, is_published=False, review_state="draft")
    response = act(writer_client, "request_review", [post])
    assert "1건을 검토 요청했습니다" in response.content.decode()
    post.refresh_from_db()
    assert post.review_state == "pending" and post.submitted_by == writer and not is_public(post)
    assert act(writer_client, "approve", [post]).status_code == 200  # not a writer's action
    post.refresh_from_db()
    assert post.review_state == "pending"

    done = act(approver_client, "approve", [post])
    assert "1건을 승인했습니다" in done.content.decode()
    post.refresh_from_db()
    assert post.review_state == "approved" and post.reviewed_by.username == "approver" and is_public(post)
    assert post.title in Client().get("/").content.decode()
    assert actions(action__in=["submit", "approve"]) == ["submit", "approve"]


def test_nobody_approves_what_they_asked_for(approver_client, approver, planning):
    post = NoticeFactory(department=planning, is_published=False, review_state="draft")
    act(approver_client, "request_review", [post])
    response = act(approver_client, "approve", [post])
    assert "검토를 요청한 사람은 스스로 승인하거나 반려할 수 없습니다" in response.content.decode()
    post.refresh_from_db()
    assert post.review_state == "pending" and not is_public(post)


def test_an_approver_of_another_department_cannot_approve(django_user_model, writer_client, welfare, planning):
    other = verified_login(Client(), staff_member(django_user_model, "other", Role.APPROVER, welfare))
    post = NoticeFactory(department=planning, is_published=False, review_state="draft")
    act(writer_client, "request_review", [post])
    act(other, "approve", [post])
    post.refresh_from_db()
    assert post.review_state == "pending" and not is_public(post)


def test_a_scheduled_post_goes_public_at_its_time_once_approved(writer_client, approver_client, planning):
    later = timezone.now() + datetime.timedelta(hours=2)
    post = NoticeFactory(department=planning, is_published=False, review_state="draft", published_at=later)
    act(writer_client, "request_review", [post])
    act(approver_client, "approve", [post])
    post.refresh_from_db()
    assert post.is_published and not is_public(post)
    assert Notice.objects.published(later + datetime.timedelta(minutes=1)).filter(pk=post.pk).exists()


def test_a_rejected_post_shows_the_writer_why(writer_client, approver_client, planning):
    post = NoticeFactory(department=planning, is_published=False, review_state="draft")
    act(writer_client, "request_review", [post])
    asked = act(approver_client, "reject", [post])
    assert "반려 사유" in asked.content.decode()
    act(approver_client, "reject", [post], apply="1", reason="공고번호가 빠졌습니다.")
    post.refresh_from_db()
    assert post.review_state == "rejected" and post.review_note == "공고번호가 빠졌습니다." and not is_public(post)
    page = writer_client.get(admin_url(Notice, "change", post.pk)).content.decode()
    assert "반려 사유: 공고번호가 빠졌습니다." in page
    assert AuditEntry.objects.get(action=AuditAction.REJECT).detail == {"reason": "공고번호가 빠졌습니다."}


def test_approving_is_publishing_and_is_screened_for_personal_data(writer_client, approver_client, planning):
    post = NoticeFactory(department=planning, is_published=False, review_state="draft",
                         body="<p>주민등록번호 900101-1234567</p>")
    act(writer_client, "request_review", [post])
    response = act(approver_client, "approve", [post])
    assert "개인정보로 보이는 내용이 1건 있어 공개할 수 없습니다." in response.content.decode()
    post.refresh_from_db()
    assert post.review_state == "pending" and not is_public(post)


def test_news_needs_no_review(writer_client, planning):
    assert writer_client.post(admin_url(Notice, "add"), news_form(planning)).status_code == 302
    assert is_public(Notice.objects.get(kind="news"))


def test_staff_preview_an_unpublished_post_marked_and_never_cached(writer_client, planning, welfare, django_user_model):
    post = NoticeFactory(department=planning, is_published=False, title="아직 쓰는 공고")
    url = admin_url(Notice, "preview", post.pk)
    response = writer_client.get(url)
    text = response.content.decode()
    assert response.status_code == 200 and "미리보기" in text and "아직 쓰는 공고" in text
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert Client().get(url).status_code == 302  # residents: to the login page
    assert Client().get(post.get_absolute_url()).status_code == 404
    other = verified_login(Client(), staff_member(django_user_model, "other", Role.WRITER, welfare))
    assert other.get(url).status_code == 403


# --- 3. revisions: list, compare, restore ---------------------------------------------------------------

def test_every_save_is_a_revision_compared_and_restored_through_publish(admin_client, planning):
    data = news_form(planning, title="첫 제목", body="<p>첫째 줄</p><p>둘째 줄</p>")
    assert admin_client.post(admin_url(Notice, "add"), data).status_code == 302
    post = Notice.objects.get()
    change = news_form(planning, title="고친 제목", body="<p>첫째 줄</p><p>바뀐 둘째 줄</p>",
                       **management_form("attachments", total=1),
                       **{"attachments-0-file": SimpleUploadedFile("안내문.txt", "안내".encode()),
                          "attachments-0-order": "0"})
    assert admin_client.post(admin_url(Notice, "change", post.pk), change).status_code == 302
    records = list(post.history.order_by("history_date"))
    assert len(records) == 2 and records[0].history_user.username == "admin"

    page = admin_client.get(admin_url(Notice, "revisions", post.pk), {"a": records[0].history_id,
                                                                       "b": records[1].history_id})
    text = page.content.decode()
    assert page.context["fields"] == [("제목", "첫 제목", "고친 제목")]
    assert "-둘째 줄" in text and "+바뀐 둘째 줄" in text
    assert page.context["files"] == [("추가", "안내문.txt")]

    restored = admin_client.post(admin_url(Notice, "restore", post.pk, records[0].history_id))
    assert restored.status_code == 302
    post.refresh_from_db()
    assert post.title == "첫 제목" and post.body_text == "첫째 줄 둘째 줄"
    assert post.history.count() == 3 and "되돌림" in post.history.latest().history_change_reason
    changes = AuditEntry.objects.filter(action=AuditAction.CHANGE, target_id=str(post.pk))
    assert any("되돌림" in entry.detail["change"] for entry in changes)


def test_restoring_personal_data_into_a_public_post_is_refused(admin_client, planning):
    post = NoticeFactory(kind="news", notice_type="", number_year=None, number_seq=None, department=planning,
                         body="<p>연락처 010-1234-5678</p>", is_published=False)
    post.body = "<p>가린 본문</p>"
    post.is_published = True
    post.save()
    first = post.history.order_by("history_date").first()
    response = admin_client.post(admin_url(Notice, "restore", post.pk, first.history_id), follow=True)
    assert "개인정보로 보이는 내용" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "<p>가린 본문</p>"


def test_another_departments_revisions_are_closed_and_restoring_an_approved_notice_waits_for_review(
    writer_client, planning, welfare
):
    other = NoticeFactory(department=welfare)
    assert writer_client.get(admin_url(Notice, "revisions", other.pk)).status_code == 403
    approved = NoticeFactory(department=planning, review_state="approved", title="첫 제목")
    approved.title = "바뀐 제목"
    approved.save()
    first = approved.history.order_by("history_date").first()
    page = writer_client.get(admin_url(Notice, "revisions", approved.pk))
    assert page.status_code == 200 and "이 판으로 되돌리기" in page.content.decode()
    response = writer_client.post(admin_url(Notice, "restore", approved.pk, first.history_id), follow=True)
    assert "검토 요청했습니다" in response.content.decode()
    approved.refresh_from_db()
    assert approved.title == "바뀐 제목" and approved.review_state == "pending"  # public as approved until then
    assert "바뀐 제목" in Client().get(approved.get_absolute_url()).content.decode()
    assert PendingChange.objects.get().fields["title"] == "첫 제목"


def test_a_writer_cannot_restore_a_revision_that_belonged_to_another_department(
    writer_client, planning, welfare
):
    post = NoticeFactory(kind="news", notice_type="", number_year=None, number_seq=None, department=welfare)
    post.department = planning
    post.save()
    welfare_revision = post.history.order_by("history_date").first()
    assert writer_client.post(admin_url(Notice, "restore", post.pk, welfare_revision.history_id)).status_code == 403
    post.refresh_from_db()
    assert post.department == planning
