"""The query parameters of the open API, as pydantic schemas (django-ninja reads them for OpenAPI too).

Every refusal says in Korean which parameter is wrong and what it takes: a validator raises
``invalid(...)``, and pydantic's own errors (``pageNo=abc``, ``type=csv``) get the parameter's
message from ``MESSAGES`` (opendata/api.py). An empty parameter (``?keyword=``) counts as absent.
"""

import datetime
import re
import unicodedata
from typing import Annotated, Literal, Optional

from django.conf import settings
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_ROWS = 100
# Deeper than any board will ever be (1,000,000 pages of up to 100 rows), and far from the
# 64-bit OFFSET a bigger number would overflow on PostgreSQL.
MAX_PAGE_NO = 1_000_000
DATE_PATTERN = r"^[0-9]{4}-?[0-9]{2}-?[0-9]{2}$"
STATUSES = ("접수예정", "접수중", "마감")
# "제2026-123호", "2026-123", "공고 제2026-123호", "서울특별시 금천구 공고 제2026-123호".
NOTICE_NO = re.compile(
    r"^(?:서울특별시\s*금천구\s*)?(?P<type>고시|공고)?\s*제?\s*(?P<year>[0-9]{4})\s*-\s*(?P<seq>[0-9]{1,9})\s*호?$"
)

MESSAGES = {
    "pageNo": f"pageNo(페이지 번호)는 1 이상 {MAX_PAGE_NO:,} 이하의 정수로 넣어 주세요.",
    "numOfRows": f"numOfRows(한 페이지 결과 수)는 1 이상 {MAX_ROWS} 이하의 정수로 넣어 주세요.",
    "type": "type(응답 형식)은 json 또는 xml로 넣어 주세요.",
    "from": "from(게시일 시작)은 20260129 또는 2026-01-29 형식의 날짜로 넣어 주세요.",
    "to": "to(게시일 끝)는 20260129 또는 2026-01-29 형식의 날짜로 넣어 주세요.",
    "keyword": f"keyword(검색어)는 {settings.SEARCH_QUERY_MAX_LENGTH}자 이내의 글자로 넣어 주세요.",
    "dept": "dept(담당부서)는 부서 번호(deptId) 또는 부서명으로 넣어 주세요.",
    "status": "status(접수 상태)는 접수예정, 접수중, 마감 가운데 하나로 넣어 주세요.",
    "noticeNo": "noticeNo(공고번호)는 제2026-123호 또는 2026-123 형식으로 넣어 주세요.",
}


def invalid(name):
    return PydanticCustomError("invalid_parameter", MESSAGES[name])


def clean_text(value, name):
    """NFC, words separated by single spaces; a control character (NUL above all) is refused."""
    value = unicodedata.normalize("NFC", value)
    if any(not (ch.isprintable() or ch.isspace()) for ch in value):
        raise invalid(name)
    return " ".join(value.split())


def parse_date(value, name):
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value):
        raise invalid(name)
    digits = value.replace("-", "")
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:  # 20260230
        raise invalid(name) from None


def date_param(name, description):
    return Annotated[
        Optional[datetime.date],
        BeforeValidator(lambda value: parse_date(value, name)),
        WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "example": "20260101"}),
        Field(None, alias=name, description=description),
    ]


class ParamSchema(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def empty_is_absent(cls, data):
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value != ""}
        return data


class DetailParams(ParamSchema):
    type: Literal["json", "xml"] = Field("json", description="응답 형식: json(기본) 또는 xml")


class ListParams(DetailParams):
    pageNo: int = Field(1, ge=1, le=MAX_PAGE_NO, description="페이지 번호(1부터)")
    numOfRows: int = Field(10, ge=1, le=MAX_ROWS, description=f"한 페이지 결과 수(최대 {MAX_ROWS})")
    keyword: Optional[str] = Field(
        None, max_length=settings.SEARCH_QUERY_MAX_LENGTH,
        description="검색어: 제목과 본문에 낱말이 모두 들어 있는 글(띄어 쓴 낱말은 AND)",
    )
    date_from: date_param("from", "게시일 시작(그날 포함): YYYYMMDD 또는 YYYY-MM-DD")
    date_to: date_param("to", "게시일 끝(그날 포함): YYYYMMDD 또는 YYYY-MM-DD")
    dept: Optional[str] = Field(
        None, max_length=50, description="담당부서: 부서 번호(항목의 deptId, 숫자) 또는 부서명(정확히 같은 이름)",
    )

    @field_validator("keyword")
    @classmethod
    def clean_keyword(cls, value):
        return clean_text(value, "keyword") if value is not None else None

    @field_validator("dept")
    @classmethod
    def clean_dept(cls, value):
        return clean_text(value, "dept") if value is not None else None

    @model_validator(mode="after")
    def dates_in_order(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise PydanticCustomError("invalid_parameter", "from(게시일 시작)이 to(게시일 끝)보다 늦습니다.")
        return self

    def offset(self):
        return (self.pageNo - 1) * self.numOfRows


class RecruitmentParams(ListParams):
    status: Optional[Literal[STATUSES]] = Field(None, description="접수 상태: 접수예정, 접수중, 마감")


class NoticeParams(ListParams):
    noticeNo: Optional[str] = Field(
        None, max_length=60, description="공고번호: 제2026-123호, 2026-123, 공고 제2026-123호(고시·공고 구분까지)",
    )

    @field_validator("noticeNo")
    @classmethod
    def parse_notice_no(cls, value):
        if value is None:
            return None
        value = clean_text(value, "noticeNo")
        if not NOTICE_NO.fullmatch(value):
            raise invalid("noticeNo")
        return value

    def notice_number(self):
        """(고시|공고|None, year, seq) of noticeNo, or None."""
        if self.noticeNo is None:
            return None
        found = NOTICE_NO.fullmatch(self.noticeNo)
        return found["type"], int(found["year"]), int(found["seq"])
