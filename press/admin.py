from django.contrib import admin

from boards.admin import PostAdmin
from files.admin import PLAIN_FILE_INPUT, image_preview, stored_file_url

from .models import PressPhoto, PressRelease


class PressPhotoInline(admin.TabularInline):
    model = PressPhoto
    fields = ["image", "preview", "alt", "caption", "order"]
    readonly_fields = ["preview"]
    formfield_overrides = PLAIN_FILE_INPUT
    extra = 1

    @admin.display(description="현재 사진")
    def preview(self, obj):
        if not obj.pk:
            return "-"
        url = stored_file_url(self.admin_site, obj.post, "image", relation="photos", item=obj)
        return image_preview(url, obj.alt)


@admin.register(PressRelease)
class PressReleaseAdmin(PostAdmin):
    inlines = [PressPhotoInline]
    content_fieldsets = [(None, {"fields": ["title", "subtitle", "body"]})]
