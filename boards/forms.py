import unicodedata
from functools import cached_property

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
        # NFC so a decomposed (macOS) query matches stored text; any Unicode space
        # (U+00A0 and U+3000 come along when pasting from HWP) separates words;
        # other control characters mean nothing here. NUL never gets this far:
        # CharField refuses it, and PostgreSQL would too.
        value = unicodedata.normalize("NFC", self.cleaned_data["q"])
        return " ".join("".join(ch for ch in value if ch.isprintable() or ch.isspace()).split())

    @cached_property
    def field_options(self):
        """[(value, label, chosen)] of 검색 범위: the template asks the chosen value once."""
        return marked_choices(self.fields["field"].choices, self["field"].value())

    @property
    def searches(self):
        """Whether ``filter`` narrows the list (a search word was given)."""
        self.is_valid()
        return bool(self.cleaned_data.get("q"))

    def filter(self, queryset):
        self.is_valid()
        # A hand-edited ?field=… falls back to 제목+내용 rather than dropping the search.
        query = self.cleaned_data.get("q")
        if not query:
            return queryset
        return queryset.search(query, self.cleaned_data.get("field") or "all")


def marked_choices(choices, chosen):
    """[(value, label, chosen)] of a choice field's choices, for a template that shows which one is chosen."""
    return [(value, label, value == chosen) for value, label in choices]
