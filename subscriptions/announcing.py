"""Finding posts that became public and queuing a delivery for every matching subscriber — once per post.

A post becomes public in one of two ways:

- by a save (published now, approved, released by the file worker): the save writes a *due*
  ``Announcement`` row (``announced_at`` unset) in its own transaction and asks for ``announce``
  after the commit;
- by time, with no save at that moment (예약 게시): the periodic tick (``announce_new_posts``,
  every minute, once in the cluster) looks at each board's posts whose 게시일시 fell within the
  last SUBSCRIPTION_ANNOUNCE_WINDOW_HOURS — a range of the board's list index — and takes those
  not announced yet.

``announce`` takes both kinds in one go, marks them announced (the unique row per post is the
database's "once": editing, taking down and publishing again never announce again) and writes a
``Delivery`` per matching confirmed subscriber. Immediate deliveries are sent by the worker after
the commit; daily ones wait for the digest (subscriptions/sending.py). Drafts, scheduled posts
before their time and taken-down posts are not public (PostQuerySet.published), so never announced.
"""

import datetime
import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from boards import registry

from . import sending
from .matching import matches, post_text
from .models import Announcement, Delivery, Frequency, Subscription

logger = logging.getLogger(__name__)

BATCH = 200  # posts per board per run; more wait for the next run (the oldest first)
DELIVERY_BATCH = 1000
DUE_KEEP = datetime.timedelta(hours=1)  # a due row whose post is not public is dropped after this
RETRY_AFTER = datetime.timedelta(minutes=10)


def connect_signals():
    # Every model's saves and deletes, filtered here: a board app loaded after this one is covered too.
    post_save.connect(saved, dispatch_uid="subscriptions.saved")
    post_delete.connect(deleted, dispatch_uid="subscriptions.deleted")


def deleted(sender, instance, **kwargs):
    """A deleted post takes its announcement (and what was queued for it) along."""
    if sender in registry.post_models():
        Announcement.objects.filter(
            content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
        ).delete()


def forget_deleted_posts():
    """Announcements whose post is gone without a signal (a raw DELETE, a bulk clean-up). Returns how many."""
    gone = 0
    for model in registry.post_models():
        orphans = Announcement.objects.filter(content_type=ContentType.objects.get_for_model(model)).exclude(
            object_id__in=model._default_manager.values("pk")
        )
        gone += orphans.delete()[1].get(Announcement._meta.label, 0)
    return gone


def saved(sender, instance, raw=False, **kwargs):
    """A save that leaves the post public: mark it due in the same transaction, announce after commit."""
    if raw or sender not in registry.post_models() or instance.publication_state() != "public":
        return
    now = timezone.now()
    Announcement.objects.bulk_create(
        [Announcement(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk,
                      saved_public_at=now)],
        update_conflicts=True, unique_fields=["content_type", "object_id"], update_fields=["saved_public_at"],
    )
    transaction.on_commit(enqueue_announce)


def enqueue_announce():
    try:
        announce_task.delay()
    except Exception:  # the due row stays; the next tick announces it
        logger.warning("새 글 알림 작업을 넣지 못했습니다.", exc_info=True)


@shared_task(name="subscriptions.announce", acks_late=True)
def announce_task():
    return announce()


def announce(now=None):
    """Announce every post public at ``now`` and not announced yet. Returns (posts, deliveries).

    A constant number of statements, whatever the number of posts and subscribers: one for the due
    rows, one per board, three to claim, one to read the subscribers (in chunks), and one INSERT per
    1,000 deliveries.
    """
    now = now or timezone.now()
    due = list(
        Announcement.objects.filter(announced_at__isnull=True).order_by("saved_public_at")
        .values_list("pk", "content_type_id", "object_id", "saved_public_at")[: BATCH * 4]
    )
    due_ids = defaultdict(set)
    for _pk, content_type_id, object_id, _saved in due:
        due_ids[content_type_id].add(object_id)

    found = public_posts(now, due_ids)  # {(content type id, post id): post}
    stale = [
        pk for pk, content_type_id, object_id, saved_at in due
        if (content_type_id, object_id) not in found and (saved_at is None or saved_at <= now - DUE_KEEP)
    ]
    deliveries = 0
    with transaction.atomic():
        if stale:
            Announcement.objects.filter(pk__in=stale, announced_at__isnull=True).delete()
        claimed = claim(found, now)
        if claimed:
            deliveries = queue_deliveries(claimed, now)
    # New immediate mails, or ones a lost task or a refused mail left behind: the worker sends them.
    if deliveries or sending.unsent(Frequency.IMMEDIATE).filter(created_at__lte=now - RETRY_AFTER).exists():
        transaction.on_commit(sending.enqueue_immediate)
    return len(claimed), deliveries


def public_posts(now, due_ids):
    """Each board's public posts within the window, and the due ones, not announced yet."""
    since = now - datetime.timedelta(hours=settings.SUBSCRIPTION_ANNOUNCE_WINDOW_HOURS)
    found = {}
    for board in registry.all_boards():
        content_type = ContentType.objects.get_for_model(board.model)
        announced = Announcement.objects.filter(
            content_type=content_type, object_id=OuterRef("pk"), announced_at__isnull=False
        )
        window = Q(published_at__gt=since)
        if due_ids.get(content_type.pk):
            window |= Q(pk__in=sorted(due_ids[content_type.pk]))
        fields = {"id", "title", "body_text", "published_at", *board.filters}
        posts = (
            board.posts().published(now).filter(window).filter(~Exists(announced))
            .order_by("published_at", "id").only(*fields)[:BATCH]
        )
        for post in posts:
            found[content_type.pk, post.pk] = post
    return found


def claim(found, now):
    """Mark the found posts announced, unless someone else did: [(announcement, post)] for ours."""
    if not found:
        return []
    Announcement.objects.bulk_create(
        [Announcement(content_type_id=type_id, object_id=object_id) for type_id, object_id in found],
        ignore_conflicts=True,
    )
    by_type = defaultdict(list)
    for content_type_id, object_id in found:
        by_type[content_type_id].append(object_id)
    which = Q()
    for content_type_id, object_ids in by_type.items():
        which |= Q(content_type_id=content_type_id, object_id__in=object_ids)
    rows = list(Announcement.objects.select_for_update().filter(which, announced_at__isnull=True))
    Announcement.objects.filter(pk__in=[row.pk for row in rows]).update(announced_at=now)
    return [(row, found[row.content_type_id, row.object_id]) for row in rows]


def queue_deliveries(claimed, now):
    """A Delivery for every (confirmed subscriber, claimed post) that match. Returns how many."""
    posts = [(announcement, post.board.slug, post_text(post)) for announcement, post in claimed]
    pending, written = [], 0
    subscribers = Subscription.objects.only("id", "boards", "keywords", "frequency").order_by("pk")
    for subscription in subscribers.iterator(chunk_size=DELIVERY_BATCH):
        for announcement, slug, text in posts:
            if matches(subscription, slug, text):
                pending.append(Delivery(subscription=subscription, announcement=announcement, created_at=now))
        if len(pending) >= DELIVERY_BATCH:
            written += write(pending)
            pending = []
    return written + write(pending)


def write(deliveries):
    if deliveries:
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)
