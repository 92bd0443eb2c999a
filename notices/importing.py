"""고시공고 from a 새올 export: each row checked as staff would check a hand-written one, then saved as a draft.

django-import-export runs the steps (upload → dry run shown as the preview → confirm,
one transaction); this module says what a row means:

- 공고번호 ("제2026-123호", "2026-123", "고시 제2026-5호", "서울특별시 금천구 공고 제…호") is the key:
  a notice with that 구분·연도·번호 is updated (same id), otherwise one is made. The database
  refuses a second one (notices_number_unique_per_type_year). No 고시/공고 in the text: 공고.
- 담당부서 must be a 부서 on the list and one the importing person works for (the permission
  policy); an existing notice of another 부서 is not touched.
- 게시일 → 게시일시, 공고기간 → 공고기간 시작·끝, 본문 (plain text) → escaped paragraphs.
- 제목·본문 with 개인정보 (privacy/detectors.py) make the row an error: the file is fixed at the source.
- New notices are drafts (임시저장, not public): they go public only by another person's approval
  (editorial/review.py). Saving goes through privacy.publishing.publish like a hand-written save,
  so a revision is kept (django-simple-history). A change to a public notice is not written: it waits
  for approval (editorial/pending.py, review.submit_change), exactly as an edit in the admin does.
- A row that changes nothing is skipped (no revision, no review request).

Nothing is written in the dry run; messages name the row number and the column, in Korean.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field
from html import unescape

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.html import escape, strip_tags
from import_export import fields as import_fields
from import_export import resources
from import_export.formats.base_formats import Format

from boards.models import Department, ReviewState
from boards.richtext import sanitize_html
from editorial import pending, review
from editorial.admin import permission_policy
from privacy.publishing import decide, publish, screen_item
from privacy.screening import screen

from .import_file import COLUMNS, LINE, ImportFileError, read_rows
from .models import Notice

logger = logging.getLogger(__name__)

NUMBER = re.compile(
    r"(?:서울특별시\s*)?(?:금천구\s*)?(?:(?P<type>고시|공고)\s*)?(?:제\s*)?"
    r"(?P<year>\d{4})\s*[-－–]\s*(?P<seq>\d{1,7})\s*(?:호)?"
)
NUMBER_TYPES = {"고시": Notice.NoticeType.GOSI, "공고": Notice.NoticeType.GONGGO}
DEFAULT_TYPE = Notice.NoticeType.GONGGO
WEEKDAY = r"(?:\s*\(\s*[월화수목금토일]\s*\))?"
TIME = r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
DATE_FORMS = [
    re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})" + TIME),
    re.compile(
        r"(?P<year>\d{4})\s*[-./]\s*(?P<month>\d{1,2})\s*[-./]\s*(?P<day>\d{1,2})\s*\.?" + WEEKDAY + TIME
    ),
    re.compile(r"(?P<year>\d{4})\s*년\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일" + WEEKDAY + TIME),
]
DATE_EXAMPLES = "2026-01-29, 2026.01.29, 2026. 1. 29., 20260129"
PERIOD_SEPARATOR = re.compile(r"\s*[~∼～〜]\s*")
# Model fields and the column of the file they come from (for model validation errors).
FIELD_COLUMNS = {
    "notice_type": "공고번호", "number_year": "공고번호", "number_seq": "공고번호", "title": "제목",
    "department": "담당부서", "published_at": "게시일", "period_start": "공고기간", "period_end": "공고기간",
    "body": "본문",
}
COMPARED = ["notice_type", "number_year", "number_seq", "title", "department_id", "published_at",
            "period_start", "period_end", "body"]

# What happens to a row (shown in the preview, written to the admin log and audit).
NEW, UPDATE, FOR_REVIEW, UNCHANGED = "new", "update", "review", "unchanged"
OUTCOMES = {
    NEW: "새로 등록(임시저장)",
    UPDATE: "수정(비공개 글)",
    FOR_REVIEW: "수정 검토 요청(공개 중: 승인 후 반영)",
    UNCHANGED: "변경 없음",
}


# ------------------------------------------------------------------ values


def parse_number(text):
    """(구분, 연도, 번호) from "제2026-123호" and its kin; ValueError (Korean) when it is not one."""
    match = NUMBER.fullmatch(" ".join(text.split()))
    if not match:
        raise ValueError(
            f"공고번호 '{text}'을(를) 읽을 수 없습니다. ‘제2026-123호’, ‘2026-123’ 또는 ‘고시 제2026-5호’처럼 적어 주세요."
        )
    year, seq = int(match["year"]), int(match["seq"])
    if not 1990 <= year <= 2100 or seq == 0:
        raise ValueError(f"공고번호 '{text}'의 연도나 번호가 올바르지 않습니다.")
    return NUMBER_TYPES.get(match["type"], DEFAULT_TYPE), year, seq


def parse_date(value, *, with_time=False):
    """A date (or, ``with_time``, an aware datetime) from an XLSX date cell or a Korean date text."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = " ".join(str(value).split())
        match = next((m for form in DATE_FORMS if (m := form.fullmatch(text))), None)
        if match is None:
            raise ValueError(f"'{text}'을(를) 날짜로 읽을 수 없습니다. {DATE_EXAMPLES} 처럼 적어 주세요.")
        parts = {name: int(number) for name, number in match.groupdict().items() if number is not None}
        try:
            moment = datetime.datetime(**parts)
        except ValueError:
            raise ValueError(f"'{text}'은(는) 없는 날짜나 시각입니다.") from None
    if not with_time:
        return moment.date()
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_period(value):
    """(start, end) from "2026-02-01 ~ 2026-02-14" (or dotted forms); (None, None) when blank."""
    if value in ("", None):
        return None, None
    parts = PERIOD_SEPARATOR.split(str(value).strip()) if isinstance(value, str) else [value]
    if len(parts) != 2 or not all(parts):
        raise ValueError(
            f"'{value}'을(를) 공고기간으로 읽을 수 없습니다. ‘2026-02-01 ~ 2026-02-14’처럼 시작일과 끝날을 ~로 이어 적어 주세요."
        )
    start, end = (parse_date(part) for part in parts)
    if end < start:
        raise ValueError(f"공고기간의 끝({end:%Y-%m-%d})이 시작({start:%Y-%m-%d})보다 빠릅니다.")
    return start, end


