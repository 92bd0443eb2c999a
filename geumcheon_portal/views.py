import logging
import sys
import time

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

RETRY_AFTER_SECONDS = 30


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def database_unavailable(error):
    """The database cannot be reached or gave up on a statement (a restart, a statement timeout).

    Residents then get the Korean 503 page, which asks them to come back shortly; the next
    request opens a new connection (CONN_HEALTH_CHECKS), so the site recovers by itself.
    """
    return isinstance(error, (OperationalError, InterfaceError))  # a cancelled statement is an OperationalError


logger = logging.getLogger(__name__)
HEALTH_KEY = "healthz"


def healthz(request):
    """For the load balancer: 200 when the database, the cache and the file storage all answer, else 503.

    Each part says "ok" or "error" (never the error itself: this page is public); the
    details go to the log.
    """
    parts = {}
    for name, probe in (("database", _database), ("cache", _cache), ("storage", _storage)):
        started = time.monotonic()
        try:
            probe()
        except Exception:  # noqa: BLE001 - any failure of a part is that part being down
            logger.warning("healthz: %s 응답 없음", name, exc_info=True)
            parts[name] = "error"
        else:
            parts[name] = "ok"
        parts[f"{name}_ms"] = round((time.monotonic() - started) * 1000, 1)
    healthy = all(parts[name] == "ok" for name in ("database", "cache", "storage"))
    response = JsonResponse({"status": "ok" if healthy else "error", **parts}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    token = str(time.monotonic_ns())
    cache.set(HEALTH_KEY, token, timeout=30)
    if cache.get(HEALTH_KEY) != token:  # the degrading cache answers a miss when Redis is away
        raise RuntimeError("the cache did not keep a value")


def _storage():
    default_storage.exists(HEALTH_KEY)
