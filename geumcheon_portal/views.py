import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
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
    return isinstance(error, (OperationalError, InterfaceError)) or (
        isinstance(error, DatabaseError) and "statement timeout" in str(error)
    )
