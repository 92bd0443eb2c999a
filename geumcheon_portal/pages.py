"""The footer's policy pages: 개인정보처리방침, 저작권정책, 웹접근성 정책."""

from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

app_name = "pages"


@method_decorator(require_safe, name="dispatch")
class PolicyPage(TemplateView):
    pass


urlpatterns = [
    path("privacy/", PolicyPage.as_view(template_name="policy/privacy.html"), name="privacy"),
    path("copyright/", PolicyPage.as_view(template_name="policy/copyright.html"), name="copyright"),
    path("accessibility/", PolicyPage.as_view(template_name="policy/accessibility.html"), name="accessibility"),
]
