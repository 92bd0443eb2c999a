"""The anonymous page cache: edits show at once, scheduled posts appear on time."""

import datetime
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from boards import pagecache
from tests.factories import HeroBannerFactory, NewsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_visit_is_served_without_queries(client, django_assert_num_queries):
    NewsFactory(title="캐시 확인용 소식")
    assert "캐시 확인용 소식" in client.get("/").content.decode()
    with django_assert_num_queries(0):
        again = client.get("/")
    assert "캐시 확인용 소식" in again.content.decode()
    client.get("/news/")
    with django_assert_num_queries(0):
        assert "캐시 확인용 소식" in client.get("/news/").content.decode()


def test_save_and_delete_show_at_once(client, django_capture_on_commit_callbacks):
    client.get("/")
    client.get("/news/")
    with django_capture_on_commit_callbacks(execute=True):
        post = NewsFactory(title="방금 올린 소식")
    assert "방금 올린 소식" in client.get("/").content.decode()
    assert "방금 올린 소식" in client.get("/news/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "고친 제목의 소식"
        post.save()
    assert "고친 제목의 소식" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
    assert "고친 제목의 소식" not in client.get("/").content.decode()


def test_unpublishing_in_admin_removes_the_post_from_the_cached_home(
    admin_client, client, django_capture_on_commit_callbacks
):
    post = NewsFactory(title="곧 내릴 소식")
    assert "곧 내릴 소식" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post.is_published = False
        post.save()
    assert "곧 내릴 소식" not in client.get("/").content.decode()


def test_scheduled_post_appears_when_its_time_comes_without_any_save(client):
    NewsFactory(title="예약된 소식", published_at=timezone.now() + datetime.timedelta(seconds=2))
    assert "예약된 소식" not in client.get("/").content.decode()
    assert "예약된 소식" not in client.get("/news/").content.decode()
    time.sleep(2.2)
    assert "예약된 소식" in client.get("/").content.decode()
    assert "예약된 소식" in client.get("/news/").content.decode()


def test_cached_pages_are_kept_no_longer_than_the_next_scheduled_change():
    now = timezone.now()
    NewsFactory(published_at=now + datetime.timedelta(minutes=2))
    HeroBannerFactory(display_start=now - datetime.timedelta(days=1), display_end=now + datetime.timedelta(seconds=50))
    assert pagecache.next_scheduled_change(now) == now + datetime.timedelta(seconds=50)
    assert 0 < pagecache._seconds_to_keep(pagecache.content_version()) <= 50


def test_logged_in_staff_and_searches_bypass_the_cache(admin_client, client, django_assert_num_queries):
    client.get("/news/?q=소식")
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(0):
            client.get("/news/?q=소식")
    admin_client.get("/")
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(0):
            admin_client.get("/")


def test_settings_use_django_redis_cache_when_redis_url_is_set():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='geumcheon_portal.settings';"
        "django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3", "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_content_version_is_shared_through_redis(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/3", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (CI and these machines start it)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/3"}
    }
    from django.core.cache import caches

    caches["default"].clear()
    first = pagecache.content_version()
    pagecache.bump_content_version()
    assert pagecache.content_version() == first + 1
    other_worker = redis.Redis.from_url("redis://127.0.0.1:6379/3")
    assert any(b"content-version" in key for key in other_worker.keys("*"))
    caches["default"].clear()
