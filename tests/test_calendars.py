"""Deadline calendars: /recruitment/calendar.ics (접수 시작·마감) and /notices/calendar.ics (공고기간).

Every feed is read back with the ``icalendar`` library, as a subscriber's calendar would.
"""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from boards import calendars
from editorial.takedown import take_down
from tests.factories import DepartmentFactory, NewsFactory, NoticeFactory, RecruitmentFactory

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
SITE = "https://www.geumcheon.go.kr"
RECRUITMENT = "/recruitment/calendar.ics"
NOTICES = "/notices/calendar.ics"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def posting(days_old=3, start_in_days=-1, length_days=14, **kwargs):
    """A public 채용공고 posted ``days_old`` days ago whose 접수 starts ``start_in_days`` from now, 09:00."""
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=start_in_days), SEOUL).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    end = (start + datetime.timedelta(days=length_days)).replace(hour=18)
    return RecruitmentFactory(published_at=days_ago(days_old), apply_start=start, apply_end=end, **kwargs)


def notice(days_old=3, **kwargs):
    kwargs.setdefault("period_start", datetime.date(2026, 12, 1))
    kwargs.setdefault("period_end", datetime.date(2026, 12, 14))
    return NoticeFactory(published_at=days_ago(days_old), **kwargs)


def read(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uids(client, url):
    return set(events(read(client, url)))


def uid(post, key):
    return f"{post.board_slug}-{post.pk}-{key}@geumcheon.go.kr"


def recruitment_uids(post):
    return {uid(post, "start"), uid(post, "end")}


def test_recruitment_feed_has_the_start_and_the_deadline_of_each_posting(client):
    department = DepartmentFactory(name="일자리정책과", phone="02-2627-1234")
    post = posting(title="2026년 기간제근로자 채용", department=department, contact="02-2627-5678")
    response = client.get(RECRUITMENT)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "금천구청 채용공고 접수 일정"
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]

    found = events(calendar)
    assert set(found) == recruitment_uids(post)
    assert uid(post, "start") == f"recruitment-{post.pk}-start@geumcheon.go.kr"
    start, end = found[uid(post, "start")], found[uid(post, "end")]
    assert str(start["SUMMARY"]) == "[접수 시작] 2026년 기간제근로자 채용"
    assert str(end["SUMMARY"]) == "[접수 마감] 2026년 기간제근로자 채용"
    for event, moment in ((start, post.apply_start), (end, post.apply_end)):
        assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
        assert event["DTSTART"].dt == moment
        assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=9)
        assert str(event["URL"]) == f"{SITE}/recruitment/{post.pk}/"
        description = str(event["DESCRIPTION"])
        assert "담당부서: 일자리정책과" in description and "연락처: 02-2627-5678" in description
        assert "접수기간: " in description and "채용분야: 기간제근로자" in description
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_every_event_has_what_rfc_5545_requires_and_lines_are_folded(client):
    posting(title="아주 긴 제목 " * 20)
    notice(title="고시공고, 세미콜론; 쉼표가 있는 제목")
    for url in (RECRUITMENT, NOTICES):
        content = client.get(url).content
        lines = content.split(b"\r\n")
        assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
        assert max(len(line) for line in lines) <= 75  # octets, Korean included
        calendar = icalendar.Calendar.from_ical(content)
        assert calendar.walk("VEVENT")
        for event in calendar.walk("VEVENT"):
            assert event["UID"] and event["DTSTART"]
            assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)  # DTSTAMP is UTC


def test_notices_feed_has_the_publication_period_as_all_day_events(client):
    post = notice(title="도시계획시설 결정 공고", period_start=datetime.date(2026, 12, 1),
                  period_end=datetime.date(2026, 12, 14), number_year=2026, number_seq=123)
    NewsFactory(title="금천소식은 달력에 없음")
    response = client.get(NOTICES)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "금천구청 고시공고 공고기간 일정"

    found = events(calendar)
    assert set(found) == {f"notices-{post.pk}-{key}@geumcheon.go.kr" for key in ("start", "end")}
    start, end = found[uid(post, "start")], found[uid(post, "end")]
    assert str(start["SUMMARY"]) == "[공고 시작] 도시계획시설 결정 공고"
    assert str(end["SUMMARY"]) == "[공고 마감] 도시계획시설 결정 공고"
    # All day: DATE values, the end exclusive.
    day = datetime.date
    assert (start["DTSTART"].dt, start["DTEND"].dt) == (day(2026, 12, 1), day(2026, 12, 2))
    assert (end["DTSTART"].dt, end["DTEND"].dt) == (day(2026, 12, 14), day(2026, 12, 15))
    assert not isinstance(end["DTSTART"].dt, datetime.datetime)
    assert str(end["URL"]) == f"{SITE}/notices/{post.pk}/"
    assert "공고번호: 서울특별시 금천구 공고 제2026-123호" in str(end["DESCRIPTION"])
    assert f"담당부서: {post.department.name}" in str(end["DESCRIPTION"])


