"""The open API's answers: the 공공데이터포털 envelope as JSON or XML, and its result codes.

Result codes follow the 공공데이터포털's where one fits (documented on /open-data/).
"""

import json
import re
from dataclasses import dataclass

from django.http import HttpResponse
from lxml import etree

from . import schemas


@dataclass(frozen=True)
class Result:
    code: str
    name: str  # the 공공데이터포털's name for the code
    status: int
    message: str  # the default Korean resultMsg
    meaning: str  # for the 공공데이터 page


NORMAL = Result("00", "NORMAL_SERVICE", 200, "NORMAL SERVICE", "정상")
NO_DATA = Result("03", "NODATA_ERROR", 404, "해당하는 글이 없습니다.",
                 "그 번호의 글이 이 게시판에 없거나 공개되어 있지 않습니다.")
HTTP_ERROR = Result("04", "HTTP_ERROR", 405, "GET 요청만 받습니다.", "GET(또는 HEAD, OPTIONS) 밖의 요청 방식입니다.")
UNAVAILABLE = Result("05", "SERVICETIMEOUT_ERROR", 503, "잠시 뒤에 다시 요청해 주세요.",
                     "데이터베이스가 잠시 답하지 않습니다(Retry-After 헤더의 초만큼 기다린 뒤 다시 요청).")
INVALID_PARAMETER = Result("10", "INVALID_REQUEST_PARAMETER_ERROR", 400, "요청 매개변수가 잘못되었습니다.",
                           "매개변수의 값이 잘못되었습니다(resultMsg가 어느 매개변수인지 알려 줌).")
NO_SERVICE = Result("12", "NO_OPENAPI_SERVICE_ERROR", 404, "없는 서비스입니다.",
                    "주소의 게시판(서비스) 이름이 없습니다.")
RESULTS = [NORMAL, NO_DATA, HTTP_ERROR, UNAVAILABLE, INVALID_PARAMETER, NO_SERVICE]

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
RETRY_AFTER_SECONDS = 30
# Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def wants_xml(request):
    """An error answers in the format asked for, when ``type`` itself was understood."""
    return request.GET.get("type") == "xml"


def ok(envelope, items, *, rows, page, total, xml):
    tree = envelope.model_validate({"response": {
        "header": {"resultCode": NORMAL.code, "resultMsg": NORMAL.message},
        "body": {"items": {"item": items}, "numOfRows": rows, "pageNo": page, "totalCount": total},
    }})
    return respond(tree, NORMAL.status, xml)


def error(result, *, xml, message=None):
    tree = schemas.ErrorEnvelope.model_validate(
        {"response": {"header": {"resultCode": result.code, "resultMsg": message or result.message}}}
    )
    response = respond(tree, result.status, xml)
    if result is UNAVAILABLE:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def respond(tree, status, xml):
    data = tree.model_dump(mode="json")
    if xml:
        return HttpResponse(to_xml(data), status=status, content_type=XML_TYPE)
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=JSON_TYPE)


def to_xml(data):
    """``{"response": {...}}`` as ``<response>…</response>``; a list repeats its key's element."""
    (name, value), = data.items()
    root = etree.Element(name)
    _fill(root, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fill(element, value):
    if isinstance(value, dict):
        for key, child in value.items():
            for each in child if isinstance(child, list) else [child]:
                _fill(etree.SubElement(element, key), each)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))
