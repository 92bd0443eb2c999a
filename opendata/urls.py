from django.urls import include, path, re_path

from .api import api, no_service
from .cors import open_patterns
from .views import open_data_page

app_name = "opendata"

api_patterns, _, _ = api.urls

urlpatterns = [
    path("open-data/", open_data_page, name="page"),
    # /api/v1/ itself names no service (django-ninja's own root view would answer an HTML 404).
    path("api/v1/", include(open_patterns([path("", no_service, name="root")]))),
    path("api/v1/", include((open_patterns(api_patterns), "api"))),
    # Everything else under /api/v1/…/ answers in the API's shape too.
    path("api/v1/", include(open_patterns([re_path(r"^(?P<rest>.+)/$", no_service, name="unknown")]))),
]
