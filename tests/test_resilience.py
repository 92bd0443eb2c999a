"""Keeps serving when parts fail (issue: resilience, parts 1, 2 and 7): Redis away, the database away or slow,
one cache truth in production, canonical page numbers, post files not kept by shared caches, the survey's limit."""

import subprocess
import sys
import time

import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from django.test import Client

from boards import pagecache
from feedback.models import PageFeedback
from geumcheon_portal.cache import ResilientRedisCache
from tests.factories import HeroBannerFactory, NewsFactory, make_attachment
from tests.test_feedback import SUBMIT, answer

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens there: every call is refused at once


def resilient(location, backoff=2):
    return ResilientRedisCache(location, {
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "BACKOFF_SECONDS": backoff},
    })


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    caches["search"].clear()
    yield
    cache.clear()


@pytest.fixture
def redis_away(settings, page_cache_on):
    """The default cache is a Redis that cannot be reached."""
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "geumcheon_portal.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "BACKOFF_SECONDS": 2},
    }}
    yield
    caches["default"]._degraded = False


# --- 1. degrade, don't fail -------------------------------------------------------------------------

def test_an_unreachable_cache_answers_as_a_miss_and_backs_off(caplog):
    away = resilient(CLOSED_PORT)
    with caplog.at_level("WARNING", logger="geumcheon_portal.cache"):
        assert away.get("k", "default") == "default"
    assert away.add("k", 1) is False and away.set("k", 1) is None and away.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        away.incr("k")
    assert sum("캐시(Redis)를 쓸 수 없어" in record.getMessage() for record in caplog.records) == 1  # logged once
    started = time.monotonic()
    for _ in range(100):  # in the back-off nothing is tried: no timeout is paid
        away.get("k")
    assert time.monotonic() - started < 0.1


def test_pages_lists_search_details_and_the_survey_are_served_without_the_cache(client, redis_away):
    post = NewsFactory(title="캐시 없이도 보이는 소식")
    for url in ("/", "/news/", post.get_absolute_url(), "/search/?q=캐시", "/news/?page=1"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "캐시 없이도 보이는 소식" in client.get("/news/").content.decode()
    assert answer(client, post.get_absolute_url()).status_code == 302
    assert PageFeedback.objects.count() == 1


def test_an_admin_save_succeeds_while_the_cache_is_away(admin_client, redis_away, django_capture_on_commit_callbacks):
    from notices.models import Notice
    from tests.test_admin import admin_url, news_form
    from tests.factories import DepartmentFactory

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url(Notice, "add"), news_form(DepartmentFactory(), title="캐시가 없을 때 쓴 글"))
    assert response.status_code == 302
    assert Notice.objects.filter(title="캐시가 없을 때 쓴 글").exists()


def test_when_the_cache_comes_back_every_cached_page_is_dropped(settings):
    redis = pytest.importorskip("redis")
    location = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (CI and these machines start it)")
    settings.CACHE_RECOVERED_HOOK = "boards.pagecache.bump_content_version"
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "geumcheon_portal.cache.ResilientRedisCache", "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "BACKOFF_SECONDS": 0.2},
    }}
    shared = caches["default"]
    shared.clear()
    before = pagecache.content_version()
    real = shared._cache
    shared._cache = resilient(CLOSED_PORT)._cache  # Redis goes away…
    assert shared.get("anything") is None and shared._degraded
    time.sleep(0.25)
    shared._cache = real  # …and comes back: the first call that works drops every cached page
    assert pagecache.content_version() > before
    shared.clear()


