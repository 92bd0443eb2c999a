"""What each board adds to the open API: its own fields, parameters and filters.

A board registered in boards.registry without an entry here (a sixth board) is served with
the fields every post has, so the API follows the registry like every other list does.
Every field here is one the board's public page shows; nothing staff-only (review state,
author, 붙임 check notes) and no text read out of 붙임 files.
"""

import functools
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Optional

from django.urls import reverse
from pydantic import create_model

from boards import registry
from boards.site_url import absolute_url
from notices.models import Notice
from recruitment.models import RecruitmentPost

from . import schemas
from .items import seoul_time
from .params import DetailParams, ListParams, NoticeParams, RecruitmentParams


def _no_values(post):
    return {}


def _same(queryset, params):
    return queryset


@dataclass(frozen=True)
class BoardApi:
    board: object
    fields: Optional[type] = None  # the board's own item fields (a schema)
    values: Callable = _no_values  # post -> those fields' values
    params: type = ListParams
    filter: Callable = _same  # (queryset, params) -> queryset, for the board's own parameters
    detail_fields: Optional[type] = None  # what a single item adds beyond body and 붙임
    detail_values: Callable = _no_values
    detail_prefetch: tuple = ()
    detail_params: type = DetailParams
    examples: dict = field(default_factory=dict)

    @property
    def slug(self):
        return self.board.slug

    @cached_property
    def _schema_name(self):
        return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", self.slug) if part)

    @cached_property
    def item_schema(self):
        # Bases last to first: pydantic orders fields from the last base on (id, title … first).
        bases = (self.fields, schemas.PostItem) if self.fields else (schemas.PostItem,)
        return create_model(f"{self._schema_name}Item", __base__=bases)

    @cached_property
    def detail_schema(self):
        bases = (*filter(None, [self.detail_fields]), schemas.DetailFields, self.item_schema)
        return create_model(f"{self._schema_name}Detail", __base__=bases)

    @cached_property
    def list_envelope(self):
        return schemas.envelope(f"{self._schema_name}ListAnswer", self.item_schema)

    @cached_property
    def detail_envelope(self):
        return schemas.envelope(f"{self._schema_name}DetailAnswer", self.detail_schema)


# --- 고시공고 ---------------------------------------------------------------------------

def notice_values(post):
    return {
        "noticeType": post.get_notice_type_display(),
        "noticeNo": post.number,
        "periodStart": post.period_start,
        "periodEnd": post.period_end,
    }


NOTICE_TYPES = {label: value for value, label in Notice.NoticeType.choices}


def notice_filter(queryset, params):
    number = params.notice_number()
    if number is None:
        return queryset
    kind, year, seq = number
    queryset = queryset.filter(number_year=year, number_seq=seq)
    if kind:
        queryset = queryset.filter(notice_type=NOTICE_TYPES[kind])
    return queryset


# --- 채용공고 ---------------------------------------------------------------------------

STATUS_CODES = {label: code for code, label in RecruitmentPost.STATUS_LABELS.items()}


def recruitment_values(post):
    return {
        "kind": post.get_kind_display(),
        "fieldName": post.field_name,
        "headcount": post.headcount,
        "applyStart": seoul_time(post.apply_start),
        "applyEnd": seoul_time(post.apply_end),
        "status": post.status_label,
    }


def recruitment_filter(queryset, params):
    return queryset.with_status(STATUS_CODES[params.status]) if params.status else queryset


# --- 소액수의 계약 ------------------------------------------------------------------------

def contract_values(post):
    return {
        "contractMethod": post.get_method_display(),
        "amount": post.amount,
        "contractDate": post.contract_date,
        "termStart": post.term_start,
        "termEnd": post.term_end,
        "contractorName": post.contractor_name,
        "contractorRepresentative": post.contractor_representative,
        "contractorAddress": post.contractor_address,
        "reason": post.reason,
        "legalBasis": post.legal_basis,
    }


# --- 보도자료 ---------------------------------------------------------------------------

def press_values(post):
    return {"subtitles": {"subtitle": post.subtitle_lines}}


def press_detail_values(post):
    return {"photos": {"photo": [
        {"url": absolute_url(reverse("press:photo", args=[photo.pk])), "alt": photo.alt,
         "caption": photo.caption}
        for photo in post.photos.all()
    ]}}


BOARD_APIS = {
    "notices": dict(
        fields=schemas.NoticeFields, values=notice_values, params=NoticeParams, filter=notice_filter,
        examples={"noticeNo": "제2026-123호"},
    ),
    "recruitment": dict(
        fields=schemas.RecruitmentFields, values=recruitment_values, params=RecruitmentParams,
        filter=recruitment_filter, examples={"status": "접수중"},
    ),
    "contracts": dict(fields=schemas.ContractFields, values=contract_values),
    "press": dict(
        fields=schemas.PressFields, values=press_values,
        detail_fields=schemas.PressDetailFields, detail_values=press_detail_values,
        detail_prefetch=("photos",),
    ),
}


@functools.cache
def board_apis():
    """One BoardApi per registered board, in the registry's order (made once: the registry is fixed)."""
    return [BoardApi(board=board, **BOARD_APIS.get(board.slug, {})) for board in registry.all_boards()]
