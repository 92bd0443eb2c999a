"""The portal's URLs plus one minimal view: the framework ceiling for ``make bench``."""

from django.http import HttpResponse
from django.urls import path

from geumcheon_portal import urls as portal


def ceiling(request):
    """The least a Django response can cost under the same middleware and gunicorn."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("__bench__/ceiling/", ceiling), *portal.urlpatterns]

handler404 = portal.handler404
handler500 = portal.handler500
