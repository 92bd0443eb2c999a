from django.contrib import admin
from django.db.models import Avg, Count

from .models import PageFeedback

SUMMARY_ROWS = 50


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    """Answers are read, not edited: staff may view and delete (e.g. abuse), nobody adds or changes."""

    list_display = ["page", "score_label", "comment", "created_at"]
    list_filter = ["score", "day"]
    date_hierarchy = "created_at"
    search_fields = ["page", "comment"]
    fields = ["page", "score", "comment", "day", "created_at"]
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description="만족도", ordering="score")
    def score_label(self, obj):
        return f"{obj.get_score_display()} ({obj.score}점)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Per page, over the answers the current filters select.
            response.context_data["page_summary"] = (
                changelist.queryset.order_by()
                .values("page")
                .annotate(answers=Count("id"), average=Avg("score"))
                .order_by("-answers", "page")[:SUMMARY_ROWS]
            )
        return response
