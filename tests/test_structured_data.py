"""schema.org JSON-LD: JobPosting on 채용공고, GovernmentOrganization on the home page and
BreadcrumbList on content pages.

The markup is read back the way a browser or a crawler splits a page (html.parser), so a
title that ended the script element early would show here as broken or wrong JSON.
"""

import datetime
import json
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from boards import site_url
from editorial.takedown import take_down
from recruitment.models import RecruitmentPost
from recruitment.structured_data import employment_type
from tests.factories import (
    CultureTrailFactory,
    DepartmentFactory,
    NewsFactory,
    RecruitmentFactory,
    make_attachment,
)
from tests.test_query_counts import DETAIL_QUERIES

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
SITE = "https://www.geumcheon.go.kr"
GOOGLE_REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


class PageReader(HTMLParser):
    """The JSON-LD scripts of <head>, and the visible breadcrumb as (name, href or None)."""

    def __init__(self):
        super().__init__()
        self.scripts, self.crumbs = [], []
        self._in_ld = self._in_head = self._in_crumbs = False
        self._crumb = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            assert self._in_head, "JSON-LD belongs in <head>"
            self._in_ld = True
            self.scripts.append("")
        elif tag == "nav" and "breadcrumb" in (attrs.get("class") or ""):
            self._in_crumbs = True
        elif self._in_crumbs and tag == "li":
            self._crumb = ["", None]
        elif self._in_crumbs and tag == "a" and self._crumb is not None:
            self._crumb[1] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        elif tag == "script":
            self._in_ld = False
        elif tag == "nav":
            self._in_crumbs = False
        elif tag == "li" and self._crumb is not None:
            self.crumbs.append((self._crumb[0].strip(), self._crumb[1]))
            self._crumb = None

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data
        elif self._crumb is not None:
            self._crumb[0] += data


def read_page(response):
    assert response.status_code == 200
    reader = PageReader()
    reader.feed(response.content.decode())
    return [json.loads(script) for script in reader.scripts], reader.crumbs


def items_of(response, kind):
    return [item for item in read_page(response)[0] if item["@type"] == kind]


def the_item(response, kind):
    [item] = items_of(response, kind)
    assert item["@context"] == "https://schema.org"
    return item


def posting(**kwargs):
    now = timezone.now()
    kwargs.setdefault("apply_start", now - datetime.timedelta(days=1))
    kwargs.setdefault("apply_end", datetime.datetime(2027, 1, 15, 18, 0, tzinfo=SEOUL))
    return RecruitmentFactory(**kwargs)


# --- JobPosting -------------------------------------------------------------------------------

def test_a_recruitment_page_carries_a_job_posting_with_what_google_requires(client):
    five_days_ago = timezone.localtime(timezone.now() - datetime.timedelta(days=5), SEOUL)
    post = posting(
        title="2026년 금천구 기간제근로자(행정보조) 채용 공고", field_name="기간제근로자(행정보조)", headcount=3,
        body="<p>주민센터 <strong>행정 보조</strong> 업무</p>",
        published_at=five_days_ago.replace(hour=10, minute=30, second=0, microsecond=0),
    )
    job = the_item(client.get(post.get_absolute_url()), "JobPosting")

    assert all(job.get(name) for name in GOOGLE_REQUIRED), job
    assert job["title"] == "기간제근로자(행정보조)"  # the job, not the notice's title
    assert job["description"] == "주민센터 행정 보조 업무"  # the body as plain text
    assert job["datePosted"] == f"{five_days_ago:%Y-%m-%d}T10:30:00+09:00"
    assert job["validThrough"] == "2027-01-15T18:00:00+09:00"
    assert job["hiringOrganization"] == {
        "@type": "Organization", "name": "서울특별시 금천구", "url": f"{SITE}/", "sameAs": f"{SITE}/",
        "logo": f"{SITE}/static/img/logo.svg",
    }
    assert job["jobLocation"] == {"@type": "Place", "address": {
        "@type": "PostalAddress", "streetAddress": "시흥대로73길 70", "addressLocality": "금천구",
        "addressRegion": "서울특별시", "postalCode": "08611", "addressCountry": "KR",
    }}
    assert job["identifier"] == {"@type": "PropertyValue", "name": "서울특별시 금천구 채용공고", "value": str(post.pk)}
    assert job["employmentType"] == "TEMPORARY"
    assert job["directApply"] is False
    assert job["totalJobOpenings"] == 3
    assert job["url"] == f"{SITE}/recruitment/{post.pk}/"


