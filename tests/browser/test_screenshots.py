"""Screenshots of the home page and a detail page at phone and desktop width.

Written on every run to tests/artifacts/screenshots/ (git-ignored); `make screenshots` copies
them to docs/screenshots/, which the README shows.
"""

import pytest

from .conftest import DESKTOP, MOBILE, SCREENSHOTS, first_post_url, visit

SIZES = {"375": MOBILE, "1280": DESKTOP}


@pytest.mark.parametrize("width", SIZES)
def test_screenshots(make_page, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    mobile = width == "375"
    # Reduced motion: the banner stays on its first slide, so the pictures are stable.
    page = make_page(viewport=SIZES[width], is_mobile=mobile, has_touch=mobile, reduced_motion="reduce")
    for name, path in [("home", "/"), ("detail", first_post_url("notices"))]:
        visit(page, path)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        # Lazy images below the fold load before a full-page picture is taken.
        page.evaluate(
            "() => document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')"
        )
        page.wait_for_load_state("networkidle")
        page.evaluate(
            "() => Promise.all(Array.from(document.images).map(img => img.decode().catch(() => null)))"
        )
        target = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide")
        assert target.stat().st_size > 10_000, target
