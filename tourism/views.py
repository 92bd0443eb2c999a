from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from files.serving import serve_file

from .models import CultureTrail


@require_safe
def trail_list(request):
    return render(request, "tourism/list.html", {"trails": CultureTrail.objects.published()})


@require_safe
def trail_detail(request, slug):
    trails = CultureTrail.objects.published().select_related("department").prefetch_related("stops")
    trail = get_object_or_404(trails, slug=slug)
    return render(request, "tourism/detail.html", {"trail": trail})


@require_safe
def trail_image(request, slug):
    trail = get_object_or_404(CultureTrail.objects.published(), slug=slug)
    return serve_file(trail.image, filename=trail.image.name, as_attachment=False, public=True)
