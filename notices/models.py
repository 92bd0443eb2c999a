from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from boards.models import AttachmentBase, Badge, Post

NUMBER_PREFIX = "서울특별시 금천구"


class Notice(Post):
    class Kind(models.TextChoices):
        NEWS = "news", "금천소식"
        NOTICE = "notice", "고시공고"

    class NoticeType(models.TextChoices):
        GOSI = "gosi", "고시"
        GONGGO = "gonggo", "공고"

    kind = models.CharField("게시판", max_length=10, choices=Kind.choices, default=Kind.NEWS)
    notice_type = models.CharField(
        "고시·공고 구분", max_length=10, choices=NoticeType.choices, blank=True
    )
    number_year = models.PositiveSmallIntegerField("공고번호 연도", null=True, blank=True)
    number_seq = models.PositiveIntegerField("공고번호 일련번호", null=True, blank=True)
    period_start = models.DateField("공고기간 시작", null=True, blank=True)
    period_end = models.DateField("공고기간 끝", null=True, blank=True)

    class Meta(Post.Meta):
        verbose_name = "금천소식·고시공고"
        verbose_name_plural = "금천소식·고시공고"
        indexes = [
            models.Index(
                fields=["kind", "is_published", "-published_at", "-id"], include=["unpublish_at"],
                name="notices_kind_list",
            ),
            *[index for index in Post.Meta.indexes if index.name.endswith("_ends")],
        ]
        constraints = [
            *Post.Meta.constraints,
            models.UniqueConstraint(
                fields=["notice_type", "number_year", "number_seq"],
                condition=Q(number_seq__isnull=False),
                name="notices_number_unique_per_type_year",
                violation_error_message="같은 연도에 같은 번호의 고시·공고가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(kind="notice") | Q(notice_type="", number_seq__isnull=True),
                name="notices_news_has_no_number",
                violation_error_message="금천소식에는 고시·공고 구분과 번호를 넣지 않습니다.",
            ),
            models.CheckConstraint(
                condition=Q(number_seq__isnull=True) | ~Q(notice_type="") & Q(number_year__isnull=False),
                name="notices_number_needs_type_and_year",
                violation_error_message="공고번호에는 구분과 연도가 함께 있어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="notices_period_in_order",
                violation_error_message="공고기간의 끝은 시작보다 빠를 수 없습니다.",
            ),
        ]

    @property
    def number(self):
        """e.g. "서울특별시 금천구 공고 제2026-123호"."""
        if self.number_seq is None:
            return ""
        return f"{NUMBER_PREFIX} {self.get_notice_type_display()} 제{self.number_year}-{self.number_seq}호"

    LIST_FIELDS = (*Post.LIST_FIELDS, "notice_type", "number_year", "number_seq")

    @property
    def list_badge(self):
        if self.number_seq is None:
            return None
        return Badge("badge-number", f"{self.get_notice_type_display()} 제{self.number_year}-{self.number_seq}호")

    def clean(self):
        super().clean()
        if self.kind == self.Kind.NOTICE and not self.notice_type:
            raise ValidationError({"notice_type": "고시공고는 고시·공고 구분을 골라 주세요."})
        if self.number_seq is not None and self.number_year is None:
            raise ValidationError({"number_year": "공고번호의 연도를 넣어 주세요."})


class NoticeAttachment(AttachmentBase):
    post = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name="게시글"
    )

    class Meta(AttachmentBase.Meta):
        pass
