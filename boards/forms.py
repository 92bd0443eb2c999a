from django import forms
from django.conf import settings


class BoardSearchForm(forms.Form):
    FIELDS = [("all", "제목+내용"), ("title", "제목"), ("body", "내용")]

    field = forms.ChoiceField(label="검색 범위", choices=FIELDS, required=False)
    q = forms.CharField(
        label="검색어",
        required=False,
        max_length=settings.SEARCH_QUERY_MAX_LENGTH,
        error_messages={"max_length": "검색어는 %(limit_value)d자 이내로 입력해 주세요."},
    )

    def clean_q(self):
        # PostgreSQL rejects NUL bytes; other control characters mean nothing here.
        value = self.cleaned_data["q"]
        return " ".join("".join(ch for ch in value if ch.isprintable() or ch == " ").split())

    def filter(self, queryset):
        if not self.is_valid() or not self.cleaned_data["q"]:
            return queryset
        return queryset.search(self.cleaned_data["q"], self.cleaned_data["field"] or "all")
