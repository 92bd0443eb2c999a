from django.conf import settings
from django.utils.functional import SimpleLazyObject

from boards import registry
from home.models import SiteAlert


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "menu_boards": registry.all_boards(),
        # Asked only by pages that show it (base.html), and part of the cached page: saving an alert
        # drops cached pages, and they are kept no longer than the next alert start or end.
        "site_alerts": SimpleLazyObject(lambda: list(SiteAlert.objects.current())),
    }
