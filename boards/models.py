"""What every board shares: departments, the abstract post and the abstract 붙임."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .richtext import RichTextField, html_to_text, sanitize_html
from .filechecks import validate_attachment
from .uploads import attachment_upload_to, display_name

phone_validator = RegexValidator(
    r"^[0-9]{2,4}-[0-9]{3,4}-[0-9]{4}(~[0-9]{1,4})?$",
    "전화번호는 02-2627-1316 과 같은 형식으로 입력해 주세요.",
)


class Department(models.Model):
    name = models.CharField("부서명", max_length=50, unique=True)
    phone = models.CharField("대표전화", max_length=20, blank=True, validators=[phone_validator])
    order = models.PositiveSmallIntegerField("정렬 순서", default=0)

    class Meta:
        verbose_name = "부서"
        verbose_name_plural = "부서"
        ordering = ["order", "name"]
        indexes = [models.Index(fields=["order", "name"], name="boards_dept_order_idx")]

    def __str__(self):
        return self.name


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to the public: switched on and its 게시일시 has come."""
        return self.filter(is_published=True, published_at__lte=now or timezone.now())

    def latest_first(self):
        return self.order_by("-published_at", "-id")

    def for_list(self):
        """Everything a list row shows, in a fixed number of queries."""
        attachment_model = self.model.attachments.rel.related_model
        return (
            self.select_related("department")
            .annotate(has_attachments=Exists(attachment_model.objects.filter(post=OuterRef("pk"))))
            .latest_first()
        )

    def search(self, query, field="all"):
        """Every word of ``query`` must occur (case-insensitive, inside words too).

        The matching itself lives in search.engine, shared with 통합검색; on
        PostgreSQL it uses the character-gram index.
        """
        from search.engine import match

        fields = {"title": ("title",), "body": ("body_text",)}.get(field, ("title", "body_text"))
        return match(self, query.split(), fields)

    def neighbours(self, post):
        """(previous, next) in list order: previous is older, next is newer."""
        older = Q(published_at__lt=post.published_at) | Q(published_at=post.published_at, id__lt=post.id)
        newer = Q(published_at__gt=post.published_at) | Q(published_at=post.published_at, id__gt=post.id)
        fields = ("id", "title", "published_at")
        # The redundant range bounds let the planner start the index scan at the
        # post instead of walking from one end of a million-row board.
        previous = (
            self.filter(older, published_at__lte=post.published_at)
            .order_by("-published_at", "-id").only(*fields).first()
        )
        following = (
            self.filter(newer, published_at__gte=post.published_at)
            .order_by("published_at", "id").only(*fields).first()
        )
        return previous, following


class Post(models.Model):
    """One board item. Concrete boards add their own fields and a ``board_slug``."""

    title = models.CharField("제목", max_length=200)
    body = RichTextField("본문", blank=True)
    body_text = models.TextField("본문 텍스트", blank=True, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="담당부서"
    )
    contact = models.CharField(
        "연락처", max_length=20, blank=True, validators=[phone_validator],
        help_text="비워 두면 담당부서 대표전화를 보여 줍니다.",
    )
    published_at = models.DateTimeField(
        "게시일시", default=timezone.now,
        help_text="미래 시각을 넣으면 그 시각부터 공개됩니다(예약 게시).",
    )
    is_published = models.BooleanField("공개 여부", default=True)
    view_count = models.PositiveIntegerField("조회수", default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+", verbose_name="작성자",
    )
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [("publish_with_personal_data", "개인정보가 검출된 글을 사유를 적고 공개")]
        indexes = [
            models.Index(
                fields=["is_published", "-published_at", "-id"], name="%(class)s_list"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.body_text = html_to_text(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_text"}
        super().save(*args, **kwargs)

    @property
    def phone(self):
        return self.contact or self.department.phone

    @property
    def is_public(self):
        return self.is_published and self.published_at <= timezone.now()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("boards:detail", kwargs={"board": self.board_slug, "pk": self.pk})


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


class AttachmentBase(models.Model):
    """A 붙임 file. Concrete models add ``post = ForeignKey(..., related_name="attachments")``."""

    file = models.FileField(
        "파일", upload_to=attachment_upload_to, max_length=255, validators=[validate_attachment],
        help_text="HWP·HWPX·PDF·DOCX·XLSX·PPTX·TXT·CSV·이미지·ZIP 파일을 올릴 수 있습니다.",
    )
    original_name = models.CharField("파일명", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("크기(바이트)", default=0, editable=False)
    download_count = models.PositiveIntegerField("다운로드 수", default=0, editable=False)
    order = models.PositiveSmallIntegerField("순서", default=0)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    # Extracted once at upload: 바로보기, 개인정보 screening and search read these.
    extracted_text = models.TextField("추출한 글", blank=True, editable=False)
    extracted_blocks = models.JSONField("바로보기 내용", default=list, blank=True, editable=False)
    extract_error = models.CharField("내용 확인 오류", max_length=300, blank=True, editable=False)
    # A copy of the post's 게시일시 that database triggers keep (boards/post_dates.py):
    # 통합검색 lists 붙임 newest post first from this table's own index.
    post_published_at = models.DateTimeField("글 게시일시", null=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["order", "id"]
        verbose_name = "붙임"
        verbose_name_plural = "붙임"
        indexes = [
            models.Index(fields=["post", "order", "id"], name="%(class)s_post"),
            models.Index(fields=["-post_published_at", "-post", "order", "id"], name="%(class)s_newest"),
        ]

    def __str__(self):
        return self.original_name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # The name staff gave the file, shown and offered on download;
            # storage gets a generated one (see attachment_upload_to).
            self.original_name = display_name(self.file.name)
            self.size = self.file.size
            self.store_extracted(getattr(self, "_extracted", None) or self.extract())
        super().save(*args, **kwargs)

    def extract(self):
        from .extract import extract_text

        self.file.seek(0)
        try:
            return extract_text(self.file, display_name(self.file.name))
        finally:
            self.file.seek(0)

    def store_extracted(self, extracted):
        self.extracted_text = extracted.text
        self.extracted_blocks = [list(block_to_json(block)) for block in extracted.blocks]
        self.extract_error = (extracted.error or "")[:300]

    def extracted(self):
        """The stored extraction as an ``Extracted`` again (for screening and 바로보기)."""
        from .extract import Block, Extracted

        return Extracted(blocks=[Block(*item) for item in self.extracted_blocks], error=self.extract_error or None)

    @property
    def extension(self):
        return extension_of(self.original_name)


def extension_of(name):
    """"HWP" for "공고문.hwp"; "" for a name without one."""
    return name.rsplit(".", 1)[-1].upper() if "." in name else ""


def block_to_json(block):
    return (block.kind, block.content, getattr(block, "where", None), getattr(block, "row_where", None))
