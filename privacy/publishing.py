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
    held_back: bool = False  # files could not be checked: saved, but not public

    @property
    def findings(self):
        return self.screening.findings

    @property
    def unchecked(self):
        return self.screening.unchecked

    @property
    def notices(self):
        return self.screening.notices


def screen_item(item, new_files=()):
    """Screen ``item`` with its stored files and ``new_files`` (display name, Extracted) about to join them."""
    return screen(item.screened_texts(), [*item.screened_files(), *new_files])


def decide(item, screening, *, user=None, override_reason=""):
    """The decision for ``item`` as it is about to be saved, or ValidationError listing the findings.

    A private item may hold anything (staff fix it before it goes public). A public or
    scheduled one with findings needs a user who may override and a reason; one with
    files that could not be checked is held back (saved private) unless such a user
    gives a reason.
    """
    override_reason = (override_reason or "").strip()
    if not item.is_published or not (screening.findings or screening.unchecked):
        return Decision(screening)
    allowed = may_override(user, item)
    if allowed and override_reason:
        return Decision(screening, override_reason)
    if screening.findings:
        raise findings_error(screening.findings, can_override=allowed, unchecked=screening.unchecked)
    return Decision(screening, held_back=True)


def publish(item, *, write=None, new_files=(), user=None, override_reason="", decision=None):
    """Screen and decide (unless ``decision`` is given), then in one transaction write and record.

    ``write`` saves the item and whatever belongs to it (default: ``item.save()``);
    ``new_files`` are files ``write`` will add. Raises ValidationError before
    writing anything when the item may not be public; a decision that holds it back
    saves it private (``held_back``; the caller tells the person). Returns the Decision.
    """
    if decision is None:
        decision = decide(item, screen_item(item, new_files), user=user, override_reason=override_reason)
    if decision.held_back:
        item.is_published = False
    with transaction.atomic():
        (write or item.save)()
        if decision.held_back and type(item)._default_manager.filter(pk=item.pk, is_published=True).exists():
            item.save(update_fields=["is_published"])  # ``write`` saved only what belongs to the item
        if decision.override_reason:
            record_override(item=item, user=user, reason=decision.override_reason, findings=decision.findings,
                            unchecked=decision.unchecked)
    return decision
