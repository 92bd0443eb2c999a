"""axe-core on every kind of resident page and the admin login: no violation of any impact.

axe-core's own script comes from the PyPI package axe-playwright-python (axe.min.js inside);
it is injected into the page and run there.
"""

import re

from axe_playwright_python.base import AXE_SCRIPT

from .conftest import ALL_PAGES, AXE_SUMMARY, MOBILE, page_path, visit

AXE_VERSION = re.search(r"axe v(\d+)\.(\d+)", AXE_SCRIPT[:200])
# WCAG 2.0/2.1 level A and AA, plus the 2.2 AA rules (axe ≥ 4.5 tags them "wcag22aa").
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
if AXE_VERSION and (int(AXE_VERSION[1]), int(AXE_VERSION[2])) >= (4, 5):
    WCAG_TAGS.append("wcag22aa")

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}


def run_axe(page, label):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    violations = results["violations"]
    AXE_SUMMARY.append(
        f"{label:<28} 위반 {len(violations)}건"
        + (" — " + ", ".join(f"{v['id']}({v['impact']})" for v in violations) if violations else "")
    )
    return violations


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(map(str, node["target"]))
            lines.append(f"    {target}\n        {node['failureSummary']}".replace("\n  ", "\n          "))
    return "\n".join(lines)


def assert_no_violations(page, label):
    violations = run_axe(page, label)
    assert not violations, f"{label} ({page.url}): axe-core 위반 {len(violations)}건\n" + describe(violations)


# One test per group of pages, each page a subtest: the demo content is loaded once per
# test (live_server empties the database after every test), and a failure still names
# its page.


def test_no_axe_violations_on_any_page(page, subtests):
    for name in ALL_PAGES:
        with subtests.test(msg=name):
            path, status = page_path(name)
            visit(page, path, status)
            if name == "search-news":
                # The search page is checked with results on it, not as an empty list.
                assert page.locator("table caption").count() == 1
            assert_no_violations(page, name)


def test_no_axe_violations_in_other_states(page, mobile_page, subtests):
    with subtests.test(msg="home at 375 px"):
        visit(mobile_page, "/")
        assert mobile_page.evaluate("() => window.innerWidth") == MOBILE["width"]
        assert_no_violations(mobile_page, "home-375")

    with subtests.test(msg="전체메뉴 open at 375 px"):
        mobile_page.get_by_role("button", name=re.compile("전체메뉴")).click()
        mobile_page.get_by_role("dialog").wait_for(state="visible")
        assert_no_violations(mobile_page, "home-375-전체메뉴")

    with subtests.test(msg="banner stopped"):
        # Once stopped, the slides are announced (live region) and 재생 replaces 정지.
        visit(page, "/")
        page.get_by_role("button", name="정지").click()
        page.get_by_role("button", name=re.compile("^다음")).click()
        assert_no_violations(page, "home-배너정지")
