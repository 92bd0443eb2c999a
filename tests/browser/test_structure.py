"""KWCAG checks that axe-core does not make, over every resident page, in the browser."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import RESIDENT_PAGES, page_path, visit

STRUCTURE = """() => {
  const rendered = el => el.getClientRects().length > 0;
  const text = el => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  const problems = [];

  if (document.documentElement.getAttribute('lang') !== 'ko') problems.push('html lang is not "ko"');

  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements`);
  let previous = 1;
  for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (!rendered(heading)) continue;
    const level = Number(heading.tagName[1]);
    if (level > previous + 1) problems.push(`heading skips h${previous} → h${level}: "${text(heading)}"`);
    if (!text(heading)) problems.push(`empty h${level}`);
    previous = level;
  }

  for (const table of document.querySelectorAll('table')) {
    if (['presentation', 'none'].includes(table.getAttribute('role'))) continue;
    const caption = table.querySelector(':scope > caption');
    if (!caption || !text(caption)) { problems.push('table without caption'); continue; }
    const box = caption.getBoundingClientRect();
    const style = getComputedStyle(caption);
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden' || style.clipPath !== 'none'
        || (style.clip && style.clip !== 'auto'))
      problems.push(`caption not visible: "${text(caption)}"`);
    // Squeezed to a few characters a line (a table turned into blocks leaves it no width).
    else if (box.width < Math.min(table.getBoundingClientRect().width, 240) / 2)
      problems.push(`caption squeezed to ${Math.round(box.width)}px: "${text(caption)}"`);
    for (const th of table.querySelectorAll('th')) {
      if (!th.getAttribute('scope') && !th.id) problems.push(`th without scope: "${text(th)}"`);
    }
  }

  for (const a of document.querySelectorAll('a:not([href])')) problems.push(`<a> without href: "${text(a)}"`);
  for (const a of document.querySelectorAll('a[href=""], a[href="#"], a[href^="javascript:"]'))
    problems.push(`<a> with empty href: "${text(a)}"`);
  for (const el of document.querySelectorAll('[onclick]')) problems.push(`onclick attribute on <${el.tagName.toLowerCase()}>`);
  for (const el of document.querySelectorAll('div[role=button], span[role=button], li[role=button]'))
    if (!el.hasAttribute('tabindex')) problems.push(`role=button without tabindex: "${text(el)}"`);

  // Something that looks clickable (pointer cursor) must be a real control.
  const controls = 'a[href], button, label, summary, input, select, textarea, [role=tab], [role=button], [tabindex]';
  for (const el of document.body.querySelectorAll('*')) {
    if (!rendered(el) || getComputedStyle(el).cursor !== 'pointer') continue;
    if (!el.closest(controls)) problems.push(`pointer cursor on a non-control <${el.tagName.toLowerCase()} class="${el.className}">`);
  }

  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.getAttribute('src')}`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute('loading') !== 'lazy')
      problems.push(`broken image: ${img.getAttribute('src')}`);
  }

  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id used ${n} times: ${id}`);

  return {problems, title: document.title};
}"""


def first_focus(page):
    page.keyboard.press("Tab")
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const href = el.getAttribute('href') || '';
            return {
                text: el.textContent.trim(), href,
                targetExists: href.startsWith('#') && !!document.getElementById(href.slice(1)),
            };
        }"""
    )


def test_page_structure_on_every_resident_page(page):
    titles = {}
    failures = []
    for name in RESIDENT_PAGES:
        path, status = page_path(name)
        visit(page, path, status)
        result = page.evaluate(STRUCTURE)
        failures += [f"{name} {path}: {problem}" for problem in result["problems"]]

        # Every target=_blank link says so in its accessible name.
        blank = page.locator("a[target=_blank]")
        for index in range(blank.count()):
            try:
                expect(blank.nth(index)).to_have_accessible_name(re.compile("새 창"), timeout=1_000)
            except AssertionError:
                link_text = blank.nth(index).inner_text()
                failures.append(f"{name} {path}: target=_blank without 새 창: {link_text!r}")

        # The first thing Tab reaches is the skip link, and its target exists.
        focus = first_focus(page)
        if focus["text"] != "본문 바로가기" or not focus["targetExists"]:
            failures.append(f"{name} {path}: first focus is {focus}")

        title = result["title"]
        if not title.endswith("| 금천구청") and title != "서울특별시 금천구청":
            failures.append(f"{name} {path}: title {title!r} lacks the site name")
        if title in titles:
            failures.append(f"{name} {path}: title {title!r} also on {titles[title]}")
        titles[title] = name

        failures += [f"{name} {path}: script error {error}" for error in page.watch.errors]
        page.watch.errors.clear()

    # Nothing comes from another host, lazy images included.
    visit(page, "/")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    failures += [f"request to another host: {url}" for url in page.watch.foreign_requests]

    assert not failures, "\n".join(failures)


def test_stylesheet_script_and_request_watch_work(page):
    visit(page, "/")
    # portal.css hides .sr-only text visually; portal.js turns 주요소식 into a tablist.
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.sr-only')).position"
    ) == "absolute"
    assert page.locator("[role=tablist]").count() == 1
    assert page.evaluate("() => document.styleSheets.length") >= 1
    css = page.evaluate("() => Array.from(document.styleSheets).map(s => s.href)")
    assert any(href and "/static/css/" in href for href in css), css

    # The request watch used above does see (and refuses) a request to another host.
    probe = "http://example.invalid/probe.png"
    with page.expect_event("requestfailed"):
        page.evaluate(
            "(src) => { const img = new Image(); img.src = src; document.body.append(img); }", probe
        )
    assert page.watch.foreign_requests == [probe]


# Reflow (KWCAG 2.2 / WCAG 1.4.10): no horizontal scrolling.
#
# Browser zoom at 200 % on a 1280 × 800 window lays the page out in a 640 × 400 CSS-pixel
# viewport with devicePixelRatio 2: media queries, vw units and wrapping all see 640 px. So a
# 640 px viewport at device scale factor 2 *is* 200 % zoom for layout purposes. CSS `zoom`
# would not be: media queries keep seeing 1280 px. 320 px is 1280 px at 400 %.
REFLOW = [
    pytest.param({"width": 320, "height": 640}, 1, id="320px"),
    pytest.param({"width": 640, "height": 400}, 2, id="1280px-zoom200"),
]

NO_SIDE_SCROLL = """() => {
  const root = document.scrollingElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > root.clientWidth + 1 && el.getClientRects().length)
        wide.push(`<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 8)};
}"""


@pytest.mark.parametrize(("viewport", "scale"), REFLOW)
def test_no_horizontal_scroll(make_page, viewport, scale):
    page = make_page(viewport=viewport, device_scale_factor=scale)
    failures = []
    for name in RESIDENT_PAGES:
        path, status = page_path(name)
        visit(page, path, status)
        assert page.evaluate("() => window.innerWidth") == viewport["width"]
        result = page.evaluate(NO_SIDE_SCROLL)
        if result["scrollWidth"] > result["clientWidth"]:
            failures.append(f"{name} {path}: {result}")
        # The structure rules hold at this width too (captions of tables laid out as cards).
        failures += [f"{name} {path}: {problem}" for problem in page.evaluate(STRUCTURE)["problems"]]
    assert not failures, "\n".join(failures)
