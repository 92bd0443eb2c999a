"""Revisions of a post: every save kept (django-simple-history), compared, and restored.

Each save of a post — in the admin, by review or takedown, by restoring — adds a
revision with who made it; each 붙임 added or removed adds one for the 붙임. Two
revisions are compared field by field, the body line by line, with the 붙임 added
and removed between them. Restoring copies an old revision's fields onto the post
and saves it through ``publish()`` (개인정보 screening, like any write), so the
restore is itself a new revision (through review where the board needs it). It
brings back the 붙임 the post had then: those added since are removed, those removed
since come back while their file is kept (editorial/retention.py).
"""

import difflib
import re

from boards import file_reading
from boards.richtext import html_to_text
from files import extract
from privacy.publishing import decide, publish
from privacy.screening import screen

from . import pending, review

# What a revision shows and compares: the post's own fields, not its bookkeeping.
SKIPPED = {"id", "author", "created_at", "updated_at", "submitted_by", "reviewed_by", "reviewed_at", "taken_down_at"}


def compared_fields(post):
    return [
        field for field in type(post)._meta.concrete_fields
        if field.editable or field.name in ("review_state", "review_note", "takedown_reason")
        if field.name not in SKIPPED
    ]


def value_label(field, value):
    if value in (None, ""):
        return "(없음)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.name == "is_published":
        return "공개" if value else "비공개"
    return str(value)


def diff(post, older, newer):
    """``(fields, body_lines, files)`` between two historical records of ``post`` (older first).

    fields: [(label, before, after)] for each field that differs; body_lines: a unified diff
    of the body's text; files: [(sign, name)] for 붙임 added (+) or removed (−) in between.
    """
    fields = []
    for field in compared_fields(post):
        if field.name == "body":
            continue
        before, after = getattr(older, field.attname), getattr(newer, field.attname)
        if before != after:
            fields.append((str(field.verbose_name), value_label(field, before), value_label(field, after)))
    body_lines = list(difflib.unified_diff(
        text_lines(older.body), text_lines(newer.body), fromfile="이전", tofile="이후", lineterm="", n=1,
    ))[2:]
    return fields, body_lines, file_changes(post, older, newer)


BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|tr|th|td)>|<br\s*/?>", re.IGNORECASE)


def text_lines(html):
    """The body as lines of text, one per paragraph, list item, heading or table cell."""
    return [line for line in (html_to_text(part) for part in BLOCK_END.split(html or "")) if line]


def file_changes(post, older, newer):
    """붙임 added or removed by the revisions after ``older`` up to ``newer``.

    A 붙임 is saved just after its post, so a change belongs to the latest post revision
    before it: those from the revision after ``older`` to the one after ``newer``.
    """
    dates = list(post.history.order_by("history_date").values_list("history_date", flat=True))
    start = next(date for date in dates if date > older.history_date)
    end = next((date for date in dates if date > newer.history_date), None)
    changes = type(post).attachments.rel.related_model.history.filter(
        post_id=post.pk, history_date__gte=start, history_type__in=["+", "-"],
    )
    if end is not None:
        changes = changes.filter(history_date__lt=end)
    return [
        ("추가" if record.history_type == "+" else "삭제", record.original_name)
        for record in changes.order_by("history_date", "history_id")
    ]


def attachments_at(post, record):
    """{id: history record} of the 붙임 ``post`` had at its revision ``record`` (see file_changes)."""
    later = post.history.filter(history_date__gt=record.history_date).order_by("history_date").first()
    records = type(post).attachments.rel.related_model.history.filter(post_id=post.pk)
    if later is not None:
        records = records.filter(history_date__lt=later.history_date)
    latest = {}
    for attachment in records.order_by("history_date", "history_id"):
        latest[attachment.id] = attachment
    return {pk: attachment for pk, attachment in latest.items() if attachment.history_type != "-"}


def restore(post, record, *, user):
    """Make ``post`` what ``record`` (one of its revisions) says, through publish(); returns (waits, lost).

    waits: the post is public on a board with review, so the restore became its pending
    change (editorial/pending.py) and waits for approval. lost: names of 붙임 it had then
    whose file is no longer kept (past REMOVED_FILE_RETENTION_DAYS), so they cannot come back.
    """
    if record.id != post.pk:
        raise ValueError("a revision of another post")
    then = attachments_at(post, record)
    attachment_model = type(post).attachments.rel.related_model
    current = {attachment.pk: attachment for attachment in post.attachments.all()}
    back, lost = [], []
    for pk, old in then.items():
        if pk in current:
            continue
        attachment = attachment_model(id=pk, post=post, file=old.file, original_name=old.original_name,
                                      size=old.size, order=old.order)
        if not old.file or not attachment.file.storage.exists(old.file):
            lost.append(old.original_name)
            continue
        if file_reading.reads_later(old.size):  # read by the worker once restored, like a large upload
            attachment.store_extracted(file_reading.not_read_yet())
        else:
            try:
                attachment.store_extracted(extract.extract_text(attachment.file, old.original_name))
            finally:
                attachment.file.close()
        back.append(attachment)
    removed = [pk for pk in current if pk not in then]

    for field in compared_fields(post):
        if field.name not in ("review_state", "review_note", "takedown_reason", "is_published"):
            setattr(post, field.attname, getattr(record, field.attname))
    post._change_reason = f"{record.history_date:%Y-%m-%d %H:%M} 판으로 되돌림"
    if pending.needed(post):
        review.submit_change(post, user=user, added=back, removed=removed)
        return True, lost

    files = [attachment.screened_file() for pk, attachment in current.items() if pk in then]
    files += [(attachment.original_name, attachment.extracted()) for attachment in back]

    def write():
        post.save()
        attachment_model.objects.filter(post=post, pk__in=removed).delete()
        for attachment in back:
            attachment.save(force_insert=True)

    publish(post, write=write, user=user, decision=decide(post, screen(post.screened_texts(), files), user=user))
    return False, lost
