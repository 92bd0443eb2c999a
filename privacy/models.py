from django.conf import settings
from django.db import models
from django.db.models import Q


class PrivacyOverride(models.Model):
    """A post published although the 개인정보 screening found something: who, why, what."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name="게시판 종류"
    )
    object_id = models.PositiveBigIntegerField("게시글 번호")
    object_repr = models.CharField("게시글 제목", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="공개한 사람"
    )
    reason = models.TextField("공개 사유")
    findings = models.JSONField("검출 내용", default=list)
    created_at = models.DateTimeField("일시", auto_now_add=True)

    class Meta:
        verbose_name = "개인정보 검출 공개 기록"
        verbose_name_plural = "개인정보 검출 공개 기록"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="privacyoverride_object"),
            models.Index(fields=["-created_at", "-id"], name="privacyoverride_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="privacyoverride_reason_required",
                violation_error_message="공개 사유를 적어 주세요.",
            ),
        ]

    def __str__(self):
        return f"{self.object_repr} ({self.created_at:%Y-%m-%d %H:%M})"
