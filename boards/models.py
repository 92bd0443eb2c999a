"""What every board shares: departments, the abstract post and the abstract 붙임."""

from collections import namedtuple

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from simple_history.models import HistoricalRecords

from files import extract
from files.checks import validate_attachment
from files.formats import IMAGE_KINDS
from files.images import normalize_image
from files.names import attachment_upload_to, display_name, extension_of
from privacy.screening import model_texts

from . import file_reading, registry
from .body_images import BodyImage  # noqa: F401  (본문 이미지: this app's model, in its own module)
from .richtext import RichTextField, html_to_text, sanitize_html

phone_validator = RegexValidator(
    r"^[0-9]{2,4}-[0-9]{3,4}-[0-9]{4}(~[0-9]{1,4})?$",
    "전화번호는 02-2627-1316 과 같은 형식으로 입력해 주세요.",
)


# A mark beside a post's title in its board's list: its CSS classes (after "badge") and its words.
Badge = namedtuple("Badge", "css text")


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


class BoardCount(models.Model):
    """How many posts of a board are switched on with no 게시 종료일시: kept by triggers (boards/post_counts.py)."""

    board_table = models.CharField("게시판 표", max_length=63)
    board_key = models.CharField("게시판 구분", max_length=50, blank=True)
    open = models.BigIntegerField("공개 글 수(종료일시 없음)", default=0)

    class Meta:
        verbose_name = "게시판 글 수"
        verbose_name_plural = "게시판 글 수"
        constraints = [models.UniqueConstraint(fields=["board_table", "board_key"], name="boards_one_count_per_board")]

    def __str__(self):
        return f"{self.board_table}:{self.board_key} {self.open}"


class BoardMonth(models.Model):
    """``BoardCount.open`` by month (UTC) of 게시일시: where a deep list page starts (boards/month_counts.py)."""

    board_table = models.CharField("게시판 표", max_length=63)
    board_key = models.CharField("게시판 구분", max_length=50, blank=True)
    month = models.CharField("게시 월(UTC, YYYY-MM)", max_length=7)
    open = models.BigIntegerField("공개 글 수(종료일시 없음)", default=0)

    class Meta:
        verbose_name = "게시판 월별 글 수"
        verbose_name_plural = "게시판 월별 글 수"
        constraints = [
            models.UniqueConstraint(fields=["board_table", "board_key", "month"], name="boards_one_count_per_month")
        ]

    def __str__(self):
        return f"{self.board_table}:{self.board_key} {self.month} {self.open}"


def public_condition(now=None, through=""):
    """Visible to the public: switched on, its 게시일시 has come and its 게시 종료일시 has not.

    ``through="post__"`` from a 붙임.
    """
    now = now or timezone.now()
    return Q(**{f"{through}is_published": True, f"{through}published_at__lte": now}) & (
        Q(**{f"{through}unpublish_at__isnull": True}) | Q(**{f"{through}unpublish_at__gt": now})
    )


def ended_condition(now=None):
    """Switched on, but its 게시 종료일시 has passed (게시 종료)."""
    return Q(is_published=True, unpublish_at__lte=now or timezone.now())


