from django.conf import settings

from boards import registry


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "menu_boards": registry.all_boards()}