def body_html(text):
    """Plain text as HTML paragraphs: a blank line starts a paragraph, a line break stays one."""
    paragraphs = [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text.strip()) if part.strip()]
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def body_text(html):
    """A body as plain text with its paragraphs and line breaks, for the preview."""
    text = re.sub(r"<br\s*/?>", "\n", html or "")
    text = re.sub(r"</(p|li|h[2-4]|tr|caption|blockquote)>", "\n", text)
    return unescape(strip_tags(text)).strip()


def text(value):
    """A cell as text (an XLSX date cell in a text column becomes its ISO form)."""
    return "" if value is None else str(value)


def show_period(notice):
    if notice.period_start is None and notice.period_end is None:
        return ""
    return " ~ ".join(f"{day:%Y-%m-%d}" if day else "" for day in (notice.period_start, notice.period_end))


# ------------------------------------------------------------------ the file format


class SaeolFile(Format):
    """CSV (UTF-8 or CP949) or XLSX, told apart by content (notices/import_file.py)."""

    def __init__(self, encoding=None):
        self.encoding = encoding  # ignored: the encoding is found from the bytes

    def get_title(self):
        return "CSV·XLSX"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        from tablib import Dataset

        if in_stream is None:  # the stored upload is gone (confirmed twice, or too late)
            raise ImportFileError("임시로 보관한 파일을 찾을 수 없습니다. 이미 가져왔거나, 한 시간이 지났거나, "
                                  "임시 저장소(캐시)에 문제가 있습니다. 파일을 다시 올려 주세요.")
        _, rows = read_rows(in_stream)
        dataset = Dataset(headers=[*COLUMNS, LINE])
        for number, values in rows:
            dataset.append([*(values[column] for column in COLUMNS), number])
        return dataset


# ------------------------------------------------------------------ rows


class Shown(import_fields.Field):
    """A column as the preview shows (and compares) it: ``show(notice)``. Rows are read in import_instance."""

    def __init__(self, column_name, show):
        super().__init__(column_name=column_name)
        self.show = show

    def export(self, instance, **kwargs):
        return self.show(instance)


