from django.db import models
from django.urls import reverse

from boards.models import Department, phone_validator
from boards.richtext import RichTextField, sanitize_html
from files.fields import ImageField


class TrailQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def listed(self, limit=None):
        """The published trails in list order (the first ``limit``), as one plain statement: the home
        page and 통합검색 ask it on every render, and the ORM took longer to build it than the database
        to answer."""
        return self.raw(
            f'SELECT * FROM {self.model._meta.db_table} WHERE is_published = %s ORDER BY "order", id'
            + (" LIMIT %s" if limit is not None else ""),
            [True, *([limit] if limit is not None else [])],
        )


class CultureTrail(models.Model):
    name = models.CharField("이름", max_length=50)
    slug = models.SlugField("주소 이름", max_length=50, unique=True, allow_unicode=False)
    summary = models.CharField("한 줄 소개", max_length=200)
    story = RichTextField("이야기", blank=True)
    image = ImageField("대표 이미지")
    image_alt = models.CharField("대표 이미지 대체 텍스트", max_length=200)
    distance_km = models.DecimalField("거리(km)", max_digits=4, decimal_places=1, null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("소요시간(분)", null=True, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="담당부서",
    )
    contact = models.CharField(
        "연락처", max_length=20, blank=True, validators=[phone_validator],
        help_text="비워 두면 담당부서 대표전화를 보여 줍니다.",
    )
    order = models.PositiveSmallIntegerField("정렬 순서", default=0)
    is_published = models.BooleanField("공개 여부", default=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    objects = TrailQuerySet.as_manager()

    class Meta:
        verbose_name = "문화관광 길"
        verbose_name_plural = "문화관광 길"
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["is_published", "order", "id"], name="culturetrail_list")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(image_alt=""), name="culturetrail_alt_required",
                violation_error_message="대표 이미지의 대체 텍스트를 입력해 주세요.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.story = sanitize_html(self.story)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tourism:detail", kwargs={"slug": self.slug})

    @property
    def phone(self):
        """연락처, or the department's main line."""
        return self.contact or (self.department.phone if self.department else "")

    @property
    def duration_display(self):
        if not self.duration_minutes:
            return ""
        hours, minutes = divmod(self.duration_minutes, 60)
        return " ".join(part for part in (f"{hours}시간" if hours else "", f"{minutes}분" if minutes else "") if part)


class TrailStop(models.Model):
    trail = models.ForeignKey(
        CultureTrail, on_delete=models.CASCADE, related_name="stops", verbose_name="문화관광 길"
    )
    order = models.PositiveSmallIntegerField("순서")
    name = models.CharField("이름", max_length=100)
    description = models.TextField("설명", blank=True)

    class Meta:
        verbose_name = "코스 지점"
        verbose_name_plural = "코스 지점"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["trail", "order"], name="trailstop_unique_order",
                violation_error_message="같은 순서의 지점이 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return self.name