def test_valid_through_is_seoul_time_whatever_zone_the_request_runs_in(client):
    post = posting(apply_end=datetime.datetime(2027, 1, 15, 9, 0, tzinfo=datetime.timezone.utc))
    with timezone.override("America/New_York"):
        job = the_item(client.get(post.get_absolute_url()), "JobPosting")
    assert job["validThrough"] == "2027-01-15T18:00:00+09:00"
    assert datetime.datetime.fromisoformat(job["validThrough"]) == post.apply_end


def test_without_field_or_period_the_title_is_the_posts_and_unknowns_are_left_out(client):
    post = RecruitmentFactory(title="금천구 채용 공고", field_name="", headcount=None, body="",
                              apply_start=None, apply_end=None)
    job = the_item(client.get(post.get_absolute_url()), "JobPosting")
    assert job["title"] == job["description"] == "금천구 채용 공고"
    assert "validThrough" not in job and "employmentType" not in job and "totalJobOpenings" not in job
    assert all(job.get(name) for name in GOOGLE_REQUIRED)


@pytest.mark.parametrize("field_name, expected", [
    ("기간제근로자", "TEMPORARY"),
    ("일반임기제공무원", "TEMPORARY"),
    ("청년 인턴", "INTERN"),
    ("정규직 공무직", "FULL_TIME"),
    ("시간선택제임기제", ["TEMPORARY", "PART_TIME"]),
    ("비정규직 상담원", None),
    ("행정 보조", None),
    ("", None),
])
def test_employment_type_only_where_the_field_says_it(field_name, expected):
    assert employment_type(field_name) == expected


def test_a_posting_past_its_deadline_keeps_its_markup(client):
    post = posting(apply_start=timezone.now() - datetime.timedelta(days=40),
                   apply_end=timezone.now() - datetime.timedelta(days=30),
                   published_at=timezone.now() - datetime.timedelta(days=45))
    job = the_item(client.get(post.get_absolute_url()), "JobPosting")
    assert datetime.datetime.fromisoformat(job["validThrough"]) < timezone.now()
    assert job["validThrough"].endswith("+09:00")


def test_a_results_announcement_is_no_job_posting(client):
    post = posting(kind=RecruitmentPost.Kind.RESULT, title="기간제근로자 합격자 발표")
    response = client.get(post.get_absolute_url())
    assert items_of(response, "JobPosting") == []
    assert the_item(response, "BreadcrumbList")


def test_other_boards_have_breadcrumbs_but_no_job_posting(client):
    response = client.get(NewsFactory().get_absolute_url())
    assert [item["@type"] for item in read_page(response)[0]] == ["BreadcrumbList"]


def test_unpublished_and_taken_down_postings_are_not_served(client, admin_user):
    hidden = posting(is_published=False)
    scheduled = posting(published_at=timezone.now() + datetime.timedelta(days=1))
    taken_down = posting()
    take_down([taken_down], user=admin_user, reason="wrong_post")
    for post in (hidden, scheduled, taken_down):
        response = client.get(post.get_absolute_url())
        assert response.status_code == 404
        assert b"application/ld+json" not in response.content


def test_the_staff_preview_carries_no_markup(admin_client):
    post = posting(is_published=False, title="미리보기 공고")
    url = reverse("admin:recruitment_recruitmentpost_preview", args=[post.pk])
    response = admin_client.get(url)
    assert response.status_code == 200 and "미리보기 공고" in response.content.decode()
    assert b"application/ld+json" not in response.content


# --- Safe serialisation -----------------------------------------------------------------------

BREAKOUTS = [
    "</script><script>window.__xss=1</script>",
    "<!--<script>",
    "</SCRIPT >\u2028&amp;<b>굵게</b>",
]


@pytest.mark.parametrize("title", BREAKOUTS)
def test_a_title_cannot_break_out_of_the_script(client, title):
    post = posting(title=title, field_name="")
    response = client.get(post.get_absolute_url())
    head = response.content.decode().split("</head>")[0]
    scripts = [part.split("</script>")[0] for part in head.split('<script type="application/ld+json">')[1:]]
    assert len(scripts) == 2  # BreadcrumbList, JobPosting
    # No markup inside at all: neither an end tag nor "<!--", which would make the browser
    # read past the script's own </script> (HTML's "script data escaped" states).
    assert not any("<" in script for script in scripts), scripts
    job = the_item(response, "JobPosting")
    assert job["title"] == title  # and the text comes back exactly


