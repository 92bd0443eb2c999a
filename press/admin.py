from django.contrib import admin

from editorial.admin import PostAdmin
from files.admin import StoredFileInline, image_preview
from privacy.forms import ScreenedInlineFormSet

from .models import PressPhoto, PressRelease


class PressPhotoInline(StoredFileInline):
    model = PressPhoto
    formset = ScreenedInlineFormSet  # 대체 텍스트 and 사진 설명 are read by residents too
    fields = ["image", "preview", "alt", "caption", "order"]
    readonly_fields = ["preview"]

    @admin.display(description="현재 사진")
    def preview(self, obj):
        url = self.stored_url(obj, "image")
        return image_preview(url, obj.alt) if url else "-"


@admin.register(PressRelease)
class PressReleaseAdmin(PostAdmin):
    inlines = [PressPhotoInline]
    content_fieldsets = [(None, {"fields": ["title", "subtitle", "body"]})]
