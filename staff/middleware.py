"""The admin's outer guards: where it may be reached from, and how long a staff session lasts.

- From outside ADMIN_ALLOWED_NETWORKS (when set) every admin URL answers 404, as
  if there were no admin: the page's existence is not advertised.
- A staff session ends after STAFF_IDLE_MINUTES without a request, and after
  STAFF_SESSION_HOURS in all however busy; the person signs in again (with the
  second factor). The cookie itself lasts only until the browser closes.
- Resident requests run under the connection's short statement timeout
  (DB_STATEMENT_TIMEOUT_MS); admin requests, which save whole posts with their
  files, get ADMIN_STATEMENT_TIMEOUT_MS and the connection is set back after.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect

from .models import AuditAction
from .network import client_ip, in_networks

STARTED = "staff_session_started"
SEEN = "staff_session_seen"
# The last-seen time is written at most this often (a write per request is needless).
SEEN_RESOLUTION = 30


def admin_prefix():
    return "/" + settings.ADMIN_URL


class StaffGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path.startswith(admin_prefix())
        networks = settings.ADMIN_ALLOWED_NETWORKS
        if in_admin and networks and not in_networks(client_ip(request), tuple(networks)):
            raise Http404("페이지를 찾을 수 없습니다.")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and self.session_over(request):
            from .audit import record

            record(AuditAction.SESSION_ENDED, actor=user, request=request)
            logout(request)
            if in_admin:
                messages.warning(request, "오래 쓰지 않았거나 접속한 지 오래되어 로그아웃했습니다. 다시 로그인해 주세요.")
                return redirect(f"{admin_prefix()}login/?next={request.path}")
        if in_admin and settings.DB_STATEMENT_TIMEOUT_MS and connection.vendor == "postgresql":
            return self.with_admin_statement_timeout(request)
        return self.get_response(request)

    def with_admin_statement_timeout(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(settings.ADMIN_STATEMENT_TIMEOUT_MS)])
        try:
            return self.get_response(request)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")  # back to the connection's own (resident) value

    def session_over(self, request):
        now = time.time()
        session = request.session
        started, seen = session.get(STARTED), session.get(SEEN)
        if started is None or seen is None:
            session[STARTED] = session[SEEN] = now
            return False
        if now - seen > settings.STAFF_IDLE_MINUTES * 60 or now - started > settings.STAFF_SESSION_HOURS * 3600:
            return True
        if now - seen >= SEEN_RESOLUTION:
            session[SEEN] = now
        return False
