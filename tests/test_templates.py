"""The resident-facing templates: filters, page structure and accessibility basics."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.paginator import Paginator
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from boards.templatetags.portal import (
    filesize_ko,
    iso,
    kdate,
    kdatetime,
    list_number,
    number_comma,
    page_window,
    tel_href,
)
from tests.factories import (
    ContractFactory,
    CultureTrailFactory,
    DepartmentFactory,
    HeroBannerFactory,
    NewsFactory,
    NoticeAttachmentFactory,
    NoticeFactory,
    PressPhotoFactory,
    QuickLinkFactory,
    RecruitmentFactory,
    TrailStopFactory,
)

UTC = datetime.timezone.utc


class Elements(HTMLParser):
    """Start tags in document order as (tag, attrs), plus the text inside each <a>."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.link_texts = []
        self._in_link = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._in_link += 1
            self.link_texts.append("")

    def handle_endtag(self, tag):
        if tag == "a" and self._in_link:
            self._in_link -= 1

    def handle_data(self, data):
        if self._in_link:
            self.link_texts[-1] += data

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def after(self, tag):
        """Tags after the first ``tag`` start tag."""
        index = next(i for i, (t, _) in enumerate(self.tags) if t == tag)
        return self.tags[index + 1:]


def squash(html):
    return " ".join(html.split())


