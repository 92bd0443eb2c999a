"""긴급 공지: 누리집 관리자 raise a site-wide alert in one step; it is on every resident page at once, cached
pages included, and leaves at its end time by itself."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import pagecache
from home.models import AlertLevel, SiteAlert
from staff.models import AuditAction, AuditEntry, Role
from tests.conftest import verified_login
from tests.factories import CultureTrailFactory, NewsFactory
from tests.test_staff import planning, staff_member, writer, writer_client  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager_client(django_user_model):
    return verified_login(Client(), staff_member(django_user_model, "manager", Role.MANAGER))


def alert_form(**overrides):
    now = timezone.localtime()
    return {
        "level": str(AlertLevel.CRITICAL), "message": "호우 경보: 안양천 산책로 출입을 통제합니다.",
        "link_url": "/news/", "link_text": "통제 구간 보기",
        "display_start_0": f"{now:%Y-%m-%d}", "display_start_1": f"{now - datetime.timedelta(minutes=1):%H:%M:%S}",
        "display_end_0": f"{now + datetime.timedelta(hours=6):%Y-%m-%d}",
        "display_end_1": f"{now + datetime.timedelta(hours=6):%H:%M:%S}",
        **overrides,
    }


def resident_pages():
    post = NewsFactory(title="평소 소식")
    trail = CultureTrailFactory()
    return ["/", "/news/", post.get_absolute_url(), trail.get_absolute_url(), "/search/?q=소식", "/no-such-page/"]


def alert_region(html):
    match = re.search(r'<section class="site-alerts" aria-label="긴급 공지">(.*?)</section>', html, re.S)
    return match.group(1) if match else None


def test_one_save_in_the_admin_puts_the_alert_on_every_resident_page_cached_ones_included(
    manager_client, django_capture_on_commit_callbacks
):
    pages = resident_pages()
    for url in pages:  # every page cached without an alert
        assert alert_region(Client().get(url).content.decode()) is None
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("admin:home_sitealert_add"), alert_form())
    assert response.status_code == 302
    for url in pages:
        region = alert_region(Client().get(url).content.decode())
        assert region is not None, url
        assert "호우 경보: 안양천 산책로 출입을 통제합니다." in region and 'role="alert"' in region
        assert '<strong class="site-alert-level">긴급</strong>' in region  # the level in words, not colour only
        assert '<a class="site-alert-link" href="/news/">통제 구간 보기' in region
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, actor__username="manager").get()
    assert entry.target_type == "긴급 공지" and "호우 경보" in entry.target_repr


def test_the_alert_comes_right_after_the_skip_links_and_needs_no_script(manager_client):
    SiteAlert.objects.create(level=AlertLevel.WARNING, message="폭염 주의보",
                             display_end=timezone.now() + datetime.timedelta(hours=1))
    html = Client().get("/").content.decode()
    assert html.index('class="skip-link"') < html.index('class="site-alerts"') < html.index('class="masthead')
    region = alert_region(html)
    assert 'role="status"' in region and "<script" not in region and "<button" not in region  # nothing to trap focus


def test_an_alert_leaves_the_cached_pages_at_its_end_time_without_any_save():
    SiteAlert.objects.create(message="곧 끝날 공지", display_end=timezone.now() + datetime.timedelta(seconds=2))
    assert "곧 끝날 공지" in Client().get("/").content.decode()
    assert "곧 끝날 공지" in Client().get("/news/").content.decode()
    time.sleep(2.2)
    assert "곧 끝날 공지" not in Client().get("/").content.decode()
    assert "곧 끝날 공지" not in Client().get("/news/").content.decode()


def test_alert_times_with_a_frozen_clock():
    now = timezone.now()
    later = SiteAlert.objects.create(message="예정", display_start=now + datetime.timedelta(minutes=30),
                                     display_end=now + datetime.timedelta(hours=2))
    running = SiteAlert.objects.create(level=AlertLevel.INFO, message="진행 중",
                                       display_start=now - datetime.timedelta(hours=1),
                                       display_end=now + datetime.timedelta(minutes=10))
    urgent = SiteAlert.objects.create(level=AlertLevel.CRITICAL, message="긴급",
                                      display_start=now - datetime.timedelta(minutes=5),
                                      display_end=now + datetime.timedelta(hours=3))
    assert list(SiteAlert.objects.current(now)) == [urgent, running]  # the most urgent first
    # Cached pages are kept no longer than the next alert start or end.
    assert pagecache.next_scheduled_change(now) == now + datetime.timedelta(minutes=10)
    assert pagecache.next_scheduled_change(now + datetime.timedelta(minutes=11)) == later.display_start
    assert list(SiteAlert.objects.current(now + datetime.timedelta(minutes=31))) == [later, urgent]  # newest first
    assert list(SiteAlert.objects.current(now + datetime.timedelta(hours=3))) == []


def test_bad_input_gets_korean_form_errors_and_personal_data_is_refused(manager_client):
    url = reverse("admin:home_sitealert_add")
    now = timezone.localtime()
    backwards = alert_form(display_end_0=f"{now - datetime.timedelta(days=1):%Y-%m-%d}")
    page = manager_client.post(url, backwards).content.decode()
    assert "게시 끝은 게시 시작보다 늦어야 합니다." in page
    page = manager_client.post(url, alert_form(link_url="javascript:alert(1)")).content.decode()
    assert "연결 주소는 https:// 로 시작하는 주소나" in page
    page = manager_client.post(url, alert_form(message="담당 홍길동 010-1234-5678로 연락")).content.decode()
    assert "개인정보로 보이는 내용이" in page
    assert not SiteAlert.objects.exists()


def test_the_add_form_starts_now_and_ends_a_day_later(manager_client):
    page = manager_client.get(reverse("admin:home_sitealert_add")).content.decode()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    assert f'value="{tomorrow:%Y-%m-%d}"' in page


def test_only_the_site_manager_raises_alerts(writer_client):  # noqa: F811
    assert writer_client.get(reverse("admin:home_sitealert_add")).status_code == 403
    assert writer_client.post(reverse("admin:home_sitealert_add"), alert_form()).status_code == 403
    assert not SiteAlert.objects.exists()


def test_the_message_is_escaped():
    SiteAlert.objects.create(message='<script>alert(1)</script>"', display_end=timezone.now() + datetime.timedelta(hours=1))
    region = alert_region(Client().get("/").content.decode())
    assert "<script>alert(1)</script>" not in region and "&lt;script&gt;alert(1)&lt;/script&gt;" in region


def test_a_page_served_from_the_cache_asks_nothing_more_for_alerts(django_assert_num_queries):
    SiteAlert.objects.create(message="캐시된 공지", display_end=timezone.now() + datetime.timedelta(hours=1))
    Client().get("/news/")
    with django_assert_num_queries(0):
        assert "캐시된 공지" in Client().get("/news/").content.decode()


def alert_queries(queries):
    return [query["sql"] for query in queries if "home_sitealert" in query["sql"]]


def test_pages_made_without_the_page_cache_read_the_alerts_from_the_cache_not_the_database(
    django_assert_max_num_queries,
):
    SiteAlert.objects.create(message="검색 화면의 공지", display_end=timezone.now() + datetime.timedelta(hours=1))
    NewsFactory(title="평소 소식")
    Client().get("/news/?q=평소")  # the first page made under this content version reads them
    for url in ["/news/?q=소식", "/search/?q=소식", "/news/?page=1&bench=uncached"]:  # never a cached page
        with django_assert_max_num_queries(20) as queries:
            assert "검색 화면의 공지" in Client().get(url).content.decode()
        assert queries.captured_queries and not alert_queries(queries.captured_queries), url


def test_an_alert_saved_or_ended_shows_at_once_on_pages_made_without_the_page_cache(
    manager_client, django_capture_on_commit_callbacks
):
    SiteAlert.objects.create(message="곧 끝날 공지", display_end=timezone.now() + datetime.timedelta(seconds=2))
    assert "곧 끝날 공지" in Client().get("/news/?q=소식").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_client.post(reverse("admin:home_sitealert_add"), alert_form()).status_code == 302
    page = Client().get("/news/?q=소식").content.decode()
    assert "곧 끝날 공지" in page and "호우 경보: 안양천 산책로 출입을 통제합니다." in page
    time.sleep(2.2)
    page = Client().get("/news/?q=소식").content.decode()
    assert "곧 끝날 공지" not in page and "호우 경보" in page