def scheduled_condition(now=None, through=""):
    """Switched on, and public from a 게시일시 still to come (예약 게시)."""
    return Q(**{f"{through}is_published": True, f"{through}published_at__gt": now or timezone.now()})


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(public_condition(now))

    def scheduled(self, now=None):
        return self.filter(scheduled_condition(now))

    def ended(self, now=None):
        return self.filter(ended_condition(now))

    def next_changes(self, now):
        """The soonest 게시일시 of a scheduled post and 게시 종료일시 of a public one, still to come.

        One statement (a UNION of two MINs, each from its own index); 0 to 2 moments.
        """
        def soonest(queryset, field):
            return queryset.order_by().values("is_published").annotate(moment=models.Min(field)).values_list(
                "moment", flat=True
            )

        starts = soonest(self.scheduled(now), "published_at")
        ends = soonest(self.published(now).filter(unpublish_at__isnull=False), "unpublish_at")
        return list(starts.union(ends, all=True))

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

        The matching is 통합검색's (setting BOARD_TEXT_MATCH, search.engine.match: on
        PostgreSQL it uses the character-gram index), so a list and 통합검색 agree.
        """
        fields = {"title": ("title",), "body": ("body_text",)}.get(field, ("title", "body_text"))
        return import_string(settings.BOARD_TEXT_MATCH)(self, query.split(), fields)


PUBLICATION_STATES = {"public": "공개", "scheduled": "예약", "ended": "게시 종료", "private": "비공개"}


class ReviewState(models.TextChoices):
    NONE = "", "검토 없음"  # a board without review, or a post from before review
    DRAFT = "draft", "임시저장"
    PENDING = "pending", "검토 요청"
    APPROVED = "approved", "승인"
    REJECTED = "rejected", "반려"


class TakedownReason(models.TextChoices):
    WRONG_POST = "wrong_post", "잘못 게시"
    PERSONAL_DATA = "personal_data", "개인정보 노출"
    EXPIRED = "expired", "기간 만료"
    DUPLICATE = "duplicate", "중복 게시"
    OTHER = "other", "기타"


class Post(models.Model):
    """One board item. Concrete boards add their own fields and register a board (boards/registry.py)."""

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
    # Leaves every public page, feed and search at this moment by itself (pagecache keeps pages only until then).
    unpublish_at = models.DateTimeField(
        "게시 종료일시", null=True, blank=True,
        help_text="이 시각이 되면 목록·첫 화면·RSS·검색에서 저절로 내려갑니다. 비워 두면 계속 게시합니다.",
    )
    # 게시 중단: taken off the site at once, with the reason (editorial/takedown.py). Publishing again clears it.
    # db_default: SQLite then adds the column in place instead of remaking the table, which
    # the 붙임 date triggers (boards/post_dates.py) would not survive.
    takedown_reason = models.CharField(
        "게시 중단 사유", max_length=20, choices=TakedownReason.choices, blank=True, editable=False,
        default="", db_default="",
    )
    taken_down_at = models.DateTimeField("게시 중단 일시", null=True, blank=True, editable=False)
    # Review before publishing, on boards that ask for it (editorial/review.py).
    review_state = models.CharField(
        "검토 상태", max_length=10, choices=ReviewState.choices, blank=True, editable=False,
        default="", db_default="",
    )
    review_note = models.TextField("반려 사유", blank=True, editable=False, default="", db_default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name="검토 요청한 사람",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name="검토한 사람",
    )
    reviewed_at = models.DateTimeField("검토 일시", null=True, blank=True, editable=False)
    # Held back while large 붙임 are read by the worker (boards/file_reading.py): it publishes the post
    # when they pass 개인정보 screening, or leaves it private and says why in files_check_note.
    awaiting_files = models.BooleanField(
        "붙임 확인 후 공개", default=False, db_default=False, editable=False,
    )
    files_check_note = models.TextField("붙임 확인 결과", blank=True, editable=False, default="", db_default="")
    view_count = models.PositiveIntegerField("조회수", default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+", verbose_name="작성자",
    )
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    objects = PostQuerySet.as_manager()
    # Every save kept as a revision (editorial/history.py); derived and counted columns are not.
    history = HistoricalRecords(inherit=True, excluded_fields=["body_text", "view_count"])

    class Meta:
        abstract = True
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_with_personal_data", "개인정보가 검출된 글을 사유를 적고 공개"),
            ("approve_post", "검토 요청된 글을 승인하거나 반려"),
        ]
        # The list reads 게시 종료일시 from the index too (PostgreSQL INCLUDE), so deep pages stay index-only.
        indexes = [
            models.Index(
                fields=["is_published", "-published_at", "-id"], include=["unpublish_at"], name="%(class)s_list"
            ),
            models.Index(fields=["unpublish_at"], condition=Q(unpublish_at__isnull=False), name="%(class)s_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=models.F("published_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="게시 종료일시는 게시일시보다 뒤여야 합니다.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.is_published and self.takedown_reason:  # published again
            self.takedown_reason, self.taken_down_at = "", None
        self.body = sanitize_html(self.body)
        self.body_text = html_to_text(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_text"}
        super().save(*args, **kwargs)

    @property
    def phone(self):
        return self.contact or self.department.phone

    list_badge = None  # a board's own Badge beside the title in lists (고시공고's number, 채용공고's 접수 state)
    # The columns a list row reads (boards/listing.rows; the board's own kind column is added there):
    # a board whose list_badge reads more names them. Each column more costs a list page about 1%.
    LIST_FIELDS = ("id", "title", "department", "published_at", "view_count")

    def publication_state(self, now=None):
        """"public", "scheduled", "ended" or "private": the rules of PostQuerySet.published(), .scheduled(), .ended()."""
        now = now or timezone.now()
        if not self.is_published:
            return "private"
        if self.unpublish_at is not None and self.unpublish_at <= now:
            return "ended"
        return "scheduled" if self.published_at > now else "public"

    @property
    def is_public(self):
        return self.publication_state() == "public"

    @property
    def board(self):
        return registry.board_of(self)

    @property
    def board_slug(self):
        return self.board.slug

    def get_absolute_url(self):
        return self.board.detail_url(self.pk)

    # For 개인정보 screening (privacy/publishing.py): every text a resident can see.
    NOT_SCREENED = ("contact",)  # the office line staff give on purpose

    def screened_texts(self):
        return model_texts(self, exclude=self.NOT_SCREENED)

    def screened_files(self):
        return [attachment.screened_file() for attachment in self.attachments.all()] if self.pk else []


class ExtractState(models.TextChoices):
    COMPLETE = "", "모두 확인"
    CHECKING = "checking", "확인 중"
    TRUNCATED = "truncated", "앞부분만 확인"
    NO_TEXT = "no_text", "글자 없음(스캔)"
    UNSUPPORTED = "unsupported", "읽지 않는 형식"

    @classmethod
    def of(cls, extracted):
        if extracted.error == extract.CHECKING:
            return cls.CHECKING
        if not extracted.supported:
            return cls.UNSUPPORTED
        if extracted.truncated:
            return cls.TRUNCATED
        if extract.NO_TEXT_PDF in extracted.notices:
            return cls.NO_TEXT
        return cls.COMPLETE


class UploadedFile(models.Model):
    """A stored 붙임 file with what was read from it at upload: name, size and extracted text.

    AttachmentBase (a post's 붙임) and editorial's pending 붙임 (waiting for review) are both one.
    """

    file = models.FileField(
        "파일", upload_to=attachment_upload_to, max_length=255, validators=[validate_attachment],
        help_text="HWP·HWPX·PDF·DOCX·XLSX·PPTX·TXT·CSV·이미지·ZIP 파일을 올릴 수 있습니다.",
    )
    original_name = models.CharField("파일명", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("크기(바이트)", default=0, editable=False)
    order = models.PositiveSmallIntegerField("순서", default=0)
    # Extracted once at upload: 바로보기, 개인정보 screening and search read these.
    extracted_text = models.TextField("추출한 글", blank=True, editable=False)
    extracted_blocks = models.JSONField("바로보기 내용", default=list, blank=True, editable=False)
    extract_error = models.CharField("내용 확인 오류", max_length=300, blank=True, editable=False)
    # What the extraction did not cover although the file read: 개인정보 screening holds such a post back.
    extract_state = models.CharField(
        "내용 확인 범위", max_length=12, choices=ExtractState.choices, blank=True, editable=False,
        default="", db_default="",
    )

    # What was read from the stored file: copied along when the file moves to another row.
    READ_FROM_FILE = ("original_name", "size", "extracted_text", "extracted_blocks", "extract_error", "extract_state")

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def read_from(self, other):
        """Take ``other``'s stored file and what was read from it (nothing is read again)."""
        self.file = other.file.name
        for name in self.READ_FROM_FILE:
            setattr(self, name, getattr(other, name))
        return self

    def save(self, *args, **kwargs):
        if self.is_new_upload:
            if extension_of(display_name(self.file.name)).lower() in IMAGE_KINDS:
                # Stored re-encoded, never byte for byte: no EXIF/GPS, comments or trailing bytes.
                self.file = normalize_image(self.file, resize=False)
            # The name staff gave the file, shown and offered on download;
            # storage gets a generated one (see attachment_upload_to).
            self.original_name = display_name(self.file.name)
            self.size = self.file.size
            self.store_extracted(self.upload_extraction())
        super().save(*args, **kwargs)
        if self.extract_state == ExtractState.CHECKING:
            file_reading.read_after_commit(self)

    @property
    def is_new_upload(self):
        return bool(self.file) and not self.file._committed

    def upload_extraction(self):
        """The text of a newly uploaded file, read once: screening before saving and save() share it.

        A file too large to read within a request is left to the worker: ``CHECKING`` until then.
        """
        upload = self.file.file
        if getattr(self, "_upload_extraction", (None, None))[0] is not upload:
            if file_reading.reads_later(self.file.size):
                self._upload_extraction = (upload, file_reading.not_read_yet())
                return self._upload_extraction[1]
            self.file.seek(0)
            try:
                self._upload_extraction = (upload, extract.extract_text(self.file, display_name(self.file.name)))
            finally:
                self.file.seek(0)
        return self._upload_extraction[1]

    def screened_file(self):
        """(display name, Extracted) for 개인정보 screening, of a new upload or of the stored file."""
        if self.is_new_upload:
            return display_name(self.file.name), self.upload_extraction()
        return self.original_name, self.extracted()

    def store_extracted(self, extracted):
        self.extracted_text = extracted.text  # visible text only: 통합검색 must not find or quote hidden parts
        self.extracted_blocks = [list(block_to_json(block)) for block in extracted.blocks]
        self.extract_state = ExtractState.of(extracted)
        self.extract_error = "" if self.extract_state == ExtractState.CHECKING else (extracted.error or "")[:300]

    def extracted(self):
        """The stored extraction as an ``Extracted`` again (for screening and 바로보기), hidden blocks included."""
        if self.extract_state == ExtractState.CHECKING:
            return file_reading.not_read_yet()
        blocks = [extract.Block(*item[:5]) for item in self.extracted_blocks or []]
        return extract.Extracted(
            blocks=blocks, error=self.extract_error or None,
            supported=self.extract_state != ExtractState.UNSUPPORTED,
            truncated=self.extract_state == ExtractState.TRUNCATED,
            notices=[extract.NO_TEXT_PDF] if self.extract_state == ExtractState.NO_TEXT else [],
        )

    @property
    def extension(self):
        return extension_of(self.original_name)


class AttachmentBase(UploadedFile):
    """A 붙임 file. Concrete models add ``post = ForeignKey(..., related_name="attachments")``."""

    # A removed 붙임's file stays for a while, so restoring a revision brings it back (files/signals.py).
    keeps_removed_files = True

    download_count = models.PositiveIntegerField("다운로드 수", default=0, editable=False)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    # A copy of the post's 게시일시 that database triggers keep (boards/post_dates.py):
    # 통합검색 lists 붙임 newest post first from this table's own index.
    post_published_at = models.DateTimeField("글 게시일시", null=True, editable=False)
    # Which 붙임 a post had when (editorial/history.py).
    history = HistoricalRecords(inherit=True, excluded_fields=[
        "extracted_text", "extracted_blocks", "extract_error", "extract_state", "download_count", "post_published_at",
    ])

    class Meta:
        abstract = True
        ordering = ["order", "id"]
        verbose_name = "붙임"
        verbose_name_plural = "붙임"
        indexes = [
            models.Index(fields=["post", "order", "id"], name="%(class)s_post"),
            models.Index(fields=["-post_published_at", "-post", "order", "id"], name="%(class)s_newest"),
            # The few still waiting for the worker (boards/file_reading.py read_waiting_files).
            models.Index(fields=["created_at"], condition=Q(extract_state="checking"), name="%(class)s_checking"),
        ]


def block_to_json(block):
    """A block as stored in extracted_blocks: [kind, content, where, row_where], then True if hidden.

    Hidden blocks (parts of the file not shown when it is opened) are stored so that a
    stored 붙임 screened again still has them; 바로보기 leaves them out. Visible blocks
    keep the old four-item form, and old rows without the flag load as visible.
    """
    item = (block.kind, block.content, getattr(block, "where", None), getattr(block, "row_where", None))
    return item + (True,) if getattr(block, "hidden", False) else item
