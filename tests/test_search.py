"""통합검색 and the Korean matching under it: the same cases on SQLite and PostgreSQL.

CI runs this file twice (SQLite, then PostgreSQL with the gram index), so every
assertion here is also a check that both databases give the same answers.
"""

import datetime
import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import strip_tags

from boards import registry
from search import engine, results
from search.forms import SearchForm
from tests.factories import (
    BOARD_SLUGS,
    CultureTrailFactory,
    NewsFactory,
    NoticeFactory,
    make_attachment,
    make_post,
)

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, params
    return response


def groups(response):
    return {group.slug: group for group in response.context["groups"] or []}


def hit_titles(group):
    return [strip_tags(hit.title) for hit in group.hits]


def found(response):
    """{group slug: [plain titles]} for every group with hits."""
    return {slug: hit_titles(group) for slug, group in groups(response).items() if group.hits}


def text_of(response):
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


@pytest.fixture
def corpus():
    posts = {
        "inside": NewsFactory(title="기간제근로자채용 안내", body="<p>독산1동 주민센터에서 알려 드립니다.</p>",
                              published_at=ago(1)),
        "parking": NoticeFactory(title="공영주차장 설치 공고", body="<p>호암산 숲 입구 주차 요금 안내</p>",
                                 published_at=ago(2)),
        "recruit": make_post("recruitment", title="2026년 행정보조 기간제 채용", body="<p>접수 방법 안내</p>",
                             published_at=ago(3)),
        "contract": make_post("contracts", title="사무용 복합기 구매", body="<p>주민센터 사무실용</p>",
                              published_at=ago(4)),
        "press": make_post("press", title="금천구, 복지 사각지대 발굴", body="<p>채용 박람회와 함께 열려</p>",
                           published_at=ago(400)),
        "hidden": NewsFactory(title="비공개 채용 숲 주민센터", is_published=False, published_at=ago(1)),
        "future": NewsFactory(title="예약된 채용 숲 주민센터", published_at=timezone.now() + datetime.timedelta(days=2)),
    }
    files = {
        "public": make_attachment(posts["recruit"]),
        "hidden": make_attachment(posts["hidden"]),
    }
    type(files["public"]).objects.filter(pk=files["public"].pk).update(
        original_name="응시원서 서식.hwp", extracted_text="응시원서 접수처: 금천구청 숲속 도서관 2층 채용담당"
    )
    type(files["hidden"]).objects.filter(pk=files["hidden"].pk).update(
        original_name="비공개.hwp", extracted_text="숲 채용 주민센터"
    )
    trail = CultureTrailFactory(name="호암산 숲길", summary="호암산 역사문화길", story="<p>숲과 절터를 잇는 길</p>")
    return {**posts, **{f"file_{key}": value for key, value in files.items()}, "trail": trail}


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # One syllable: the body of a notice, a 붙임's text and a trail.
        ("숲", {"notices": ["공영주차장 설치 공고"], "trails": ["호암산 숲길"], "files": ["응시원서 서식.hwp"]}),
        # Two syllables inside a word ("기간제근로자채용"), in titles, bodies and 붙임.
        ("채용", {
            "news": ["기간제근로자채용 안내"], "recruitment": ["2026년 행정보조 기간제 채용"],
            "press": ["금천구, 복지 사각지대 발굴"], "files": ["응시원서 서식.hwp"],
        }),
        # Four syllables, inside "주민센터에서" and "주민센터".
        ("주민센터", {"news": ["기간제근로자채용 안내"], "contracts": ["사무용 복합기 구매"]}),
        # Every word must occur (AND), each anywhere in title or text.
        ("채용 독산1동", {"news": ["기간제근로자채용 안내"]}),
        ("채용 숲", {"files": ["응시원서 서식.hwp"]}),
        ("주차 호암산", {"notices": ["공영주차장 설치 공고"]}),
        ("호암산 절터", {"trails": ["호암산 숲길"]}),
        ("채용 없는낱말", {}),
    ],
)
def test_matching(client, corpus, q, expected):
    assert found(search(client, q=q)) == expected


