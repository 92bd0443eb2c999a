"""이메일 알림: who wants mail about which new posts, and what has been announced and sent.

- ``PendingSubscription``: a request from the form, waiting for its owner to follow the link in the
  confirmation mail (double opt-in). Deleted when confirmed, or by ``purge_subscriptions`` after
  SUBSCRIPTION_CONFIRM_DAYS. Only the hash of the link's token is stored.
- ``Subscription``: a confirmed address and what it follows. The only rows that get mail.
  Unsubscribing deletes the row (and its deliveries), not a flag.
- ``Announcement``: one row per post ever announced — the database's guarantee that a post is
  announced once, however often it is edited, taken down or published again.
- ``Delivery``: one post for one subscriber, at most once (unique), sent at once or in the digest.
"""

import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "즉시"
    DAILY = "daily", "하루 한 번 모아서"


def new_nonce():
    return secrets.token_urlsafe(12)


class Preferences(models.Model):
    """What a subscriber follows. A post matches when it is on one of ``boards`` (any board when
    empty) and, if ``keywords`` are given, contains every word of at least one of them
    (subscriptions/matching.py)."""

    boards = models.JSONField("게시판", default=list, blank=True)
    keywords = models.JSONField("알림 낱말", default=list, blank=True)
    frequency = models.CharField(
        "받는 방식", max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE,
    )
    consented_at = models.DateTimeField("개인정보 수집·이용 동의 일시")

    class Meta:
        abstract = True

    def preferences(self):
        return {"boards": list(self.boards), "keywords": list(self.keywords), "frequency": self.frequency}


class PendingSubscription(Preferences):
    email = models.EmailField("이메일 주소", unique=True)  # one open request per address: a new one replaces it
    token_hash = models.CharField("확인 링크 해시", max_length=64, unique=True)
    created_at = models.DateTimeField("신청 일시", db_index=True)

    class Meta:
        verbose_name = "확인 대기 중인 신청"
        verbose_name_plural = "확인 대기 중인 신청"

    def __str__(self):
        return f"확인 대기 #{self.pk}"


class Subscription(Preferences):
    email = models.EmailField("이메일 주소", unique=True)
    # Part of every signed unsubscribe/preferences link: a new nonce retires the old links.
    nonce = models.CharField("링크 구분값", max_length=32, editable=False)
    confirmed_at = models.DateTimeField("확인 일시")
    updated_at = models.DateTimeField("설정 변경 일시", auto_now=True)

    class Meta:
        verbose_name = "이메일 알림 구독"
        verbose_name_plural = "이메일 알림 구독"
        ordering = ["-confirmed_at", "-id"]

    def __str__(self):
        return f"구독 #{self.pk}"

    def save(self, *args, **kwargs):
        if not self.nonce:
            self.nonce = new_nonce()
        super().save(*args, **kwargs)


class Announcement(models.Model):
    """A post that was (or is about to be) announced to subscribers; at most one row per post.

    A save that makes a post public writes the row with ``announced_at`` unset (subscriptions/
    announcing.py); the next tick announces it. Rows of posts already announced never change
    ``announced_at`` again.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="게시글 종류")
    object_id = models.PositiveBigIntegerField("게시글 번호")
    saved_public_at = models.DateTimeField("공개로 저장한 일시", null=True, blank=True)
    announced_at = models.DateTimeField("알린 일시", null=True, blank=True)

    class Meta:
        verbose_name = "알린 게시글"
        verbose_name_plural = "알린 게시글"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="subscriptions_announce_once"),
        ]
        indexes = [
            models.Index(
                fields=["saved_public_at"], condition=Q(announced_at__isnull=True),
                name="subscriptions_announce_due",
            ),
        ]

    def __str__(self):
        return f"{self.content_type_id}#{self.object_id}"


class Delivery(models.Model):
    """One announced post for one subscriber: created by the tick, sent at once or in the daily digest."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name="구독",
    )
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries", verbose_name="알린 게시글",
    )
    created_at = models.DateTimeField("만든 일시")
    # Set when a sender takes the row (before the mail goes out): a row is mailed at most once.
    sent_at = models.DateTimeField("보낸 일시", null=True, blank=True)
    failures = models.PositiveSmallIntegerField("보내지 못한 횟수", default=0)

    class Meta:
        verbose_name = "알림 발송"
        verbose_name_plural = "알림 발송"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "announcement"], name="subscriptions_deliver_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="subscriptions_unsent",
            ),
            models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=False), name="subscriptions_sent"),
        ]

    def __str__(self):
        return f"{self.subscription_id} ← {self.announcement_id}"
