from django import forms

from privacy.detectors import scan_text

from .models import PageFeedback

COMMENT_MAX = 500


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label="만족도",
        choices=PageFeedback.Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "만족도를 골라 주세요.",
            "invalid_choice": "만족도는 ‘매우 만족’부터 ‘매우 불만족’까지 다섯 가지 가운데 하나를 골라 주세요.",
        },
    )
    comment = forms.CharField(
        label="의견",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"의견은 {COMMENT_MAX}자 이내로 적어 주세요. (지금 %(show_value)d자)"},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        kinds = sorted({finding.kind_label for finding in scan_text(comment, where="의견")})
        if kinds:
            # Refused rather than masked: the visitor decides what to send instead.
            raise forms.ValidationError(
                "의견에 개인정보(%(kinds)s)로 보이는 내용이 있습니다. 그 부분을 지우고 다시 보내 주세요.",
                code="personal_data",
                params={"kinds": ", ".join(kinds)},
            )
        return comment