def test_a_database_that_is_away_gives_the_korean_503_page_within_5_seconds():
    code = (
        "import os, time; os.environ.update(DJANGO_SETTINGS_MODULE='geumcheon_portal.settings', SECRET_KEY='x',"
        " ALLOWED_HOSTS='testserver', STATIC_MANIFEST='0', DATABASE_URL='postgres://nobody@127.0.0.1:1/none');"
        "import django; django.setup();"
        "from django.test import Client; c = Client(raise_request_exception=False); started = time.monotonic();"
        "r = c.get('/news/'); print(r.status_code, round(time.monotonic() - started, 2), r['Retry-After']);"
        "print('잠시 서비스를 이용할 수 없습니다' in r.content.decode())"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    status, seconds, retry_after = out.stdout.split("\n")[0].split()
    assert (status, retry_after) == ("503", "30") and float(seconds) < 5
    assert out.stdout.split("\n")[1] == "True"


def test_a_database_error_during_a_request_is_a_503_never_a_500(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", unreachable)  # every statement, ORM or plain SQL
    response = Client(raise_request_exception=False).get("/news/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "잠시 서비스를 이용할 수 없습니다" in response.content.decode()


def test_cached_pages_are_served_while_the_database_is_away(page_cache_on, monkeypatch, client):
    NewsFactory(title="캐시에 든 소식")
    assert "캐시에 든 소식" in client.get("/news/").content.decode()
    monkeypatch.setattr(connection, "cursor", lambda *a, **k: (_ for _ in ()).throw(OperationalError("away")))
    response = Client(raise_request_exception=False).get("/news/")
    assert response.status_code == 200 and "캐시에 든 소식" in response.content.decode()


def test_a_view_count_the_database_cannot_take_is_kept_and_written_later(page_cache_on, settings, monkeypatch):
    from boards import counters

    settings.VIEW_COUNT_BATCH = 2
    post = NewsFactory()
    url = post.get_absolute_url()
    real_add = counters.add

    def away(*args, **kwargs):
        raise OperationalError("the database is restarting")

    monkeypatch.setattr(counters, "add", away)
    for _ in range(4):  # two batches the database could not take: the pages are still served
        assert Client().get(url).status_code == 200
    monkeypatch.setattr(counters, "add", real_add)
    for _ in range(2):
        Client().get(url)
    post.refresh_from_db()
    assert post.view_count == 6  # nothing lost


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_statement_past_the_timeout_is_cancelled_and_the_resident_gets_503(settings, monkeypatch):
    NewsFactory()  # a page of rows to read
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 1")  # as if the page's queries took longer than allowed
        cursor.execute("CREATE OR REPLACE FUNCTION pg_temp.slow() RETURNS void AS $$ SELECT pg_sleep(0.05) $$ LANGUAGE sql")
    from boards import listing

    original = listing.rows

    def slow(*args):  # the list's rows, after a statement that runs past the timeout
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_temp.slow()")
        return original(*args)

    monkeypatch.setattr(listing, "rows", slow)
    response = Client(raise_request_exception=False).get("/news/")
    assert response.status_code == 503


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_web_workers_get_the_statement_timeout_and_commands_do_not():
    code = (
        "import os; os.environ.update(DJANGO_SETTINGS_MODULE='geumcheon_portal.settings', SECRET_KEY='x',"
        " DATABASE_URL='postgres://postgres@127.0.0.1:5432/postgres');"
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    web = subprocess.run([sys.executable, "-c", code], env={**env, "DB_STATEMENT_TIMEOUT_MS": "5000"},
                         capture_output=True, text=True, check=True)
    assert plain.stdout.strip() == "0" and web.stdout.strip() == "5s"
    conf = open("gunicorn.conf.py", encoding="utf-8").read()
    assert 'os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")' in conf


# --- 2. one cache truth, canonical query strings, post files ----------------------------------------

def run_check(env):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'geumcheon_portal.settings');"
        "import django; django.setup(); from django.core import checks;"
        "print(sorted(e.id for e in checks.run_checks(tags=[checks.Tags.caches])))"
    )
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "SECRET_KEY": "x"}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_a_per_process_page_cache_with_several_production_workers_is_a_configuration_error():
    assert run_check({}) == "['geumcheon.E001']"  # DEBUG off, gunicorn's several workers, no REDIS_URL
    assert run_check({"GUNICORN_WORKERS": "4"}) == "['geumcheon.E001']"
    assert run_check({"REDIS_URL": "redis://127.0.0.1:6379/6"}) == "[]"
    assert run_check({"GUNICORN_WORKERS": "1"}) == "[]"
    assert run_check({"ALLOW_PROCESS_CACHE": "1"}) == "[]"
    assert run_check({"DEBUG": "1"}) == "[]"


def test_gunicorn_workers_refuse_to_start_with_it():
    code = "import os; os.environ['SECRET_KEY'] = 'x'; import geumcheon_portal.wsgi"
    out = subprocess.run([sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
                         capture_output=True, text=True)
    assert out.returncode != 0 and "geumcheon.E001" in out.stderr


@pytest.mark.parametrize("query, target", [
    ("?page=01", "/news/?page=1"), ("?page=0005", "/news/?page=5"), ("?page=007&q=x", "/news/?page=7&q=x"),
])
def test_page_numbers_have_one_spelling(client, query, target):
    response = client.get(f"/news/{query}")
    assert response.status_code == 301 and response["Location"] == target


def test_odd_page_values_are_answered_not_crashed_on(client):
    for value in ("0" * 6000 + "1", "²", "-1", "abc", ""):
        assert client.get("/news/", {"page": value}).status_code in (200, 301, 404), value


def test_unknown_parameters_do_not_create_cache_entries(page_cache_on, client):
    NewsFactory()
    before = set(cache._cache)
    assert client.get("/news/?utm_source=first").status_code == 200
    # The first page made under a content version keeps what every page shows (boards/pagecache.py): one of
    # each per version, however many addresses are asked.
    kept = {key.split(":")[2] for key in set(cache._cache) - before}
    assert kept <= {"content-version", "site-alerts", "next-change"}, kept
    stored = set(cache._cache)
    for n in range(20):
        assert client.get(f"/news/?utm_source=x{n}").status_code == 200
        assert client.get(f"/?fbclid={n}").status_code == 200
    assert set(cache._cache) == stored


def test_inline_post_files_are_not_kept_by_shared_caches(client):
    from tests.test_files_round_two import hostile

    post = NewsFactory()
    image = make_attachment(post, file=ContentFile(hostile("PNG"), name="배치도.png"))
    inline = client.get(f"/news/files/{image.pk}/view/")
    assert inline.status_code == 200, inline
    assert inline["Cache-Control"] == "private, max-age=60"
    banner = HeroBannerFactory()
    picture = client.get(f"/banners/{banner.pk}/image/")
    assert picture["Cache-Control"] == "public, max-age=3600"  # site pictures may be kept
    post.is_published = False
    post.save()
    assert client.get(f"/news/files/{image.pk}/view/").status_code == 404  # taken down: gone at once


# --- 7. the survey's limit ----------------------------------------------------------------------------

def test_the_survey_limit_follows_the_address_not_the_browser(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    urls = [NewsFactory().get_absolute_url() for _ in range(3)]
    assert answer(client, urls[0], agent="브라우저 1").status_code == 302
    assert answer(client, urls[1], agent="브라우저 2").status_code == 302
    answer(client, urls[2], agent="브라우저 3")  # a third User-Agent is still the same visitor
    assert PageFeedback.objects.count() == 2


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    urls = [NewsFactory().get_absolute_url() for _ in range(2)]

    def through_proxy(url, visitor):
        return client.post(SUBMIT, {"page": url, "score": "5", "comment": ""},
                           REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=visitor)

    through_proxy(urls[0], "198.51.100.7")
    through_proxy(urls[1], "198.51.100.8")
    assert PageFeedback.objects.count() == 2  # two visitors behind one proxy
    through_proxy(urls[1], "198.51.100.7")
    assert PageFeedback.objects.count() == 2  # the first one is over the limit


# --- 5. /healthz for the load balancer ----------------------------------------------------------------

def test_healthz_says_ok_when_database_cache_and_storage_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert (body["status"], body["database"], body["cache"], body["storage"]) == ("ok", "ok", "ok", "ok")


def test_healthz_is_503_when_the_cache_is_away(redis_away):
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_away(monkeypatch):
    monkeypatch.setattr(connection, "cursor", lambda *a, **k: (_ for _ in ()).throw(OperationalError("away")))
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error"
    assert "away" not in response.content.decode()  # the error itself stays in the log
