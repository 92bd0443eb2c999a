from django.contrib import admin

from editorial.admin import PostAdmin

from .models import ContractNotice


@admin.register(ContractNotice)
class ContractNoticeAdmin(PostAdmin):
    list_display = [
        "title", "method", "amount_display", "contract_date", "contractor_name", "department",
        "published_at", "state_label", "view_count", "attachment_mark",
    ]
    list_filter = ["method", *PostAdmin.list_filter]
    search_fields = [*PostAdmin.search_fields, "contractor_name"]
    content_fieldsets = [
        (
            "계약 정보",
            {"fields": ["title", "method", "amount", "contract_date", ("term_start", "term_end")]},
        ),
        (
            "계약상대자",
            {"fields": ["contractor_name", "contractor_representative", "contractor_address"]},
        ),
        ("수의계약 사유", {"fields": ["reason", "legal_basis"]}),
        ("상세 내용", {"fields": ["body"]}),
    ]

    @admin.display(description="계약금액", ordering="amount")
    def amount_display(self, obj):
        return f"{obj.amount:,}원"
