"""이메일 알림 구독 in the admin: for the 누리집 관리자 only, read and delete (a resident's 삭제 요구).

Nobody adds or changes a subscription here: only its owner does, through the confirmed link.
Addresses are masked in the list; the exact address can be looked up (search) and a row deleted.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.module_loading import import_string

from boards import registry
from privacy.detectors import mask_email

from .models import Subscription


def is_site_manager(user):
    """The permission policy's answer (setting PERMISSION_POLICY: staff/policy.py)."""
    return import_string(settings.PERMISSION_POLICY).is_site_manager(user)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["masked_email", "board_names", "keyword_list", "frequency", "confirmed_at"]
    list_filter = ["frequency"]
    search_fields = ["=email"]  # the whole address, as a resident gives it: no browsing by fragments
    search_help_text = "이메일 주소 전체를 입력하면 그 구독을 찾습니다."
    date_hierarchy = "confirmed_at"
    fields = [
        "masked_email", "board_names", "keyword_list", "frequency", "consented_at", "confirmed_at", "updated_at",
    ]
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description="이메일 주소")
    def masked_email(self, obj):
        return mask_email(obj.email)

    @admin.display(description="받을 게시판")
    def board_names(self, obj):
        names = {board.slug: board.name for board in registry.all_boards()}
        return ", ".join(names.get(slug, slug) for slug in obj.boards) or "모든 게시판"

    @admin.display(description="알림 낱말")
    def keyword_list(self, obj):
        return ", ".join(obj.keywords) or "-"

    def has_module_permission(self, request):
        return is_site_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return is_site_manager(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_site_manager(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
