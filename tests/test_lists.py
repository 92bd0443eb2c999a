"""Board lists (search, count, pagination) and the lists on the home page."""

import datetime
import html as html_lib
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import (
    BOARD_SLUGS,
    CultureTrailFactory,
    HeroBannerFactory,
    NewsFactory,
    make_attachment,
    make_post,
)

pytestmark = pytest.mark.django_db


def page_text(response):
    return re.sub(r"\s+", "", strip_tags(response.content.decode()))


def hrefs(response):
    return [html_lib.unescape(href) for href in re.findall(r'href="([^"]*)"', response.content.decode())]


def rows(response):
    return list(response.context["page"].object_list)


def ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def searchable():
    return {
        "title_only": NewsFactory(title="기간제근로자채용 공고", body="<p>독산1동 주민센터</p>", published_at=ago(1)),
        "body_only": NewsFactory(title="주민자치회 위원 공고", body="<p>기간제 채용 안내를 붙임과 같이</p>",
                                 published_at=ago(2)),
        "neither": NewsFactory(title="공인 폐기 및 재교부", body="<p>수동인증기 교체</p>", published_at=ago(3)),
        "latin": NewsFactory(title="패션/IT 문화길 걷기", body="<p>G밸리 Fashion 거리</p>", published_at=ago(4)),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "title", "q": "채용"}, ["title_only"]),
        ({"field": "body", "q": "채용"}, ["body_only"]),
        ({"field": "all", "q": "채용"}, ["title_only", "body_only"]),
        ({"q": "채용"}, ["title_only", "body_only"]),
        # Every word must occur, in either place for 제목+내용.
        ({"field": "all", "q": "채용 독산1동"}, ["title_only"]),
        ({"field": "title", "q": "채용 독산1동"}, []),
        ({"field": "body", "q": "기간제 붙임"}, ["body_only"]),
        # Inside words: "근로자" sits in the middle of "기간제근로자채용".
        ({"field": "title", "q": "근로자"}, ["title_only"]),
        ({"field": "title", "q": "공고"}, ["title_only", "body_only"]),
        # Latin letters match without regard to case.
        ({"field": "title", "q": "it"}, ["latin"]),
        ({"field": "body", "q": "FASHION g밸리"}, ["latin"]),
        # LIKE wildcards are ordinary characters.
        ({"q": "%"}, []),
        ({"q": "_"}, []),
        ({"q": "   "}, ["title_only", "body_only", "neither", "latin"]),
        ({"q": "없는검색어"}, []),
    ],
)
def test_search(client, searchable, params, expected):
    response = client.get("/news/", params)
    assert response.status_code == 200
    assert rows(response) == [searchable[name] for name in expected]
    html = response.content.decode()
    for name, post in searchable.items():
        assert (post.title in html) == (name in expected)
    assert f"총{len(expected)}건" in page_text(response)


def test_search_splits_words_on_any_unicode_space(client, searchable):
    # Pasted from HWP: ideographic space (U+3000) and no-break space (U+00A0).
    for query in ("채용\u3000독산1동", "채용\u00a0독산1동"):
        assert rows(client.get("/news/", {"q": query})) == [searchable["title_only"]]


def test_search_matches_a_decomposed_query(client, searchable):
    query = unicodedata.normalize("NFD", "근로자")
    assert query != "근로자"
    assert rows(client.get("/news/", {"q": query})) == [searchable["title_only"]]


def test_unknown_search_field_searches_title_and_body(client, searchable):
    response = client.get("/news/", {"field": "bogus", "q": "채용"})
    assert rows(response) == [searchable["title_only"], searchable["body_only"]]


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_search_on_every_board(client, slug):
    hit = make_post(slug, title="2026년 기간제근로자채용 공고", body="<p>접수는 독산동에서</p>")
    make_post(slug, title="주민자치회 회의록", body="<p>정기회의 자료</p>")
    for params in ({"field": "title", "q": "채용"}, {"field": "body", "q": "독산"}, {"q": "근로자 독산"}):
        response = client.get(f"/{slug}/", params)
        assert rows(response) == [hit], params
        assert "총1건" in page_text(response)


# --- count, order, pagination ---------------------------------------------------------------


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_list_is_newest_first_with_total(client, slug):
    older = make_post(slug, title="먼저 올린 글", published_at=ago(30))
    newer = make_post(slug, title="나중에 올린 글", published_at=ago(10))
    response = client.get(f"/{slug}/")
    assert rows(response) == [newer, older]
    assert "총2건" in page_text(response)
    html = response.content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert f"/{slug}/{newer.pk}/" in html and f"/{slug}/{older.pk}/" in html


@pytest.fixture
def many_recruitments():
    """23 posts matching "채용", 2 not; titles numbered oldest (01) to newest (23)."""
    posts = [
        make_post("recruitment", title=f"채용 공고 {n:02d}호", published_at=ago(100 - n)) for n in range(1, 24)
    ]
    make_post("recruitment", title="합격자 발표 가", published_at=ago(200))
    make_post("recruitment", title="합격자 발표 나", published_at=ago(201))
    return posts


