from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from boards import registry
from boards.headlines import latest_headlines
from boards.pagecache import cached_page
from files.serving import serve_file
from tourism.models import CultureTrail

from .models import HeroBanner, QuickLink

HOME_TAB_SIZE = 5


@require_safe
@cached_page
def home(request):
    return render(request, "home/index.html", {
        "banners": list(HeroBanner.objects.shown()),
        "quick_links": list(QuickLink.objects.shown()),
        "tabs": latest_headlines(registry.home_boards(), HOME_TAB_SIZE),
        "trails": list(CultureTrail.objects.listed(3)),
    })


@require_safe
def banner_list(request):
    return render(request, "home/banners.html", {"banners": HeroBanner.objects.current()})


@require_safe
def banner_image(request, pk):
    banner = get_object_or_404(HeroBanner.objects.current(), pk=pk)
    return serve_file(banner.image, filename=banner.image.name, as_attachment=False, public=True)


@require_safe
def quick_link_icon(request, pk):
    link = get_object_or_404(QuickLink.objects.current(), pk=pk)
    return serve_file(link.icon, filename=link.icon.name, as_attachment=False, public=True)
