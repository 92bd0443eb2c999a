"""페이지 만족도 조사: storing answers, one a day, rate limit, Korean errors, privacy, admin."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback import views as feedback_views
from feedback.models import PageFeedback
from tests.factories import CultureTrailFactory, NewsFactory, NoticeFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("feedback:submit")
BROWSER = "Mozilla/5.0 (Linux; Android 14) 금천 테스트"


@pytest.fixture(autouse=True)
def empty_cache():
    # The rate limit counts in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post_url():
    return NewsFactory(title="만족도 조사 시험 글").get_absolute_url()


def answer(client, page, score="5", comment="", address="203.0.113.45", agent=BROWSER, **extra):
    return client.post(
        SUBMIT, {"page": page, "score": score, "comment": comment, **extra},
        REMOTE_ADDR=address, HTTP_USER_AGENT=agent,
    )


def text_of(response):
    return " ".join(response.content.decode().split())


def on_day(monkeypatch, day):
    monkeypatch.setattr(feedback_views.timezone, "localdate", lambda: day)


# ---------------------------------------------------------------- the survey on pages


def test_content_pages_carry_the_survey_and_lists_do_not(client):
    trail = CultureTrailFactory()
    pages = [
        NoticeFactory().get_absolute_url(), trail.get_absolute_url(),
        reverse("pages:privacy"), reverse("pages:copyright"), reverse("pages:accessibility"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        form = html[html.index('<section class="survey" id="survey"'):]
        form = form[:form.index("</form>")]
        assert f'action="{SUBMIT}"' in form and 'method="post"' in form, url
        assert "csrfmiddlewaretoken" in form, url
        assert f'<input type="hidden" name="page" value="{url}">' in form, url
        assert "<legend" in form and "<fieldset" in form, url
        labels = re.findall(r'<label for="survey-score-(\d)">([^<]+)</label>', form)
        assert labels == [("5", "매우 만족"), ("4", "만족"), ("3", "보통"), ("2", "불만족"), ("1", "매우 불만족")]
        assert 'maxlength="500"' in form and '<label for="survey-comment">의견' in form, url
    for url in ("/", reverse("boards:list", kwargs={"board": "news"}), reverse("tourism:list")):
        assert 'id="survey"' not in client.get(url).content.decode(), url


def test_the_empty_survey_builds_no_form(client, monkeypatch):
    # A Django form cost more to make than the rest of the box; pages show it empty.
    from feedback.forms import FeedbackForm

    def refuse(*args, **kwargs):
        raise AssertionError("a form was built for an empty survey")

    monkeypatch.setattr(FeedbackForm, "__init__", refuse)
    html = client.get(NoticeFactory().get_absolute_url()).content.decode()
    assert 'id="survey"' in html and "aria-invalid" not in html and "checked" not in html


# ---------------------------------------------------------------- storing


def test_answer_is_stored_and_the_visitor_sent_back_to_the_survey(client, post_url):
    response = answer(client, post_url + "?utm=x#top", score="4", comment="  글이 읽기 쉬웠어요.  ")

    assert response.status_code == 302
    assert response["Location"] == post_url + "#survey"
    stored = PageFeedback.objects.get()
    assert (stored.page, stored.score, stored.comment) == (post_url, 4, "글이 읽기 쉬웠어요.")
    assert stored.day == timezone.localdate()
    page = client.get(post_url)
    assert '<p class="survey-notice survey-notice-success" role="status">소중한 의견 고맙습니다.' in text_of(page)


def test_trail_and_policy_pages_take_answers_too(client):
    pages = [CultureTrailFactory().get_absolute_url(), reverse("pages:privacy"),
             reverse("pages:copyright"), reverse("pages:accessibility")]
    for page in pages:
        assert answer(client, page, score="3")["Location"] == page + "#survey"
    assert sorted(PageFeedback.objects.values_list("page", flat=True)) == sorted(pages)


def test_one_answer_per_visitor_page_and_day(client, post_url, monkeypatch):
    first_day = datetime.date(2026, 3, 2)
    on_day(monkeypatch, first_day)
    answer(client, post_url, score="5", comment="첫 응답")

    again = answer(client, post_url, score="1", comment="두 번째 응답")
    assert again.status_code == 302 and again["Location"] == post_url + "#survey"
    assert list(PageFeedback.objects.values_list("score", "comment")) == [(5, "첫 응답")]
    assert "오늘 이 페이지에 이미 의견을 주셨습니다." in text_of(client.get(post_url))

    # Another page, another visitor (browser) and the next day are all answers of their own.
    other_page = CultureTrailFactory().get_absolute_url()
    answer(client, other_page)
    answer(client, post_url, agent="다른 브라우저")
    on_day(monkeypatch, first_day + datetime.timedelta(days=1))
    answer(client, post_url, score="3")
    assert PageFeedback.objects.count() == 4
    assert PageFeedback.objects.filter(page=post_url, day=first_day).count() == 2


def test_the_database_refuses_a_second_answer_the_same_day():
    values = {"page": "/news/1/", "score": 3, "visitor": "a" * 64, "day": datetime.date(2026, 3, 2)}
    PageFeedback.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        PageFeedback.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        PageFeedback.objects.create(**{**values, "score": 6, "day": datetime.date(2026, 3, 3)})


def test_no_raw_ip_address_is_stored(client, post_url, monkeypatch):
    on_day(monkeypatch, datetime.date(2026, 3, 2))
    answer(client, post_url, address="203.0.113.45")
    answer(client, post_url, address="198.51.100.7")
    rows = list(PageFeedback.objects.values())
    assert len(rows) == 2
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", row["visitor"])
        assert not any("203.0.113" in str(v) or "198.51.100" in str(v) for v in row.values())
    assert rows[0]["visitor"] != rows[1]["visitor"]

    # The same visitor gets another value the next day: answers cannot be linked across days.
    on_day(monkeypatch, datetime.date(2026, 3, 3))
    answer(client, post_url, address="203.0.113.45")
    visitors = {row.visitor for row in PageFeedback.objects.all()}
    assert len(visitors) == 3


# ---------------------------------------------------------------- limits and errors


def test_rate_limit_across_pages(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    urls = [NewsFactory().get_absolute_url() for _ in range(4)]
    for url in urls[:3]:
        assert answer(client, url).status_code == 302
    refused = answer(client, urls[3])
    assert refused.status_code == 302 and refused["Location"] == urls[3] + "#survey"
    assert PageFeedback.objects.count() == 3
    assert "짧은 시간에 너무 많은 의견을 보내셨습니다." in text_of(client.get(urls[3]))
    # Someone else is not held back.
    assert answer(client, urls[3], address="192.0.2.1").status_code == 302
    assert PageFeedback.objects.count() == 4


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"score": ""}, "score", "만족도를 골라 주세요."),
        ({"score": "9"}, "score", "다섯 가지 가운데 하나를 골라 주세요."),
        ({"comment": "가" * 501}, "comment", "의견은 500자 이내로 적어 주세요. (지금 501자)"),
        ({"comment": "연락 주세요 010-1234-5678"}, "comment", "개인정보(휴대전화번호)로 보이는 내용이 있습니다."),
        ({"comment": "주민번호 900101-1234568 입니다"}, "comment", "개인정보(주민등록번호)로 보이는 내용이 있습니다."),
    ],
)
def test_invalid_answers_are_refused_with_korean_errors(client, post_url, data, field, message):
    response = answer(client, post_url, **{"score": "4", "comment": "좋아요", **data})

    assert response.status_code == 400
    html = text_of(response)
    assert message in html
    assert 'role="alert"' in html
    assert f'id="survey-{field}-error"' in html and 'aria-invalid="true"' in html
    assert PageFeedback.objects.count() == 0
    # The visitor's answer is kept for the second try, and the way back is offered.
    assert f'<input type="hidden" name="page" value="{post_url}">' in html
    assert f'href="{post_url}"' in html
    if field == "comment":
        assert 'value="4" required checked' in html


@pytest.mark.parametrize(
    "page",
    ["", "https://example.com/news/1/", "//example.com/news/1/", "/\\example.com/news/1/", "/admin/",
     "/news/", "/no-such-page/",
     "/" + "a" * 250, "/news/1/\x00"],
)
def test_answers_only_for_pages_that_carry_the_survey(client, page):
    NewsFactory()
    response = answer(client, page)
    assert response.status_code == 400
    assert "만족도 조사를 받는 페이지가 아닙니다." in text_of(response)
    assert PageFeedback.objects.count() == 0


def test_get_is_not_allowed(client):
    assert client.get(SUBMIT).status_code == 405


def test_csrf_token_is_required(post_url):
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(SUBMIT, {"page": post_url, "score": "5"})
    assert refused.status_code == 403
    assert "보안 확인 정보가 없거나 오래되어" in text_of(refused)
    assert PageFeedback.objects.count() == 0

    html = strict.get(post_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = strict.post(SUBMIT, {"page": post_url, "score": "5", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert PageFeedback.objects.count() == 1


# ---------------------------------------------------------------- staff side


def test_admin_lists_answers_with_filters_and_average_per_page(admin_client):
    day = datetime.date(2026, 3, 2)
    for n, (page, score) in enumerate([("/news/1/", 5), ("/news/1/", 2), ("/trails/hoamsan/", 4)]):
        PageFeedback.objects.create(page=page, score=score, comment=f"의견 {n}", visitor=f"{n:064x}", day=day)
    url = reverse("admin:feedback_pagefeedback_changelist")

    response = admin_client.get(url)
    assert response.status_code == 200
    html = text_of(response)
    assert "페이지별 평균 만족도" in html
    assert "<td><a href=\"/news/1/\">/news/1/</a></td><td>2</td><td>3.50</td>" in html
    assert "<td><a href=\"/trails/hoamsan/\">/trails/hoamsan/</a></td><td>1</td><td>4.00</td>" in html
    assert "매우 만족 (5점)" in html and "의견 0" in html

    filtered = text_of(admin_client.get(url + "?score__exact=2"))
    assert "의견 1" in filtered and "의견 0" not in filtered
    assert "<td>1</td><td>2.00</td>" in filtered  # the summary follows the filter

    assert admin_client.get(reverse("admin:feedback_pagefeedback_add")).status_code == 403
    assert admin_client.get(url + "?day__gte=2026-03-01").status_code == 200


def test_purge_removes_answers_past_the_retention_period():
    today = timezone.localdate()
    old = PageFeedback.objects.create(page="/news/1/", score=3, visitor="a" * 64, day=today - datetime.timedelta(days=400))
    kept = PageFeedback.objects.create(page="/news/1/", score=3, visitor="b" * 64, day=today - datetime.timedelta(days=30))

    out = io.StringIO()
    call_command("purge_feedback", "--dry-run", stdout=out)
    assert "1건을 지울 수 있습니다" in out.getvalue()
    assert PageFeedback.objects.count() == 2

    call_command("purge_feedback", stdout=out)
    assert list(PageFeedback.objects.all()) == [kept]
    assert not PageFeedback.objects.filter(pk=old.pk).exists()