def page_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def title_of(html):
    return squash(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def section(html, start_marker, end_marker):
    start = html.index(start_marker)
    return html[start:html.index(end_marker, start)]


# ---------------------------------------------------------------- filters


class TestDateFilters:
    def test_kdate_of_a_date(self):
        assert kdate(datetime.date(2026, 1, 29)) == "2026. 1. 29.(목)"
        assert kdate(datetime.date(2026, 2, 1)) == "2026. 2. 1.(일)"

    def test_kdate_uses_seoul_time_for_aware_datetimes(self):
        # 16:00 UTC on the 29th is already 01:00 on Friday the 30th in Seoul.
        assert kdate(datetime.datetime(2026, 1, 29, 16, 0, tzinfo=UTC)) == "2026. 1. 30.(금)"

    def test_kdatetime(self):
        assert kdatetime(datetime.datetime(2026, 1, 29, 5, 0, tzinfo=UTC)) == "2026. 1. 29.(목) 14:00"
        assert kdatetime(datetime.date(2026, 1, 29)) == "2026. 1. 29.(목)"

    def test_iso_is_what_the_date_filter_gives_in_seoul_time(self):
        from django.template import Context, Template

        moment = datetime.datetime(2026, 1, 29, 16, 0, 30, tzinfo=UTC)
        assert iso(moment) == "2026-01-30T01:00:30+09:00"
        assert iso(moment) == Template('{{ moment|date:"c" }}').render(Context({"moment": moment}))
        assert iso(datetime.date(2026, 1, 29)) == "2026-01-29"

    @pytest.mark.parametrize("value", [None, "", "2026-01-29", 5])
    def test_non_dates_render_empty(self, value):
        assert kdate(value) == ""
        assert kdatetime(value) == ""
        assert iso(value) == ""


@pytest.mark.parametrize(
    "size, expected",
    [(0, "0 B"), (512, "512 B"), (1023, "1023 B"), (1024, "1.0 KB"), (12_595, "12.3 KB"),
     (1_258_291, "1.2 MB"), (1024 * 1024 - 1, "1.0 MB"), (3 * 1024**3, "3.0 GB"), (None, ""), ("x", "")],
)
def test_filesize_ko(size, expected):
    assert filesize_ko(size) == expected


@pytest.mark.parametrize(
    "phone, expected",
    [("02-2627-1316", "tel:0226271316"), ("02-2104-5562~3", "tel:0221045562"),
     ("1600-6120", "tel:16006120"), ("", ""), (None, "")],
)
def test_tel_href(phone, expected):
    assert tel_href(phone) == expected


def test_number_comma():
    assert number_comma(12_000_000) == "12,000,000"
    assert number_comma(999) == "999"
    assert number_comma(None) == ""


def test_list_number_counts_down_across_pages():
    page = Paginator(list(range(23)), 10).get_page(2)
    assert [list_number(page, i) for i in range(len(page.object_list))] == list(range(13, 3, -1))
    last = Paginator(list(range(23)), 10).get_page(3)
    assert [list_number(last, i) for i in range(len(last.object_list))] == [3, 2, 1]


def test_page_window_keeps_ten_pages_around_the_current_one():
    paginator = Paginator(list(range(300)), 10)  # 30 pages
    assert list(page_window(paginator.get_page(1))) == list(range(1, 11))
    assert list(page_window(paginator.get_page(15))) == list(range(11, 21))
    assert list(page_window(paginator.get_page(30))) == list(range(21, 31))
    assert list(page_window(Paginator(list(range(25)), 10).get_page(2))) == [1, 2, 3]


# ---------------------------------------------------------------- base layout


@pytest.mark.django_db
class TestBaseLayout:
    def test_language_skip_link_and_landmarks(self, client):
        html = page_html(client, reverse("boards:list", kwargs={"board": "news"}))
        elements = Elements(html)
        assert '<html lang="ko">' in html
        first_link = next(attrs for tag, attrs in elements.after("body") if tag == "a")
        assert first_link == {"class": "skip-link", "href": "#main"}
        assert elements.link_texts[0] == "본문 바로가기"
        assert elements.find("main", id="main")
        assert len(elements.find("h1")) == 1
        assert "이 누리집은 대한민국 공식 전자정부 누리집입니다." in html
        # The masthead comes before the header.
        assert html.index("공식 전자정부 누리집") < html.index('class="site-header"')

    def test_header_menu_and_footer(self, client):
        html = page_html(client, reverse("boards:list", kwargs={"board": "recruitment"}))
        elements = Elements(html)
        logo = elements.find("a", **{"class": "logo"})
        assert logo and logo[0]["href"] == "/"
        for slug in ("news", "notices", "recruitment", "contracts", "press"):
            assert elements.find("a", href=reverse("boards:list", kwargs={"board": slug}))
        assert elements.find("a", href=reverse("tourism:list"))
        assert 'href="/recruitment/" class="is-current" aria-current="true"' in html
        assert "(08611) 서울특별시 금천구 시흥대로73길 70" in html
        assert elements.find("a", href="tel:0226272114")
        assert "<strong" in section(html, "footer-policy", "</ul>")
        assert "개인정보처리방침" in html and "저작권정책" in html
        assert not elements.find("a", href="#")

    def test_the_menu_rendered_once_per_process_marks_each_pages_own_section(self, client):
        """base.html keeps the menu and footer in the "chrome" cache: per section, never shared wrongly."""
        current = 'class="is-current" aria-current="true"'
        for path in ("/news/", "/press/", "/trails/", "/news/"):
            nav = section(page_html(client, path), 'class="main-nav"', "</nav>")
            assert re.findall(rf'href="([^"]+)" {current}', nav) == [path], path
        home_nav = section(page_html(client, "/"), 'class="main-nav"', "</nav>")
        assert current not in home_nav and 'href="/news/"' in home_nav

    def test_skip_links_come_first_and_their_targets_exist(self, client):
        html = page_html(client, reverse("boards:list", kwargs={"board": "press"}))
        elements = Elements(html)
        links = [attrs for tag, attrs in elements.after("body") if tag == "a"][:2]
        assert [link["href"] for link in links] == ["#main", "#gnb"]
        assert elements.link_texts[:2] == ["본문 바로가기", "주메뉴 바로가기"]
        assert not [attrs for tag, attrs in elements.after("body")[:3] if tag in ("button", "input", "select")]
        assert elements.find("main", id="main") and elements.find("div", id="gnb")
        # The main menu sits inside #gnb, so the skip link lands on it (or on 전체메뉴).
        gnb = section(html, 'id="gnb"', "</nav>")
        assert 'aria-label="주메뉴"' in gnb and 'href="/press/"' in gnb and "전체메뉴" in gnb

    def test_mobile_menu_is_a_labelled_modal_dialog(self, client):
        html = page_html(client, reverse("tourism:list"))
        elements = Elements(html)
        button = elements.find("button", **{"class": "menu-open"})[0]
        assert button["aria-haspopup"] == "dialog" and button["aria-expanded"] == "false"
        assert button["aria-controls"] == "all-menu"
        assert "hidden" in button  # portal.js shows it; without JS the menu itself is shown
        dialog = elements.find("dialog", id="all-menu")[0]
        assert dialog["aria-modal"] == "true" and dialog["aria-labelledby"] == "all-menu-title"
        box = section(html, '<dialog class="all-menu"', "</dialog>")
        assert '<h2 class="all-menu-title" id="all-menu-title">전체메뉴</h2>' in box
        assert '<span class="sr-only">전체메뉴 </span>닫기</button>' in box

    def test_footer_links_to_the_three_policy_pages(self, client):
        html = page_html(client, "/")
        footer = section(html, '<ul class="footer-policy">', "</ul>")
        privacy = reverse("pages:privacy")
        assert f'<a class="policy-privacy" href="{privacy}"><strong>개인정보처리방침</strong></a>' in footer
        assert f'href="{reverse("pages:copyright")}">저작권정책</a>' in footer
        assert f'href="{reverse("pages:accessibility")}">웹접근성 정책</a>' in footer

    def test_only_local_assets_and_no_inline_script_or_style(self, client):
        NewsFactory()
        for url in ("/", reverse("boards:list", kwargs={"board": "news"})):
            html = page_html(client, url)
            elements = Elements(html)
            # schema.org JSON-LD is data the browser never runs (tests/test_structured_data.py).
            scripts = [s for s in elements.find("script") if s.get("type") != "application/ld+json"]
            assert scripts and all(s.get("src", "").startswith("/static/") for s in scripts)
            for _tag, attrs in elements.tags:
                assert "style" not in attrs
                assert not any(name.startswith("on") for name in attrs)
            for _tag, attrs in elements.tags:
                for name in ("src", "href"):
                    value = attrs.get(name, "")
                    assert not value.startswith("//")
            assert "<style" not in html


# ---------------------------------------------------------------- home


@pytest.mark.django_db
class TestHome:
    def test_tab_items_escape_titles_and_link_their_posts(self, client):
        post = NewsFactory(title='<img src=x onerror=alert(1)> "소식" & 안내')
        news = section(page_html(client, "/"), 'id="panel-news"', "</section>")
        assert "<img src=x" not in news
        assert (f'<a href="{post.get_absolute_url()}">&lt;img src=x onerror=alert(1)&gt; &quot;소식&quot; &amp; 안내</a>'
                in news)
        assert f'<time datetime="{iso(post.published_at)}">{kdate(post.published_at)}</time>' in news

    def test_five_tab_sections_in_registry_order_with_more_links(self, client):
        NewsFactory(title="동 주민자치회 소식")
        NoticeFactory(title="공인 폐기 공고")
        html = page_html(client, "/")
        ids = re.findall(r'<section class="tab-panel" id="panel-([a-z]+)"', html)
        assert ids == ["news", "notices", "recruitment", "contracts", "press"]
        elements = Elements(html)
        for slug, name in [("news", "금천소식"), ("notices", "고시공고"), ("recruitment", "채용공고"),
                           ("contracts", "소액수의 계약"), ("press", "보도자료")]:
            href = reverse("boards:list", kwargs={"board": slug})
            more = [text for attrs, text in zip(elements.find("a"), elements.link_texts)
                    if attrs.get("href") == href and "더보기" in text]
            assert more == [f"{name} 더보기"]
            assert f'<h3 class="tab-panel-title" id="panel-title-{slug}">{name}</h3>' in html
        news = section(html, 'id="panel-news"', "</section>")
        assert "동 주민자치회 소식" in news and "공인 폐기 공고" not in news
        assert "등록된 글이 없습니다." in section(html, 'id="panel-press"', "</section>")

    def test_each_tab_shows_at_most_five_latest_posts_with_korean_dates(self, client):
        now = timezone.now()
        for day in range(7):
            NewsFactory(title=f"소식 {day}", published_at=now - datetime.timedelta(days=day + 1))
        news = section(page_html(client, "/"), 'id="panel-news"', "</section>")
        assert re.findall(r">(소식 \d)</a>", news) == [f"소식 {d}" for d in range(5)]
        assert kdate(now - datetime.timedelta(days=1)) in news

    def test_banners_carousel_markup_and_quick_links(self, client):
        first = HeroBannerFactory(title="설 명절 종합대책", image_alt="설 명절 종합대책 안내")
        HeroBannerFactory(title="고향사랑기부제", opens_new_window=True, link_url="https://ilovegohyang.go.kr/")
        QuickLinkFactory(title="고향사랑기부제")
        html = page_html(client, "/")
        elements = Elements(html)
        assert elements.find("img", src=reverse("home:banner-image", args=[first.pk]), alt="설 명절 종합대책 안내")
        controls = section(html, "data-carousel-controls", "</div>")
        assert "hidden" in controls.split(">")[0]  # shown by portal.js only
        assert ">정지</button>" in controls and "이전" in controls and "다음" in controls
        assert elements.find("a", href=reverse("home:banners"))
        quick = section(html, 'class="quick-list"', "</ul>")
        assert 'target="_blank"' in quick and 'rel="noopener noreferrer"' in quick
        assert "(새 창)" in quick

    def test_trails_with_unique_more_links(self, client):
        trail = CultureTrailFactory(name="호암산 역사문화길", image_alt="호암산 능선")
        html = page_html(client, "/")
        assert "금천이 품은 문화관광" in html
        assert "스토리텔링으로 알기 쉽게 풀어가는 우리 금천" in html
        elements = Elements(html)
        texts = [text for attrs, text in zip(elements.find("a"), elements.link_texts)
                 if attrs.get("href") == trail.get_absolute_url()]
        assert [squash(t) for t in texts] == ["호암산 역사문화길 자세히보기"]
        assert elements.find("img", src=reverse("tourism:image", args=[trail.slug]), alt="호암산 능선")

    def test_home_has_a_single_h1_and_site_title(self, client):
        html = page_html(client, "/")
        assert len(Elements(html).find("h1")) == 1
        assert title_of(html) == "서울특별시 금천구청"

    def test_banner_overview_lists_every_banner(self, client):
        HeroBannerFactory(title="첫째 배너")
        HeroBannerFactory(title="둘째 배너")
        html = page_html(client, reverse("home:banners"))
        assert "첫째 배너" in html and "둘째 배너" in html
        assert title_of(html) == "비주얼 배너 모아보기 | 금천구청"


# ---------------------------------------------------------------- board list


@pytest.mark.django_db
class TestBoardList:
    url = reverse("boards:list", kwargs={"board": "notices"})

    def test_rows_escape_what_staff_typed(self, client):
        post = NoticeFactory(title='<script>alert(1)</script> "공고" & 안내', department__name="<b>총무과</b>")
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page_html(client, self.url), re.S) if "공고" in r)
        assert "<script>" not in row and "<b>" not in row
        assert f'<a href="{post.get_absolute_url()}">&lt;script&gt;alert(1)&lt;/script&gt; &quot;공고&quot; &amp; 안내</a>' in row
        assert '<td class="col-dept" data-label="담당부서">&lt;b&gt;총무과&lt;/b&gt;</td>' in row

    def test_numbers_are_plain_digits_whatever_the_number_format_settings(self, client, settings):
        settings.USE_THOUSAND_SEPARATOR = True
        NoticeFactory(title="많이 읽은 공고", view_count=12345)
        html = page_html(client, self.url)
        assert '<td class="col-views" data-label="조회수">12345</td>' in html
        assert "총 <strong>1</strong>건" in html

    def test_count_caption_headers_and_countdown_numbers(self, client):
        for n in range(12):
            NoticeFactory(title=f"공고 {n}")
        html = page_html(client, self.url)
        assert "총 <strong>12</strong>건" in html
        assert "<caption>고시공고 목록" in html
        headers = re.findall(r'<th scope="col" class="[^"]+">([^<]+)</th>', html)
        assert headers == ["번호", "제목", "담당부서", "등록일", "조회수", "첨부"]
        numbers = re.findall(r'<td class="col-num">(\d+)</td>', html)
        assert numbers == [str(n) for n in range(12, 2, -1)]
        page2 = page_html(client, self.url + "?page=2")
        assert re.findall(r'<td class="col-num">(\d+)</td>', page2) == ["2", "1"]
        assert title_of(page2) == "고시공고 2쪽 | 금천구청"

    def test_pagination_marks_current_page_and_keeps_the_search(self, client):
        for n in range(25):
            NoticeFactory(title=f"채용 관련 공고 {n}")
        html = page_html(client, self.url + "?field=title&q=채용&page=2")
        nav = section(html, '<nav class="pagination" aria-label="페이지 이동">', "</nav>")
        assert nav.count('aria-current="page"') == 1
        assert re.search(r'<a class="page-link is-current" href="[^"]*page=2[^"]*" aria-current="page">2</a>', nav)
        hrefs = re.findall(r'href="([^"]+)"', nav)
        assert hrefs and all("field=title" in h and "q=%EC%B1%84%EC%9A%A9" in h for h in hrefs)
        assert all("&amp;" in h for h in hrefs)  # escaped in the attribute
        assert all(h.count("page=") == 1 for h in hrefs)  # replaced, never repeated
        assert re.search(r'class="page-step page-prev" href="[^"]*page=1"', nav)
        assert re.search(r'class="page-step page-next" href="[^"]*page=3"', nav)
        assert "이전" in nav and "다음" in nav

    def test_no_pagination_for_a_single_page(self, client):
        NoticeFactory()
        assert 'aria-label="페이지 이동"' not in page_html(client, self.url)

    def test_empty_board_and_empty_search(self, client):
        assert "등록된 글이 없습니다." in page_html(client, self.url)
        NoticeFactory(title="공인 폐기 공고")
        html = page_html(client, self.url + "?q=없는검색어")
        assert "검색 결과가 없습니다." in html
        assert "총 <strong>0</strong>건" in html
        assert 'value="없는검색어"' in html

    def test_search_form_is_get_with_the_view_field_names(self, client):
        html = page_html(client, self.url + "?field=body&q=폐기")
        form = section(html, '<form class="search-form"', "</form>")
        assert 'method="get"' in form
        assert 'name="q"' in form and 'name="field"' in form
        assert '<option value="body" selected>' in form
        assert '<label class="sr-only" for="id_q">' in form

    def test_search_errors_are_shown_in_korean(self, client):
        html = page_html(client, self.url + "?q=" + "가" * 101)
        assert 'role="alert"' in html
        assert "검색어는 100자 이내로 입력해 주세요." in html
        assert 'aria-invalid="true"' in html

    def test_attachment_mark_and_notice_number_badge(self, client):
        NoticeAttachmentFactory(post__title="붙임 있는 공고", post__number_year=2026, post__number_seq=123)
        NoticeFactory(title="붙임 없는 공고")
        html = page_html(client, self.url)
        rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
        with_file = next(r for r in rows if "붙임 있는 공고" in r)
        without_file = next(r for r in rows if "붙임 없는 공고" in r)
        assert 'aria-label="첨부파일 있음"' in with_file
        assert "첨부파일 있음" not in without_file
        assert '<span class="badge badge-number">공고 제2026-123호</span>' in with_file
        assert 'class="badge' not in without_file  # no number, no badge

    def test_recruitment_status_badge(self, client):
        now = timezone.now()
        RecruitmentFactory(title="접수 중인 채용",
                           apply_start=now - datetime.timedelta(days=1), apply_end=now + datetime.timedelta(days=1))
        RecruitmentFactory(title="마감된 채용",
                           apply_start=now - datetime.timedelta(days=9), apply_end=now - datetime.timedelta(days=2))
        html = page_html(client, reverse("boards:list", kwargs={"board": "recruitment"}))
        assert '<span class="badge badge-status badge-open">접수중</span>' in html
        assert '<span class="badge badge-status badge-closed">마감</span>' in html
        RecruitmentFactory(title="접수기간 없는 채용", apply_start=None, apply_end=None)
        html = page_html(client, reverse("boards:list", kwargs={"board": "recruitment"}))
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "접수기간 없는 채용" in r)
        assert 'class="badge' not in row
        upcoming = RecruitmentFactory(apply_start=now + datetime.timedelta(days=1), apply_end=now + datetime.timedelta(days=3))
        assert '<span class="badge badge-status badge-upcoming">접수예정</span>' in page_html(client, upcoming.get_absolute_url())


