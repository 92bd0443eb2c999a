"""The 통합검색 form: every value arrives in the URL, so every value is checked here."""

import datetime
import unicodedata
from functools import cached_property
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from boards.forms import marked_choices

from .results import FILES_MAX_PAGES, group_choices

SEOUL = ZoneInfo("Asia/Seoul")
MAX_WORDS = 10
PERIODS = [("", "전체 기간"), ("1w", "1주"), ("1m", "1개월"), ("1y", "1년"), ("custom", "직접 입력")]
SORTS = [("relevance", "정확도순"), ("latest", "최신순")]
FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
DATE_MESSAGES = {"invalid": "날짜는 2026-01-31 처럼 연-월-일로 입력해 주세요."}
OUT_OF_RANGE = f"{FIRST_DAY.year}년부터 {LAST_DAY.year}년 사이의 날짜를 입력해 주세요."
DAY_RANGE = [MinValueValidator(FIRST_DAY, OUT_OF_RANGE), MaxValueValidator(LAST_DAY, OUT_OF_RANGE)]
# How far back each period reaches (relativedelta: a month back from 3월 31일 is 2월's last day).
PERIOD_SPANS = {"1w": relativedelta(days=7), "1m": relativedelta(months=1), "1y": relativedelta(years=1)}


def start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SEOUL)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="검색어", required=False, max_length=settings.SEARCH_QUERY_MAX_LENGTH,
        error_messages={"max_length": "검색어는 %(limit_value)d자 이내로 입력해 주세요."},
    )
    board = forms.ChoiceField(label="검색 대상", required=False)
    period = forms.ChoiceField(label="기간", required=False, choices=PERIODS)
    start = forms.DateField(label="시작일", required=False, input_formats=["%Y-%m-%d"],
                            error_messages=DATE_MESSAGES, validators=DAY_RANGE)
    end = forms.DateField(label="종료일", required=False, input_formats=["%Y-%m-%d"],
                          error_messages=DATE_MESSAGES, validators=DAY_RANGE)
    sort = forms.ChoiceField(label="정렬", required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=FILES_MAX_PAGES)

    def __init__(self, data=None, **kwargs):
        # A hand-edited choice or page number falls back to the default rather
        # than hiding the results behind an error.
        data = data.copy() if data is not None else None
        super().__init__(data, **kwargs)
        self.fields["board"].choices = [("", "전체"), *group_choices()]
        self.fields["q"].validators = [v for v in self.fields["q"].validators
                                       if type(v).__name__ != "ProhibitNullCharactersValidator"]
        if data is not None:
            for name in ("board", "period", "sort"):
                valid = {value for value, _ in self.fields[name].choices}
                if data.get(name, "") not in valid:
                    data[name] = ""
            if data.get("period") != "custom":  # dates only count for 직접 입력
                data["start"] = data["end"] = ""
            page = data.get("page", "")
            if not (page.isascii() and page.isdigit() and len(page) <= 4 and 1 <= int(page) <= FILES_MAX_PAGES):
                data["page"] = ""

    def clean_q(self):
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise ValidationError("검색어에 쓸 수 없는 문자가 들어 있습니다.")
        # NFC so a decomposed (macOS) query matches stored text; any Unicode space
        # separates words; other control characters mean nothing here.
        value = unicodedata.normalize("NFC", value)
        value = " ".join("".join(ch for ch in value if ch.isprintable() or ch.isspace()).split())
        if len(value.split()) > MAX_WORDS:
            raise ValidationError(f"검색어는 낱말 {MAX_WORDS}개까지 입력할 수 있습니다.")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if start and end and end < start:
                self.add_error("end", "종료일이 시작일보다 빠릅니다. 날짜를 확인해 주세요.")
            elif not (start or end) and not self.has_error("start") and not self.has_error("end"):
                self.add_error("start", "직접 입력 기간의 시작일이나 종료일을 넣어 주세요.")
        return cleaned

    @cached_property
    def options(self):
        """{field: [(value, label, chosen)]} of the choice fields: the template asks each value once."""
        board, period, sort = (self[name].value() for name in ("board", "period", "sort"))
        sorts = self.fields["sort"].choices
        return {
            "board": marked_choices(self.fields["board"].choices, board),
            "period": marked_choices(self.fields["period"].choices, "" if period is None else period),
            "sort": marked_choices(sorts, sort or sorts[0][0]),  # 정확도순 (the first) when none is chosen
        }

    @property
    def words(self):
        return self.cleaned_data.get("q", "").split() if self.is_valid() else []

    def bounds(self, now):
        """(since, until) as aware datetimes for the chosen period; None for open ends."""
        period = self.cleaned_data.get("period")
        if period in PERIOD_SPANS:
            return start_of(now.astimezone(SEOUL).date() - PERIOD_SPANS[period]), None
        if period == "custom":
            start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
            return start and start_of(start), end and start_of(end + datetime.timedelta(days=1))
        return None, None

    def link_params(self):
        """The filters as they should travel in links (더보기, pages)."""
        data = self.cleaned_data
        params = {"q": data.get("q", ""), "period": data.get("period")}
        if data.get("period") == "custom":
            params.update({name: data[name].isoformat() for name in ("start", "end") if data.get(name)})
        params["sort"] = data.get("sort")
        return {name: value for name, value in params.items() if value or name == "q"}
