"""Large 붙임 are read by the background worker, not in the request that uploads them.

A file up to EXTRACT_IN_REQUEST_MAX_BYTES is read while it is saved, so its 개인정보
findings are a form error at once. A larger one is stored ``확인 중`` (ExtractState.CHECKING)
and read by the worker once the save has committed (``read_uploaded_file``). A post that
was to go public while a file of it is being read is held back — saved private with
``awaiting_files`` — and ``finish_waiting`` publishes it when every file is read and passes
screening, or leaves it private and writes why in ``files_check_note`` for staff.

Without a broker (make run, the tests) the reading runs right after the commit, in the same
process. A reading that never ran (broker down, worker lost) is asked for again by the
periodic ``read_waiting_files`` (the management command, scheduled in geumcheon_portal/tasks.py).
"""

import datetime
import logging

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from files import extract
from privacy.publishing import decide, publish
from privacy.screening import held_back_message, screen

logger = logging.getLogger(__name__)

CHECKING = "checking"  # ExtractState.CHECKING (boards/models.py imports this module)


def reads_later(size):
    return size > settings.EXTRACT_IN_REQUEST_MAX_BYTES


def not_read_yet():
    return extract.Extracted(error=extract.CHECKING)


def read_after_commit(row):
    """Ask the worker to read ``row``'s file once the transaction that stored it commits."""
    label, pk = row._meta.label, row.pk
    transaction.on_commit(lambda: enqueue(label, pk))


def enqueue(label, pk):
    try:
        read_uploaded_file.delay(label, pk)
    except Exception:  # the save stands; read_waiting_files asks again later
        logger.warning("붙임 읽기 작업을 넣지 못했습니다: %s #%s", label, pk, exc_info=True)


@shared_task(name="boards.read_uploaded_file", acks_late=True)
def read_uploaded_file(label, pk):
    return read_stored(apps.get_model(label), pk)


def read_stored(model, pk):
    """Read the stored file of ``model`` row ``pk`` if it still waits; then release its post if that waited."""
    row = model._default_manager.filter(pk=pk, extract_state=CHECKING).first()
    if row is None:
        return "already read"
    try:
        with row.file.open("rb") as stored:
            extracted = extract.extract_text(stored, row.original_name)
    except Exception:  # gone from storage, storage unreachable: screening holds the post back
        logger.warning("붙임 파일을 읽지 못했습니다: %s #%s", model._meta.label, pk, exc_info=True)
        extracted = extract.Extracted(error=extract.UNREADABLE.format(reason=extract.BROKEN))
    row.store_extracted(extracted)
    read = {name: getattr(row, name) for name in row.READ_FROM_FILE}
    # Only if nothing replaced the file meanwhile.
    if not model._default_manager.filter(pk=pk, extract_state=CHECKING, file=row.file.name).update(**read):
        return "replaced"
    post = getattr(row, "post", None)
    if post is not None:
        finish_waiting(post)
    return row.get_extract_state_display()


def finish_waiting(post):
    """Publish ``post`` if it waited for its files and they are all read and pass 개인정보 screening.

    Its texts were screened when it was saved; the files are screened now. Findings or files
    that could not be read keep it private, with the reason for staff in ``files_check_note``.
    """
    model = type(post)
    with transaction.atomic():
        post = model._default_manager.select_for_update().filter(pk=post.pk, awaiting_files=True).first()
        if post is None or post.attachments.filter(extract_state=CHECKING).exists():
            return
        post.is_published = True
        try:
            decision = decide(post, screen([], post.screened_files()))
        except ValidationError as error:
            post.is_published, post.awaiting_files = False, False
            post.files_check_note = "\n".join(["붙임을 확인한 결과 공개하지 않았습니다.", *error.messages])
            post.save()
            return
        note = held_back_message(decision.unchecked, can_override=True) if decision.held_back else ""

        def write():
            post.files_check_note = note
            post.save()

        publish(post, write=write, decision=decision)


def read_waiting_files(models, older_than=datetime.timedelta(minutes=10)):
    """Ask again for every file of ``models`` still waiting after ``older_than``: a lost task must not
    hold a post back forever. Returns how many were asked for."""
    asked = 0
    for model in models:
        waiting = model._default_manager.filter(extract_state=CHECKING)
        if hasattr(model, "created_at"):
            waiting = waiting.filter(created_at__lte=timezone.now() - older_than)
        for pk in waiting.values_list("pk", flat=True):
            enqueue(model._meta.label, pk)
            asked += 1
    return asked
