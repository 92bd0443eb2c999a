"""긴급 공지 in a real browser: readable at 320 px, no axe-core violation, in the tab order without trapping focus."""

import datetime

from django.utils import timezone

from home.models import AlertLevel, SiteAlert

from .conftest import visit
from .test_accessibility import assert_no_violations
from .test_keyboard import tab_until
from .test_structure import NO_SIDE_SCROLL

LONG = ("호우 경보 발령: 안양천·도림천 산책로와 하천 주차장 출입을 전면 통제합니다. 지하차도와 저지대를 피하시고 "
        "재난문자를 확인해 주세요. 구민안전상황실 02-2627-2000")


def raise_alerts(page):
    # The live server shares this thread's SQLite connection: let it finish what it was doing first.
    visit(page, "/")
    end = timezone.now() + datetime.timedelta(hours=2)
    SiteAlert.objects.create(level=AlertLevel.CRITICAL, message=LONG, link_url="/news/", link_text="통제 구간 보기",
                             display_end=end)
    SiteAlert.objects.create(level=AlertLevel.WARNING, message="폭염 주의보: 무더위쉼터를 이용하세요.", display_end=end)
    SiteAlert.objects.create(level=AlertLevel.INFO, message="12월 7일 02시~04시 누리집 점검", display_end=end)


def test_alerts_wrap_at_320px_and_pass_axe(make_page):
    page = make_page(viewport={"width": 320, "height": 640})
    raise_alerts(page)
    for path in ("/", "/news/"):
        visit(page, path)
        assert page.locator(".site-alert").count() == 3
        result = page.evaluate(NO_SIDE_SCROLL)
        assert result["scrollWidth"] <= result["clientWidth"], result
        assert page.get_by_role("alert").inner_text().startswith("긴급")
        assert_no_violations(page, f"긴급 공지 320px {path}")


def test_the_skip_link_stays_first_and_focus_moves_on_past_the_alert(page):
    raise_alerts(page)
    visit(page, "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "본문 바로가기"
    tab_until(page, "el.classList.contains('site-alert-link')")
    page.keyboard.press("Tab")  # and on to the header: nothing holds the focus in the alert
    assert page.evaluate("() => !document.activeElement.closest('.site-alerts')")