def test_a_notice_with_one_end_of_its_period_gets_one_event_and_one_without_none(client):
    only_end = notice(period_start=None, period_end=datetime.date(2026, 12, 31))
    notice(period_start=None, period_end=None)
    assert uids(client, NOTICES) == {f"notices-{only_end.pk}-end@geumcheon.go.kr"}


def test_uids_stay_the_same_across_requests_and_edits(client):
    post = posting(title="처음 제목")
    other = posting()
    first = client.get(RECRUITMENT).content
    assert client.get(RECRUITMENT).content == first  # the same content is the same bytes

    other.title = "다른 공고를 고침"
    other.save()
    post.title = "고친 제목"
    post.save()
    after = events(read(client, RECRUITMENT))
    before = set(events(icalendar.Calendar.from_ical(first)))
    assert set(after) == before == recruitment_uids(post) | recruitment_uids(other)
    assert str(after[uid(post, "end")]["SUMMARY"]) == "[접수 마감] 고친 제목"

    stable = notice()
    before = uids(client, NOTICES)
    stable.title = "공고 제목 고침"
    stable.save()
    assert uids(client, NOTICES) == before == {f"notices-{stable.pk}-start@geumcheon.go.kr",
                                              f"notices-{stable.pk}-end@geumcheon.go.kr"}


def test_only_what_the_public_may_see(client, admin_user):
    shown = posting()
    posting(is_published=False)  # 비공개
    RecruitmentFactory(published_at=timezone.now() + datetime.timedelta(days=2),  # 예약 게시
                       apply_start=timezone.now() + datetime.timedelta(days=3),
                       apply_end=timezone.now() + datetime.timedelta(days=10))
    posting(days_old=10, unpublish_at=days_ago(1))  # 게시 종료
    taken_down = posting()
    take_down([taken_down], user=admin_user, reason="wrong_post")  # 게시 중단
    RecruitmentFactory(apply_start=None, apply_end=None)  # no 접수기간: nothing to put in a calendar
    assert uids(client, RECRUITMENT) == recruitment_uids(shown)

    public_notice = notice()
    notice(is_published=False)
    NoticeFactory(published_at=timezone.now() + datetime.timedelta(days=1),  # 예약 게시
                  period_end=datetime.date(2026, 12, 9))
    notice(days_old=10, unpublish_at=days_ago(1))
    hidden = notice()
    take_down([hidden], user=admin_user, reason="personal_data")
    assert uids(client, NOTICES) == {f"notices-{public_notice.pk}-start@geumcheon.go.kr",
                                     f"notices-{public_notice.pk}-end@geumcheon.go.kr"}


def test_a_year_of_history_and_everything_upcoming(client):
    recent_past = posting(days_old=330, start_in_days=-325)  # 접수 ended 11 months ago: kept
    too_old = posting(days_old=400, start_in_days=-395)  # posted 13 months ago, 접수 long over
    upcoming = posting(days_old=1, start_in_days=7)
    old_post_new_period = posting(days_old=400, start_in_days=5)  # posted long ago, 접수 still to come
    found = uids(client, RECRUITMENT)
    assert found == set().union(*map(recruitment_uids, (recent_past, upcoming, old_post_new_period)))
    assert not found & recruitment_uids(too_old)

    kept, dropped = notice(days_old=330), notice(days_old=400)
    found = uids(client, NOTICES)
    assert f"notices-{kept.pk}-end@geumcheon.go.kr" in found
    assert not {found_uid for found_uid in found if found_uid.startswith(f"notices-{dropped.pk}-")}


def test_past_deadlines_stay_in_the_feed(client):
    over = posting(days_old=60, start_in_days=-50, length_days=10)
    found = events(read(client, RECRUITMENT))
    assert found[f"recruitment-{over.pk}-end@geumcheon.go.kr"]["DTSTART"].dt < timezone.now()


@pytest.mark.parametrize("url", [RECRUITMENT, NOTICES])
def test_a_feed_costs_one_query_however_many_posts(client, django_assert_num_queries, url):
    make = posting if url == RECRUITMENT else notice
    for _ in range(3):
        make(department=DepartmentFactory())
    with django_assert_num_queries(1):
        assert len(read(client, url).walk("VEVENT")) == 6
    for _ in range(20):
        make(department=DepartmentFactory())
    with django_assert_num_queries(1):
        assert len(read(client, url).walk("VEVENT")) == 46