class NoticeImportResource(resources.ModelResource):
    number = Shown("공고번호", lambda notice: notice.number)
    title = Shown("제목", lambda notice: notice.title)
    # Not named like a model field: ModelResource would put its own field in the place of a foreign key's.
    department_name = Shown("담당부서", lambda notice: notice.department.name if notice.department_id else "")
    published_at = Shown("게시일", lambda notice: f"{timezone.localtime(notice.published_at):%Y-%m-%d %H:%M}")
    period = Shown("공고기간", show_period)
    body = Shown("본문", lambda notice: body_text(notice.body))

    class Meta:
        model = Notice
        fields = ["number", "title", "department_name", "published_at", "period", "body"]
        use_transactions = True
        store_instance = True  # the preview says per row what will happen (row.instance)
        store_row_values = True  # and which row of the file it is
        report_skipped = True

    def get_diff_headers(self):
        return [LINE, *super().get_diff_headers()]  # invalid rows then carry their row number

    def before_import(self, dataset, **kwargs):
        self.user, self.file_name = kwargs.get("user"), kwargs.get("file_name") or ""
        self.policy = permission_policy()
        self.departments = {}
        self.numbers = {}  # (구분, 연도, 번호) → the row that has it: a number twice in one file is an error

    def after_import(self, dataset, result, **kwargs):
        pass  # ModelResource resets the id sequence here, for imports that carry ids: ours never do

    # --- reading a row: before_import_row → get_or_init_instance → import_instance → validate_instance

    def before_import_row(self, row, **kwargs):
        line = row[LINE]
        errors, values = {}, {}

        def read(column, parse):
            try:
                return parse(row[column])
            except ValueError as error:
                errors.setdefault(column, []).append(f"{line}행 「{column}」: {error}")

        number = read("공고번호", lambda value: parse_number(text(value)) if value else self.missing("공고번호"))
        values["title"] = read("제목", lambda value: " ".join(text(value).split()) or self.missing("제목"))
        values["department"] = read("담당부서", lambda value: self.department(" ".join(text(value).split())))
        values["published_at"] = read("게시일", lambda value: parse_date(value, with_time=True)
                                      if value not in ("", None) else self.missing("게시일"))
        values["period_start"], values["period_end"] = read("공고기간", parse_period) or (None, None)
        values["body"] = read("본문", lambda value: sanitize_html(body_html(text(value))))
        if number:
            first = self.numbers.setdefault(number, line)
            if first != line:
                errors.setdefault("공고번호", []).append(f"{line}행 「공고번호」: {first}행과 공고번호가 같습니다.")
            values["notice_type"], values["number_year"], values["number_seq"] = number
        if errors:
            raise ValidationError(errors)
        self.row_line, self.row_values = line, values

    def missing(self, column):
        raise ValueError(f"{column}을(를) 적어 주세요.")

    def department(self, name):
        if not name:
            self.missing("담당부서")
        if name not in self.departments:
            self.departments[name] = Department.objects.filter(name=name).first()
        department = self.departments[name]
        if department is None:
            raise ValueError(f"'{name}'은(는) 누리집 부서 목록에 없는 부서입니다. 부서 이름을 확인해 주세요.")
        if not self.policy.covers(self.user, Notice(department=department)):
            raise ValueError(f"'{name}'의 고시공고는 가져올 수 없습니다. 자기 부서의 고시공고만 가져올 수 있습니다.")
        return department

    def get_or_init_instance(self, instance_loader, row):
        values, line = self.row_values, self.row_line
        existing = (
            Notice.objects.select_related("department")
            .filter(notice_type=values["notice_type"], number_year=values["number_year"],
                    number_seq=values["number_seq"])
            .first()
        )
        if existing is None:
            notice = Notice(kind=Notice.Kind.NOTICE, is_published=False, review_state=ReviewState.DRAFT,
                            author=self.user, department=values["department"])
            if not self.policy.may(self.user, "add", notice):
                raise ValidationError({"공고번호": f"{line}행 「공고번호」: 고시공고를 새로 등록할 권한이 없습니다."})
            return notice, True
        if not self.policy.may(self.user, "change", existing):
            raise ValidationError({"공고번호": (
                f"{line}행 「공고번호」: {existing.number}은(는) {existing.department.name}의 고시공고라 "
                "바꿀 수 없습니다."
            )})
        if existing.kind != Notice.Kind.NOTICE:  # the database keeps numbers off 금천소식; never expected
            raise ValidationError({"공고번호": f"{line}행 「공고번호」: 같은 번호의 글이 고시공고가 아닙니다."})
        return existing, False

    def import_instance(self, instance, row, **kwargs):
        for name, value in self.row_values.items():
            setattr(instance, name, value)
        if instance.board.review and not instance.review_state:
            instance.review_state = ReviewState.DRAFT  # as PostAdmin.save_model does

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk is None or import_validation_errors:
            return False
        unchanged = all(getattr(instance, name) == getattr(original, name) for name in COMPARED)
        if unchanged:
            instance.import_outcome = UNCHANGED
        return unchanged

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        line = self.row_line
        errors = {}
        try:
            # The constraints are not asked of the database row by row (a query each, too slow for a
            # file of thousands): parsing guarantees the number and period ones, the lookup by number
            # the unique one (and the database still refuses a duplicate on save); the one a row can
            # break is checked here.
            instance.full_clean(validate_unique=validate_unique, validate_constraints=False)
            if instance.unpublish_at is not None and instance.unpublish_at <= instance.published_at:
                raise ValidationError({"published_at": (
                    f"이 글의 게시 종료일시({timezone.localtime(instance.unpublish_at):%Y-%m-%d %H:%M})보다 "
                    "게시일이 늦습니다. 관리 화면에서 게시 종료일시를 먼저 고쳐 주세요."
                )})
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = FIELD_COLUMNS.get(name)
                key = column or NON_FIELD_ERRORS
                where = f"{line}행 「{column}」" if column else f"{line}행"
                errors.setdefault(key, []).extend(f"{where}: {message}" for message in messages)
        # What the row brings (제목, 본문) is screened here; the notice's stored 붙임 are screened on save.
        for finding in screen(instance.screened_texts(), []).findings:
            column = finding.where if finding.where in COLUMNS else "본문"
            errors.setdefault(column, []).append(
                f"{line}행 「{column}」: 개인정보로 보이는 내용이 있습니다({finding.kind_label}: {finding.excerpt}). "
                "새올 원본에서 지우거나 가린 뒤 다시 올려 주세요."
            )
        if errors:
            raise ValidationError(errors)
        if instance.pk is None:
            instance.import_outcome = NEW
        else:
            instance.import_outcome = FOR_REVIEW if instance.is_published else UPDATE

    # --- writing (the confirm step only)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            return
        instance.import_message = f"새올 파일 「{self.file_name}」에서 가져옴: {OUTCOMES[instance.import_outcome]}"
        instance._change_reason = instance.import_message  # the revision says where it came from
        try:
            if instance.import_outcome == FOR_REVIEW:
                # As PostAdmin.keep_for_review: the public notice stays as approved until the change is.
                review.submit_change(instance, user=self.user)
            else:
                write, change = None, pending.pending_for(instance)
                if change is not None:  # as PostAdmin.save_related: a change kept before it was switched off
                    write, _ = pending.apply(instance, change, fields=False)
                    instance.review_state = ReviewState.DRAFT
                decision = decide(instance, screen_item(instance), user=self.user)
                publish(instance, write=write, user=self.user, decision=decision)
        except IntegrityError:
            raise ValidationError({"공고번호": (
                f"{self.row_line}행 「공고번호」: 같은 공고번호의 고시공고가 방금 저장되었습니다. 다시 가져와 주세요."
            )}) from None