def test_a_trail_name_cannot_break_out_of_the_script(client):
    trail = CultureTrailFactory(name="</script><!--길")
    [breadcrumb] = items_of(client.get(trail.get_absolute_url()), "BreadcrumbList")
    assert breadcrumb["itemListElement"][-1]["name"] == "</script><!--길"


# --- Home and breadcrumbs ---------------------------------------------------------------------

def test_the_home_page_describes_the_office(client):
    office = the_item(client.get("/"), "GovernmentOrganization")
    assert office["name"] == "서울특별시 금천구청"
    assert office["url"] == f"{SITE}/"
    assert office["logo"] == f"{SITE}/static/img/logo.svg"
    assert office["telephone"] == "+82-2-2627-2114"
    assert office["address"]["@type"] == "PostalAddress"
    assert (office["address"]["streetAddress"], office["address"]["postalCode"]) == ("시흥대로73길 70", "08611")


def assert_breadcrumb_matches_the_visible_one(client, page_url):
    response = client.get(page_url)
    page_url = page_url.split("?")[0]
    [breadcrumb], crumbs = items_of(response, "BreadcrumbList"), read_page(response)[1]
    elements = breadcrumb["itemListElement"]
    assert [element["position"] for element in elements] == list(range(1, len(crumbs) + 1))
    assert [element["name"] for element in elements] == [name for name, _ in crumbs]
    # Each crumb's link, absolute; the current page's crumb without a link is the page itself.
    assert [element["item"] for element in elements] == [f"{SITE}{href or page_url}" for _, href in crumbs]
    assert all(element["@type"] == "ListItem" for element in elements)
    return [name for name, _ in crumbs]


@pytest.mark.parametrize("slug", ["news", "notices", "recruitment", "contracts", "press"])
def test_board_lists_and_posts_have_the_visible_breadcrumb(client, slug):
    from tests.factories import make_post

    post = make_post(slug)
    assert assert_breadcrumb_matches_the_visible_one(client, f"/{slug}/") == ["홈", post.board.name]
    names = assert_breadcrumb_matches_the_visible_one(client, f"/{slug}/?page=1&q=테스트")
    assert names == ["홈", post.board.name]
    names = assert_breadcrumb_matches_the_visible_one(client, post.get_absolute_url())
    assert names == ["홈", post.board.name, "글 보기"]


def test_trail_pages_have_the_visible_breadcrumb(client):
    trail = CultureTrailFactory(name="호암산 역사문화길")
    assert assert_breadcrumb_matches_the_visible_one(client, "/trails/") == ["홈", "문화관광"]
    names = assert_breadcrumb_matches_the_visible_one(client, trail.get_absolute_url())
    assert names == ["홈", "문화관광", "호암산 역사문화길"]


# --- Cost and cache ---------------------------------------------------------------------------

def test_the_markup_costs_no_query_on_a_post_page(client, django_assert_num_queries):
    newer, post, older = (posting(department=DepartmentFactory()) for _ in range(3))
    make_attachment(post)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(post.get_absolute_url())
    assert the_item(response, "JobPosting")["identifier"]["value"] == str(post.pk)


def test_the_markup_is_part_of_the_cached_page_and_follows_an_edit(
    client, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        post = posting(field_name="기간제근로자")
        first = the_item(client.get(post.get_absolute_url()), "JobPosting")
        breadcrumb = the_item(client.get("/recruitment/"), "BreadcrumbList")
        with django_assert_num_queries(1):  # from the cache: only the reading is counted
            assert the_item(client.get(post.get_absolute_url()), "JobPosting") == first
        with django_assert_num_queries(0):
            assert the_item(client.get("/recruitment/"), "BreadcrumbList") == breadcrumb
        with django_capture_on_commit_callbacks(execute=True):
            post.field_name = "청년 인턴"
            post.save()
        job = the_item(client.get(post.get_absolute_url()), "JobPosting")
        assert (job["title"], job["employmentType"]) == ("청년 인턴", "INTERN")
    finally:
        cache.clear()


# --- The site's address -----------------------------------------------------------------------

def test_links_come_from_site_url_not_from_the_request(client):
    post = posting()
    job = the_item(client.get(post.get_absolute_url(), HTTP_HOST="localhost"), "JobPosting")
    assert job["url"] == f"{SITE}/recruitment/{post.pk}/"


def test_production_with_a_loopback_site_url_is_warned_about(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [warning.id for warning in site_url.check_site_url()] == ["geumcheon.W002"]
    settings.SITE_URL = SITE
    assert site_url.check_site_url() == []
    settings.DEBUG, settings.SITE_URL = True, "http://127.0.0.1:8000"
    assert site_url.check_site_url() == []