def test_pagination_ten_per_page(client, many_recruitments):
    newest_first = many_recruitments[::-1]
    params = {"field": "title", "q": "채용"}
    pages = [client.get("/recruitment/", {**params, "page": n}) for n in (1, 2, 3)]
    assert pages[0].context["page"].paginator.num_pages == 3
    assert [rows(page) for page in pages] == [newest_first[:10], newest_first[10:20], newest_first[20:]]
    last = pages[2]
    assert len(rows(last)) == 3
    html = last.content.decode()
    for post in newest_first[20:]:
        assert post.title in html
    for post in newest_first[:20]:
        assert post.title not in html
    for page in pages:
        assert "총23건" in page_text(page)


def test_page_links_keep_the_search(client, many_recruitments):
    response = client.get("/recruitment/", {"field": "title", "q": "채용 공고"})
    targets = {}
    for href in hrefs(response):
        query = parse_qs(urlsplit(href).query)
        if "page" in query:
            targets[query["page"][0]] = query
    assert {"2", "3"} <= set(targets)
    for query in targets.values():
        assert query["q"] == ["채용 공고"]
        assert query["field"] == ["title"]


def test_total_without_search_counts_every_public_post(client, many_recruitments):
    make_post("recruitment", title="비공개 채용", is_published=False)
    assert "총25건" in page_text(client.get("/recruitment/"))


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_rows_know_whether_they_have_attachments(client, slug):
    with_file = make_post(slug, title="붙임 있는 글", published_at=ago(1))
    make_attachment(with_file)
    make_attachment(with_file)
    without = make_post(slug, title="붙임 없는 글", published_at=ago(2))
    page_rows = rows(client.get(f"/{slug}/"))
    assert page_rows == [with_file, without]
    assert [row.has_attachments for row in page_rows] == [True, False]


# --- home -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_home_tab_has_the_latest_five_newest_first(client, slug):
    posts = [make_post(slug, title=f"주요소식 {n}번째 글", published_at=ago(60 - n)) for n in range(1, 8)]
    response = client.get("/")
    tabs = {board.slug: list(items) for board, items in response.context["tabs"]}
    assert tabs[slug] == posts[:1:-1]  # 7th, 6th, …, 3rd
    html = response.content.decode()
    for post in posts[2:]:
        assert post.title in html
        assert f"/{slug}/{post.pk}/" in html
    for post in posts[:2]:
        assert post.title not in html


def test_home_has_a_tab_and_more_link_for_every_board(client):
    response = client.get("/")
    assert [board.slug for board, _ in response.context["tabs"]] == BOARD_SLUGS
    links = hrefs(response)
    text = page_text(response)
    for board, _ in response.context["tabs"]:
        assert f"/{board.slug}/" in links
        assert board.name.replace(" ", "") in text


def test_home_shows_current_banners_only(client):
    now = timezone.now()
    shown = HeroBannerFactory(title="지금 걸린 배너", image_alt="2026 금천 하모니 축제 안내")
    hidden = [
        HeroBannerFactory(title="꺼 둔 배너", image_alt="사용하지 않는 배너 그림", is_active=False),
        HeroBannerFactory(
            title="지난 배너", image_alt="이미 끝난 행사 배너",
            display_start=now - datetime.timedelta(days=10), display_end=now - datetime.timedelta(days=1),
        ),
        HeroBannerFactory(title="다음 주 배너", image_alt="아직 시작 안 한 배너",
                          display_start=now + datetime.timedelta(days=7)),
    ]
    for url in ("/", "/banners/"):
        response = client.get(url)
        assert list(response.context["banners"]) == [shown]
        html = response.content.decode()
        assert shown.image_alt in html
        for banner in hidden:
            assert banner.image_alt not in html
            assert banner.title not in html
            assert f"/banners/{banner.pk}/image/" not in html
    assert client.get(f"/banners/{shown.pk}/image/").status_code == 200
    for banner in hidden:
        assert client.get(f"/banners/{banner.pk}/image/").status_code == 404


def test_home_lists_the_three_trails(client):
    trails = [
        CultureTrailFactory(name="호암산 역사문화길", slug="hoamsan", order=1),
        CultureTrailFactory(name="시흥동 역사문화길", slug="siheung", order=2),
        CultureTrailFactory(name="패션/IT 문화길", slug="fashion-it", order=3),
    ]
    hidden = CultureTrailFactory(name="준비 중인 둘레길", slug="draft-trail", is_published=False)
    response = client.get("/")
    assert list(response.context["trails"]) == trails
    html = response.content.decode()
    for trail in trails:
        assert trail.name in html
        assert f"/trails/{trail.slug}/" in html
    assert hidden.name not in html

    response = client.get("/trails/")
    assert list(response.context["trails"]) == trails
    assert hidden.name not in response.content.decode()
    assert client.get(f"/trails/{trails[0].slug}/").status_code == 200
    assert client.get(f"/trails/{hidden.slug}/").status_code == 404
