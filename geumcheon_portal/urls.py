from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from boards.sitemaps import board_sitemaps
from geumcheon_portal import views
from editorial import body_images
from tourism.sitemaps import TrailSitemap

sitemaps = {**board_sitemaps(), "trails": TrailSitemap}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("home.urls")),
    # 달력 구독 (.ics) beside the boards' own addresses, ahead of them.
    path("", include("recruitment.urls")),
    path("", include("notices.urls")),
    path("", include("boards.urls")),
    path("", include("press.urls")),
    path("trails/", include("tourism.urls")),
    path("search/", include("search.urls")),
    path("policy/", include("geumcheon_portal.pages")),
    path("", include("feedback.urls")),
    path("", include("opendata.urls")),
    path("", include("subscriptions.urls")),
    # The body editor's image upload: staff only, under the admin's guards (editorial/body_images.py).
    path(
        f"{settings.ADMIN_URL}body-images/upload/", admin.site.admin_view(body_images.upload),
        name="body-image-upload",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    # An index of per-section sitemaps, so twenty years of 고시공고 stay within
    # the protocol's limits (each section is paginated with ?p=N).
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path(
        "sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps}, name="sitemap-section"
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
]

handler404 = "geumcheon_portal.views.page_not_found"
handler500 = "geumcheon_portal.views.server_error"