# ---------------------------------------------------------------- detail


@pytest.mark.django_db
class TestBoardDetail:
    def test_notice_detail_shows_number_period_and_unique_title(self, client):
        department = DepartmentFactory(name="독산2동 주민센터", phone="02-2627-5512")
        post = NoticeFactory(
            title="공인 폐기 및 재교부 공고", department=department, number_year=2026, number_seq=123,
            period_start=datetime.date(2026, 1, 30), period_end=datetime.date(2026, 2, 8),
        )
        html = page_html(client, post.get_absolute_url())
        assert title_of(html) == "공인 폐기 및 재교부 공고 | 고시공고 | 금천구청"
        assert "<dt>공고번호</dt><dd>서울특별시 금천구 공고 제2026-123호</dd>" in html
        assert "2026. 1. 30.(금) ~ 2026. 2. 8.(일)" in html
        assert '<a href="tel:0226275512">02-2627-5512</a>' in html
        assert "자료관리 담당부서" in html and "공공누리" in html and "제1유형" in html
        assert len(Elements(html).find("h1")) == 1

    def test_contract_detail_table(self, client):
        post = ContractFactory(title="청사 소모품 구매")
        html = squash(page_html(client, post.get_absolute_url()))
        table = section(html, '<table class="info-table">', "</table>")
        assert "<caption>계약 정보</caption>" in table
        rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
        assert rows == ["계약명", "계약부서", "계약방법", "계약금액", "계약일", "계약기간", "계약상대자",
                        "수의계약 사유", "근거"]
        assert "<td>12,000,000원</td>" in table
        assert "1인 견적 수의계약" in table
        assert "2026. 1. 6.(화) ~ 2026. 3. 31.(화)" in table
        assert "(예시) 금천상사" in table and "홍길동" in table

    def test_recruitment_detail_fields(self, client):
        post = RecruitmentFactory(
            field_name="아동복지교사", headcount=2,
            apply_start=datetime.datetime(2026, 1, 28, 0, 0, tzinfo=UTC),
            apply_end=datetime.datetime(2026, 2, 6, 9, 0, tzinfo=UTC),
        )
        html = page_html(client, post.get_absolute_url())
        assert "<dt>채용분야</dt><dd>아동복지교사</dd>" in html
        assert "<dt>채용인원</dt><dd>2명</dd>" in html
        assert "2026. 1. 28.(수) 09:00 ~ 2026. 2. 6.(금) 18:00" in html
        assert "<dt>구분</dt><dd>채용공고</dd>" in html

    def test_press_detail_subtitles_and_photos(self, client):
        photo = PressPhotoFactory(post__subtitle="- 2월 3일부터 구매 가능 -\n- 소감 남기면 환급 -",
                                  caption="주민설명회 모습")
        html = page_html(client, photo.post.get_absolute_url())
        assert "<li>2월 3일부터 구매 가능</li>" in html and "<li>소감 남기면 환급</li>" in html
        assert f'<img src="{reverse("press:photo", args=[photo.pk])}" alt="설명회에 참석한 주민들"' in html
        assert "<figcaption>주민설명회 모습</figcaption>" in html

    def test_attachments_previous_next_and_list_link(self, client):
        now = timezone.now()
        older = NewsFactory(title="이전 소식", published_at=now - datetime.timedelta(days=3))
        post = NewsFactory(title="가운데 소식", published_at=now - datetime.timedelta(days=2))
        newer = NewsFactory(title="다음 소식", published_at=now - datetime.timedelta(days=1))
        attachment = NoticeAttachmentFactory(post=post)
        html = page_html(client, post.get_absolute_url())
        download = reverse("boards:download", kwargs={"board": "news", "pk": attachment.pk})
        assert f'href="{download}"' in html
        assert "공고문.pdf" in html and f"PDF, {filesize_ko(attachment.size)}" in html
        nav = section(html, 'class="post-nav"', "</nav>")
        assert nav.index("<dt>이전글") < nav.index(older.get_absolute_url()) < nav.index("<dt>다음글")
        assert nav.index("<dt>다음글") < nav.index(newer.get_absolute_url())
        assert f'href="{reverse("boards:list", kwargs={"board": "news"})}">목록' in html

    def test_first_post_has_no_neighbours(self, client):
        post = NewsFactory()
        html = page_html(client, post.get_absolute_url())
        assert "이전글이 없습니다." in html and "다음글이 없습니다." in html

    def test_body_html_is_rendered_but_title_is_escaped(self, client):
        post = NewsFactory(title="<b>굵게</b>", body="<p><strong>강조</strong></p>")
        html = page_html(client, post.get_absolute_url())
        assert "<strong>강조</strong>" in html
        assert "&lt;b&gt;굵게&lt;/b&gt;" in html


