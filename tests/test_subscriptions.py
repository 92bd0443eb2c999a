"""이메일 알림: double opt-in, one mail per post and subscriber, one-click unsubscribe, digest, retention."""

import datetime
import re
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards.templatetags.portal import kdate
from staff.models import Role, StaffProfile
from staff.roles import give_role_group
from subscriptions import announcing, sending, subscribing, tokens
from subscriptions.matching import matches, parse_keywords, post_text
from subscriptions.models import Announcement, Delivery, Frequency, PendingSubscription, Subscription
from tests.conftest import verified_login
from tests.factories import NewsFactory, NoticeFactory, RecruitmentFactory, make_post

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/subscribe/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def form_data(email="hong@example.com", boards=(), keywords="", frequency="immediate", consent=True):
    data = {"email": email, "boards": list(boards), "keywords": keywords, "frequency": frequency}
    if consent:
        data["consent"] = "on"
    return data


def path_of(url):
    return urlsplit(url).path


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def confirmation_path(message):
    return next(path_of(url) for url in links_in(message) if "/subscribe/confirm/" in url)


def subscriber(email="hong@example.com", boards=(), keywords=(), frequency=Frequency.IMMEDIATE):
    now = timezone.now()
    return Subscription.objects.create(
        email=email, boards=list(boards), keywords=list(keywords), frequency=frequency,
        consented_at=now, confirmed_at=now,
    )


def publish(factory=RecruitmentFactory, capture=None, **fields):
    """A post saved public now, its commit callbacks run (announce, then send)."""
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(minutes=1))
    with capture(execute=True):
        return factory(**fields)


def tick(capture, now=None):
    with capture(execute=True):
        return announcing.announce(now)


# ---------------------------------------------------------------- the whole loop


