"""The open API (/api/v1/) and the 공공데이터 page (/open-data/).

Answers are checked against a hand-written JSON Schema of the 공공데이터포털 envelope and
against the served OpenAPI document's own schemas; XML is parsed with lxml.
"""

import datetime
import html
import json
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from lxml import etree
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from editorial.takedown import take_down
from notices.models import Notice
from opendata import cache as api_cache
from opendata import queries
from opendata.params import MAX_PAGE_NO
from tests.factories import (
    BOARD_SLUGS,
    DepartmentFactory,
    NewsFactory,
    NoticeFactory,
    PressFactory,
    PressPhotoFactory,
    RecruitmentFactory,
    make_attachment,
    make_post,
)

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
HANGUL = re.compile("[가-힣]")

# --- the 공공데이터포털 shape, written out by hand ------------------------------------------

HEADER = {
    "type": "object",
    "required": ["resultCode", "resultMsg"],
    "additionalProperties": False,
    "properties": {
        "resultCode": {"type": "string", "pattern": "^[0-9]{2}$"}, "resultMsg": {"type": "string"},
    },
}
ENVELOPE = {
    "type": "object",
    "required": ["response"],
    "additionalProperties": False,
    "properties": {"response": {
        "type": "object",
        "required": ["header", "body"],
        "additionalProperties": False,
        "properties": {
            "header": HEADER,
            "body": {
                "type": "object",
                "required": ["items", "numOfRows", "pageNo", "totalCount"],
                "additionalProperties": False,
                "properties": {
                    "items": {
                        "type": "object", "required": ["item"], "additionalProperties": False,
                        "properties": {"item": {"type": "array", "items": {"type": "object"}}},
                    },
                    "numOfRows": {"type": "integer", "minimum": 1},
                    "pageNo": {"type": "integer", "minimum": 1},
                    "totalCount": {"type": "integer", "minimum": 0},
                },
            },
        },
    }},
}
ERROR_ENVELOPE = {
    "type": "object",
    "required": ["response"],
    "additionalProperties": False,
    "properties": {"response": {
        "type": "object", "required": ["header"], "additionalProperties": False,
        "properties": {"header": {**HEADER, "properties": {
            "resultCode": {"type": "string", "pattern": "^(?!00)[0-9]{2}$"},
            "resultMsg": {"type": "string", "pattern": "[가-힣]"},
        }}},
    }},
}

COMMON_FIELDS = ["id", "title", "publishedAt", "deptId", "deptName", "phone", "url", "hasAttachments"]
BOARD_FIELDS = {
    "news": [],
    "notices": ["noticeType", "noticeNo", "periodStart", "periodEnd"],
    "recruitment": ["kind", "fieldName", "headcount", "applyStart", "applyEnd", "status"],
    "contracts": [
        "contractMethod", "amount", "contractDate", "termStart", "termEnd", "contractorName",
        "contractorRepresentative", "contractorAddress", "reason", "legalBasis",
    ],
    "press": ["subtitles"],
}
DETAIL_FIELDS = {slug: ["body", "attachments"] for slug in BOARD_SLUGS} | {
    "press": ["body", "attachments", "photos"],
}
# The OpenAPI components answering for each board: <Name>ListAnswer, <Name>DetailAnswer.
SCHEMA_NAMES = {slug: slug.capitalize() for slug in BOARD_SLUGS}


@pytest.fixture(autouse=True)
def fresh_caches():
    cache.clear()
    api_cache.store.clear()
    yield
    cache.clear()
    api_cache.store.clear()


@pytest.fixture
def api_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def answer(client, path, expect=200, **params):
    response = client.get(path, params)
    assert response.status_code == expect, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    Draft202012Validator(ENVELOPE if expect == 200 else ERROR_ENVELOPE).validate(data)
    return data


def found(client, slug, **params):
    return answer(client, f"/api/v1/{slug}/", **params)["response"]["body"]


def item_ids(client, slug, **params):
    return [item["id"] for item in found(client, slug, **params)["items"]["item"]]