# ---------------------------------------------------------------- tourism


@pytest.mark.django_db
def test_trail_pages(client):
    trail = CultureTrailFactory(name="시흥동 역사문화길", distance_km="3.5", duration_minutes=90)
    TrailStopFactory(trail=trail, order=2, name="은행나무")
    TrailStopFactory(trail=trail, order=1, name="호압사")
    listing = page_html(client, reverse("tourism:list"))
    assert "시흥동 역사문화길" in listing and "자세히보기" in listing
    html = page_html(client, trail.get_absolute_url())
    assert title_of(html) == "시흥동 역사문화길 | 문화관광 | 금천구청"
    course = section(html, '<ol class="course-list">', "</ol>")
    assert course.index("호압사") < course.index("은행나무")
    assert "3.5km" in html and "1시간 30분" in html


@pytest.mark.django_db
def test_trail_page_names_its_department_and_contact(client):
    department = DepartmentFactory(name="문화체육과", phone="")
    trail = CultureTrailFactory(department=department, contact="02-2627-2114")
    manager = section(page_html(client, trail.get_absolute_url()), 'class="data-manager"', "</aside>")
    assert "<dt>자료관리 담당부서</dt><dd>문화체육과</dd>" in manager
    assert '<a href="tel:0226272114">02-2627-2114</a>' in manager
    assert "공공누리" in manager

    trail.contact = ""
    trail.save()
    department.phone = "02-2627-1234"
    department.save()
    manager = section(page_html(client, trail.get_absolute_url()), 'class="data-manager"', "</aside>")
    assert '<a href="tel:0226271234">02-2627-1234</a>' in manager  # the department's line
    bare = CultureTrailFactory()
    assert "<dt>연락처</dt><dd>-</dd>" in page_html(client, bare.get_absolute_url())


