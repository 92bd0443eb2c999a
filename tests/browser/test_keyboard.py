"""Every control works with the keyboard alone: tabs, banner, 전체메뉴, pagination, skip link."""

import re

from tests.factories import NewsFactory

from .conftest import MOBILE, active, first_post_url, focus_is_inside, visit
from .test_structure import NO_SIDE_SCROLL

MAX_TABS = 150  # a bound on Tab presses while looking for an element in the tab order


def tab_until(page, predicate_js, shift=False, limit=MAX_TABS):
    """Press Tab (or Shift+Tab) until ``predicate_js(document.activeElement)`` holds."""
    key = "Shift+Tab" if shift else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"{predicate_js!r}: not reached with {limit} × {key}")


# --- 주요소식 tabs ---------------------------------------------------------------------


def tab_state(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[role=tab]')).map(tab => ({
            name: tab.textContent.trim(),
            selected: tab.getAttribute('aria-selected'),
            tabindex: tab.tabIndex,
            focused: tab === document.activeElement,
            panelShown: !document.getElementById(tab.getAttribute('aria-controls')).hidden
              && document.getElementById(tab.getAttribute('aria-controls')).getClientRects().length > 0,
        }))"""
    )


def assert_selected(page, position):
    state = tab_state(page)
    for index, tab in enumerate(state):
        is_it = index == position
        assert tab["selected"] == ("true" if is_it else "false"), state
        assert tab["panelShown"] is is_it, state
        assert tab["tabindex"] == (0 if is_it else -1), state
    assert state[position]["focused"], state


def test_news_tabs_with_arrow_keys_home_and_end(page):
    visit(page, "/")
    state = tab_state(page)
    assert [tab["name"] for tab in state] == ["금천소식", "고시공고", "채용공고", "소액수의 계약", "보도자료"]

    # Tab from the top of the page reaches the tab list on the selected tab only.
    tab_until(page, "el.getAttribute('role') === 'tab'")
    assert_selected(page, 0)

    page.keyboard.press("ArrowRight")
    assert_selected(page, 1)
    page.keyboard.press("ArrowRight")
    assert_selected(page, 2)
    page.keyboard.press("ArrowLeft")
    assert_selected(page, 1)
    page.keyboard.press("End")
    assert_selected(page, 4)
    page.keyboard.press("ArrowRight")  # wraps round
    assert_selected(page, 0)
    page.keyboard.press("ArrowLeft")  # and back
    assert_selected(page, 4)
    page.keyboard.press("Home")
    assert_selected(page, 0)

    # The panel's own links are next in the tab order, then the panel's 더보기.
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    focused = active(page)
    assert focused["role"] == "tabpanel" or focused["tag"] == "a", focused
    panel_links = page.locator("#panel-press a")
    assert panel_links.last.inner_text() == "보도자료 더보기"
    tab_until(page, "el.textContent.trim() === '보도자료 더보기'", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_url("**/press/")


# --- banner carousel -------------------------------------------------------------------


def visible_slide(page):
    return page.evaluate(
        """() => {
            const shown = Array.from(document.querySelectorAll('[data-carousel-slide]'))
              .map((slide, i) => [i, !slide.hidden && slide.getClientRects().length > 0])
              .filter(([, on]) => on).map(([i]) => i);
            return {shown, counter: document.querySelector('[data-carousel-current]').textContent.trim()};
        }"""
    )


def test_banner_controls(page):
    page.clock.install()
    visit(page, "/")
    toggle = page.locator("[data-carousel-toggle]")
    assert visible_slide(page) == {"shown": [0], "counter": "1"}
    assert toggle.inner_text() == "정지"

    # It moves by itself while nobody stops it.
    page.clock.run_for(5_100)
    assert visible_slide(page) == {"shown": [1], "counter": "2"}

    # 정지 from the keyboard stops it for good; the button then says 재생.
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.inner_text() == "재생"
    page.clock.run_for(30_000)
    assert visible_slide(page) == {"shown": [1], "counter": "2"}

    # 다음 and 이전 change the visible slide and wrap round.
    next_button = page.get_by_role("button", name=re.compile("^다음"))
    previous_button = page.get_by_role("button", name=re.compile("^이전"))
    next_button.focus()
    page.keyboard.press("Enter")
    assert visible_slide(page) == {"shown": [2], "counter": "3"}
    page.keyboard.press("Space")
    assert visible_slide(page) == {"shown": [0], "counter": "1"}
    previous_button.focus()
    page.keyboard.press("Enter")
    assert visible_slide(page) == {"shown": [2], "counter": "3"}

    # 재생 starts it again.
    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.inner_text() == "정지"
    page.clock.run_for(5_100)
    assert visible_slide(page) == {"shown": [0], "counter": "1"}


def test_focus_in_the_banner_stops_it(page):
    page.clock.install()
    visit(page, "/")
    toggle = page.locator("[data-carousel-toggle]")
    tab_until(page, "!!el.closest('[data-carousel]')")
    assert toggle.inner_text() == "재생"
    before = visible_slide(page)
    page.clock.run_for(30_000)
    assert visible_slide(page) == before


def test_hover_pauses_the_banner(page):
    page.clock.install()
    visit(page, "/")
    page.locator("[data-carousel-track]").hover()
    page.clock.run_for(20_000)
    assert visible_slide(page)["counter"] == "1"
    page.mouse.move(1, 1)  # away from the banner: it runs again
    page.clock.run_for(5_100)
    assert visible_slide(page)["counter"] == "2"


def test_banner_never_moves_with_reduced_motion(make_page):
    page = make_page(reduced_motion="reduce")
    page.clock.install()
    visit(page, "/")
    assert page.locator("[data-carousel-toggle]").inner_text() == "재생"
    page.clock.run_for(30_000)
    assert visible_slide(page)["counter"] == "1"


# --- 전체메뉴 on a phone ----------------------------------------------------------------

DIALOG = "[role=dialog], dialog"


def test_mobile_menu_dialog_traps_focus_and_returns_it(mobile_page):
    page = mobile_page
    visit(page, "/")
    assert page.evaluate("() => window.innerWidth") == MOBILE["width"]
    menu_button = page.get_by_role("button", name=re.compile("전체메뉴"))
    tab_until(
        page,
        "el.textContent.includes('전체메뉴') || (el.getAttribute('aria-label') || '').includes('전체메뉴')",
    )
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert focus_is_inside(page, DIALOG), active(page)
    # Every board and 문화관광 are in it.
    for name in ["금천소식", "고시공고", "채용공고", "소액수의 계약", "보도자료", "문화관광"]:
        assert dialog.get_by_role("link", name=name, exact=True).count() == 1, name

    focusable = dialog.locator(
        "a[href], button:not([disabled]), input:not([disabled]), select, textarea,"
        " [tabindex]:not([tabindex='-1'])"
    ).count()
    assert focusable >= 2
    for _ in range(focusable * 2 + 1):
        page.keyboard.press("Tab")
        assert focus_is_inside(page, DIALOG), active(page)
    for _ in range(focusable + 1):
        page.keyboard.press("Shift+Tab")
        assert focus_is_inside(page, DIALOG), active(page)

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert menu_button.evaluate("el => el === document.activeElement")
    assert menu_button.get_attribute("aria-expanded") in (None, "false")


def test_mobile_menu_close_button_returns_focus(mobile_page):
    page = mobile_page
    visit(page, "/news/")
    menu_button = page.get_by_role("button", name=re.compile("전체메뉴"))
    menu_button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name=re.compile("닫기")).click()
    dialog.wait_for(state="hidden")
    assert menu_button.evaluate("el => el === document.activeElement")


# --- pagination --------------------------------------------------------------------------


def test_pagination_by_keyboard(page):
    NewsFactory.create_batch(12)  # 5 demo + 12 = 17 금천소식: two pages of 10
    visit(page, "/news/")
    nav = page.get_by_role("navigation", name="페이지 이동")
    assert nav.locator("[aria-current=page]").inner_text().strip() == "1"

    tab_until(page, "el.closest('nav') && el.closest('nav').getAttribute('aria-label') === '페이지 이동'"
                    " && el.textContent.startsWith('다음')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/news/\?page=2$"))
    current = page.locator(".pagination [aria-current=page]")
    assert current.inner_text().strip() == "2"
    assert page.locator("table.board-table tbody tr").count() == 7

    # 이전 is reachable too, and page 1 by its number.
    tab_until(page, "el.closest('nav') && el.textContent.startsWith('이전')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/news/\?page=1$"))
    assert page.locator(".pagination [aria-current=page]").inner_text().strip() == "1"


# --- skip links --------------------------------------------------------------------------


def test_skip_link_is_first_and_moves_focus_to_main(page):
    visit(page, "/news/")
    page.keyboard.press("Tab")
    focused = active(page)
    assert focused["text"] == "본문 바로가기" and focused["href"] == "#main", focused
    # It becomes visible when focused.
    box = page.locator(":focus").bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10 and box["y"] >= 0, box

    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab lands inside main, not back in the header.
    page.keyboard.press("Tab")
    assert focus_is_inside(page, "#main"), active(page)


def test_second_skip_link_goes_to_the_main_menu(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = active(page)
    assert focused["text"] == "주메뉴 바로가기", focused
    target = focused["href"]
    assert target.startswith("#") and page.locator(target).count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == target
    page.keyboard.press("Tab")
    focused = active(page)
    inside = page.evaluate("(sel) => document.querySelector(sel).contains(document.activeElement)", target)
    assert inside, focused
    assert focused["text"] in {"금천소식", "고시공고", "채용공고", "소액수의 계약", "보도자료", "문화관광"}, focused


# --- 글자 크기 and 인쇄 ------------------------------------------------------------------

FONT_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('#main p, #main li')).fontSize)"


def test_text_size_and_print_by_keyboard(make_page):
    page = make_page(viewport=MOBILE)
    detail = first_post_url("notices")
    visit(page, detail)
    base = page.evaluate(FONT_SIZE)
    tools = page.locator("[data-page-tools]")
    larger = tools.get_by_role("button", name="글자 크게")

    larger.focus()
    for _ in range(5):  # past the largest size: it stays there
        page.keyboard.press("Enter")
    largest = page.evaluate(FONT_SIZE)
    assert largest >= base * 1.4, (base, largest)
    assert "글자 크기" in tools.locator("[role=status]").inner_text()
    # The largest size still fits a phone screen: no sideways scrolling.
    reflow = page.evaluate(NO_SIDE_SCROLL)
    assert reflow["scrollWidth"] <= reflow["clientWidth"], reflow

    # The choice is kept on the next page.
    visit(page, "/news/")
    visit(page, detail)
    assert page.evaluate(FONT_SIZE) == largest
    tools.get_by_role("button", name="글자 크기 기본").focus()
    page.keyboard.press("Space")
    assert page.evaluate(FONT_SIZE) == base
    tools.get_by_role("button", name="글자 작게").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(FONT_SIZE) < base

    # 인쇄 opens the print dialog; the print stylesheet leaves out the site's navigation.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    tools.get_by_role("button", name=re.compile("^인쇄")).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.printed") == 1
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "() => ['.breadcrumb', '.masthead', '[data-page-tools]']"
        ".map(sel => document.querySelector(sel)).filter(Boolean)"
        ".map(el => getComputedStyle(el).display)"
    )
    assert hidden and set(hidden) == {"none"}, hidden
    assert page.locator("h1").is_visible()
