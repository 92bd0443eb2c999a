from django.contrib import admin

from boards.admin import (
    DEPARTMENT_FIELDSET,
    PLAIN_FILE_INPUT,
    PUBLISHING_FIELDSET,
    RECORD_FIELDSET,
    AttachmentInlineBase,
    PostAdmin,
    image_preview,
    stored_file_url,
)

from .models import PressAttachment, PressPhoto, PressRelease


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


class PressAttachmentInline(AttachmentInlineBase):
    model = PressAttachment


@admin.register(PressRelease)
class PressReleaseAdmin(PostAdmin):
    inlines = [PressPhotoInline, PressAttachmentInline]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "body"]}),
        DEPARTMENT_FIELDSET,
        PUBLISHING_FIELDSET,
        RECORD_FIELDSET,
    ]
