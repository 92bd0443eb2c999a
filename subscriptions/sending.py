"""Sending what ``announce`` queued, by the worker, through Django's e-mail settings.

A delivery is *taken* (``sent_at`` set, in its own statement that only succeeds while it is unset)
before its mail goes out, so two workers, a retried task or a second digest run can never mail it
twice. A mail the server refuses is given back (``sent_at`` cleared, ``failures`` counted) and
tried again by the next tick, up to MAX_FAILURES times. A post taken down meanwhile is not mailed.
"""

import logging
from collections import defaultdict
from itertools import groupby

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import mail
from .models import Delivery, Frequency

logger = logging.getLogger(__name__)

IMMEDIATE_BATCH = 500
DIGEST_SUBSCRIBERS_BATCH = 200
MAX_FAILURES = 10


def enqueue_immediate():
    try:
        send_immediate.delay()
    except Exception:  # the deliveries stay unsent; the next tick asks again
        logger.warning("알림 메일 작업을 넣지 못했습니다.", exc_info=True)


@shared_task(name="subscriptions.send_immediate", acks_late=True)
def send_immediate():
    """Everything waiting, a batch at a time (a post for thousands of subscribers goes out now, not over
    several ticks). A mail refused in this run waits for the next one."""
    sent, refused = 0, set()
    while True:
        seen, batch_sent = send_waiting_immediate(skip=refused, refused=refused)
        sent += batch_sent
        if seen < IMMEDIATE_BATCH:
            return sent


def unsent(frequency):
    return Delivery.objects.filter(sent_at__isnull=True, subscription__frequency=frequency)


def public_posts(announcements, now):
    """{announcement pk: post} for the announced posts still public at ``now``."""
    by_type = defaultdict(dict)
    for announcement in announcements:
        by_type[announcement.content_type_id][announcement.object_id] = announcement.pk
    posts = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a board app since removed: nothing to send
            continue
        for post in model.objects.published(now).filter(pk__in=list(ids)):
            posts[ids[post.pk]] = post
    return posts


def drop_gone(rows, posts):
    """Deliveries of posts no longer public (taken down, ended, deleted) are not sent, ever."""
    gone = [row.pk for row in rows if row.announcement_id not in posts]
    if gone:
        Delivery.objects.filter(pk__in=gone, sent_at__isnull=True).delete()


def take(pks, now):
    """Mark the unsent rows among ``pks`` as sent; the pks this call took."""
    with transaction.atomic():
        free = list(Delivery.objects.select_for_update().filter(pk__in=pks, sent_at__isnull=True)
                    .values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=free).update(sent_at=now)
    return set(free)


def give_back(pks):
    """The mail did not go out: unsent again, with one more failure; dropped after MAX_FAILURES."""
    Delivery.objects.filter(pk__in=pks).update(sent_at=None, failures=F("failures") + 1)
    Delivery.objects.filter(pk__in=pks, failures__gte=MAX_FAILURES).delete()


def send(message, pks):
    try:
        message.send()
    except Exception:
        logger.warning("알림 메일을 보내지 못했습니다(발송 %s).", pks, exc_info=True)
        give_back(pks)
        return False
    return True


def send_waiting_immediate(now=None, limit=None, skip=(), refused=None):
    """One mail per unsent immediate delivery, oldest first, up to ``limit`` rows (leaving out ``skip``).
    Returns (rows looked at, mails sent); the pks of refused mails are added to ``refused``."""
    now, limit = now or timezone.now(), limit or IMMEDIATE_BATCH
    rows = list(
        unsent(Frequency.IMMEDIATE).exclude(pk__in=list(skip)).select_related("subscription", "announcement")
        .order_by("created_at", "id")[:limit]
    )
    if not rows:
        return 0, 0
    posts = public_posts([row.announcement for row in rows], now)
    drop_gone(rows, posts)
    sent = 0
    # A mail server that is away fails here: nothing taken yet, the next tick asks again.
    with get_connection() as connection:
        for row in rows:
            post = posts.get(row.announcement_id)
            if post is None or not take([row.pk], now):
                continue
            message = mail.new_post(row.subscription, post)
            message.connection = connection
            if send(message, [row.pk]):
                sent += 1
            elif refused is not None:
                refused.add(row.pk)
    return len(rows), sent


def send_digests(now=None):
    """One mail per daily subscriber listing the posts queued for them. Returns (mails, posts)."""
    now = now or timezone.now()
    subscribers = list(
        unsent(Frequency.DAILY).filter(created_at__lte=now).order_by("subscription_id")
        .values_list("subscription_id", flat=True).distinct()
    )
    mails = posts_sent = 0
    for start in range(0, len(subscribers), DIGEST_SUBSCRIBERS_BATCH):
        chunk = subscribers[start: start + DIGEST_SUBSCRIBERS_BATCH]
        rows = list(
            unsent(Frequency.DAILY).filter(subscription_id__in=chunk, created_at__lte=now)
            .select_related("subscription", "announcement")
            .order_by("subscription_id", "announcement__announced_at", "announcement_id")
        )
        posts = public_posts([row.announcement for row in rows], now)
        drop_gone(rows, posts)
        with get_connection() as connection:
            for _subscription_id, group in groupby(rows, key=lambda row: row.subscription_id):
                group = [row for row in group if row.announcement_id in posts]
                taken = take([row.pk for row in group], now) if group else set()
                group = [row for row in group if row.pk in taken]
                if not group:
                    continue
                items = [posts[row.announcement_id] for row in group]
                message = mail.digest(group[0].subscription, items, now)
                message.connection = connection
                if send(message, [row.pk for row in group]):
                    mails += 1
                    posts_sent += len(group)
    return mails, posts_sent
