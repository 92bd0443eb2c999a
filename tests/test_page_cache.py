"""The anonymous page cache: edits show at once, scheduled posts appear on time, post pages count every reading."""

import datetime
import re
import subprocess
import sys
import time

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone

from boards import pagecache
from feedback.models import PageFeedback
from tests.factories import HeroBannerFactory, NewsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    caches["search"].clear()
    yield
    cache.clear()
    caches["search"].clear()


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


def test_post_leaves_the_cached_pages_at_its_end_time_without_any_save(client):
    post = NewsFactory(title="곧 내려갈 소식", unpublish_at=timezone.now() + datetime.timedelta(seconds=2))
    assert "곧 내려갈 소식" in client.get("/").content.decode()
    assert "곧 내려갈 소식" in client.get("/news/").content.decode()
    assert client.get(f"/news/{post.pk}/").status_code == 200
    time.sleep(2.2)
    assert "곧 내려갈 소식" not in client.get("/").content.decode()
    assert "곧 내려갈 소식" not in client.get("/news/").content.decode()
    assert client.get(f"/news/{post.pk}/").status_code == 404


def test_next_change_counts_end_times_of_public_posts_only():
    now = timezone.now()
    NewsFactory(published_at=now + datetime.timedelta(minutes=5))
    NewsFactory(unpublish_at=now + datetime.timedelta(minutes=3))
    NewsFactory(unpublish_at=now + datetime.timedelta(minutes=1), is_published=False)  # never shown: no change
    assert pagecache.next_scheduled_change(now) == now + datetime.timedelta(minutes=3)


def test_cached_pages_are_kept_no_longer_than_the_next_scheduled_change():
    now = timezone.now()
    NewsFactory(published_at=now + datetime.timedelta(minutes=2))
    HeroBannerFactory(display_start=now - datetime.timedelta(days=1), display_end=now + datetime.timedelta(seconds=50))
    assert pagecache.next_scheduled_change(now) == now + datetime.timedelta(seconds=50)
    assert 0 < pagecache.seconds_to_keep(pagecache.content_version()) <= 50


def test_logged_in_staff_and_searches_bypass_the_cache(admin_client, client, django_assert_num_queries):
    client.get("/news/?q=소식")
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(0):
            client.get("/news/?q=소식")
    admin_client.get("/")
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(0):
            admin_client.get("/")


def test_settings_use_the_resilient_redis_cache_when_redis_url_is_set():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='geumcheon_portal.settings';"
        "django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3", "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "geumcheon_portal.cache.ResilientRedisCache"  # Django's RedisCache, degrading


def test_content_version_is_shared_through_redis(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/3", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (CI and these machines start it)")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/3"},
    }
    from django.core.cache import caches

    caches["default"].clear()
    first = pagecache.content_version()
    pagecache.bump_content_version()
    assert pagecache.content_version() == first + 1
    other_worker = redis.Redis.from_url("redis://127.0.0.1:6379/3")
    assert any(b"content-version" in key for key in other_worker.keys("*"))
    caches["default"].clear()


# ---------------------------------------------------------------- post pages: cached with holes


def csrf_token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def view_count_in(html):
    return int(re.search(r"<dt>조회수</dt><dd>([0-9]+)</dd>", html).group(1))


def test_post_page_is_cached_but_every_reading_is_counted(client, django_assert_num_queries):
    post = NewsFactory(title="캐시된 글", view_count=41)
    url = post.get_absolute_url()
    assert view_count_in(client.get(url).content.decode()) == 42
    # Served from the cache: the counter's UPDATE … RETURNING is the only query.
    with django_assert_num_queries(1):
        again = client.get(url).content.decode()
    assert "캐시된 글" in again and view_count_in(again) == 43
    assert pagecache.CSRF_HOLE not in again
    post.refresh_from_db()
    assert post.view_count == 43


def test_cached_post_page_gives_each_visitor_a_working_csrf_token(client):
    post = NewsFactory()
    url = post.get_absolute_url()
    client.get(url)  # fills the cache
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor, address in ((first, "203.0.113.1"), (second, "203.0.113.2")):
        response = visitor.get(url)
        assert "csrftoken" in response.cookies  # the token's cookie goes out with the cached page
        tokens.append(csrf_token_in(response.content.decode()))
        sent = visitor.post("/feedback/", {"page": url, "score": "5", "csrfmiddlewaretoken": tokens[-1]},
                            REMOTE_ADDR=address)
        assert sent.status_code == 302, sent.content.decode()[:300]
    assert tokens[0] != tokens[1]
    assert PageFeedback.objects.filter(page=url).count() == 2