# ------------------------------------------------------------------ the result, for people


@dataclass
class ShownRow:
    line: int
    outcome: str
    cells: list
    errors: list = field(default_factory=list)


def shown_rows(result):
    """Every row of an import result in file order: what happens to it, its columns, its errors."""
    rows = []
    for error in result.base_errors:
        logger.error("고시공고 가져오기 실패", exc_info=error.error)
    for row in result.valid_rows():
        kind = getattr(row.instance, "import_outcome", UNCHANGED if row.is_skip() else "")
        rows.append(ShownRow(row.row_values.get(LINE), OUTCOMES.get(kind, ""), list(row.diff or [])))
    for row in result.invalid_rows:
        values = dict(zip(result.diff_headers, row.values))
        errors = [message for messages in row.error_dict.values() for message in messages]
        cells = [text(values.get(column)) for column in COLUMNS]
        rows.append(ShownRow(values.get(LINE), "오류", cells, errors))
    for row in result.error_rows:
        for error in row.errors:
            line = (error.row or {}).get(LINE)
            logger.error("고시공고 가져오기 %s행 처리 실패", line, exc_info=error.error)
            rows.append(ShownRow(line, "오류", [text((error.row or {}).get(column)) for column in COLUMNS],
                                 [f"{line}행: 이 행을 처리하지 못했습니다. 누리집 관리자에게 알려 주세요."]))
    return sorted(rows, key=lambda row: row.line or 0)


def counts(rows):
    """{outcome label: number of rows} in the order of OUTCOMES, then errors."""
    found = [row.outcome for row in rows]
    return {label: found.count(label) for label in [*OUTCOMES.values(), "오류"] if label in found}

