"""페이지 만족도 조사: one answer per visitor, page and day; no raw IP is ever stored."""

from django.db import models


class PageFeedback(models.Model):
    class Score(models.IntegerChoices):
        VERY_SATISFIED = 5, "매우 만족"
        SATISFIED = 4, "만족"
        NEUTRAL = 3, "보통"
        DISSATISFIED = 2, "불만족"
        VERY_DISSATISFIED = 1, "매우 불만족"

    page = models.CharField("페이지 주소", max_length=200)
    score = models.PositiveSmallIntegerField("만족도", choices=Score.choices)
    comment = models.CharField("의견", max_length=500, blank=True)
    day = models.DateField("응답일")
    visitor = models.CharField(
        "방문자 구분값", max_length=64,
        help_text="IP 주소와 브라우저 정보, 날짜를 비밀 키로 바꾼 값입니다. IP 주소 자체는 저장하지 않습니다.",
    )
    created_at = models.DateTimeField("응답 일시", auto_now_add=True)

    class Meta:
        verbose_name = "만족도 응답"
        verbose_name_plural = "만족도 응답"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["page", "-created_at"], name="pagefeedback_page_idx"),
            models.Index(fields=["-created_at"], name="pagefeedback_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="pagefeedback_score_range",
                violation_error_message="만족도는 1에서 5 사이여야 합니다.",
            ),
            models.UniqueConstraint(
                fields=["page", "visitor", "day"], name="pagefeedback_once_a_day",
                violation_error_message="오늘 이 페이지에 이미 의견을 주셨습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.page} · {self.get_score_display()}"
