"""None of the XSS corpus runs on the public page, in a real browser."""

import pytest

from boards.models import Department
from notices.models import Notice
from tests.xss_payloads import PAYLOADS

from .conftest import visit

pytestmark = pytest.mark.browser


def test_no_payload_runs_on_the_public_detail_page(page):
    department = Department.objects.first()
    body = "".join(f"<p>{n}번:</p>{payload}" for n, payload in enumerate(PAYLOADS))
    post = Notice.objects.create(title="XSS 점검", body=body, department=department, kind=Notice.Kind.NEWS)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    visit(page, post.get_absolute_url())
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss === undefined && (window.parent.__xss === undefined)")
    assert dialogs == []
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []
    assert page.locator("main script, main iframe, main object, main embed, main svg").count() == 0