def test_subscribe_confirm_mail_once_and_one_click_unsubscribe(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://www.geumcheon.go.kr"
    page = client.get(SUBSCRIBE)
    assert page.status_code == 200
    html = page.content.decode()
    boxes = re.findall(r'<input type="checkbox" name="boards" id="id_boards_\d+" value="([a-z]+)"', html)
    assert boxes == ["news", "notices", "recruitment", "contracts", "press"]
    assert 'name="consent"' in html and "보유·이용 기간" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, form_data(boards=["recruitment"], keywords="기간제"))
    assert response.status_code == 302 and response["Location"] == reverse("subscriptions:requested")
    assert not Subscription.objects.exists()
    assert len(mailoutbox) == 1
    confirmation = mailoutbox[0]
    assert confirmation.to == ["hong@example.com"] and "확인" in confirmation.subject
    link = confirmation_path(confirmation)
    assert confirmation.body.count("https://www.geumcheon.go.kr/subscribe/confirm/") == 1
    # Only the hash is stored: the link cannot be rebuilt from the table.
    raw = link.rstrip("/").rsplit("/", 1)[1]
    pending = PendingSubscription.objects.get()
    assert pending.token_hash == tokens.token_hash(raw) and raw not in str(vars(pending))

    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert client.get(link).status_code == 200
    assert not Subscription.objects.exists()
    confirmed = client.post(link)
    assert confirmed.status_code == 200 and "알림 신청이 끝났습니다" in confirmed.content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.boards, subscription.keywords) == (["recruitment"], ["기간제"])
    assert not PendingSubscription.objects.exists()
    assert client.post(link).status_code == 400  # once

    post = publish(capture=django_capture_on_commit_callbacks, title="기간제근로자 채용 공고")
    assert len(mailoutbox) == 2
    message = mailoutbox[1]
    assert message.to == ["hong@example.com"]
    assert message.subject == "[금천구청] 새 글: 기간제근로자 채용 공고"
    assert "채용공고" in message.body and kdate(post.published_at) in message.body
    assert f"https://www.geumcheon.go.kr/recruitment/{post.pk}/" in message.body
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url.startswith("https://www.geumcheon.go.kr/subscribe/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in message.body and "/subscribe/manage/" in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and unsubscribe_url in html_body and "기간제근로자 채용 공고" in html_body

    tick(django_capture_on_commit_callbacks)  # the next tick: nothing new
    assert len(mailoutbox) == 2

    # RFC 8058: a mail program POSTs "List-Unsubscribe=One-Click" without any form or CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        path_of(unsubscribe_url), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="hong@example.com").exists()
    assert not Delivery.objects.exists()
    assert mail_program.post(path_of(unsubscribe_url)).status_code == 200  # twice is harmless

    publish(capture=django_capture_on_commit_callbacks, title="기간제 채용 2차")
    assert len(mailoutbox) == 2


def test_the_unsubscribe_link_asks_first_on_get_and_the_preferences_link_changes_choices(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = subscriber(boards=["news"])
    token = tokens.manage_token(subscription)
    page = client.get(reverse("subscriptions:unsubscribe", kwargs={"token": token}))
    assert page.status_code == 200 and "알림 그만 받기" in page.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    manage = reverse("subscriptions:manage", kwargs={"token": token})
    page = client.get(manage).content.decode()
    assert 'value="news" checked' in page and "ho***@example.com" in page and "hong@example.com" not in page
    response = client.post(manage, {"boards": ["press"], "keywords": "주차, 단속", "frequency": "daily"})
    assert response.status_code == 200 and "알림 설정을 바꾸었습니다" in response.content.decode()
    subscription.refresh_from_db()
    chosen = (subscription.boards, subscription.keywords, subscription.frequency)
    assert chosen == (["press"], ["주차", "단속"], "daily")
    assert client.post(manage, {"frequency": "weekly"}).status_code == 400
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"


# ---------------------------------------------------------------- double opt-in


def test_the_same_address_gets_the_same_answer_and_changes_only_once_confirmed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    existing = subscriber(email="kim@example.com", boards=["recruitment"])
    old_unsubscribe = tokens.manage_token(existing)

    def request(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SUBSCRIBE, form_data(email=email, boards=["press"]), follow=True)
        return response.status_code, response.redirect_chain, response.content.decode()

    assert request("new@example.com") == request("KIM@example.com")  # same page, new or known address
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["kim@example.com"]
    existing.refresh_from_db()
    assert existing.boards == ["recruitment"]  # nothing changes before the link is followed

    client.post(confirmation_path(mailoutbox[1]))
    existing.refresh_from_db()
    assert existing.boards == ["press"] and Subscription.objects.filter(email="kim@example.com").count() == 1
    assert subscribing.subscription_for(old_unsubscribe) == existing  # links in earlier mails still work


def test_a_new_request_replaces_the_older_link(client, mailoutbox, django_capture_on_commit_callbacks):
    for boards in (["news"], ["press"]):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(SUBSCRIBE, form_data(boards=boards))
    assert PendingSubscription.objects.count() == 1
    assert client.post(confirmation_path(mailoutbox[0])).status_code == 400
    assert client.post(confirmation_path(mailoutbox[1])).status_code == 200
    assert Subscription.objects.get().boards == ["press"]


def test_consent_is_required(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, form_data(consent=False))
    assert response.status_code == 400
    assert "개인정보 수집·이용에 동의해야 이메일 알림을 신청할 수 있습니다." in response.content.decode()
    assert not PendingSubscription.objects.exists() and mailoutbox == []


def test_unconfirmed_requests_expire_and_are_purged(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBSCRIBE, form_data(email="old@example.com"))
        client.post(SUBSCRIBE, form_data(email="new@example.com"))
    old_link = confirmation_path(mailoutbox[0])
    days = settings.SUBSCRIPTION_CONFIRM_DAYS
    PendingSubscription.objects.filter(email="old@example.com").update(
        created_at=timezone.now() - datetime.timedelta(days=days, minutes=1)
    )
    page = client.get(old_link)
    assert page.status_code == 400 and "확인 기간이 지난 링크입니다" in page.content.decode()

    output = call_command_output("purge_subscriptions")
    assert "미확인 신청 1건" in output
    assert list(PendingSubscription.objects.values_list("email", flat=True)) == ["new@example.com"]
    assert client.post(old_link).status_code == 400 and not Subscription.objects.exists()


def test_an_expired_link_followed_before_the_purge_is_refused_and_removed(client, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBSCRIBE, form_data())
    PendingSubscription.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    response = client.post(confirmation_path(mailoutbox[0]))
    assert response.status_code == 400 and "확인 기간이 지난" in response.content.decode()
    assert not PendingSubscription.objects.exists() and not Subscription.objects.exists()


def test_sent_mail_records_are_kept_thirty_days(mailoutbox, django_capture_on_commit_callbacks):
    subscription = subscriber()
    publish(capture=django_capture_on_commit_callbacks)
    publish(capture=django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 2
    old = Delivery.objects.first()
    Delivery.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=settings.SUBSCRIPTION_SENT_KEEP_DAYS, seconds=1)
    )
    assert "발송 기록 1건" in call_command_output("purge_subscriptions", "--dry-run")
    assert Delivery.objects.count() == 2
    call_command_output("purge_subscriptions")
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [subscription.pk]
    assert Announcement.objects.filter(announced_at__isnull=False).count() == 2  # the once-record stays


def call_command_output(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------- bad input and tokens


@pytest.mark.parametrize("token", [
    "nonsense", "a" * 500, "%00", "토큰", "x:y:z", tokens.new_confirmation_token()[0],
])
def test_bad_links_get_a_korean_page_not_an_error(client, token):
    for name in ("confirm", "manage", "unsubscribe"):
        url = reverse(f"subscriptions:{name}", kwargs={"token": "PLACEHOLDER"}).replace("PLACEHOLDER", token)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400, (name, method)
            assert "링크" in response.content.decode() or "찾을 수 없습니다" in response.content.decode()


def test_a_tampered_or_retired_manage_link_names_nobody(client):
    subscription = subscriber()
    token = tokens.manage_token(subscription)
    other = subscriber(email="other@example.com")
    forged = tokens.manage_token(other).split(":", 1)[0] + ":" + token.split(":", 1)[1]
    assert client.post(reverse("subscriptions:unsubscribe", kwargs={"token": forged})).status_code == 400
    assert Subscription.objects.count() == 2
    Subscription.objects.filter(pk=subscription.pk).update(nonce="renewed")
    assert subscribing.subscription_for(token) is None
    assert client.get(reverse("subscriptions:manage", kwargs={"token": token})).status_code == 400


@pytest.mark.parametrize("data, message", [
    (form_data(email="hong\x00@example.com"), "입력할 수 없는 문자"),
    (form_data(email="not-an-address"), "이메일 주소 형식이 맞지 않습니다"),
    (form_data(email="a" * 300 + "@example.com"), "이메일 주소가 너무 깁니다"),
    (form_data(email=""), "이메일 주소를 입력해 주세요"),
    (form_data(keywords="주차\x00단속"), "입력할 수 없는 문자"),
    (form_data(keywords="가" * 100_000), "알림 낱말은 모두 합쳐"),
    (form_data(keywords=", ".join(f"낱말{n}" for n in range(11))), "10개까지"),
    (form_data(keywords="가" * 31), "30자 이내"),
    (form_data(boards=["no-such-board"]), "목록에 없는 게시판"),
    (form_data(frequency="hourly"), "받는 방식은"),
])
def test_bad_form_input_gets_korean_errors(client, mailoutbox, data, message):
    response = client.post(SUBSCRIBE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingSubscription.objects.exists() and mailoutbox == []


def test_the_form_is_rate_limited_per_client_address_behind_the_proxy(client, settings, mailoutbox):
    settings.SUBSCRIPTION_RATE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def send(client_ip, email):
        return client.post(SUBSCRIBE, form_data(email=email), REMOTE_ADDR="10.0.0.5",
                           HTTP_X_FORWARDED_FOR=client_ip).status_code

    assert [send("203.0.113.7", f"a{n}@example.com") for n in range(3)] == [302, 302, 429]
    assert send("198.51.100.9", "b@example.com") == 302  # another resident behind the same proxy
    assert "잠시 뒤에 다시" in client.post(
        SUBSCRIBE, form_data(), REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7"
    ).content.decode()
    assert PendingSubscription.objects.count() == 3


def test_the_form_is_rate_limited_per_email_address(client, settings):
    settings.SUBSCRIPTION_EMAIL_RATE_LIMIT = 2
    statuses = [
        client.post(SUBSCRIBE, form_data(email="Hong@Example.com"), REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    other = client.post(SUBSCRIBE, form_data(email="other@example.com"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


# ---------------------------------------------------------------- which posts, when


def test_keywords_and_boards_match_as_documented():
    class Prefs:
        def __init__(self, boards=(), keywords=()):
            self.boards, self.keywords = list(boards), list(keywords)

    text = post_text(mock.Mock(title="2026년 기간제근로자 채용", body_text="시설관리 분야 PARKING 안내"))
    assert matches(Prefs(), "press", text)  # nothing chosen: every post
    assert matches(Prefs(boards=["recruitment"]), "recruitment", text)
    assert not matches(Prefs(boards=["recruitment"]), "news", text)
    assert matches(Prefs(keywords=["기간제"]), "news", text)  # inside a longer word, any board
    assert matches(Prefs(keywords=["채용 시설관리"]), "news", text)  # one word in the title, one in the body
    assert not matches(Prefs(keywords=["채용 주차"]), "news", text)  # every word of the keyword
    assert matches(Prefs(keywords=["주차", "parking"]), "news", text)  # any keyword; letter case ignored
    assert matches(Prefs(keywords=["\u1100\u1175\u1100\u1161\u11ab\u110c\u1166"]), "news", text)  # NFD 기간제
    assert not matches(Prefs(boards=["news"], keywords=["기간제"]), "recruitment", text)
    assert parse_keywords(" 채용 ,기간제\n\n 주차   단속; 채용") == ["채용", "기간제", "주차 단속"]


def test_each_subscriber_gets_exactly_the_posts_they_chose(mailoutbox, django_capture_on_commit_callbacks):
    subscriber("temp@example.com", boards=["recruitment"], keywords=["기간제"])
    subscriber("parking@example.com", keywords=["주차 단속"])
    subscriber("news@example.com", boards=["news"])
    capture = django_capture_on_commit_callbacks
    publish(RecruitmentFactory, capture, title="기간제근로자 채용")
    publish(RecruitmentFactory, capture, title="공무직 채용", body="<p>주차 관리</p>")
    publish(NewsFactory, capture, title="주차 단속 안내")
    publish(NoticeFactory, capture, title="고시", body="<p>불법 주차 집중 단속 구역 지정</p>")
    received = sorted((message.to[0], message.subject.split(": ", 1)[1]) for message in mailoutbox)
    assert received == [
        ("news@example.com", "주차 단속 안내"),
        ("parking@example.com", "고시"),
        ("parking@example.com", "주차 단속 안내"),
        ("temp@example.com", "기간제근로자 채용"),
    ]


def test_the_daily_digest_sends_one_mail_with_every_post(mailoutbox, django_capture_on_commit_callbacks):
    daily = subscriber("daily@example.com", frequency=Frequency.DAILY)
    subscriber("now@example.com", boards=["press"])
    capture = django_capture_on_commit_callbacks
    titles = ["첫째 소식", "둘째 공고", "셋째 채용"]
    for factory, title in zip((NewsFactory, NoticeFactory, RecruitmentFactory), titles):
        publish(factory, capture, title=title)
    taken_down = publish(NewsFactory, capture, title="내려간 글")
    taken_down.is_published = False
    taken_down.save()
    assert mailoutbox == []  # daily subscribers wait; the press subscriber got nothing to read

    assert "모음 메일 1통(새 글 3건)" in call_command_output("send_subscription_digests")
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.to == ["daily@example.com"] and "새 글 3건" in digest.subject
    assert all(title in digest.body for title in titles) and "내려간 글" not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert tokens.manage_token(daily) in digest.extra_headers["List-Unsubscribe"]

    call_command_output("send_subscription_digests")
    assert len(mailoutbox) == 1  # sent once


def test_a_scheduled_post_is_mailed_only_after_its_time(mailoutbox, django_capture_on_commit_callbacks):
    subscriber()
    capture = django_capture_on_commit_callbacks
    start = timezone.now()
    post = publish(RecruitmentFactory, capture, title="예약 게시 채용",
                   published_at=start + datetime.timedelta(hours=1))
    tick(capture)
    assert mailoutbox == [] and not Announcement.objects.exists()

    later = start + datetime.timedelta(hours=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        tick(capture)  # no save happens at that moment: the tick finds it by its 게시일시
        assert [message.subject for message in mailoutbox] == ["[금천구청] 새 글: 예약 게시 채용"]
        tick(capture)
    assert len(mailoutbox) == 1
    assert Announcement.objects.get().object_id == post.pk


def test_drafts_are_never_mailed(mailoutbox, django_capture_on_commit_callbacks):
    subscriber()
    capture = django_capture_on_commit_callbacks
    draft = publish(RecruitmentFactory, capture, is_published=False)
    draft.title = "고친 임시저장 글"
    with capture(execute=True):
        draft.save()
    tick(capture)
    assert mailoutbox == [] and not Announcement.objects.exists()


def test_a_post_published_long_after_its_date_is_still_announced_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    """Approved days after it was written: its 게시일시 is outside the tick's window, its save is not."""
    subscriber()
    capture = django_capture_on_commit_callbacks
    post = publish(RecruitmentFactory, capture, is_published=False,
                   published_at=timezone.now() - datetime.timedelta(days=5))
    assert mailoutbox == []
    post.is_published = True
    with capture(execute=True):
        post.save()
    assert len(mailoutbox) == 1


def test_editing_unpublishing_and_republishing_never_mails_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    subscriber()
    capture = django_capture_on_commit_callbacks
    post = publish(RecruitmentFactory, capture, title="한 번만")
    assert len(mailoutbox) == 1
    for change in (
        {"title": "한 번만 (수정)"}, {"is_published": False}, {"is_published": True},
        {"published_at": timezone.now()},  # 게시일시 moved into the tick's window
    ):
        for name, value in change.items():
            setattr(post, name, value)
        with capture(execute=True):
            post.save()
        tick(capture)
    assert len(mailoutbox) == 1
    announcement = Announcement.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(content_type=announcement.content_type, object_id=post.pk)
    delivery = Delivery.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(subscription=delivery.subscription, announcement=announcement,
                                created_at=timezone.now())


def test_a_post_taken_down_before_sending_is_not_mailed(mailoutbox, django_capture_on_commit_callbacks):
    subscriber()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # the worker is busy
        post = RecruitmentFactory(published_at=timezone.now() - datetime.timedelta(minutes=1))
    for callback in callbacks:
        callback()  # announce; the sending it queues waits for a commit that never comes here
    assert Delivery.objects.count() == 1
    Delivery.objects.update(sent_at=None)
    mailoutbox.clear()
    post.is_published = False
    post.save()
    assert sending.send_waiting_immediate() == (1, 0)
    assert mailoutbox == [] and not Delivery.objects.exists()


def test_a_refused_mail_is_tried_again_later_and_never_sent_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    subscriber()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail server away")):
        publish(capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.sent_at is None and delivery.failures == 1 and mailoutbox == []
    later = timezone.now() + announcing.RETRY_AFTER
    with mock.patch("django.utils.timezone.now", return_value=later):
        tick(django_capture_on_commit_callbacks)
        tick(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1 and Delivery.objects.get().sent_at is not None


def test_a_post_for_many_subscribers_goes_out_in_one_run_batch_after_batch(
    mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(sending, "IMMEDIATE_BATCH", 2)
    for n in range(5):
        subscriber(f"s{n}@example.com")
    publish(capture=django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mailoutbox) == [f"s{n}@example.com" for n in range(5)]


def test_the_scheduled_tick_runs_once_in_the_cluster_and_the_worker_knows_every_task(
    mailoutbox, django_capture_on_commit_callbacks
):
    from geumcheon_portal import tasks
    from geumcheon_portal.celery import app

    worker_tasks = {"subscriptions.announce", "subscriptions.send_immediate", "subscriptions.send_confirmation"}
    assert worker_tasks <= set(app.tasks)
    subscriber()
    RecruitmentFactory(published_at=timezone.now() - datetime.timedelta(minutes=1))  # its commit never comes
    cache.add("job-lock:announce_new_posts", "running", timeout=60)
    assert tasks.announce_new_posts.delay().get() == "skipped"
    cache.delete("job-lock:announce_new_posts")
    with django_capture_on_commit_callbacks(execute=True):
        output = tasks.announce_new_posts.delay().get()
    assert "새 글 1건" in output and len(mailoutbox) == 1
    assert "새 글 0건" in tasks.announce_new_posts.delay().get()


def test_the_tick_runs_a_bounded_number_of_queries(django_capture_on_commit_callbacks):
    def round_of(posts, subscribers):
        Subscription.objects.all().delete()
        for n in range(subscribers):
            subscriber(f"s{n}@example.com", keywords=["채용"] if n % 2 else ())
        for n in range(posts):
            make_post(["news", "notices", "recruitment", "contracts", "press"][n % 5], title=f"채용 {n}",
                      published_at=timezone.now() - datetime.timedelta(minutes=n + 1))
        with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                found = announcing.announce()
        return len(queries), found

    round_of(1, 1)  # content types cached, as in a running worker
    small, (posts, deliveries) = round_of(1, 1)
    assert (posts, deliveries) == (1, 1)
    large, (posts, deliveries) = round_of(15, 12)
    assert posts == 15 and deliveries == 15 * 6 + 15 * 6
    assert large == small
    assert large <= 15


# ---------------------------------------------------------------- admin, pages and policy


def test_only_the_site_manager_sees_subscriptions_and_addresses_are_masked(admin_client, django_user_model):
    subscriber(email="hong.gildong@example.com", boards=["recruitment"], keywords=["기간제"])
    changelist = reverse("admin:subscriptions_subscription_changelist")
    page = admin_client.get(changelist).content.decode()
    assert "ho***@example.com" in page and "hong.gildong@example.com" not in page and "채용공고" in page
    found = admin_client.get(changelist, {"q": "hong.gildong@example.com"}).content.decode()
    assert "ho***@example.com" in found
    assert admin_client.get(reverse("admin:subscriptions_subscription_add")).status_code == 403

    def staff(username, role):
        user = django_user_model.objects.create_user(username, is_staff=True)
        StaffProfile.objects.create(user=user, role=role)
        give_role_group(user, role)
        return verified_login(Client(), user)

    assert staff("manager", Role.MANAGER).get(changelist).status_code == 200
    writer = staff("writer", Role.WRITER)
    assert writer.get(changelist).status_code == 403
    assert "이메일 알림" not in writer.get(reverse("admin:index")).content.decode()


def test_every_page_links_to_the_form_and_the_policy_explains_it(client):
    home = client.get("/").content.decode()
    assert f'href="{SUBSCRIBE}"' in home
    policy = client.get(reverse("pages:privacy")).content.decode()
    assert 'id="privacy-email"' in policy
    for phrase in ("새 글 이메일 알림", "수신 거부", "3일", "30일", "동의를 거부할 권리"):
        assert phrase in policy


def test_a_deleted_post_takes_its_announcement_along_and_the_purge_finds_the_rest(
    django_capture_on_commit_callbacks,
):
    from subscriptions.announcing import announce
    from tests.factories import NewsFactory

    with django_capture_on_commit_callbacks(execute=True):
        kept, deleted, deleted_raw = NewsFactory(), NewsFactory(), NewsFactory()
    announce()
    assert Announcement.objects.count() == 3
    deleted.delete()  # through the ORM: its signal
    type(deleted_raw).objects.filter(pk=deleted_raw.pk)._raw_delete("default")  # no signal, as bulk clean-ups do
    assert Announcement.objects.count() == 2
    call_command_output("purge_subscriptions")
    assert list(Announcement.objects.values_list("object_id", flat=True)) == [kept.pk]
