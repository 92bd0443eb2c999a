from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from files.serving import serve_file

from .models import PressPhoto, PressRelease


@require_safe
def photo(request, pk):
    photo = get_object_or_404(
        PressPhoto.objects.filter(post__in=PressRelease.objects.published().values("pk")), pk=pk
    )
    return serve_file(photo.image, filename=photo.image.name, as_attachment=False)
