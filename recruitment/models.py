from django.db import models
from django.db.models import Q
from django.utils import timezone

from boards.models import AttachmentBase, Badge, Post, PostQuerySet


class RecruitmentQuerySet(PostQuerySet):
    def upcoming(self, now=None):
        return self.filter(apply_start__gt=now or timezone.now())

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(apply_start__lte=now, apply_end__gte=now)

    def closed(self, now=None):
        return self.filter(apply_end__lt=now or timezone.now())

    def with_status(self, status, now=None):
        by_status = {"upcoming": self.upcoming, "open": self.open_now, "closed": self.closed}
        return by_status[status](now) if status in by_status else self


class RecruitmentPost(Post):
    class Kind(models.TextChoices):
        RECRUIT = "recruit", "채용공고"
        REPOST = "repost", "재공고"
        RESULT = "result", "합격자 발표"

    STATUS_LABELS = {"upcoming": "접수예정", "open": "접수중", "closed": "마감"}

    kind = models.CharField("구분", max_length=10, choices=Kind.choices, default=Kind.RECRUIT)
    field_name = models.CharField("채용분야", max_length=100, blank=True)
    headcount = models.PositiveSmallIntegerField("채용인원", null=True, blank=True)
    apply_start = models.DateTimeField("접수 시작", null=True, blank=True)
    apply_end = models.DateTimeField("접수 마감", null=True, blank=True)

    objects = RecruitmentQuerySet.as_manager()

    class Meta(Post.Meta):
        verbose_name = "채용공고"
        verbose_name_plural = "채용공고"
        indexes = [
            *Post.Meta.indexes,
            models.Index(fields=["apply_start", "apply_end"], name="recruitment_apply_period"),
        ]
        constraints = [
            *Post.Meta.constraints,
            models.CheckConstraint(
                condition=Q(apply_start__isnull=True) & Q(apply_end__isnull=True)
                | Q(apply_start__isnull=False, apply_end__isnull=False, apply_end__gte=models.F("apply_start")),
                name="recruitment_apply_period_valid",
                violation_error_message="접수 시작과 마감을 함께 넣고, 마감은 시작보다 늦어야 합니다.",
            ),
        ]


    @property
    def status(self):
        """'upcoming', 'open' or 'closed' from the current time; '' without 접수기간."""
        if not (self.apply_start and self.apply_end):
            return ""
        now = timezone.now()
        if now < self.apply_start:
            return "upcoming"
        return "open" if now <= self.apply_end else "closed"

    @property
    def status_label(self):
        return self.STATUS_LABELS.get(self.status, "")

    LIST_FIELDS = (*Post.LIST_FIELDS, "apply_start", "apply_end")

    @property
    def list_badge(self):
        status = self.status
        return Badge(f"badge-status badge-{status}", self.STATUS_LABELS[status]) if status else None


class RecruitmentAttachment(AttachmentBase):
    post = models.ForeignKey(
        RecruitmentPost, on_delete=models.CASCADE, related_name="attachments", verbose_name="게시글"
    )

    class Meta(AttachmentBase.Meta):
        pass
