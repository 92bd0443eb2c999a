from django.contrib.sitemaps import Sitemap

from .models import CultureTrail


class TrailSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return CultureTrail.objects.published()

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return None
