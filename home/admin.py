import datetime

from django.contrib import admin
from django.utils import timezone

from files.admin import PLAIN_FILE_INPUT, StoredFileAdminMixin, image_preview, stored_file_url
from privacy.forms import ScreenedModelForm

from .models import HeroBanner, QuickLink, SiteAlert

LINK_FIELDSET = (
    "연결",
    {
        "fields": ["link_url", "opens_new_window"],
        "description": "바깥 누리집으로 가는 주소는 새 창으로 열기를 켜 주세요. 화면에 ‘새 창’이라고 알려 줍니다.",
    },
)
DISPLAY_FIELDSET = (
    "게시",
    {
        "fields": ["order", "is_active", ("display_start", "display_end")],
        "description": "게시 끝을 비워 두면 끄기 전까지 계속 보입니다.",
    },
)


class DisplayItemAdmin(StoredFileAdminMixin, admin.ModelAdmin):
    form = ScreenedModelForm  # 개인정보 in a title, description, alt text or link refused while in use
    list_display = ["title", "order", "is_active", "display_start", "display_end", "is_showing"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "link_url"]
    formfield_overrides = PLAIN_FILE_INPUT

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": ScreenedModelForm, **kwargs})  # 사용 여부 on the list

    @admin.display(description="게시 중", boolean=True)
    def is_showing(self, obj):
        # Same rule as DisplayQuerySet.current(), for one row already loaded.
        now = timezone.now()
        started = obj.display_start <= now
        return obj.is_active and started and (obj.display_end is None or obj.display_end > now)


@admin.register(HeroBanner)
class HeroBannerAdmin(DisplayItemAdmin):
    readonly_fields = ["image_current"]
    fieldsets = [
        (None, {"fields": ["title", "description", "image", "image_current", "image_alt"]}),
        LINK_FIELDSET,
        DISPLAY_FIELDSET,
    ]

    @admin.display(description="현재 이미지")
    def image_current(self, obj):
        if not (obj.pk and obj.image):
            return "-"
        return image_preview(stored_file_url(self.admin_site, obj, "image"), obj.image_alt)


@admin.register(QuickLink)
class QuickLinkAdmin(DisplayItemAdmin):
    readonly_fields = ["icon_current"]
    fieldsets = [
        (None, {"fields": ["title", "icon", "icon_current"]}),
        LINK_FIELDSET,
        DISPLAY_FIELDSET,
    ]

    @admin.display(description="현재 아이콘")
    def icon_current(self, obj):
        if not (obj.pk and obj.icon):
            return "-"
        # The icon sits next to its title, so the title is its text alternative.
        return image_preview(stored_file_url(self.admin_site, obj, "icon"), obj.title)


@admin.register(SiteAlert)
class SiteAlertAdmin(admin.ModelAdmin):
    """긴급 공지: saved here, on every resident page within a second (the page cache is dropped on commit)."""

    form = ScreenedModelForm  # 개인정보 in the message or link refused
    list_display = ["message", "level", "display_start", "display_end", "is_showing"]
    list_filter = ["level"]
    search_fields = ["message"]
    fieldsets = [
        (None, {
            "fields": ["level", "message", ("link_url", "link_text")],
            "description": "저장하면 곧바로 누리집의 모든 화면 맨 위에 보이고, 게시 끝 시각이 되면 저절로 내려갑니다.",
        }),
        ("게시", {"fields": [("display_start", "display_end")]}),
    ]

    def get_changeform_initial_data(self, request):
        now = timezone.localtime()
        return {"display_start": now, "display_end": now + datetime.timedelta(days=1),
                **super().get_changeform_initial_data(request)}

    @admin.display(description="게시 중", boolean=True)
    def is_showing(self, obj):
        return obj.display_start <= timezone.now() < obj.display_end
