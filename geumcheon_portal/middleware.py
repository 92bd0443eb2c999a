"""A Content-Security-Policy for every page that does not set its own, the admin's included."""

import base64
import functools
import hashlib
import re

from django.conf import settings

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@functools.cache
def admin_policy():
    """The page policy, plus what the admin needs: inline style attributes (Django's admin templates
    and the editor set them) and the rich-text editor's import map, the one inline script, by its hash.

    The import map names the editor's modules by their static URLs, which stay put while the
    process runs, so its hash is computed once.
    """
    from django_prose_editor.widgets import importmap

    content = re.search(r"<script[^>]*>(.*)</script>", str(importmap), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
    return f"{PAGE_POLICY}; style-src 'self' 'unsafe-inline'; script-src 'self' 'sha256-{digest}'"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith(self.admin_prefix)
        response.headers.setdefault("Content-Security-Policy", admin_policy() if admin else PAGE_POLICY)
        return response
