"""Real-browser fixtures: Debian's chromium driven by Playwright's sync API.

Playwright's own browser download cannot work here (no network), so the browser is the
system ``chromium``. Without it the tests are skipped, unless ``REQUIRE_BROWSER=1`` (CI),
which turns a missing browser into a failure.
"""

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an asyncio event loop in this thread, so Django's
# async-safety guard refuses every ORM call made from test code ("You cannot call this
# from an async context"). Nothing here runs concurrently with that loop: the test
# thread only blocks on it. Django documents this variable for exactly such cases.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_DIR.parent / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 812}

# Filled by the tests, printed at the end of the run (see pytest_terminal_summary).
AXE_SUMMARY = []
WEIGHT_SUMMARY = []


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if AXE_SUMMARY:
        terminalreporter.section("axe-core 결과 (WCAG 2.x A/AA)")
        for line in AXE_SUMMARY:
            terminalreporter.write_line(line)
    if WEIGHT_SUMMARY:
        terminalreporter.section("첫 화면 전송량 (배너 사진 제외)")
        for line in WEIGHT_SUMMARY:
            terminalreporter.write_line(line)


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "chromium가 없어 브라우저 테스트를 건너뜁니다 (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("건너뜁니다", "실행할 수 없습니다"), pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo content of the real home page. live_server needs a transactional database,
    which is emptied after every test, so the content is loaded again for each test."""
    call_command("load_demo", stdout=io.StringIO())


class PageWatch:
    """What a page did besides rendering: requests to other hosts and script errors."""

    def __init__(self, allowed_netloc):
        self.allowed_netloc = allowed_netloc
        self.foreign_requests = []
        self.errors = []

    def on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.allowed_netloc:
            self.foreign_requests.append(request.url)


def new_context(browser, base_url, viewport=DESKTOP, **options):
    return browser.new_context(
        base_url=base_url,
        viewport=viewport,
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        **options,
    )


def watch(page, base_url):
    watcher = PageWatch(urlsplit(base_url).netloc)
    page.on("request", watcher.on_request)
    page.on("pageerror", lambda error: watcher.errors.append(str(error)))
    # Nothing may leave this machine: anything for another host is recorded and refused.
    page.route(
        re.compile(r"^(?!" + re.escape(base_url) + r")https?://"),
        lambda route: route.abort(),
    )
    page.watch = watcher
    return page


@pytest.fixture
def make_page(browser, live_server, demo):
    """Open pages in fresh contexts: ``make_page(viewport=..., **context_options)``."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = new_context(browser, live_server.url, viewport=viewport, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return watch(context.new_page(), live_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    """A desktop-size page in a fresh browser context, with the demo content loaded."""
    return make_page()


@pytest.fixture
def mobile_page(make_page):
    return make_page(viewport=MOBILE, is_mobile=True, has_touch=True)


def visit(page, path, status=200):
    """Go to ``path`` and wait until the page and its scripts have run."""
    response = page.goto(path, wait_until="load")
    assert response is not None, path
    assert response.status == status, f"{path}: HTTP {response.status}"
    return response


# --- the pages every check runs over ------------------------------------------------

BOARD_SLUGS = ["news", "notices", "recruitment", "contracts", "press"]
MISSING_PATH = "/no-such-page-here/"

PAGE_NAMES = (
    ["home"]
    + [f"list-{slug}" for slug in BOARD_SLUGS]
    + [f"detail-{slug}" for slug in BOARD_SLUGS]
    + [
        "search-news",
        "banners",
        "trails",
        "trail-hoamsan",
        "not-found",
        "policy-privacy",
        "policy-copyright",
        "policy-accessibility",
        "open-data",
        "subscribe",
    ]
)
RESIDENT_PAGES = PAGE_NAMES
ALL_PAGES = PAGE_NAMES + ["admin-login"]


def first_post_url(slug):
    from boards import registry

    post = registry.get(slug).posts().published().latest_first().first()
    assert post is not None, f"demo content has no {slug} post"
    return post.get_absolute_url()


def page_path(name):
    """(path, expected HTTP status) of one of the named pages; needs the demo content."""
    fixed = {
        "home": "/",
        "search-news": "/news/?q=주민자치회",
        "banners": "/banners/",
        "trails": "/trails/",
        "trail-hoamsan": "/trails/hoamsan/",
        "policy-privacy": "/policy/privacy/",
        "policy-copyright": "/policy/copyright/",
        "policy-accessibility": "/policy/accessibility/",
        "admin-login": "/admin/login/",
        "open-data": "/open-data/",
        "subscribe": "/subscribe/",
    }
    if name in fixed:
        return fixed[name], 200
    if name == "not-found":
        return MISSING_PATH, 404
    kind, slug = name.split("-", 1)
    if kind == "list":
        return f"/{slug}/", 200
    return first_post_url(slug), 200


# --- small DOM helpers shared by the test modules ------------------------------------

ACTIVE_ELEMENT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.textContent || "").trim(),
    href: el.getAttribute("href"),
    role: el.getAttribute("role"),
  };
}"""


def active(page):
    return page.evaluate(ACTIVE_ELEMENT)


def focus_is_inside(page, selector):
    return page.evaluate(
        "(sel) => { const box = document.querySelector(sel);"
        " return !!box && box.contains(document.activeElement) && document.activeElement !== box; }",
        selector,
    )
