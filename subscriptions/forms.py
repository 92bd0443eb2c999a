from django import forms

from boards import registry

from .matching import KEYWORD_MAX_LENGTH, KEYWORDS_MAX, parse_keywords
from .models import Frequency

KEYWORDS_INPUT_MAX = 400
NUL_MESSAGE = "입력할 수 없는 문자가 들어 있습니다. 지우고 다시 입력해 주세요."


def board_choices():
    return [(board.slug, board.name) for board in registry.all_boards()]


class PreferencesForm(forms.Form):
    boards = forms.MultipleChoiceField(
        label="받을 게시판", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "목록에 없는 게시판입니다. 보이는 게시판 가운데에서 골라 주세요.",
            "invalid_list": "게시판을 목록에서 골라 주세요.",
        },
    )
    keywords = forms.CharField(
        label="알림 낱말", required=False, max_length=KEYWORDS_INPUT_MAX,
        error_messages={
            "max_length": f"알림 낱말은 모두 합쳐 {KEYWORDS_INPUT_MAX}자 이내로 적어 주세요. (지금 %(show_value)d자)",
            "null_characters_not_allowed": NUL_MESSAGE,
        },
    )
    frequency = forms.ChoiceField(
        label="받는 방식", choices=Frequency.choices, initial=Frequency.IMMEDIATE, widget=forms.RadioSelect,
        error_messages={
            "required": "받는 방식을 골라 주세요.",
            "invalid_choice": "받는 방식은 ‘즉시’와 ‘하루 한 번 모아서’ 가운데 하나를 골라 주세요.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boards"].choices = board_choices()

    def clean_keywords(self):
        text = self.cleaned_data["keywords"]
        if any(not char.isprintable() and char not in "\r\n\t" for char in text):
            raise forms.ValidationError(NUL_MESSAGE, code="control_characters")
        keywords = parse_keywords(text)
        if len(keywords) > KEYWORDS_MAX:
            raise forms.ValidationError(
                f"알림 낱말은 {KEYWORDS_MAX}개까지 적을 수 있습니다. (지금 {len(keywords)}개)", code="too_many",
            )
        long = [keyword for keyword in keywords if len(keyword) > KEYWORD_MAX_LENGTH]
        if long:
            raise forms.ValidationError(
                f"알림 낱말 하나는 {KEYWORD_MAX_LENGTH}자 이내로 적어 주세요: ‘{long[0][:KEYWORD_MAX_LENGTH]}…’",
                code="too_long",
            )
        return keywords

    def preferences(self):
        data = self.cleaned_data
        boards = list(dict.fromkeys(data["boards"]))  # a box sent twice counts once
        return {"boards": boards, "keywords": data["keywords"], "frequency": data["frequency"]}


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label="이메일 주소", max_length=254,
        error_messages={
            "required": "이메일 주소를 입력해 주세요.",
            "invalid": "이메일 주소 형식이 맞지 않습니다. hong@example.com 처럼 입력해 주세요.",
            "max_length": "이메일 주소가 너무 깁니다. 254자 이내로 입력해 주세요.",
            "null_characters_not_allowed": NUL_MESSAGE,
        },
    )
    consent = forms.BooleanField(
        label="위 내용을 읽었으며 개인정보 수집·이용에 동의합니다. (필수)",
        error_messages={"required": "개인정보 수집·이용에 동의해야 이메일 알림을 신청할 수 있습니다."},
    )

    field_order = ["email", "boards", "keywords", "frequency", "consent"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