def test_unpublished_future_and_their_files_never_show(client, corpus):
    response = search(client, q="비공개")
    assert found(response) == {}
    assert sum(group.count for group in response.context["groups"]) == 0
    response = search(client, q="예약된")
    assert found(response) == {}
    assert "비공개" not in text_of(search(client, q="숲"))


def test_latin_letters_ignore_case(client):
    NewsFactory(title="패션/IT 문화길 걷기", body="<p>G밸리 Fashion 거리</p>")
    assert found(search(client, q="fashion g밸리")) == {"news": ["패션/IT 문화길 걷기"]}
    assert found(search(client, q="it")) == {"news": ["패션/IT 문화길 걷기"]}


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_board_lists_give_the_same_answers(client, corpus, slug):
    """PostQuerySet.search (the lists' 제목+내용 search) and 통합검색 agree."""
    for q in ("채용", "숲", "주민센터", "채용 독산1동"):
        board = registry.get(slug)
        listed = [post.title for post in board.posts().published().search(q, "all").latest_first()]
        grouped = found(search(client, q=q, board=slug)).get(slug, [])
        assert sorted(listed) == sorted(grouped), q


def test_engine_match_on_attachments_and_fields(corpus):
    model = type(corpus["file_public"])
    assert list(engine.match(model.objects.all(), ["도서관"], ("original_name", "extracted_text"))) == [
        corpus["file_public"]
    ]
    assert list(engine.match(model.objects.all(), ["도서관"], ("original_name",))) == []
    notices = type(corpus["parking"]).objects.all()
    assert set(engine.match(notices, ["채용"], ("title",))) == {corpus["inside"], corpus["hidden"], corpus["future"]}
    assert set(engine.match(notices, ["채용"], ("body_text",))) == set()


def test_like_wildcards_are_plain_characters(client):
    NewsFactory(title="할인율 50% 안내", body="<p>a_b</p>")
    NewsFactory(title="할인율 50 안내", body="<p>ab</p>")
    assert found(search(client, q="50%")) == {"news": ["할인율 50% 안내"]}
    assert found(search(client, q="a_b")) == {"news": ["할인율 50% 안내"]}


# --- filters and sort -------------------------------------------------------------------------


def test_board_filter_shows_one_group(client, corpus):
    response = search(client, q="채용", board="recruitment")
    assert list(groups(response)) == ["recruitment"]
    assert found(response) == {"recruitment": ["2026년 행정보조 기간제 채용"]}
    assert list(groups(search(client, q="채용", board="files"))) == ["files"]
    assert list(groups(search(client, q="숲", board="trails"))) == ["trails"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"period": "1w"}, {"news", "recruitment", "files"}),
        ({"period": "1m"}, {"news", "recruitment", "files"}),
        ({"period": "1y"}, {"news", "recruitment", "files"}),
        ({}, {"news", "recruitment", "press", "files"}),
        # 보도자료 was published 400 days ago.
        ({"period": "custom", "start": (timezone.localdate() - datetime.timedelta(days=401)).isoformat(),
          "end": (timezone.localdate() - datetime.timedelta(days=399)).isoformat()}, {"press"}),
        ({"period": "custom", "end": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()}, {"press"}),
        # Dates are ignored unless 직접 입력 is chosen.
        ({"period": "", "start": "2999-01-01"}, {"news", "recruitment", "press", "files"}),
    ],
)
def test_period_filter(client, corpus, params, expected):
    assert set(found(search(client, q="채용", **params))) == expected


@pytest.mark.parametrize(
    ("today", "period", "since"),
    [
        ("2027-03-31", "1m", "2027-02-28"),  # a month back from the 31st: the shorter month's last day
        ("2028-02-29", "1y", "2027-02-28"),
        ("2027-01-05", "1w", "2026-12-29"),
    ],
)
def test_periods_start_at_midnight_in_seoul_a_calendar_span_back(today, period, since):
    form = SearchForm({"q": "채용", "period": period})
    assert form.is_valid()
    now = datetime.datetime.fromisoformat(f"{today}T09:00:00+09:00")
    start, until = form.bounds(now)
    assert (start.isoformat(), until) == (f"{since}T00:00:00+09:00", None)


