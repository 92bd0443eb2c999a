"""The 공공데이터 page's tables, read from the same schemas the API answers with."""

import datetime
import typing
from dataclasses import dataclass

from pydantic import BaseModel

from . import schemas
from .boards import board_apis
from .params import DetailParams, ListParams

TYPE_NAMES = {int: "정수", str: "문자열", bool: "참/거짓", datetime.datetime: "일시", datetime.date: "날짜"}


@dataclass(frozen=True)
class Row:
    name: str
    type: str
    meaning: str
    children: tuple = ()  # the fields of an item inside a list (붙임 …)


def type_name(annotation):
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) is typing.Union:
        return f"{type_name(args[0])}(없으면 null)"
    if typing.get_origin(annotation) is typing.Literal:
        return "문자열: " + ", ".join(typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "목록"
    return TYPE_NAMES.get(annotation, "문자열")


def rows(model, exclude=()):
    found = []
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        annotation = info.annotation
        children = ()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            # Subtitles, Attachments, Photos: one field holding a list; describe what the list holds.
            (inner_name, inner), = annotation.model_fields.items()
            (element,) = typing.get_args(inner.annotation)
            name_shown = f"{name}.{inner_name}"
            if isinstance(element, type) and issubclass(element, BaseModel):
                children = tuple(rows(element))
            found.append(Row(name_shown, "목록", info.description, children))
            continue
        found.append(Row(info.alias or name, type_name(annotation), info.description or ""))
    return found


def parameters(params_schema, exclude=()):
    found = []
    for name, info in params_schema.model_fields.items():
        if name in exclude:
            continue
        default = "" if info.default is None else str(info.default)
        found.append(Row(info.alias or name, default, info.description or ""))
    return found


def boards():
    common_params = set(ListParams.model_fields)
    described = []
    for board_api in board_apis():
        own_params = [row for row in parameters(board_api.params) if row.name not in _aliases(common_params)]
        described.append({
            "api": board_api,
            "fields": rows(board_api.fields) if board_api.fields else [],
            "detail_fields": rows(board_api.detail_fields) if board_api.detail_fields else [],
            "params": own_params,
        })
    return described


def _aliases(names):
    return {ListParams.model_fields[name].alias or name for name in names}


def common():
    return {
        "item_fields": rows(schemas.PostItem),
        "detail_fields": rows(schemas.DetailFields),
        "list_params": parameters(ListParams),
        "detail_params": parameters(DetailParams),
    }
