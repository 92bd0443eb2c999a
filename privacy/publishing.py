"""The one way content is written: screen it, refuse or record an override, then save — every write path.

The admin (editorial/admin.py), management commands (load_demo) and, later, the API
and imports call ``publish``. A form that must show a refusal as a form error
calls ``decide`` while it is cleaned and hands the decision to ``publish`` later.

An item is anything with ``is_published`` and two methods: ``screened_texts()``,
its (where, plain text) pairs, and ``screened_files()``, its stored files as
(display name, Extracted) pairs; boards.models.Post is one.
"""

from dataclasses import dataclass

from django.db import transaction

from .screening import Screening, findings_error, may_override, record_override, screen


@dataclass
class Decision:
    screening: Screening
    override_reason: str = ""  # set when the item goes public despite findings or files not checked
    held_back: bool = False  # files could not be checked, or not yet: saved, but not public

    @property
    def findings(self):
        return self.screening.findings

    @property
    def unchecked(self):
        return self.screening.unchecked

    @property
    def notices(self):
        return self.screening.notices

    @property
    def waiting(self):
        """Held back until the worker has read the files still being checked (boards/file_reading.py)."""
        return self.held_back and bool(self.screening.checking)


def screen_item(item, new_files=()):
    """Screen ``item`` with its stored files and ``new_files`` (display name, Extracted) about to join them."""
    return screen(item.screened_texts(), [*item.screened_files(), *new_files])


def decide(item, screening, *, user=None, override_reason=""):
    """The decision for ``item`` as it is about to be saved, or ValidationError listing the findings.

    A private item may hold anything (staff fix it before it goes public). A public or
    scheduled one with findings needs a user who may override and a reason; one with
    files that could not be checked is held back (saved private) unless such a user
    gives a reason. Files not read yet hold it back whoever saves it: nobody has seen them.
    """
    override_reason = (override_reason or "").strip()
    if not item.is_published or not (screening.findings or screening.unchecked or screening.checking):
        return Decision(screening)
    overriding = bool(override_reason) and may_override(user, item)
    if screening.findings and not overriding:
        raise findings_error(screening.findings, can_override=may_override(user, item),
                             unchecked=screening.unchecked)
    held_back = bool(screening.checking) or (bool(screening.unchecked) and not overriding)
    overridden = overriding and bool(screening.findings or screening.unchecked)
    return Decision(screening, override_reason if overridden else "", held_back=held_back)


def publish(item, *, write=None, new_files=(), user=None, override_reason="", decision=None):
    """Screen and decide (unless ``decision`` is given), then in one transaction write and record.

    ``write`` saves the item and whatever belongs to it (default: ``item.save()``);
    ``new_files`` are files ``write`` will add. Raises ValidationError before
    writing anything when the item may not be public; a decision that holds it back
    saves it private (``held_back``; the caller tells the person), and a post held back
    for files not read yet is marked ``awaiting_files``. Returns the Decision.
    """
    if decision is None:
        decision = decide(item, screen_item(item, new_files), user=user, override_reason=override_reason)
    if decision.held_back:
        item.is_published = False
    if hasattr(item, "awaiting_files"):  # a post: the worker publishes it once its files are read
        item.awaiting_files, item.files_check_note = decision.waiting, ""
    with transaction.atomic():
        (write or item.save)()
        if decision.held_back and type(item)._default_manager.filter(pk=item.pk, is_published=True).exists():
            # ``write`` saved only what belongs to the item
            item.save(update_fields=["is_published", *(["awaiting_files", "files_check_note"]
                                                       if hasattr(item, "awaiting_files") else [])])
        if decision.override_reason:
            record_override(item=item, user=user, reason=decision.override_reason, findings=decision.findings,
                            unchecked=decision.unchecked)
    return decision