def test_period_hides_trails_that_have_no_date(client, corpus):
    assert "trails" in groups(search(client, q="숲"))
    assert "trails" not in groups(search(client, q="숲", period="1y"))


def test_sort_relevance_puts_title_matches_first(client):
    body_only = NewsFactory(title="주민 알림", body="<p>도서관 휴관 안내</p>", published_at=ago(1))
    title_old = NewsFactory(title="도서관 이용 안내", body="<p>알림</p>", published_at=ago(30))
    title_new = NewsFactory(title="작은도서관 개관", body="<p>알림</p>", published_at=ago(10))
    relevance = groups(search(client, q="도서관"))["news"]
    assert hit_titles(relevance) == [title_new.title, title_old.title, body_only.title]
    latest = groups(search(client, q="도서관", sort="latest"))["news"]
    assert hit_titles(latest) == [body_only.title, title_new.title, title_old.title]


# --- the page ---------------------------------------------------------------------------------


def test_matches_are_highlighted_and_everything_escaped(client):
    post = NewsFactory(title="<script>alert(1)</script> 채용 설명회", body="<p>일정</p>")
    attachment = make_attachment(post)
    type(attachment).objects.filter(pk=attachment.pk).update(
        original_name="<img src=x onerror=alert(1)>.hwp", extracted_text="<b>채용</b> 일정 <i>안내</i>"
    )
    content = search(client, q="채용").content.decode()
    assert "<script>alert(1)</script>" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>채용</mark> 설명회" in content
    assert "&lt;b&gt;<mark>채용</mark>&lt;/b&gt; 일정 &lt;i&gt;안내&lt;/i&gt;" in content


def test_a_query_cannot_inject_markup(client):
    NewsFactory(title="안내 <b>굵게</b>", body="<p>x</p>")
    content = search(client, q="<b>").content.decode()
    assert "<b>굵게" not in content
    assert "<mark>&lt;b&gt;</mark>굵게" in content


def test_snippet_is_around_the_first_match(client):
    filler = "가나다라마바사 " * 40
    NewsFactory(title="긴 본문", body=f"<p>{filler}복지관 개관 소식 {filler}</p>")
    hit = groups(search(client, q="복지관"))["news"].hits[0]
    assert "<mark>복지관</mark> 개관 소식" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(strip_tags(hit.snippet)) <= results.highlight.__globals__["SNIPPET_LENGTH"] + 2


def test_snippets_of_latin_words_and_of_attachments_are_around_the_match(client):
    filler = "가나다라마바사 " * 40
    post = NewsFactory(title="긴 본문 둘", body=f"<p>{filler}G밸리 Fashion Week 소식 {filler}</p>")
    attachment = make_attachment(post)
    type(attachment).objects.filter(pk=attachment.pk).update(extracted_text=f"{filler}복지관 개관 안내 {filler}")
    news = groups(search(client, q="fashion"))["news"].hits[0]
    assert "<mark>Fashion</mark> Week" in news.snippet and news.snippet.startswith("…")
    file = groups(search(client, q="복지관"))["files"].hits[0]
    assert "<mark>복지관</mark> 개관 안내" in file.snippet and file.snippet.startswith("…")


def test_counts_per_group_and_total(client, corpus):
    for n in range(4):
        NewsFactory(title=f"채용 안내 {n}")
    response = search(client, q="채용")
    counts = {slug: group.count for slug, group in groups(response).items()}
    assert counts == {"news": 5, "notices": 0, "recruitment": 1, "contracts": 0, "press": 1, "trails": 0,
                      "files": 1}
    assert len(groups(response)["news"].hits) == results.HITS_PER_GROUP
    assert response.context["total"] == 8
    text = text_of(response)
    assert "총 8건" in text and "금천소식 5건" in text


def test_counts_stop_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    for n in range(5):
        NewsFactory(title=f"주차 안내 {n}")
    response = search(client, q="주차")
    news = groups(response)["news"]
    assert (news.count, news.shown_count, news.capped) == (4, 3, True)
    assert "금천소식 3건 이상" in text_of(response)


