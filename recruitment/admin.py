from django.contrib import admin

from editorial.admin import PostAdmin

from .models import RecruitmentPost


class ApplicationStatusFilter(admin.SimpleListFilter):
    title = "접수 상태"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(RecruitmentPost.STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in RecruitmentPost.STATUS_LABELS:
            return queryset.with_status(self.value())
        return queryset


@admin.register(RecruitmentPost)
class RecruitmentPostAdmin(PostAdmin):
    list_display = [
        "title", "kind", "field_name", "headcount", "apply_start", "apply_end", "status_column",
        "department", "published_at", "state_label", "view_count", "attachment_mark",
    ]
    list_filter = [ApplicationStatusFilter, "kind", *PostAdmin.list_filter]
    content_fieldsets = [
        (None, {"fields": ["kind", "title", "body"]}),
        (
            "채용 정보",
            {
                "fields": ["field_name", "headcount", ("apply_start", "apply_end")],
                "description": "접수 시작과 마감을 넣으면 누리집에 접수예정·접수중·마감이 저절로 표시됩니다.",
            },
        ),
    ]

    @admin.display(description="접수 상태")
    def status_column(self, obj):
        return obj.status_label or "-"
