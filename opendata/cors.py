"""Every answer under /api/ may be read by a page of any origin: read-only, public, no cookies.

Applied to the API's URL patterns (opendata/urls.py), so it covers errors and openapi.json too.
"""

from functools import wraps

from django.http import HttpResponse

from . import answers

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = 86400


def open_to_all_origins(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":  # a CORS preflight (or a client asking what is allowed)
            response = HttpResponse(status=204)
            del response["Content-Type"]
            response["Allow"] = response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            # No credentials are ever involved, so the wildcard is valid here (Fetch standard).
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        elif request.method not in ("GET", "HEAD"):
            response = answers.error(answers.HTTP_ERROR, xml=answers.wants_xml(request))
            response["Allow"] = ALLOWED_METHODS
        else:
            # HEAD is answered as GET (the server sends the headers alone, as for require_safe views).
            method, request.method = request.method, "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = method
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def open_patterns(patterns):
    """The URL patterns, each view wrapped by ``open_to_all_origins``."""
    for pattern in patterns:
        pattern.callback = open_to_all_origins(pattern.callback)
    return patterns