def error(client, path, expect, **params):
    return answer(client, path, expect, **params)["response"]["header"]


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def conforms(openapi, schema_name, data):
    """``data`` is valid under the OpenAPI document's component ``schema_name``."""
    document = Resource.from_contents(openapi, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", document)
    validator = Draft202012Validator(
        {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}, registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(data)


def site(path):
    return settings.SITE_URL.rstrip("/") + path


def local_path(url):
    assert url.startswith(settings.SITE_URL.rstrip("/"))
    return url[len(settings.SITE_URL.rstrip("/")):]


def seoul(*args):
    return datetime.datetime(*args, tzinfo=SEOUL)


# --- shapes -----------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_list_json_has_the_portal_shape_and_each_boards_fields(client, openapi, slug):
    older = make_post(slug, title="먼저 올린 글", published_at=timezone.now() - datetime.timedelta(days=2))
    newer = make_post(slug, title="나중에 올린 글", contact="02-2627-9999")
    make_attachment(older)
    data = answer(client, f"/api/v1/{slug}/")
    conforms(openapi, f"{SCHEMA_NAMES[slug]}ListAnswer", data)
    assert data["response"]["header"] == {"resultCode": "00", "resultMsg": "NORMAL SERVICE"}
    body = data["response"]["body"]
    assert (body["numOfRows"], body["pageNo"], body["totalCount"]) == (10, 1, 2)
    first, second = body["items"]["item"]
    assert list(first) == COMMON_FIELDS + BOARD_FIELDS[slug]
    assert (first["id"], second["id"]) == (newer.pk, older.pk)
    assert first["title"] == "나중에 올린 글"
    assert first["url"] == site(f"/{slug}/{newer.pk}/")
    assert (first["deptId"], first["deptName"]) == (newer.department_id, newer.department.name)
    assert first["phone"] == "02-2627-9999" and second["phone"] == older.department.phone
    assert (first["hasAttachments"], second["hasAttachments"]) == (False, True)
    published = datetime.datetime.fromisoformat(first["publishedAt"])
    assert published == newer.published_at.replace(microsecond=0)
    assert published.utcoffset() == datetime.timedelta(hours=9)
    assert client.get(local_path(first["url"])).status_code == 200


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_list_xml_is_the_same_tree(client, slug):
    post = make_post(slug)
    make_attachment(post)
    make_post(slug)
    as_json = found(client, slug)
    response = client.get(f"/api/v1/{slug}/", {"type": "xml"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "response"
    assert [child.tag for child in root] == ["header", "body"]
    assert (root.findtext("header/resultCode"), root.findtext("header/resultMsg")) == ("00", "NORMAL SERVICE")
    assert [child.tag for child in root.find("body")] == ["items", "numOfRows", "pageNo", "totalCount"]
    paging = [root.findtext(f"body/{name}") for name in ("numOfRows", "pageNo", "totalCount")]
    assert paging == ["10", "1", "2"]
    items = root.findall("body/items/item")
    assert [int(item.findtext("id")) for item in items] == [item["id"] for item in as_json["items"]["item"]]
    for element, item in zip(items, as_json["items"]["item"], strict=True):
        assert [child.tag for child in element] == list(item)
        assert element.findtext("title") == item["title"] and element.findtext("url") == item["url"]
        assert element.findtext("hasAttachments") == str(item["hasAttachments"]).lower()


def test_xml_escapes_markup_and_drops_what_xml_cannot_carry(client):
    NewsFactory(title='<b>"전기" & 가스</b>\x0b 안내', body="<p>본문 \x01 글</p>")
    response = client.get("/api/v1/news/", {"type": "xml"})
    root = etree.fromstring(response.content)
    assert root.findtext("body/items/item/title") == '<b>"전기" & 가스</b> 안내'
    assert b"<b>" not in response.content  # escaped, not markup
    news_id = root.findtext("body/items/item/id")
    detail = etree.fromstring(client.get(f"/api/v1/news/{news_id}/", {"type": "xml"}).content)
    assert "\x01" not in detail.findtext("body/items/item/body")


def test_notice_fields(client):
    notice = NoticeFactory(
        number_year=2026, number_seq=123, period_start=datetime.date(2026, 1, 29),
        period_end=datetime.date(2026, 2, 12),
    )
    item = found(client, "notices")["items"]["item"][0]
    assert item["noticeType"] == "공고"
    assert item["noticeNo"] == "서울특별시 금천구 공고 제2026-123호" == notice.number
    assert (item["periodStart"], item["periodEnd"]) == ("2026-01-29", "2026-02-12")


def test_recruitment_fields(client):
    start = timezone.now() - datetime.timedelta(days=1)
    RecruitmentFactory(
        kind="repost", field_name="주차 단속", headcount=3, apply_start=start,
        apply_end=start + datetime.timedelta(days=7),
    )
    item = found(client, "recruitment")["items"]["item"][0]
    assert (item["kind"], item["fieldName"], item["headcount"], item["status"]) == ("재공고", "주차 단속", 3, "접수중")
    assert datetime.datetime.fromisoformat(item["applyStart"]) == start.replace(microsecond=0)
    assert item["applyStart"] == timezone.localtime(start, SEOUL).strftime("%Y-%m-%dT%H:%M:%S+09:00")


def test_contract_fields(client):
    make_post("contracts", amount=15_500_000)
    item = found(client, "contracts")["items"]["item"][0]
    assert item["amount"] == 15_500_000 and item["contractMethod"] == "1인 견적 수의계약"
    dates = [item["contractDate"], item["termStart"], item["termEnd"]]
    assert dates == ["2026-01-05", "2026-01-06", "2026-03-31"]
    assert item["contractorName"] == "(예시) 금천상사" and item["legalBasis"].startswith("지방계약법")


def test_press_subtitles_and_photos(client, openapi):
    post = PressFactory(subtitle="- 첫째 부제 -\n- 둘째 부제 -")
    photo = PressPhotoFactory(post=post, caption="개관식")
    item = found(client, "press")["items"]["item"][0]
    assert item["subtitles"] == {"subtitle": ["첫째 부제", "둘째 부제"]}
    data = answer(client, f"/api/v1/press/{post.pk}/")
    conforms(openapi, "PressDetailAnswer", data)
    photos = data["response"]["body"]["items"]["item"][0]["photos"]["photo"]
    assert photos == [{"url": site(f"/press/photos/{photo.pk}/"), "alt": photo.alt, "caption": "개관식"}]
    assert client.get(local_path(photos[0]["url"])).status_code == 200
    xml = etree.fromstring(client.get(f"/api/v1/press/{post.pk}/", {"type": "xml"}).content)
    assert [line.text for line in xml.findall("body/items/item/subtitles/subtitle")] == ["첫째 부제", "둘째 부제"]


# --- one item ---------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_detail_has_the_body_text_and_its_attachments(client, openapi, slug):
    post = make_post(slug, body="<p>첫 문단</p><p><strong>둘째</strong> 문단</p>")
    first = make_attachment(post, order=1)
    first.extracted_text = "붙임에서 읽은 비밀스러운 글"
    first.save()
    second = make_attachment(post, order=2)
    data = answer(client, f"/api/v1/{slug}/{post.pk}/")
    conforms(openapi, f"{SCHEMA_NAMES[slug]}DetailAnswer", data)
    body = data["response"]["body"]
    assert (body["numOfRows"], body["pageNo"], body["totalCount"]) == (1, 1, 1)
    (item,) = body["items"]["item"]
    assert list(item) == COMMON_FIELDS + BOARD_FIELDS[slug] + DETAIL_FIELDS[slug]
    assert item["body"] == post.body_text and "첫 문단" in item["body"] and "<" not in item["body"]
    assert item["hasAttachments"] is True
    files = item["attachments"]["attachment"]
    assert files == [
        {"name": "공고문.pdf", "size": one.size, "type": "pdf", "url": site(f"/{slug}/files/{one.pk}/")}
        for one in (first, second)
    ]
    download = client.get(local_path(files[0]["url"]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    raw = client.get(f"/api/v1/{slug}/{post.pk}/").content.decode()
    for hidden in ("비밀스러운", "review", "author", "files_check", "awaiting", "extract", "view_count"):
        assert hidden not in raw, hidden


def test_detail_xml_lists_attachments(client):
    post = NoticeFactory()
    make_attachment(post)
    make_attachment(post)
    response = client.get(f"/api/v1/notices/{post.pk}/", {"type": "xml"})
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    files = root.findall("body/items/item/attachments/attachment")
    assert len(files) == 2
    assert [child.tag for child in files[0]] == ["name", "size", "type", "url"]
    assert root.findtext("body/totalCount") == "1"


# --- only what residents can see --------------------------------------------------------------

@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_only_public_posts_are_listed_or_served(client, admin_user, slug):
    now = timezone.now()
    public = make_post(slug, title="공개된 글")
    hidden = [
        make_post(slug, title="비공개 초안", is_published=False),
        make_post(slug, title="예약된 글", published_at=now + datetime.timedelta(hours=1)),
        make_post(slug, title="게시가 끝난 글", published_at=now - datetime.timedelta(days=3),
                  unpublish_at=now - datetime.timedelta(minutes=1)),
        make_post(slug, title="게시 중단된 글"),
    ]
    take_down([hidden[-1]], user=admin_user, reason="wrong_post")
    for post in hidden:
        make_attachment(post)
    body = found(client, slug)
    assert [item["id"] for item in body["items"]["item"]] == [public.pk] and body["totalCount"] == 1
    assert found(client, slug, keyword="글")["totalCount"] == 1
    for post in hidden:
        assert error(client, f"/api/v1/{slug}/{post.pk}/", 404)["resultCode"] == "03"
    assert answer(client, f"/api/v1/{slug}/{public.pk}/")["response"]["body"]["totalCount"] == 1


def test_a_post_of_another_board_is_not_found(client):
    news = NewsFactory()
    notice = NoticeFactory()
    assert error(client, f"/api/v1/notices/{news.pk}/", 404)["resultCode"] == "03"
    assert error(client, f"/api/v1/news/{notice.pk}/", 404)["resultCode"] == "03"
    assert item_ids(client, "news") == [news.pk] and item_ids(client, "notices") == [notice.pk]


# --- pagination ---------------------------------------------------------------------------------

def test_pages_and_total_count(client):
    posts = [NewsFactory(published_at=timezone.now() - datetime.timedelta(hours=n)) for n in range(12)]
    newest_first = [post.pk for post in posts]
    assert item_ids(client, "news") == newest_first[:10]
    body = found(client, "news", numOfRows=5, pageNo=3)
    assert [item["id"] for item in body["items"]["item"]] == newest_first[10:]
    assert (body["numOfRows"], body["pageNo"], body["totalCount"]) == (5, 3, 12)
    assert item_ids(client, "news", numOfRows=5, pageNo=2) == newest_first[5:10]
    beyond = found(client, "news", numOfRows=5, pageNo=4)
    assert beyond["items"]["item"] == [] and beyond["totalCount"] == 12
    assert item_ids(client, "news", numOfRows=100) == newest_first


def test_the_deepest_page_allowed_reaches_the_database_safely(client, django_assert_num_queries):
    NewsFactory()
    with django_assert_num_queries(1):  # the count; the page lies past the last row, so no row query
        body = found(client, "news", pageNo=MAX_PAGE_NO, numOfRows=100)
    assert body["items"]["item"] == [] and body["totalCount"] == 1


def test_empty_parameters_count_as_absent(client):
    NewsFactory()
    body = found(client, "news", pageNo="", numOfRows="", keyword="", type="", **{"from": "", "to": ""})
    assert (body["pageNo"], body["numOfRows"], body["totalCount"]) == (1, 10, 1)


# --- filters --------------------------------------------------------------------------------------

def test_keyword_uses_the_board_search(client):
    library = NewsFactory(title="구립 도서관 개관 안내")
    parking = NewsFactory(title="주차장 공사", body="<p>도서관 옆 주차장을 고칩니다.</p>")
    NewsFactory(title="복지관 소식")
    assert sorted(item_ids(client, "news", keyword="도서관")) == sorted([library.pk, parking.pk])
    assert item_ids(client, "news", keyword="도서관  개관") == [library.pk]
    assert item_ids(client, "news", keyword="없는낱말") == []


def test_dates_filter_on_the_day_in_seoul_both_spellings_inclusive(client):
    before = NewsFactory(title="전날 밤", published_at=seoul(2026, 1, 9, 23, 59))
    first = NewsFactory(title="그날 0시", published_at=seoul(2026, 1, 10, 0, 0))
    last = NewsFactory(title="그날 밤", published_at=seoul(2026, 1, 10, 23, 59, 59))
    after = NewsFactory(title="다음 날 0시", published_at=seoul(2026, 1, 11, 0, 0))
    assert item_ids(client, "news", **{"from": "20260110", "to": "2026-01-10"}) == [last.pk, first.pk]
    assert item_ids(client, "news", **{"from": "2026-01-10"}) == [after.pk, last.pk, first.pk]
    assert item_ids(client, "news", to="20260109") == [before.pk]
    assert item_ids(client, "news", to="20260110") == [last.pk, first.pk, before.pk]


def test_dept_by_number_or_name(client):
    welfare = DepartmentFactory(name="복지정책과")
    planning = DepartmentFactory(name="도시계획과")
    mine = NewsFactory(department=welfare)
    NewsFactory(department=planning)
    assert item_ids(client, "news", dept=str(welfare.pk)) == [mine.pk]
    assert item_ids(client, "news", dept="복지정책과") == [mine.pk]
    assert item_ids(client, "news", dept=" 복지정책과 ") == [mine.pk]
    assert found(client, "news", dept="없는과")["totalCount"] == 0
    assert found(client, "news", dept="9" * 30)["totalCount"] == 0


def test_recruitment_status(client):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    upcoming = RecruitmentFactory(apply_start=now + day, apply_end=now + 3 * day)
    open_now = RecruitmentFactory(apply_start=now - day, apply_end=now + day)
    closed = RecruitmentFactory(apply_start=now - 3 * day, apply_end=now - day)
    RecruitmentFactory(kind="result")  # 합격자 발표: no 접수기간
    assert item_ids(client, "recruitment", status="접수예정") == [upcoming.pk]
    assert item_ids(client, "recruitment", status="접수중") == [open_now.pk]
    assert item_ids(client, "recruitment", status="마감") == [closed.pk]
    statuses = {item["id"]: item["status"] for item in found(client, "recruitment")["items"]["item"]}
    assert sorted(statuses.values()) == sorted(["접수예정", "접수중", "마감", ""])


def test_notice_number(client):
    gonggo = NoticeFactory(number_year=2026, number_seq=123)
    gosi = NoticeFactory(notice_type=Notice.NoticeType.GOSI, number_year=2026, number_seq=123)
    NoticeFactory(number_year=2025, number_seq=123)
    NoticeFactory()
    both = sorted([gonggo.pk, gosi.pk])
    assert sorted(item_ids(client, "notices", noticeNo="제2026-123호")) == both
    assert sorted(item_ids(client, "notices", noticeNo="2026-123")) == both
    assert item_ids(client, "notices", noticeNo="공고 제2026-123호") == [gonggo.pk]
    assert item_ids(client, "notices", noticeNo="서울특별시 금천구 고시 제2026-123호") == [gosi.pk]
    assert item_ids(client, "notices", noticeNo="제2026-124호") == []


def test_filters_combine(client):
    dept = DepartmentFactory(name="문화체육과")
    match = NewsFactory(title="축제 안내", department=dept, published_at=seoul(2026, 3, 2, 10))
    NewsFactory(title="축제 안내", published_at=seoul(2026, 3, 2, 11))
    NewsFactory(title="축제 안내", department=dept, published_at=seoul(2026, 4, 2, 10))
    params = {"keyword": "축제", "dept": "문화체육과", "from": "20260301", "to": "20260331"}
    assert item_ids(client, "news", **params) == [match.pk]


# --- bad input ------------------------------------------------------------------------------------

BAD = [
    ("news", {"pageNo": "0"}, "pageNo"),
    ("news", {"pageNo": "-1"}, "pageNo"),
    ("news", {"pageNo": "abc"}, "pageNo"),
    ("news", {"pageNo": "1.5"}, "pageNo"),
    ("news", {"pageNo": str(MAX_PAGE_NO + 1)}, "pageNo"),
    ("news", {"pageNo": "9" * 40}, "pageNo"),
    ("news", {"pageNo": "1\x00"}, "pageNo"),
    ("news", {"numOfRows": "101"}, "numOfRows"),
    ("news", {"numOfRows": "0"}, "numOfRows"),
    ("news", {"type": "csv"}, "type"),
    ("news", {"type": "XML"}, "type"),
    ("news", {"from": "2026-13-01"}, "from"),
    ("news", {"from": "20260230"}, "from"),
    ("news", {"from": "2026/01/01"}, "from"),
    ("news", {"from": "2026-01-01\x00"}, "from"),
    ("news", {"to": "어제"}, "to"),
    ("news", {"from": "20260301", "to": "20260101"}, "from"),
    ("news", {"keyword": "도서관\x00"}, "keyword"),
    ("news", {"keyword": "가" * (settings.SEARCH_QUERY_MAX_LENGTH + 1)}, "keyword"),
    ("news", {"dept": "복지\x00과"}, "dept"),
    ("recruitment", {"status": "진행중"}, "status"),
    ("recruitment", {"status": "open"}, "status"),
    ("notices", {"noticeNo": "123호"}, "noticeNo"),
    ("notices", {"noticeNo": "제2026-\x00123호"}, "noticeNo"),
    ("news/1", {"type": "html"}, "type"),
]


@pytest.mark.parametrize("where, params, name", BAD, ids=[f"{w}-{n}-{i}" for i, (w, _, n) in enumerate(BAD)])
def test_bad_parameters_are_400_with_code_10_naming_the_parameter(client, where, params, name):
    NewsFactory(pk=1)
    header = error(client, f"/api/v1/{where}/", 400, **params)
    assert header["resultCode"] == "10"
    assert name in header["resultMsg"] and HANGUL.search(header["resultMsg"])


def test_an_error_answers_in_xml_when_xml_was_asked(client):
    response = client.get("/api/v1/news/", {"type": "xml", "pageNo": "0"})
    assert response.status_code == 400 and response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert [child.tag for child in root] == ["header"]
    assert root.findtext("header/resultCode") == "10" and "pageNo" in root.findtext("header/resultMsg")


def test_unknown_services_and_items(client):
    news = NewsFactory()
    for path in ("/api/v1/events/", "/api/v1/", "/api/v1/events/3/", "/api/v1/%00/"):
        header = error(client, path, 404)
        assert header["resultCode"] == "12" and "news" in header["resultMsg"]
    for path in (f"/api/v1/news/{news.pk + 1000}/", "/api/v1/news/abc/", f"/api/v1/news/{'9' * 30}/",
                 "/api/v1/news/0/", f"/api/v1/news/{news.pk}/extra/"):
        assert error(client, path, 404)["resultCode"] == "03", path
    xml = client.get("/api/v1/events/", {"type": "xml"})
    assert xml.status_code == 404 and etree.fromstring(xml.content).findtext("header/resultCode") == "12"


def test_only_get_head_and_options(client):
    NewsFactory()
    response = client.post("/api/v1/news/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.content)["response"]["header"]["resultCode"] == "04"
    head = client.head("/api/v1/news/")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == "application/json; charset=utf-8"


def test_database_away_is_a_503_in_the_same_shape(client, monkeypatch):
    def away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(queries, "page", away)
    header = error(client, "/api/v1/news/", 503)
    assert header["resultCode"] == "05"
    assert client.get("/api/v1/news/")["Retry-After"] == "30"


# --- cache -----------------------------------------------------------------------------------------

def test_answers_are_cached_and_a_post_unpublished_in_admin_leaves_at_once(
    client, api_cache_on, django_assert_num_queries, django_capture_on_commit_callbacks
):
    post = NewsFactory(title="곧 내릴 소식")
    assert item_ids(client, "news") == [post.pk]
    assert answer(client, f"/api/v1/news/{post.pk}/")["response"]["body"]["totalCount"] == 1
    with django_assert_num_queries(0):
        assert item_ids(client, "news") == [post.pk]
        # The same answer, asked for in other words.
        assert found(client, "news", type="json", pageNo="1")["totalCount"] == 1
        answer(client, f"/api/v1/news/{post.pk}/")
    xml = client.get("/api/v1/news/", {"type": "xml"})
    with django_assert_num_queries(0):
        again = client.get("/api/v1/news/", {"type": "xml"})
    assert again.content == xml.content and again["Content-Type"] == "application/xml; charset=utf-8"
    with django_capture_on_commit_callbacks(execute=True):
        post.is_published = False
        post.save()
    assert item_ids(client, "news") == []
    assert error(client, f"/api/v1/news/{post.pk}/", 404)["resultCode"] == "03"


def test_scheduled_post_appears_and_ended_post_leaves_on_time_without_any_save(client, api_cache_on):
    soon = timezone.now() + datetime.timedelta(seconds=2)
    scheduled = NewsFactory(title="예약된 소식", published_at=soon)
    ending = NewsFactory(title="곧 끝나는 소식", unpublish_at=soon)
    assert item_ids(client, "news") == [ending.pk]
    error(client, f"/api/v1/news/{scheduled.pk}/", 404)
    answer(client, f"/api/v1/news/{ending.pk}/")
    time.sleep(2.2)
    assert item_ids(client, "news") == [scheduled.pk]
    answer(client, f"/api/v1/news/{scheduled.pk}/")
    error(client, f"/api/v1/news/{ending.pk}/", 404)


def test_without_the_page_cache_every_request_reads_the_database(client, django_assert_num_queries):
    NewsFactory()
    client.get("/api/v1/news/")  # PAGE_CACHE_SECONDS=0 in tests
    with django_assert_num_queries(2):
        client.get("/api/v1/news/")


# --- CORS -------------------------------------------------------------------------------------------

def test_every_api_answer_may_be_read_by_any_origin_without_cookies(client):
    post = NewsFactory()
    for path, status in (
        ("/api/v1/news/", 200), (f"/api/v1/news/{post.pk}/", 200), ("/api/v1/news/?pageNo=0", 400),
        ("/api/v1/nothing/", 404), ("/api/v1/openapi.json", 200),
    ):
        response = client.get(path, HTTP_ORIGIN="https://example.org")
        assert response.status_code == status, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert not response.cookies, path
    assert "Access-Control-Allow-Origin" not in client.get("/news/")


def test_preflight(client):
    response = client.options(
        "/api/v1/news/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-requested-with",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "*"
    assert int(response["Access-Control-Max-Age"]) > 0


# --- query counts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, slug):
    for n in range(12):
        post = make_post(slug, department=DepartmentFactory(name=f"부서{n}"))
        if n % 2:
            make_attachment(post)
    if slug == "press":
        PressPhotoFactory(post=post)
    with django_assert_num_queries(2):  # the count, then the page's rows with 부서 and the 붙임 flag
        items = found(client, slug, numOfRows=12)["items"]["item"]
    assert len(items) == 12 and len({item["deptName"] for item in items}) == 12
    assert sum(item["hasAttachments"] for item in items) == 6


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_detail_queries(client, django_assert_num_queries, slug):
    post = make_post(slug)
    for _ in range(3):
        make_attachment(post)
    if slug == "press":
        PressPhotoFactory(post=post)
        PressPhotoFactory(post=post)
    with django_assert_num_queries(3 if slug == "press" else 2):  # the post, its 붙임 (and photos)
        item = answer(client, f"/api/v1/{slug}/{post.pk}/")["response"]["body"]["items"]["item"][0]
    assert len(item["attachments"]["attachment"]) == 3


# --- OpenAPI ----------------------------------------------------------------------------------------

def test_openapi_document(openapi):
    validate_openapi(openapi)
    assert openapi["openapi"].startswith("3.1")
    paths = openapi["paths"]
    common = {"pageNo", "numOfRows", "type", "keyword", "from", "to", "dept"}
    for slug in BOARD_SLUGS:
        listing = paths[f"/api/v1/{slug}/"]["get"]
        names = {parameter["name"] for parameter in listing["parameters"]}
        own = {"recruitment": {"status"}, "notices": {"noticeNo"}}.get(slug, set())
        assert names == common | own, slug
        assert set(listing["responses"]["200"]["content"]) == {"application/json", "application/xml"}
        assert {"400", "404"} <= set(listing["responses"])
        detail = paths[f"/api/v1/{slug}/{{id}}/"]["get"]
        assert {(p["name"], p["in"]) for p in detail["parameters"]} == {("id", "path"), ("type", "query")}
    status = next(p for p in paths["/api/v1/recruitment/"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["anyOf"][0]["enum"] == ["접수예정", "접수중", "마감"]
    assert openapi["info"]["license"]["name"].startswith("공공누리 제1유형")


def test_openapi_document_is_built_once_a_process(client, monkeypatch):
    import ninja.main

    from opendata.api import api

    built = []
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kwargs: built.append(1) or {"openapi": "3.1.0"})
    monkeypatch.setattr(api, "_documents", {})
    first, second = client.get("/api/v1/openapi.json"), client.get("/api/v1/openapi.json")
    assert first.content == second.content and len(built) == 1


# --- the 공공데이터 page -----------------------------------------------------------------------------

def test_open_data_page(client, openapi):
    response = client.get("/open-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<title>\s*공공데이터 개방 \| 금천구청\s*</title>", page)
    assert page.count("<h1") == 1
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for slug in BOARD_SLUGS:
        assert f"/api/v1/{slug}/" in text
        for field in COMMON_FIELDS + BOARD_FIELDS[slug]:
            assert field in text, field
    for field in ("attachments.attachment.name", "attachments.attachment.size", "attachments.attachment.type",
                  "attachments.attachment.url", "photos.photo.alt", "subtitles.subtitle", "body"):
        assert field in text, field
    for name in ("pageNo", "numOfRows", "type", "keyword", "from", "to", "dept", "status", "noticeNo"):
        assert f"<code>{name}</code>" in page, name
    for code, name in (("00", "NORMAL_SERVICE"), ("03", "NODATA_ERROR"), ("04", "HTTP_ERROR"),
                       ("05", "SERVICETIMEOUT_ERROR"), ("10", "INVALID_REQUEST_PARAMETER_ERROR"),
                       ("12", "NO_OPENAPI_SERVICE_ERROR")):
        assert f"<code>{code}</code>" in page and name in page
    assert "공공누리" in text and "제1유형" in text and "출처표시" in text
    assert 'href="/api/v1/openapi.json"' in page
    for table in re.findall(r"<table.*?</table>", page, re.S):
        assert "<caption>" in table and 'scope="' in table
    # The JSON example is a real answer's shape.
    example = re.search(r'id="example-json"[^>]*><code>(.*?)</code></pre>', page, re.S)
    example_data = json.loads(html.unescape(example.group(1)))
    Draft202012Validator(ENVELOPE).validate(example_data)
    conforms(openapi, "NoticesListAnswer", example_data)
    xml_example = re.search(r'id="example-xml"[^>]*><code>(.*?)</code>', page, re.S).group(1)
    assert etree.fromstring(html.unescape(xml_example).replace("…", "").encode()).tag == "response"
    assert client.post("/open-data/").status_code == 405


def test_footer_links_to_the_open_data_page(client):
    page = client.get("/").content.decode()
    footer = page[page.index('<ul class="footer-policy">'):]
    footer = footer[:footer.index("</ul>")]
    assert f'<a href="{reverse("opendata:page")}">공공데이터 개방</a>' in footer
    assert reverse("opendata:page") == "/open-data/"
