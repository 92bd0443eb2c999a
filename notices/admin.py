from django.contrib import admin

from editorial.admin import PostAdmin

from .import_admin import NoticeImportMixin
from .models import Notice


@admin.register(Notice)
class NoticeAdmin(NoticeImportMixin, PostAdmin):
    list_display = [
        "title", "kind", "number_display", "department", "published_at", "is_published", "state_label",
        "view_count", "attachment_mark",
    ]
    list_filter = ["kind", "notice_type", *PostAdmin.list_filter]
    content_fieldsets = [
        (None, {"fields": ["kind", "title", "body"]}),
        (
            "고시·공고 정보",
            {
                "fields": ["notice_type", ("number_year", "number_seq"), ("period_start", "period_end")],
                "description": "고시공고에만 넣습니다. 금천소식은 비워 두세요. "
                "공고번호는 “서울특별시 금천구 공고 제2026-123호”처럼 보입니다.",
            },
        ),
    ]

    class Media:
        # 게시 종료일시: a button that suggests the end of 공고기간 (not forced).
        js = ["js/notice-end.js"]

    @admin.display(description="공고번호", ordering="number_seq")
    def number_display(self, obj):
        return obj.number
