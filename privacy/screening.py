"""개인정보 screening of content before it goes public, and the logged override.

The texts of an item (a post's 제목 and 본문, …) and the text of every file are
scanned (privacy/detectors.py). A hit blocks publishing unless a user holding
``publish_with_personal_data`` on the item's model writes a reason; that
override is stored as a PrivacyOverride row and logged (privacy/publishing.py).
"""

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from .detectors import scan_extracted, scan_text
from .models import PrivacyOverride

logger = logging.getLogger(__name__)

OVERRIDE_PERMISSION = "publish_with_personal_data"
MAX_LISTED = 30


@dataclass
class Screening:
    findings: list = field(default_factory=list)
    # Files whose content could not be checked (encrypted, unreadable, cut short).
    notices: list = field(default_factory=list)


def screen(texts, files):
    """Scan ``texts``, (where, plain text) pairs, and ``files``, (display name, files.extract.Extracted) pairs."""
    result = Screening()
    for where, text in texts:
        result.findings += scan_text(text, where)
    for name, extracted in files:
        result.findings += scan_extracted(extracted, name)
        if extracted.error:
            result.notices.append(f"붙임 「{name}」: {extracted.error}")
        result.notices += [f"붙임 「{name}」: {notice}" for notice in extracted.notices]
    return result


def may_override(user, item):
    return user is not None and user.has_perm(f"{item._meta.app_label}.{OVERRIDE_PERMISSION}")


def findings_error(findings, *, can_override):
    lines = [f"개인정보로 보이는 내용이 {len(findings)}건 있어 공개할 수 없습니다."]
    lines += [f"· {finding.kind_label}: {finding.excerpt} ({finding.where})" for finding in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"· 그 밖에 {len(findings) - MAX_LISTED}건")
    if can_override:
        lines.append("꼭 공개해야 한다면 '개인정보 검출 시 공개 사유'를 적고 다시 저장하세요.")
    else:
        lines.append("해당 내용을 지우거나 가린 뒤 다시 올리세요. 비공개로 저장할 수는 있습니다.")
    return ValidationError(lines, code="personal_data")


def record_override(*, item, user, reason, findings):
    """Store and log that ``user`` published ``item`` despite ``findings``."""
    entry = PrivacyOverride.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        object_repr=str(item)[:200],
        user=user,
        reason=reason,
        findings=[{"kind": f.kind_label, "where": f.where, "excerpt": f.excerpt} for f in findings],
    )
    logger.warning(
        "개인정보 검출 글 공개: %s #%s by %s (%d건) — %s",
        item._meta.label, item.pk, user.get_username(), len(findings), reason,
    )
    return entry
