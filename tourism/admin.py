from django.contrib import admin

from editorial.admin import DepartmentScopedAdmin
from files.admin import PLAIN_FILE_INPUT, StoredFileAdminMixin, image_preview, stored_file_url
from privacy.forms import ScreenedInlineFormSet, ScreenedModelForm

from .models import CultureTrail, TrailStop

SLUG_HELP = (
    "누리집 주소에 쓰는 영문 이름입니다(예: hoamsan-history → /trails/hoamsan-history/). "
    "한글 이름에서 저절로 만들 수 없으니 영문 소문자, 숫자, 하이픈(-)으로 직접 적어 주세요. "
    "공개한 뒤에 바꾸면 예전 주소가 열리지 않습니다."
)


class CultureTrailForm(ScreenedModelForm):
    """개인정보 screened while the trail is public (privacy/forms.py): its texts and, below, its stops."""

    not_screened = ("slug", "contact")

    class Meta:
        model = CultureTrail
        fields = "__all__"
        help_texts = {"slug": SLUG_HELP}


class TrailStopInline(admin.TabularInline):
    model = TrailStop
    formset = ScreenedInlineFormSet
    fields = ["order", "name", "description"]
    extra = 1


@admin.register(CultureTrail)
class CultureTrailAdmin(DepartmentScopedAdmin, StoredFileAdminMixin, admin.ModelAdmin):
    form = CultureTrailForm
    inlines = [TrailStopInline]
    list_display = ["name", "slug", "order", "is_published", "updated_at"]
    list_editable = ["order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "summary"]
    formfield_overrides = PLAIN_FILE_INPUT
    readonly_fields = ["image_current", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "story"]}),
        ("대표 이미지", {"fields": ["image", "image_current", "image_alt"]}),
        ("길 정보", {"fields": ["distance_km", "duration_minutes"]}),
        ("자료 관리", {"fields": ["department", "contact"]}),
        ("게시", {"fields": ["order", "is_published", "updated_at"]}),
    ]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": CultureTrailForm, **kwargs})  # 공개 여부 on the list

    @admin.display(description="현재 이미지")
    def image_current(self, obj):
        if not (obj.pk and obj.image):
            return "-"
        return image_preview(stored_file_url(self.admin_site, obj, "image"), obj.image_alt)