def test_more_links_carry_the_query_into_the_board_list(client, corpus):
    for n in range(6):
        NewsFactory(title=f"채용 설명회 {n}")
    response = search(client, q="채용 설명회")
    news = groups(response)["news"]
    url = urlsplit(news.more_url)
    assert url.path == "/news/"
    assert parse_qs(url.query) == {"q": ["채용 설명회"], "field": ["all"]}
    assert html_lib.escape(news.more_url) in response.content.decode()
    assert "금천소식 더보기" in text_of(response)
    # The list behind the link shows the same posts.
    listed = client.get(news.more_url)
    assert listed.context["page"].paginator.count == news.count == 6


def test_files_hits_link_to_the_download_and_the_post(client, corpus):
    hit = groups(search(client, q="도서관"))["files"].hits[0]
    assert hit.url == f"/recruitment/files/{corpus['file_public'].pk}/"
    assert hit.post_url == corpus["recruit"].get_absolute_url()
    assert "<mark>도서관</mark>" in hit.snippet


def test_files_of_boards_sharing_a_table_name_their_own_board(client):
    """금천소식 and 고시공고 keep their 붙임 in one table, read as one part: each hit still knows its board."""
    news, notice = make_post("news", title="소식"), make_post("notices", title="고시")
    for post in (news, notice):
        attachment = make_attachment(post)
        type(attachment).objects.filter(pk=attachment.pk).update(original_name="옥상정원 안내.hwp")
    hits = {hit.board_name: hit for hit in groups(search(client, q="옥상정원"))["files"].hits}
    assert set(hits) == {"금천소식", "고시공고"}
    assert hits["금천소식"].post_url == news.get_absolute_url() and hits["금천소식"].url.startswith("/news/files/")
    assert hits["고시공고"].post_url == notice.get_absolute_url() and hits["고시공고"].url.startswith("/notices/files/")


def test_a_file_hit_links_its_download_and_its_post_with_everything_escaped(client):
    post = make_post("news", title='<b>"소식"</b> & 안내')
    attachment = make_attachment(post)
    type(attachment).objects.filter(pk=attachment.pk).update(original_name="옥상정원 <안내>.hwp", size=2048)
    html = search(client, q="옥상정원").content.decode()
    hit = re.search(r'<li class="search-hit">(.*?)</li>\s*</ul>', html[html.index('id="search-group-files"'):], re.S)[1]
    assert f'href="/news/files/{attachment.pk}/"' in hit and "<안내>" not in hit
    assert '<mark>옥상정원</mark> &lt;안내&gt;.hwp<span class="sr-only"> 내려받기</span></a>' in hit
    assert '<span class="search-hit-file">(HWP, 2.0 KB)</span>' in hit
    assert f'<span>금천소식 게시글: <a href="{post.get_absolute_url()}">&lt;b&gt;&quot;소식&quot;&lt;/b&gt; &amp; 안내</a></span>' in hit


def test_files_alone_are_paged(client):
    post = NewsFactory(title="붙임 많은 글")
    for n in range(results.HITS_ONE_GROUP + 3):
        attachment = make_attachment(post)
        type(attachment).objects.filter(pk=attachment.pk).update(
            original_name=f"서식{n:02d}.hwp", extracted_text="민원 서식 모음"
        )
    first = groups(search(client, q="민원 서식", board="files"))["files"]
    second = groups(search(client, q="민원 서식", board="files", page=2))["files"]
    assert len(first.hits) == results.HITS_ONE_GROUP and len(second.hits) == 3
    assert not set(hit_titles(first)) & set(hit_titles(second))
    assert parse_qs(urlsplit(first.next_url).query)["page"] == ["2"]
    assert second.previous_url and not second.next_url


