"""A Content-Security-Policy for every page that does not set its own, the admin's included."""

from django.conf import settings

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin's own templates and the rich-text editor set style attributes, so styles
# may be inline there; scripts still come only from this host.
ADMIN_POLICY = PAGE_POLICY + "; style-src 'self' 'unsafe-inline'"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith(self.admin_prefix) else PAGE_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