def test_survey_thanks_is_shown_although_the_post_page_is_cached(client):
    post = NewsFactory()
    url = post.get_absolute_url()
    client.get(url)
    client.post("/feedback/", {"page": url, "score": "4"}, REMOTE_ADDR="203.0.113.3")
    assert "소중한 의견 고맙습니다." in client.get(url).content.decode()
    assert "소중한 의견 고맙습니다." not in client.get(url).content.decode()  # shown once


def test_edit_and_unpublish_show_on_the_cached_post_page_at_once(client, django_capture_on_commit_callbacks):
    post = NewsFactory(title="처음 제목")
    url = post.get_absolute_url()
    assert "처음 제목" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "고친 제목"
        post.save()
    assert "고친 제목" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post.is_published = False
        post.save()
    assert client.get(url).status_code == 404


def test_newer_scheduled_post_appears_as_next_on_a_cached_post_page(client):
    post = NewsFactory(title="기준 글", published_at=timezone.now() - datetime.timedelta(hours=1))
    NewsFactory(title="곧 나올 다음 글", published_at=timezone.now() + datetime.timedelta(seconds=2))
    url = post.get_absolute_url()
    assert "곧 나올 다음 글" not in client.get(url).content.decode()
    time.sleep(2.2)
    assert "곧 나올 다음 글" in client.get(url).content.decode()


def test_head_and_staff_readings_bypass_the_cached_post_page(admin_client, client):
    post = NewsFactory(view_count=0)
    url = post.get_absolute_url()
    client.get(url)
    assert client.head(url).status_code == 200
    assert view_count_in(admin_client.get(url).content.decode()) == 2
    post.refresh_from_db()
    assert post.view_count == 2


def test_cached_post_page_costs_no_query_between_count_batches(client, settings, django_assert_num_queries):
    settings.VIEW_COUNT_BATCH = 3
    post = NewsFactory(view_count=0)
    url = post.get_absolute_url()
    client.get(url)  # renders the page and reads the stored count once
    with django_assert_num_queries(0):
        assert view_count_in(client.get(url).content.decode()) == 2
    with django_assert_num_queries(1):  # the third reading writes the batch
        assert view_count_in(client.get(url).content.decode()) == 3
    post.refresh_from_db()
    assert post.view_count == 3


# ---------------------------------------------------------------- 통합검색 results


def test_repeated_search_is_served_from_the_search_cache(client, django_assert_num_queries):
    NewsFactory(title="주차장 개방 안내")
    first = client.get("/search/", {"q": "주차장"}).content.decode()
    assert "개방 안내" in first
    with django_assert_num_queries(0):
        again = client.get("/search/", {"q": "  주차장 ", "sort": "relevance"})  # the same search
    assert again.content.decode() == first


def test_search_results_live_in_their_own_cache(client):
    NewsFactory(title="주차장 개방 안내")
    client.get("/")
    client.get("/search/", {"q": "주차장"})
    default_keys = list(cache._cache)
    assert not any(":search:" in key for key in default_keys)
    assert any(":search:" in key for key in caches["search"]._cache)


def test_a_save_shows_in_cached_search_results_at_once(client, django_capture_on_commit_callbacks):
    client.get("/search/", {"q": "주차장"})
    with django_capture_on_commit_callbacks(execute=True):
        NewsFactory(title="새 주차장 안내")
    assert "새 <mark>주차장</mark> 안내" in client.get("/search/", {"q": "주차장"}).content.decode()


def test_staff_searches_bypass_the_search_cache(admin_client, django_assert_num_queries):
    NewsFactory(title="주차장 개방 안내")
    admin_client.get("/search/", {"q": "주차장"})
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(0):
            admin_client.get("/search/", {"q": "주차장"})


def test_content_version_starts_from_the_clock_after_a_cache_restart():
    before = time.time_ns() // 1000
    cache.clear()
    assert pagecache.content_version() >= before
