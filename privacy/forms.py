"""개인정보 screening for whatever residents see that is not a board post: culture trails and their stops,
home banners and quick links. Their admin forms refuse findings while the item is (or goes) public."""

from django import forms
from django.forms.models import BaseInlineFormSet

from .screening import findings_error, model_texts, screen


def is_public(instance):
    """Switched on: a trail's 공개 여부, a banner's 사용 여부; anything else is always shown."""
    for name in ("is_published", "is_active"):
        if hasattr(instance, name):
            return bool(getattr(instance, name))
    return True


class ScreenedModelForm(forms.ModelForm):
    """A ModelForm whose instance's texts are screened once the model's own checks pass."""

    not_screened = ()  # field names that are no resident-visible text (slugs, office phone lines)

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not is_public(self.instance):
            return
        findings = screen(model_texts(self.instance, exclude=self.not_screened), []).findings
        if findings:
            self.add_error(None, findings_error(findings, can_override=False))


class ScreenedInlineFormSet(BaseInlineFormSet):
    """Rows under a screened item (a trail's stops): each kept row's texts, named by its row."""

    def clean(self):
        super().clean()
        if any(self.errors) or not is_public(self.instance):
            return
        findings = []
        for number, form in enumerate(self.forms, start=1):
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                label = f"{self.model._meta.verbose_name} {number}번째 줄"
                texts = [(f"{label} {where}", text) for where, text in model_texts(form.instance)]
                findings += screen(texts, []).findings
        if findings:
            raise findings_error(findings, can_override=False)