@pytest.mark.django_db
def test_text_size_and_print_tools_on_content_pages_only(client):
    tools = '<div class="page-tools" data-page-tools hidden>'
    for url in (NewsFactory().get_absolute_url(), CultureTrailFactory().get_absolute_url(),
                reverse("pages:accessibility")):
        html = page_html(client, url)
        box = section(html, tools, "data-print")
        assert '<span class="sr-only">글자 </span>작게</button>' in box
        assert '<span class="sr-only">글자 크기 </span>기본</button>' in box
        assert '<span class="sr-only">글자 </span>크게</button>' in box
        assert 'role="group" aria-labelledby="text-size-label"' in box
        assert 'data-print>인쇄' in html
    assert tools not in page_html(client, "/")
    assert tools not in page_html(client, reverse("boards:list", kwargs={"board": "news"}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, title, phrases",
    [
        ("privacy", "개인정보처리방침", ["개인정보의 처리 목적", "처리하는 개인정보 항목", "처리 및 보유기간",
                                   "개인정보의 제3자 제공", "파기 절차", "정보주체의 권리", "안전성 확보조치",
                                   "개인정보 보호책임자", "(예시)", "IP 주소 자체는 저장하지 않습니다"]),
        ("copyright", "저작권정책", ["공공누리 제1유형", "출처표시", "상업적 이용", "SIL 오픈 폰트 라이선스"]),
        ("accessibility", "웹접근성 정책", ["KWCAG", "2.2", "접근성 문제 알리기", "02-2627-2114"]),
    ],
)
def test_policy_pages(client, name, title, phrases):
    html = page_html(client, reverse(f"pages:{name}"))
    assert title_of(html) == f"{title} | 금천구청"
    elements = Elements(html)
    assert len(elements.find("h1")) == 1
    assert f'<li><span aria-current="page">{title}</span></li>' in html
    text = squash(html)
    for phrase in phrases:
        assert phrase in text, phrase
    for table in re.findall(r"<table.*?</table>", html, re.S):
        assert "<caption>" in table and 'scope="' in table
    assert client.post(reverse(f"pages:{name}")).status_code == 405


# ---------------------------------------------------------------- errors and robots.txt


@pytest.mark.django_db
def test_404_page_is_korean(client, settings):
    assert settings.DEBUG is False
    html = page_html(client, "/no-such-page/", status=404)
    assert "페이지를 찾을 수 없습니다" in html
    assert '<html lang="ko">' in html
    assert title_of(html) == "페이지를 찾을 수 없습니다 | 금천구청"


@pytest.mark.django_db
def test_500_page_renders_without_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "일시적인 오류가 발생했습니다" in html
    assert '<a class="skip-link" href="#main">본문 바로가기</a>' in html
    assert "02-2627-2114" in html


@pytest.mark.django_db
def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "admin" not in text  # robots.txt is public: it must not point at the admin
    assert "Sitemap: http://testserver/sitemap.xml" in text