def test_empty_query_invites_a_search(client, corpus):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "\u3000"}):
        response = search(client, **params)
        assert response.context["groups"] is None
        assert "찾으시는 낱말을 입력해 주세요" in text_of(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "채" * 5000}, "검색어는 100자 이내로 입력해 주세요."),
        ({"q": "채용\x00"}, "검색어에 쓸 수 없는 문자가 들어 있습니다."),
        ({"q": "가 나 다 라 마 바 사 아 자 차 카"}, "검색어는 낱말 10개까지 입력할 수 있습니다."),
        ({"q": "채용", "period": "custom", "start": "2026-13-45"}, "날짜는 2026-01-31 처럼"),
        ({"q": "채용", "period": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "종료일이 시작일보다 빠릅니다."),
        ({"q": "채용", "period": "custom"}, "시작일이나 종료일을 넣어 주세요."),
        ({"q": "채용", "period": "custom", "start": "0001-01-01"}, "1990년부터 2099년 사이의 날짜"),
        ({"q": "채용", "period": "custom", "end": "9999-12-31"}, "1990년부터 2099년 사이의 날짜"),
        ({"q": "채용", "period": "custom", "start": "\x00"}, "날짜는 2026-01-31 처럼"),
    ],
)
def test_bad_input_gives_a_normal_page_with_a_korean_message(client, corpus, params, message):
    response = search(client, **params)
    assert response.context["groups"] is None
    assert message in text_of(response)


def chosen_filters(response):
    html = response.content.decode()
    return (re.findall(r'<option value="([^"]*)" selected>', html),
            re.findall(r'name="period" value="([^"]*)" checked', html),
            re.findall(r'name="sort" value="([^"]*)" checked', html))


def test_the_form_shows_the_filters_chosen_and_the_defaults_otherwise(client, corpus):
    assert chosen_filters(search(client, q="채용")) == ([], [""], ["relevance"])  # 전체 shown first, 정확도순
    chosen = search(client, q="채용", board="press", period="1y", sort="latest")
    assert chosen_filters(chosen) == (["press"], ["1y"], ["latest"])
    odd = search(client, q="채용", board="evil", period="forever", sort="newest")  # each back to its default
    assert chosen_filters(odd) == ([""], [""], ["relevance"])
    assert chosen_filters(search(client)) == ([], [""], ["relevance"])  # the empty form


@pytest.mark.parametrize(
    "params",
    [
        {"q": "채용", "board": "evil"},
        {"q": "채용", "sort": "' OR 1=1 --"},
        {"q": "채용", "period": "forever"},
        {"q": "채용", "board": "files", "page": "abc"},
        {"q": "채용", "board": "files", "page": "9" * 5000},
        {"q": "채용", "board": "files", "page": "-3"},
        {"q": "채용", "board": "files", "page": "\x00"},
        {"q": "%_\\'\"; DROP TABLE notices_notice; --"},
        {"q": "\U0001F600 \u200b \ufeff"},
        {"q": "채용", "board": ["news", "press"]},
    ],
)
def test_odd_parameters_fall_back_to_defaults(client, corpus, params):
    response = search(client, **params)
    assert response.context["groups"] is not None
    assert "검색 조건을 확인해 주세요" not in text_of(response)


# --- cost -------------------------------------------------------------------------------------

# search/parts.py: one statement reads every group's newest matches as light rows; one
# more reads the heading matches (정확도순) where the newest matches hold too few of them;
# then one for the posts and 붙임 shown (one statement for both), and one for the trails.
# On PostgreSQL the page also sets statement_timeout for its transaction (SET LOCAL);
# inside a test's transaction the block adds a SAVEPOINT and its RELEASE.
SESSION = 3 if connection.vendor == "postgresql" else 0
RECENT, EXTRA, SHOWN, TRAILS = 1, 1, 1, 1
ALERTS = 1  # 긴급 공지 (home.SiteAlert), asked by every page that is not served from the cache
MOST = SESSION + ALERTS + RECENT + SHOWN + TRAILS


