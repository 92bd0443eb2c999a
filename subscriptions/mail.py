"""The mails: confirmation, one new post, the daily digest. Korean plain text with an HTML alternative.

Links are absolute, from SITE_URL (boards/site_url.py), never from a request. Every mail to a
subscriber carries the unsubscribe link in its body and in the ``List-Unsubscribe`` header with
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): a mail program's "수신 거부"
button then unsubscribes with one POST, no form.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from boards import registry
from boards.site_url import absolute_url
from boards.templatetags.portal import kdate

from . import tokens
from .matching import matched_keywords, post_text

SUBJECT_PREFIX = "[금천구청]"
SUBJECT_TITLE_MAX = 80


def confirm_url(token):
    return absolute_url(reverse("subscriptions:confirm", kwargs={"token": token}))


def manage_url(subscription):
    return link("subscriptions:manage", subscription)


def unsubscribe_url(subscription):
    return link("subscriptions:unsubscribe", subscription)


def link(name, subscription):
    return absolute_url(reverse(name, kwargs={"token": tokens.manage_token(subscription)}))


def one_line(text, limit=SUBJECT_TITLE_MAX):
    text = " ".join(str(text).split())  # a header never carries a line break
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message(*, to, subject, template, context, headers=None):
    text = render_to_string(f"subscriptions/mail/{template}.txt", context)
    html = render_to_string(f"subscriptions/mail/{template}.html", context)
    mail = EmailMultiAlternatives(
        subject=one_line(subject, 200), body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    mail.attach_alternative(html, "text/html")
    return mail


def confirmation(pending, token):
    context = {
        "confirm_url": confirm_url(token), "days": settings.SUBSCRIPTION_CONFIRM_DAYS,
        "form_url": absolute_url(reverse("subscriptions:subscribe")), "site_url": absolute_url("/"),
        **described(pending),
    }
    return message(
        to=pending.email, subject=f"{SUBJECT_PREFIX} 이메일 알림 신청을 확인해 주세요",
        template="confirm", context=context,
    )


def subscriber_context(subscription):
    return {
        "email": subscription.email, "manage_url": manage_url(subscription),
        "unsubscribe_url": unsubscribe_url(subscription), "site_url": absolute_url("/"),
        **described(subscription),
    }


def unsubscribe_headers(subscription):
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def post_item(subscription, post):
    board = post.board
    return {
        "board": board.name, "title": " ".join(post.title.split()), "date": kdate(post.published_at),
        "url": absolute_url(post.get_absolute_url()),
        "keywords": matched_keywords(subscription.keywords, post_text(post)),
    }


def new_post(subscription, post):
    item = post_item(subscription, post)
    return message(
        to=subscription.email, subject=f"{SUBJECT_PREFIX} 새 글: {one_line(item['title'])}",
        template="post", context={**subscriber_context(subscription), "item": item},
        headers=unsubscribe_headers(subscription),
    )


def digest(subscription, posts, day):
    items = [post_item(subscription, post) for post in posts]
    return message(
        to=subscription.email, subject=f"{SUBJECT_PREFIX} 새 글 {len(items)}건 알림 ({kdate(day)})",
        template="digest", context={**subscriber_context(subscription), "items": items, "day": kdate(day)},
        headers=unsubscribe_headers(subscription),
    )


def described(preferences):
    """The choices in words, for the mails and pages."""
    names = {board.slug: board.name for board in registry.all_boards()}
    boards = [names[slug] for slug in preferences.boards if slug in names]
    return {
        "board_names": boards or ["모든 게시판"], "keywords": list(preferences.keywords),
        "frequency": preferences.get_frequency_display(),
    }
