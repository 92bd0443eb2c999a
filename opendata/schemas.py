"""What the open API answers, as pydantic schemas: the OpenAPI document, the JSON and XML answers
and the 공공데이터 page's field tables are all made from these (descriptions are the Korean meaning).

The envelope is the 공공데이터포털's: ``response.header`` (resultCode, resultMsg) and
``response.body`` (items.item, numOfRows, pageNo, totalCount). A list inside an item is spelled the
same way (``attachments.attachment``), so JSON and XML are one tree.
"""

import datetime
from typing import List, Optional

from pydantic import BaseModel, Field, create_model


class Header(BaseModel):
    resultCode: str = Field(description="결과 코드(00: 정상)")
    resultMsg: str = Field(description="결과 메시지")


class ErrorResponse(BaseModel):
    header: Header


class ErrorEnvelope(BaseModel):
    """An error: the header alone."""

    response: ErrorResponse


def envelope(name, item):
    """``{"response": {"header": …, "body": {"items": {"item": [item…]}, …}}}`` with named parts."""
    items = create_model(f"{name}Items", item=(List[item], Field(description="항목 목록")))
    body = create_model(
        f"{name}Body",
        items=(items, ...),
        numOfRows=(int, Field(description="한 페이지 결과 수")),
        pageNo=(int, Field(description="페이지 번호")),
        totalCount=(int, Field(description="전체 결과 수")),
    )
    response = create_model(f"{name}Response", header=(Header, ...), body=(body, ...))
    return create_model(name, response=(response, ...))


# --- Items ---------------------------------------------------------------------------------

class PostItem(BaseModel):
    """What every board's item carries."""

    id: int = Field(description="글 번호(글 화면 주소의 숫자)")
    title: str = Field(description="제목(소액수의 계약은 계약명)")
    publishedAt: datetime.datetime = Field(description="게시일시(한국 시각, ISO 8601)")
    deptId: int = Field(description="담당부서 번호(dept 매개변수에 쓸 수 있음)")
    deptName: str = Field(description="담당부서(소액수의 계약은 계약부서)")
    phone: str = Field(description="연락처: 글에 적힌 연락처, 없으면 담당부서 대표전화")
    url: str = Field(description="누리집의 글 화면 주소")
    hasAttachments: bool = Field(description="붙임(첨부파일) 여부")


class NoticeFields(BaseModel):
    noticeType: str = Field(description="고시·공고 구분(고시 또는 공고)")
    noticeNo: str = Field(description="공고번호(예: 서울특별시 금천구 공고 제2026-123호), 없으면 빈 값")
    periodStart: Optional[datetime.date] = Field(description="공고기간 시작일")
    periodEnd: Optional[datetime.date] = Field(description="공고기간 끝날")


class RecruitmentFields(BaseModel):
    kind: str = Field(description="구분: 채용공고, 재공고, 합격자 발표")
    fieldName: str = Field(description="채용분야")
    headcount: Optional[int] = Field(description="채용인원(명)")
    applyStart: Optional[datetime.datetime] = Field(description="접수 시작일시")
    applyEnd: Optional[datetime.datetime] = Field(description="접수 마감일시")
    status: str = Field(description="접수 상태: 접수예정, 접수중, 마감(접수기간이 없으면 빈 값)")


class ContractFields(BaseModel):
    contractMethod: str = Field(description="계약방법")
    amount: int = Field(description="계약금액(원)")
    contractDate: datetime.date = Field(description="계약일")
    termStart: datetime.date = Field(description="계약기간 시작일")
    termEnd: datetime.date = Field(description="계약기간 끝날")
    contractorName: str = Field(description="계약상대자 업체명")
    contractorRepresentative: str = Field(description="계약상대자 대표자")
    contractorAddress: str = Field(description="계약상대자 소재지")
    reason: str = Field(description="수의계약 사유")
    legalBasis: str = Field(description="수의계약 근거")


class Subtitles(BaseModel):
    subtitle: List[str] = Field(description="부제 한 줄")


class PressFields(BaseModel):
    subtitles: Subtitles = Field(description="부제(한 줄씩)")


# --- What only a single item carries ----------------------------------------------------

class Attachment(BaseModel):
    name: str = Field(description="파일 이름")
    size: int = Field(description="크기(바이트)")
    type: str = Field(description="파일 형식(확장자, 소문자: hwp, pdf …)")
    url: str = Field(description="내려받기 주소")


class Attachments(BaseModel):
    attachment: List[Attachment] = Field(description="붙임 파일")


class DetailFields(BaseModel):
    body: str = Field(description="본문(서식을 뺀 글자)")
    attachments: Attachments = Field(description="붙임(첨부파일) 목록")


class Photo(BaseModel):
    url: str = Field(description="사진 주소")
    alt: str = Field(description="대체 텍스트(사진 설명)")
    caption: str = Field(description="사진 설명글")


class Photos(BaseModel):
    photo: List[Photo] = Field(description="보도 사진")


class PressDetailFields(BaseModel):
    photos: Photos = Field(description="보도 사진 목록")
