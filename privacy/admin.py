from django.contrib import admin

from .models import PrivacyOverride


@admin.register(PrivacyOverride)
class PrivacyOverrideAdmin(admin.ModelAdmin):
    """Read-only: the record of who published what despite the screening."""

    list_display = ["created_at", "object_repr", "content_type", "user", "reason"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["object_repr", "reason", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type", "user"]
    readonly_fields = [field.name for field in PrivacyOverride._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
