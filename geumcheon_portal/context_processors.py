from django.conf import settings
from django.utils.functional import SimpleLazyObject

from boards import registry
from boards.pagecache import cached_value
from home.models import SiteAlert


def current_alerts():
    return list(SiteAlert.objects.current())


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "menu_boards": registry.all_boards(),
        # Asked only by pages that show it (base.html), and kept like a cached page: saving an alert
        # starts a new content version, and none is kept past the next alert start or end.
        "site_alerts": SimpleLazyObject(lambda: cached_value("site-alerts", current_alerts)),
    }
