"""Subscribing with double opt-in, changing preferences, unsubscribing: one function each.

The form never tells whether an address is subscribed already: every valid request stores a
pending request (replacing an older one for the same address) and mails a confirmation link to
that address. Only following the link creates the subscription or changes its preferences.
"""

import datetime
import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import mail, tokens
from .announcing import forget_deleted_posts
from .models import Delivery, PendingSubscription, Subscription

logger = logging.getLogger(__name__)


def confirm_window():
    return datetime.timedelta(days=settings.SUBSCRIPTION_CONFIRM_DAYS)


def request_subscription(*, email, boards, keywords, frequency, now=None):
    """Store the request for ``email`` and have the worker mail its confirmation link after commit."""
    now = now or timezone.now()
    token, digest = tokens.new_confirmation_token()
    fields = {
        "boards": list(boards), "keywords": list(keywords), "frequency": frequency,
        "token_hash": digest, "created_at": now, "consented_at": now,
    }
    try:
        with transaction.atomic():
            pending, _ = PendingSubscription.objects.update_or_create(email=email, defaults=fields)
    except IntegrityError:  # the same address sent twice at the same moment: the other request stands
        return
    transaction.on_commit(lambda: enqueue_confirmation(pending.pk, token))


def enqueue_confirmation(pk, token):
    try:
        send_confirmation.delay(pk, token)
    except Exception:  # the request stands; the resident can ask again
        logger.warning("확인 메일 작업을 넣지 못했습니다: 신청 #%s", pk, exc_info=True)


@shared_task(name="subscriptions.send_confirmation", acks_late=True)
def send_confirmation(pk, token):
    pending = PendingSubscription.objects.filter(pk=pk, token_hash=tokens.token_hash(token)).first()
    if pending is None:
        return "replaced"  # a newer request (with its own mail) or confirmed already
    mail.confirmation(pending, token).send()
    return "sent"


@dataclass
class Confirmation:
    outcome: str  # "confirmed", "expired" or "invalid"
    subscription: Subscription | None = None


def pending_state(token, now=None):
    """"open", "expired" or "invalid": what following ``token`` would do, without doing it."""
    now = now or timezone.now()
    if not tokens.looks_like_token(token):
        return "invalid"
    created = (PendingSubscription.objects.filter(token_hash=tokens.token_hash(token))
               .values_list("created_at", flat=True).first())
    if created is None:
        return "invalid"
    return "expired" if created <= now - confirm_window() else "open"


def confirm(token, now=None):
    """Turn the request behind ``token`` into a subscription (or new preferences of one) — once."""
    now = now or timezone.now()
    if not tokens.looks_like_token(token):
        return Confirmation("invalid")
    with transaction.atomic():
        pending = (PendingSubscription.objects.select_for_update()
                   .filter(token_hash=tokens.token_hash(token)).first())
        if pending is None:
            return Confirmation("invalid")
        if pending.created_at <= now - confirm_window():
            pending.delete()
            return Confirmation("expired")
        subscription = Subscription.objects.select_for_update().filter(email=pending.email).first()
        if subscription is None:
            subscription = Subscription(email=pending.email)
        subscription.boards, subscription.keywords = pending.boards, pending.keywords
        subscription.frequency, subscription.consented_at = pending.frequency, pending.consented_at
        subscription.confirmed_at = now
        subscription.full_clean(exclude=["email"])  # unique email: the row found above, or a new address
        subscription.save()
        pending.delete()
    return Confirmation("confirmed", subscription)


def subscription_for(token):
    """The subscription a signed unsubscribe/preferences link names, or None."""
    value = tokens.read_manage_token(token)
    if value is None:
        return None
    pk, nonce = value
    return Subscription.objects.filter(pk=pk, nonce=nonce).first()


def change_preferences(subscription, *, boards, keywords, frequency):
    subscription.boards, subscription.keywords = list(boards), list(keywords)
    subscription.frequency = frequency
    subscription.full_clean(exclude=["email"])
    subscription.save(update_fields=["boards", "keywords", "frequency", "updated_at"])


def unsubscribe(token):
    """Delete the subscription the link names, with what was queued for it. True if there was one."""
    value = tokens.read_manage_token(token)
    if value is None:
        return False
    pk, nonce = value
    deleted, _ = Subscription.objects.filter(pk=pk, nonce=nonce).delete()
    return bool(deleted)


def purge(now=None, *, dry_run=False):
    """What the 개인정보처리방침 promises: requests never confirmed go after SUBSCRIPTION_CONFIRM_DAYS;
    the record of a sent mail after SUBSCRIPTION_SENT_KEEP_DAYS; a mail that could not go out for
    as long is given up. Returns (pending, deliveries) counts."""
    now = now or timezone.now()
    pending = PendingSubscription.objects.filter(created_at__lte=now - confirm_window())
    cutoff = now - datetime.timedelta(days=settings.SUBSCRIPTION_SENT_KEEP_DAYS)
    deliveries = Delivery.objects.filter(sent_at__lte=cutoff) | Delivery.objects.filter(
        sent_at__isnull=True, created_at__lte=cutoff
    )
    if dry_run:
        return pending.count(), deliveries.count()
    forget_deleted_posts()
    return pending.delete()[0], deliveries.delete()[0]
