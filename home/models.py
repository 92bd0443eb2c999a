from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone

from files.fields import ImageField


def validate_link(value):
    if value.startswith("//") or not value.startswith(("https://", "http://", "/")):
        raise ValidationError("연결 주소는 https:// 로 시작하는 주소나 /로 시작하는 이 누리집 주소여야 합니다.")


class DisplayQuerySet(models.QuerySet):
    def current(self, now=None):
        """Switched on and inside its display period."""
        now = now or timezone.now()
        return self.filter(
            Q(display_end__isnull=True) | Q(display_end__gt=now),
            is_active=True,
            display_start__lte=now,
        )

    def shown(self, now=None):
        """``current()`` in display order, as one plain statement (filters before it are not applied):
        the home page asks it on every render, and the ORM took longer to build it than the database
        to answer."""
        moment = connections[self.db].ops.adapt_datetimefield_value(now or timezone.now())
        return self.raw(
            f"SELECT * FROM {self.model._meta.db_table} WHERE is_active = %s AND display_start <= %s"
            ' AND (display_end IS NULL OR display_end > %s) ORDER BY "order", id',
            [True, moment, moment],
        )

    def next_change(self, now):
        """The soonest display start or end still to come among switched-on items (None: none)."""
        active = self.filter(is_active=True)
        starts = active.filter(display_start__gt=now).aggregate(next=models.Min("display_start"))["next"]
        ends = active.filter(display_end__gt=now).aggregate(next=models.Min("display_end"))["next"]
        return min((moment for moment in (starts, ends) if moment), default=None)


class DisplayItem(models.Model):
    """Something shown on the home page for a period, in staff-chosen order."""

    title = models.CharField("제목", max_length=100)
    link_url = models.CharField(
        "연결 주소", max_length=500, validators=[validate_link], help_text="https:// 로 시작하는 주소 또는 이 누리집의 /로 시작하는 주소"
    )
    opens_new_window = models.BooleanField("새 창으로 열기", default=False)
    order = models.PositiveSmallIntegerField("정렬 순서", default=0)
    display_start = models.DateTimeField("게시 시작", default=timezone.now)
    display_end = models.DateTimeField("게시 끝", null=True, blank=True)
    is_active = models.BooleanField("사용 여부", default=True)

    objects = DisplayQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["is_active", "order", "id"], name="%(class)s_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(display_end__isnull=True) | Q(display_end__gt=models.F("display_start")),
                name="%(class)s_period_in_order",
                violation_error_message="게시 끝은 게시 시작보다 늦어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(link_url__startswith="https://") | Q(link_url__startswith="http://")
                | Q(link_url__startswith="/"),
                name="%(class)s_link_is_web",
                violation_error_message="연결 주소는 http(s):// 또는 /로 시작해야 합니다.",
            ),
        ]

    def __str__(self):
        return self.title


class HeroBanner(DisplayItem):
    image = ImageField("이미지")
    image_alt = models.CharField("대체 텍스트", max_length=300, help_text="이미지에 적힌 글과 뜻을 그대로 적어 주세요.")
    description = models.CharField("설명", max_length=200, blank=True)

    class Meta(DisplayItem.Meta):
        verbose_name = "비주얼 배너"
        verbose_name_plural = "비주얼 배너"


class QuickLink(DisplayItem):
    icon = ImageField("아이콘")

    class Meta(DisplayItem.Meta):
        verbose_name = "바로가기"
        verbose_name_plural = "바로가기"


class AlertLevel(models.IntegerChoices):
    # The order is the order on the page: the most urgent first.
    CRITICAL = 1, "긴급"
    WARNING = 2, "주의"
    INFO = 3, "안내"


class SiteAlertQuerySet(models.QuerySet):
    def current(self, now=None):
        """Showing at ``now``, the most urgent first, then the newest.

        Plain SQL (filters before it are not applied): asked on every page, and the ORM took
        longer to build the statement than the database to answer it.
        """
        moment = connections[self.db].ops.adapt_datetimefield_value(now or timezone.now())
        return self.raw(
            f"SELECT * FROM {self.model._meta.db_table} WHERE display_start <= %s AND display_end > %s"
            " ORDER BY level, display_start DESC, id DESC",
            [moment, moment],
        )

    def next_change(self, now):
        """The soonest start or end of an alert still to come (None: none)."""
        starts = self.filter(display_start__gt=now).aggregate(next=models.Min("display_start"))["next"]
        ends = self.filter(display_end__gt=now).aggregate(next=models.Min("display_end"))["next"]
        return min((moment for moment in (starts, ends) if moment), default=None)


class SiteAlert(models.Model):
    """긴급 공지: a line at the top of every resident page (KRDS critical alert), for a set period."""

    level = models.PositiveSmallIntegerField("단계", choices=AlertLevel.choices, default=AlertLevel.CRITICAL)
    message = models.CharField("알림 내용", max_length=300, help_text="한두 문장으로 적어 주세요. 모든 화면 맨 위에 보입니다.")
    link_url = models.CharField(
        "연결 주소", max_length=500, blank=True, validators=[validate_link],
        help_text="자세한 안내가 있는 주소(선택): https:// 로 시작하는 주소 또는 이 누리집의 /로 시작하는 주소",
    )
    link_text = models.CharField("연결 글자", max_length=50, blank=True, default="자세히 보기")
    display_start = models.DateTimeField("게시 시작", default=timezone.now)
    display_end = models.DateTimeField("게시 끝", help_text="이 시각이 되면 저절로 내려갑니다.")
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    objects = SiteAlertQuerySet.as_manager()

    class Meta:
        verbose_name = "긴급 공지"
        verbose_name_plural = "긴급 공지"
        ordering = ["level", "-display_start", "-id"]
        indexes = [models.Index(fields=["display_end", "display_start"], name="sitealert_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(display_end__gt=models.F("display_start")),
                name="sitealert_period_in_order",
                violation_error_message="게시 끝은 게시 시작보다 늦어야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(link_url="") | Q(link_url__startswith="https://") | Q(link_url__startswith="http://")
                | Q(link_url__startswith="/"),
                name="sitealert_link_is_web",
                violation_error_message="연결 주소는 http(s):// 또는 /로 시작해야 합니다.",
            ),
        ]

    def __str__(self):
        return f"[{self.get_level_display()}] {self.message[:40]}"


def next_display_change(now):
    """When a public page next changes by itself: a banner, quick link or 긴급 공지 starts or ends showing."""
    moments = [model.objects.next_change(now) for model in (HeroBanner, QuickLink, SiteAlert)]
    return min((moment for moment in moments if moment), default=None)
