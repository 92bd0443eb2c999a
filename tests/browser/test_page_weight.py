"""Home page weight on first load, measured from chromium's own network events.

The measurement runs against the production set-up, not the test server: gunicorn with
gunicorn.conf.py, DEBUG off, collectstatic into a temporary STATIC_ROOT, and whitenoise
serving the hashed, pre-compressed static files. Bytes are as transferred (compressed,
headers included), from CDP's Network.loadingFinished.encodedDataLength.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import DESKTOP, MOBILE, WEIGHT_SUMMARY

BASE_DIR = Path(__file__).resolve().parents[2]
BANNER_PHOTO = re.compile(r"/banners/\d+/image/")

MAX_TOTAL = 300 * 1024
MAX_REQUESTS = 15
MAX_CSS = 40 * 1024
MAX_JS = 20 * 1024

SETUP = """
import io, django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
call_command("load_demo", stdout=io.StringIO())
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("weight")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="geumcheon_portal.settings",
        DEBUG="0",
        SECRET_KEY="page-weight-test-only",
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(root / "static"),
        MEDIA_ROOT=str(root / "media"),
        VAR_DIR=str(root),
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        LOG_LEVEL="WARNING",
    )
    subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=BASE_DIR, check=True, timeout=300)
    log = open(root / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/robots.txt", timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("gunicorn did not start:\n" + (root / "gunicorn.log").read_text())
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def measure_first_load(browser, url, viewport):
    """Every request of a first visit (fresh context: empty cache), as chromium saw it."""
    context = browser.new_context(viewport=viewport, locale="ko-KR")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        requests = {}

        def sent(event):
            requests.setdefault(
                event["requestId"], {"url": event["request"]["url"], "bytes": None, "cached": False}
            )

        def from_cache(event):
            requests[event["requestId"]]["cached"] = True

        def received(event):
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            requests[event["requestId"]].update(
                type=event["type"], status=event["response"]["status"],
                encoding=headers.get("content-encoding", ""),
            )
            if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
                requests[event["requestId"]]["cached"] = True

        def finished(event):
            requests[event["requestId"]]["bytes"] = event["encodedDataLength"]

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.requestServedFromCache", from_cache)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.send("Network.enable")
        response = page.goto(url + "/", wait_until="load")
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        cdp.detach()
        return list(requests.values())
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["375px", "1280px"])
def test_home_page_weight(browser, production_server, viewport, record_property):
    seen = measure_first_load(browser, production_server, viewport)
    # A resource asked for twice in one load (the logo, again as favicon) comes the second time
    # from the browser's cache: nothing reaches the network, so it is not counted.
    requests = [r for r in seen if not r["cached"]]
    assert all(r["bytes"] is not None for r in requests), [r for r in requests if r["bytes"] is None]
    assert all(r["status"] == 200 for r in requests), [(r["url"], r["status"]) for r in requests]

    counted = [r for r in requests if not BANNER_PHOTO.search(r["url"])]
    total = sum(r["bytes"] for r in counted)
    css = [r for r in requests if r["type"] == "Stylesheet"]
    js = [r for r in requests if r["type"] == "Script"]
    fonts = [r for r in requests if r["type"] == "Font"]
    css_bytes = sum(r["bytes"] for r in css)
    js_bytes = sum(r["bytes"] for r in js)
    font_bytes = sum(r["bytes"] for r in fonts)
    banner_bytes = sum(r["bytes"] for r in requests if BANNER_PHOTO.search(r["url"]))

    # Static text files must arrive compressed, or the budget below means little.
    uncompressed = [(r["url"], r["encoding"]) for r in css + js if r["encoding"] not in ("gzip", "br")]
    assert not uncompressed, uncompressed

    width = viewport["width"]
    figures = {
        "total_bytes": total,
        "requests": len(requests),
        "css_bytes": css_bytes,
        "js_bytes": js_bytes,
        "font_bytes": font_bytes,
        "banner_photo_bytes": banner_bytes,
    }
    for key, value in figures.items():
        record_property(f"{width}px_{key}", value)
    kb = lambda n: f"{n / 1024:.1f} KB"  # noqa: E731
    WEIGHT_SUMMARY.append(
        f"{width:>4}px: 합계 {kb(total)} (≤ 300 KB), 요청 {len(requests)}개 (≤ {MAX_REQUESTS}), "
        f"CSS {kb(css_bytes)} (≤ 40 KB), JS {kb(js_bytes)} (≤ 20 KB), "
        f"글꼴 {kb(font_bytes)} ({len(fonts)}개), 배너 사진 {kb(banner_bytes)} (제외)"
    )
    WEIGHT_SUMMARY.extend(
        f"        {'(캐시) ' if r['cached'] else ''}{r['type']:<10} {r['bytes']:>7} B"
        f" {r['encoding'] or '-':<5} {r['url'].removeprefix(production_server)}"
        for r in seen
    )

    assert total <= MAX_TOTAL, figures
    assert len(requests) <= MAX_REQUESTS, figures
    assert css_bytes <= MAX_CSS, figures
    assert js_bytes <= MAX_JS, figures