def test_the_query_reads_index_ranges_not_the_whole_board():
    """Twenty years of posts: the feed reads a year of 게시일시 (and, for 채용공고, of 접수 시작) from the indexes."""
    from boards import registry
    from boards.models import Department
    from notices.calendar import calendar_posts as notice_posts
    from notices.models import Notice
    from recruitment.calendar import calendar_posts as recruitment_posts
    from recruitment.models import RecruitmentPost

    now = timezone.now()
    assert calendars.window_start(now) == now - datetime.timedelta(days=365)
    department = Department.objects.create(name="색인확인과")
    moments = [now - datetime.timedelta(hours=58 * n) for n in range(3000)]
    RecruitmentPost.objects.bulk_create(
        RecruitmentPost(title="공고", department=department, published_at=at, apply_start=at,
                        apply_end=at + datetime.timedelta(days=14)) for at in moments
    )
    Notice.objects.bulk_create(
        Notice(title="공고", kind="notice", notice_type="gonggo", department=department, published_at=at,
               period_end=at.date()) for at in moments
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plans = {
        ("recruitment_recruitmentpost", ("recruitmentpost_list", "recruitment_apply_period")):
            recruitment_posts(registry.get("recruitment"), now).explain(),
        ("notices_notice", ("notices_kind_list",)): notice_posts(registry.get("notices"), now).explain(),
    }
    for (table, indexes), plan in plans.items():
        assert f"Seq Scan on {table}" not in plan and f"SCAN {table}" not in plan, plan  # PostgreSQL, SQLite
        assert all(index in plan for index in indexes), plan


def test_the_feeds_are_cached_as_calendars_and_dropped_on_a_save(
    client, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        post = posting(title="캐시 전 제목")
        first = client.get(RECRUITMENT)
        with django_assert_num_queries(0):
            again = client.get(RECRUITMENT)
        assert again["Content-Type"] == "text/calendar; charset=utf-8"
        assert again.content == first.content

        with django_capture_on_commit_callbacks(execute=True):
            post.title = "캐시 뒤 제목"
            post.save()
        after = events(read(client, RECRUITMENT))
        assert str(after[f"recruitment-{post.pk}-start@geumcheon.go.kr"]["SUMMARY"]) == "[접수 시작] 캐시 뒤 제목"
    finally:
        cache.clear()


@pytest.mark.parametrize("url", [RECRUITMENT, NOTICES])
@pytest.mark.parametrize("query", [
    "page=abc", "page=0001", "page=99999999999999999999999", "q=%00", "from=%ED%95%9C&to=-1",
    "start=2026-13-45", "x=" + "가" * 500,
])
def test_odd_query_strings_never_fail(client, url, query):
    posting()
    notice()
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 301)
    if response.status_code == 200:
        assert icalendar.Calendar.from_ical(response.content).walk("VEVENT")


@pytest.mark.parametrize("url", [RECRUITMENT, NOTICES])
def test_head_is_answered_and_other_methods_are_refused(client, url):
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"] == "text/calendar; charset=utf-8"
    assert client.post(url).status_code == 405


def test_an_empty_calendar_is_still_a_valid_one(client):
    calendar = read(client, RECRUITMENT)
    assert calendar.walk("VEVENT") == [] and len(calendar.subcomponents) == 1  # the VTIMEZONE


@pytest.mark.parametrize("slug, name, feed", [
    ("recruitment", '접수 일정 달력 구독(iCal)<span class="sr-only"> (채용공고 접수 시작·마감)</span>', RECRUITMENT),
    ("notices", '공고기간 달력 구독(iCal)<span class="sr-only"> (고시공고 공고 시작·마감)</span>', NOTICES),
])
def test_the_two_lists_offer_their_calendar(client, slug, name, feed):
    """A plain link (no script) that calendar apps open as a subscription, named for screen readers too."""
    page = client.get(f"/{slug}/").content.decode()
    assert f'<a class="list-feed list-calendar" href="webcal://www.geumcheon.go.kr{feed}">{name}</a>' in page
    assert page.count("list-calendar") == 1


@pytest.mark.parametrize("slug", ["news", "contracts", "press"])
def test_other_lists_have_no_calendar(client, slug):
    page = client.get(f"/{slug}/").content.decode()
    assert "calendar.ics" not in page and "달력 구독" not in page
