"""개인정보 screening of content before it goes public, and the logged override.

The texts of an item (a post's 제목 and 본문, …) and the text of every file are
scanned (privacy/detectors.py). A hit blocks publishing unless a user holding
``publish_with_personal_data`` on the item's model writes a reason; that
override is stored as a PrivacyOverride row and logged (privacy/publishing.py).
A file whose content could not be checked in full holds the item back: saved,
not public, until such a user publishes it with a reason.
"""

import logging
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags

from files.extract import CHECKING, NO_TEXT_PDF, TRUNCATED
from files.formats import IMAGE_KINDS
from files.names import extension_of

from .detectors import scan_extracted, scan_text
from .models import PrivacyOverride

logger = logging.getLogger(__name__)

OVERRIDE_PERMISSION = "publish_with_personal_data"
CANNOT_READ = "이 형식은 내용을 자동으로 확인하지 못합니다."


@dataclass
class Screening:
    findings: list = field(default_factory=list)
    # (display name, reason) of files whose content could not be checked in full: held back.
    unchecked: list = field(default_factory=list)
    # Anything else staff should know about the files.
    notices: list = field(default_factory=list)
    # Display names of files not read yet (too large for the request; the worker reads them): held back.
    checking: list = field(default_factory=list)


def screen(texts, files):
    """Scan ``texts``, (where, plain text) pairs, and ``files``, (display name, files.extract.Extracted) pairs."""
    result = Screening()
    for where, text in texts:
        result.findings += scan_text(text, where)
    for name, extracted in files:
        if extracted.error == CHECKING:
            result.checking.append(name)
            continue
        result.findings += scan_extracted(extracted, name)
        reason = unchecked_reason(name, extracted)
        if reason:
            result.unchecked.append((name, reason))
        result.notices += [
            f"붙임 「{name}」: {notice}" for notice in extracted.notices if notice != reason
        ]
    return result


LINK = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
ALT = re.compile(r"""<img\b[^>]*?\salt\s*=\s*["']([^"']*)["'][^>]*>""", re.IGNORECASE)


def html_text(html):
    """What a resident reads of some HTML: its text, and each image by its alt text (read aloud, or
    shown when the image is not). Plain text comes back as it is, spaces folded."""
    shown = ALT.sub(r" \1 ", html or "")
    return " ".join(unescape(strip_tags(shown.replace("<", " <"))).split())


def model_texts(instance, exclude=()):
    """(verbose name, plain text) of every text field of ``instance`` a resident can read.

    Editable, non-choice CharFields and TextFields; HTML (a rich-text body) as its text with
    its images' alt texts, plus the targets of its links (tel:, mailto:, URLs with numbers) decoded.
    """
    texts = []
    for model_field in instance._meta.concrete_fields:
        if model_field.name in exclude or model_field.choices or not model_field.editable:
            continue
        if not isinstance(model_field, (models.CharField, models.TextField)):
            continue
        value = getattr(instance, model_field.attname) or ""
        if not value:
            continue
        label = str(model_field.verbose_name)
        texts.append((label, html_text(value)))
        links = [unquote(unescape(target)) for target in LINK.findall(value)]
        if links:
            texts.append((f"{label} 링크", "\n".join(links)))
    return texts


def unchecked_reason(name, extracted):
    """Why ``extracted`` does not cover everything the file holds, or None.

    Encrypted, broken, cut short at the extraction limits, a PDF without text (a scan),
    a format the extractor does not read (legacy Office, archives): all of it could hide
    personal data. Images are not read for text (no OCR here) and are not held back.
    """
    if extracted.error:
        return extracted.error
    if not extracted.supported:
        return None if extension_of(name).lower() in IMAGE_KINDS else CANNOT_READ
    if extracted.truncated:
        return TRUNCATED
    if NO_TEXT_PDF in extracted.notices:
        return NO_TEXT_PDF
    return None


def may_override(user, item):
    return user is not None and user.has_perm(f"{item._meta.app_label}.{OVERRIDE_PERMISSION}")


def grouped_findings(findings):
    """Every finding, grouped by where it is: [(place, [line, …])] in the order found."""
    groups = {}
    for finding in findings:
        place, _, spot = finding.where.partition("」")
        if spot or place.startswith("붙임"):
            place, spot = place + "」", spot.strip()
        else:
            place, spot = finding.where, ""
        line = f"{finding.kind_label}: {finding.excerpt}" + (f" ({spot})" if spot else "")
        groups.setdefault(place, []).append(line)
    return list(groups.items())


def findings_error(findings, *, can_override, unchecked=()):
    """The Korean form error listing every finding, grouped by place, however many."""
    lines = [f"개인정보로 보이는 내용이 {len(findings)}건 있어 공개할 수 없습니다."]
    for place, items in grouped_findings(findings):
        lines.append(f"[{place}] {len(items)}건")
        lines += [f"· {item}" for item in items]
    lines += [f"[붙임 「{name}」] 내용을 확인하지 못함: {reason}" for name, reason in unchecked]
    if can_override:
        lines.append("꼭 공개해야 한다면 '개인정보 검출 시 공개 사유'를 적고 다시 저장하세요.")
    else:
        lines.append("해당 내용을 지우거나 가린 뒤 다시 올리세요. 비공개로 저장할 수는 있습니다.")
    return ValidationError(lines, code="personal_data")


def unchecked_names(unchecked):
    return ", ".join(f"「{name}」({reason})" for name, reason in unchecked)


def checking_message(checking, then=""):
    """Files still being read (Screening.checking), for staff; ``then`` says what follows."""
    names = ", ".join(f"「{name}」" for name in checking)
    return f"붙임 {names}은(는) 파일이 커서 내용을 따로 확인하고 있습니다.{then}"


def waiting_message(checking):
    return checking_message(checking, (
        " 확인이 끝날 때까지 비공개로 두었다가, 개인정보가 없으면 저절로 공개합니다. "
        "문제가 있으면 공개하지 않고 이 글의 '붙임 확인'에 까닭을 적습니다."
    ))


def held_back_message(unchecked, *, can_override):
    names = unchecked_names(unchecked)
    how = ("공개하려면 내용을 직접 확인한 뒤 '개인정보 검출 시 공개 사유'를 적고 다시 저장하세요."
           if can_override else "내용을 확인할 수 있는 파일(암호 없는 PDF 등)로 바꾸거나, 공개 권한이 있는 분에게 확인을 요청하세요.")
    return f"내용을 확인하지 못한 붙임이 있어 공개하지 않고 비공개로 저장했습니다: {names}. {how}"


def record_override(*, item, user, reason, findings, unchecked=()):
    """Store and log that ``user`` published ``item`` despite ``findings`` and files not checked."""
    entry = PrivacyOverride.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        object_repr=str(item)[:200],
        user=user,
        reason=reason,
        findings=[{"kind": f.kind_label, "where": f.where, "excerpt": f.excerpt} for f in findings]
        + [{"kind": "확인하지 못한 붙임", "where": f"붙임 「{name}」", "excerpt": why} for name, why in unchecked],
    )
    logger.warning(
        "개인정보 검출 글 공개: %s #%s by %s (%d건, 확인 못 한 붙임 %d개) — %s",
        item._meta.label, item.pk, user.get_username(), len(findings), len(unchecked), reason,
    )
    return entry