def fill(count, title="주민 복지 안내", body="복지관 프로그램", file_text="복지 안내 서식"):
    for n in range(count):
        for slug in BOARD_SLUGS:
            post = make_post(slug, title=f"{title} {n}", body=f"<p>{body}</p>")
            attachment = make_attachment(post)
            type(attachment).objects.filter(pk=attachment.pk).update(extracted_text=file_text)
        CultureTrailFactory(name=f"복지길 {n}", summary="걸으며 듣는 복지 안내")


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_a_fixed_number_of_queries_however_many_match(client, django_assert_num_queries, sort):
    fill(2, title="주민 안내", body="복지관 프로그램")  # "복지" in bodies and 붙임 text, not in titles
    with django_assert_num_queries(MOST):
        response = search(client, q="복지", sort=sort)
    assert groups(response)["news"].count == 2

    fill(8, title="주민 안내", body="복지관 안내 프로그램")
    with django_assert_num_queries(MOST):
        response = search(client, q="복지 안내", sort=sort)
    assert groups(response)["news"].count == 10
    assert len(groups(response)["files"].hits) == results.HITS_PER_GROUP
    assert len(groups(response)["trails"].hits) == 10


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_groups_with_more_than_the_cap_cost_one_statement_more_at_most(
    client, django_assert_num_queries, monkeypatch, sort
):
    monkeypatch.setattr(results, "COUNT_CAP", 6)
    fill(9, title="주민 안내")  # "복지" in every body and 붙임, in no title: 9 > 6 everywhere
    extra = EXTRA if sort == "relevance" else 0  # the newest 7 hold no title match
    with django_assert_num_queries(MOST + extra):
        response = search(client, q="복지", sort=sort)
    found = groups(response)
    assert all(found[slug].capped and len(found[slug].hits) == 5 for slug in BOARD_SLUGS)
    assert [strip_tags(hit.title) for hit in found["news"].hits] == [f"주민 안내 {n}" for n in range(5)]  # newest


def test_the_trails_are_read_once_a_content_version_and_an_edit_shows_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache, caches
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 300  # as in production: pages and searches cached under the content version
    cache.clear()
    caches["search"].clear()
    trail = CultureTrailFactory(name="복지길", summary="걸으며 듣는 복지 안내")
    assert found(search(client, q="복지"))["trails"] == ["복지길"]
    with CaptureQueriesContext(connection) as queries:  # another word: a search made anew
        assert found(search(client, q="안내"))["trails"] == ["복지길"]
    assert queries.captured_queries
    assert not [query for query in queries.captured_queries if "tourism_culturetrail" in query["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        trail.summary = "걸으며 듣는 숲 이야기"
        trail.save()
    assert "trails" not in found(search(client, q="안내"))
    assert found(search(client, q="이야기"))["trails"] == ["복지길"]


def test_title_matches_among_the_newest_rows_need_no_more_statements(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(results, "COUNT_CAP", 11)
    fill(13)  # "복지" in every title and body: the newest 12 rows hold the 10 shown
    with django_assert_num_queries(SESSION + ALERTS + RECENT + 1):  # its rows, then the posts shown
        response = search(client, q="복지", board="press")
    assert groups(response)["press"].capped
    shown = [strip_tags(hit.title) for hit in groups(response)["press"].hits]
    assert shown == [f"주민 복지 안내 {n}" for n in range(10)]


def test_groups_without_matches_cost_no_query(client, django_assert_num_queries):
    fill(3)
    with django_assert_num_queries(SESSION + ALERTS + RECENT + TRAILS):  # nothing to show, nothing to read in full
        response = search(client, q="텃밭")
    assert all(group.count == 0 for group in groups(response).values())


def test_one_board_costs_two_queries(client, django_assert_num_queries):
    fill(3)
    with django_assert_num_queries(SESSION + ALERTS + RECENT + 1):  # its rows, then the posts shown
        response = search(client, q="복지", board="press", sort="latest")
    assert groups(response)["press"].count == 3


def test_a_post_deleted_while_its_search_runs_is_left_out(client, monkeypatch):
    """Between reading the matches and reading the rows shown a staff member may delete one: no error."""
    from search import parts

    make_post("news", title="옥상정원 남는 글")
    gone = make_post("news", title="옥상정원 지울 글")
    real_read = parts.read

    def read_then_delete(*args, **kwargs):
        found = real_read(*args, **kwargs)
        type(gone).objects.filter(pk=gone.pk).delete()
        return found

    monkeypatch.setattr(parts, "read", read_then_delete)
    response = search(client, q="옥상정원", board="news")
    assert hit_titles(groups(response)["news"]) == ["옥상정원 남는 글"]
