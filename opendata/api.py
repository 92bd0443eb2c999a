"""The open API (/api/v1/): two read-only operations per board, made from boards.registry.

django-ninja builds the OpenAPI 3.1 document from the pydantic schemas in params.py and
schemas.py; the operations return their own JSON or XML answers (answers.py) so both
formats come from the same validated tree and can be cached as bytes (cache.py).
"""

import functools
import logging

from django.db import InterfaceError, OperationalError
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from boards import registry

from . import answers, items, queries
from .boards import board_apis
from .cache import cached_answer
from .params import MESSAGES
from .schemas import ErrorEnvelope

logger = logging.getLogger(__name__)


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Built once a process (~100 ms): the boards, and so the document, are fixed while it runs."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._documents:
            self._documents[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._documents[key]

    @functools.cached_property
    def _documents(self):
        return {}


api = OpenDataAPI(
    title="금천구청 공공데이터 개방 API",
    version="1",
    description=(
        f"서울특별시 금천구청 누리집 게시판({', '.join(board.name for board in registry.all_boards())})의 공개된 글을 "
        "공공데이터포털과 같은 모양(response.header, response.body.items.item)의 JSON 또는 XML(type=xml)로 "
        "제공합니다. 인증키 없이 누구나 쓸 수 있고, 공공누리 제1유형(출처표시) 조건으로 이용할 수 있습니다. "
        "안내: /open-data/"
    ),
    openapi_extra={"info": {"license": {
        "name": "공공누리 제1유형(출처표시)", "url": "https://www.kogl.or.kr/info/license.do",
    }}},
    docs_url=None,  # the docs page would load Swagger UI from another host; /open-data/ is ours
    urls_namespace="opendata:api",
)

ERRORS = {400: ErrorEnvelope, 404: ErrorEnvelope, 503: ErrorEnvelope}


def xml_alternative(schema_name):
    """The same tree as XML (type=xml), for the OpenAPI document."""
    return {"responses": {200: {"content": {"application/xml": {"schema": {
        "$ref": f"#/components/schemas/{schema_name}", "xml": {"name": "response"},
    }}}}}}


def add_board(board_api):
    board, slug = board_api.board, board_api.slug

    @api.get(
        f"/{slug}/", response={200: board_api.list_envelope, **ERRORS}, url_name=f"{slug}-list",
        operation_id=f"{slug}_list", summary=f"{board.name} 목록", tags=[board.name],
        description=f"{board.name}의 공개된 글을 최신 글부터 돌려줍니다. 본문과 붙임은 글 하나 조회에 있습니다.",
        openapi_extra=xml_alternative(board_api.list_envelope.__name__),
    )
    def list_posts(request, params: Query[board_api.params]):
        def answer():
            total, posts = queries.page(board_api, params)
            found = [items.item(board_api, post) for post in posts]
            return answers.ok(
                board_api.list_envelope, found, rows=params.numOfRows, page=params.pageNo, total=total,
                xml=params.type == "xml",
            )

        return cached_answer(("list", slug, params.model_dump()), answer)

    @api.get(
        f"/{slug}/{{id}}/", response={200: board_api.detail_envelope, **ERRORS}, url_name=f"{slug}-detail",
        operation_id=f"{slug}_detail", summary=f"{board.name} 글 하나", tags=[board.name],
        description=f"{board.name}의 공개된 글 하나: 목록의 항목에 본문(글자만)과 붙임 목록을 더합니다.",
        openapi_extra=xml_alternative(board_api.detail_envelope.__name__),
    )
    def post_detail(request, id: Path[int], params: Query[board_api.detail_params]):
        xml = params.type == "xml"

        def answer():
            post = queries.one(board_api, id)
            if post is None:
                return answers.error(answers.NO_DATA, xml=xml)
            found = items.detail(board_api, post)
            return answers.ok(board_api.detail_envelope, [found], rows=1, page=1, total=1, xml=xml)

        return cached_answer(("detail", slug, id, params.model_dump()), answer)


for board_api in board_apis():
    add_board(board_api)


@api.exception_handler(ValidationError)
def invalid_parameter(request, exc):
    """400 with the first wrong parameter named in Korean (never pydantic's English)."""
    first = exc.errors[0]
    name = str(first["loc"][-1]) if first.get("loc") else ""
    if first["loc"][:1] == ("path",):  # /api/v1/news/abc/: no post has such a number
        return answers.error(answers.NO_DATA, xml=answers.wants_xml(request))
    message = first["msg"] if first["type"] == "invalid_parameter" else MESSAGES.get(name)
    return answers.error(answers.INVALID_PARAMETER, xml=answers.wants_xml(request), message=message)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, exc):
    logger.warning("open API: database unavailable", exc_info=True)
    return answers.error(answers.UNAVAILABLE, xml=answers.wants_xml(request))


def no_service(request, rest=""):
    """Anything under /api/v1/ that is no operation: an unknown board, or a known board's non-number id."""
    slug = rest.split("/", 1)[0]
    if slug in {board.slug for board in registry.all_boards()}:
        return answers.error(answers.NO_DATA, xml=answers.wants_xml(request))
    names = ", ".join(board.slug for board in registry.all_boards())
    return answers.error(
        answers.NO_SERVICE, xml=answers.wants_xml(request),
        message=f"없는 서비스입니다. 주소에 게시판을 넣어 주세요: {names} (안내: /open-data/)",
    )
