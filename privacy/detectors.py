"""개인정보 screening of post bodies and 붙임 text.

Precision matters as much as recall here: staff stop reading warnings that fire
on 공고번호, dates, amounts and the office's own phone numbers. Hence:
- 주민등록번호/외국인등록번호 need a real birth date and a 7th digit 1–8, but no
  check digit (numbers issued since October 2020 have none);
- 여권번호 in the old letter+8-digit shape, and account-like digit groups of
  common shapes, are reported only next to a word such as 여권 or 계좌/은행;
- phone numbers are mobile prefixes only (01X), so office lines never match;
- e-mail on official domains (setting PRIVACY_OFFICIAL_EMAIL_DOMAINS) is fine.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings

DEFAULT_OFFICIAL_EMAIL_DOMAINS = ("go.kr", "korea.kr", "or.kr")

LABELS = {
    "rrn": "주민등록번호",
    "frn": "외국인등록번호",
    "passport": "여권번호",
    "licence": "운전면허번호",
    "phone": "휴대전화번호",
    "account": "계좌번호",
    "email": "개인 전자우편 주소",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    kind_label: str
    where: str
    excerpt: str  # masked

    def __str__(self):
        return f"{self.kind_label} {self.excerpt} ({self.where})"


# ---------------------------------------------------------------- masking


def mask_name(name):
    """이재종 → 이○종, 이재 → 이○, 남궁민수 → 남○○수. Also used as a template filter."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "○" * len(name)
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]


def mask_number(value, keep_start=0, keep_end=0, mask="*"):
    """Replace letters and digits with `mask`, keeping the first/last few; separators stay."""
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    hidden = set(positions[keep_start : len(positions) - keep_end])
    return "".join(mask if i in hidden else ch for i, ch in enumerate(value))


def mask_email(address):
    local, _, domain = address.partition("@")
    keep = 2 if len(local) > 3 else 1
    return f"{local[:keep]}***@{domain}"


# ---------------------------------------------------------------- patterns

SEP = r"(?: ?- ?)"  # a hyphen, optionally with a space either side
NOT_DIGIT_BEFORE = r"(?<![0-9])"
NOT_DIGIT_AFTER = r"(?![0-9])"
NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

# In RRN and LICENCE the look-behind follows the first digit, so the pattern starts
# with a plain character and the regex engine can skip ahead quickly on long texts.
RRN = re.compile(
    r"(?P<yy>[0-9](?<![0-9][0-9])(?<![0-9]-[0-9])(?<![0-9] - [0-9])[0-9])(?P<mm>[0-9]{2})(?P<dd>[0-9]{2})"
    r"(?:" + SEP + r"| )?(?P<g>[0-9])(?P<rest>[0-9]{6})" + NOT_DIGIT_AFTER + r"(?! ?-[0-9])"
)
PHONE = re.compile(
    NOT_ALNUM_BEFORE
    + r"(?P<prefix>\+82[ -]?1[016789]|01[016789])"
    + r"(?P<s1> ?[-.] ?| )?(?P<mid>[0-9]{3,4})(?P<s2> ?[-.] ?| )?(?P<last>[0-9]{4})"
    + NOT_ALNUM_AFTER
    + r"(?![-.][0-9])"
)
PASSPORT_OLD = re.compile(NOT_ALNUM_BEFORE + r"[MSRGD][0-9]{8}" + NOT_ALNUM_AFTER)
PASSPORT_NEW = re.compile(NOT_ALNUM_BEFORE + r"[MSRGD][0-9]{3}[A-Z][0-9]{4}" + NOT_ALNUM_AFTER)
REGIONS = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
LICENCE = re.compile(
    r"(?:(?:1(?<![0-9-]1)[1-9]|2(?<![0-9-]2)[0-8])" + SEP + r"|(?:" + REGIONS + r") ?)"
    r"[0-9]{2}" + SEP + r"[0-9]{6}" + SEP + r"[0-9]{2}(?![0-9]|-[0-9])"
)
DIGIT_GROUPS = re.compile(
    r"(?<![0-9-])(?<![0-9][.,])[0-9]{2,6}(?:-[0-9]{2,7}){1,4}(?![0-9]|-[0-9]|[.,][0-9])"
)
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"(?![A-Za-z0-9-])"
)

PASSPORT_WORDS = re.compile(r"여권|passport", re.IGNORECASE)
ACCOUNT_WORDS = re.compile(
    r"계좌|은행|예금주|입금|통장|뱅크|농협|신협|수협|우체국|새마을금고|account", re.IGNORECASE
)
LICENCE_WORDS = re.compile(r"면허")
# Shapes that only banks use; other shapes need an account word nearby.
ACCOUNT_SHAPES = {(6, 2, 6), (3, 6, 5), (4, 3, 6), (3, 6, 2, 3), (4, 2, 7), (3, 4, 4, 2)}
NOT_ACCOUNT_SHAPES = {(3, 2, 5)}  # 사업자등록번호
LICENCE_DIGITS = re.compile(NOT_DIGIT_BEFORE + r"(?:1[1-9]|2[0-8])[0-9]{10}" + NOT_DIGIT_AFTER)

BEFORE, AFTER = 30, 15
# Full-width forms, odd spaces and dashes as word processors write them. (Full NFKC
# would do, but it is slow on long Hangul text and changes nothing else we match.)
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({ord(c): "-" for c in "‐‑‒–—―−﹣"})
_FOLD.update({code: " " for code in [0x00A0, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)]})


_FOLD_NEEDED = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD) + "]")


def _normalize(text):
    text = text or ""
    return text.translate(_FOLD) if _FOLD_NEEDED.search(text) else text


def _near(words, text, start, end, context):
    return bool(
        words.search(text, max(0, start - BEFORE), start)
        or words.search(text, end, end + AFTER)
        or (context and words.search(context))
    )


def _valid_birth(yy, mm, dd, gender):
    century = {1: 1900, 2: 1900, 5: 1900, 6: 1900, 3: 2000, 4: 2000, 7: 2000, 8: 2000}.get(gender)
    if century is None:
        return False
    try:
        born = datetime.date(century + yy, mm, dd)
    except ValueError:
        return False
    return born <= datetime.date.today()


def _official_email(domain):
    domains = getattr(settings, "PRIVACY_OFFICIAL_EMAIL_DOMAINS", DEFAULT_OFFICIAL_EMAIL_DOMAINS)
    domain = domain.lower()
    return any(domain == d.lower() or domain.endswith("." + d.lower().lstrip(".")) for d in domains)


def _matches(text, context):
    """Yield (start, end, kind, masked) for every candidate, in priority order per kind."""
    for m in RRN.finditer(text):
        gender = int(m["g"])
        if _valid_birth(int(m["yy"]), int(m["mm"]), int(m["dd"]), gender):
            kind = "frn" if gender >= 5 else "rrn"
            yield m.start(), m.end(), kind, mask_number(m[0], keep_start=7)
    for m in LICENCE.finditer(text):
        yield m.start(), m.end(), "licence", mask_number(m[0], keep_start=4)
    for m in LICENCE_DIGITS.finditer(text):
        if _near(LICENCE_WORDS, text, m.start(), m.end(), context):
            yield m.start(), m.end(), "licence", mask_number(m[0], keep_start=4)
    for m in PHONE.finditer(text):
        masked = m["prefix"] + (m["s1"] or "") + "*" * len(m["mid"]) + (m["s2"] or "") + m["last"]
        yield m.start(), m.end(), "phone", masked
    for m in PASSPORT_NEW.finditer(text):
        yield m.start(), m.end(), "passport", mask_number(m[0], keep_start=4)
    for m in PASSPORT_OLD.finditer(text):
        if _near(PASSPORT_WORDS, text, m.start(), m.end(), context):
            yield m.start(), m.end(), "passport", mask_number(m[0], keep_start=4)
    for m in EMAIL.finditer(text):
        if not _official_email(m["domain"]):
            yield m.start(), m.end(), "email", mask_email(m[0])
    for m in DIGIT_GROUPS.finditer(text):
        value = m[0]
        if not 10 <= len(value) - value.count("-") <= 14:
            continue  # dates, 공고번호, 대표번호 and the like are shorter
        shape = tuple(len(group) for group in value.split("-"))
        if _account_like(value, shape) or (
            _account_possible(value, shape) and _near(ACCOUNT_WORDS, text, m.start(), m.end(), context)
        ):
            yield m.start(), m.end(), "account", mask_number(value, keep_start=3)


def _account_possible(value, shape):
    if shape in NOT_ACCOUNT_SHAPES:
        return False
    # phone numbers: area or mobile code, then 3-4 and 4 digits
    return not (value.startswith("0") and len(shape) == 3 and shape[1] in (3, 4) and shape[2] == 4)


def _account_like(value, shape):
    return shape in ACCOUNT_SHAPES and not (shape == (3, 4, 4, 2) and value.startswith("0"))


def scan_text(text, where="본문", context=""):
    """Find personal data in `text`; `context` (e.g. a table's header row) also counts as nearby words."""
    text = _normalize(text)
    context = _normalize(context)
    claimed = bytearray(len(text))
    found = []
    for start, end, kind, masked in _matches(text, context):
        if any(claimed[start:end]):
            continue  # a higher-priority kind already claimed these characters
        claimed[start:end] = b"\x01" * (end - start)
        found.append((start, Finding(kind, LABELS[kind], where, masked)))
    return [finding for _, finding in sorted(found, key=lambda item: item[0])]


def scan_extracted(extracted, filename):
    """Scan every block of an `extract.Extracted`, locating findings by page, sheet, row or line."""
    if extracted.error or not extracted.supported:
        return []
    base = f"붙임 「{filename}」"
    findings, seen = [], set()
    previous = ""
    tables = 0
    for block in extracted.blocks:
        where = f"{base} {block.where}" if block.where else base
        if block.kind == "table":
            tables += 1
            rows = block.content
            header = " ".join(rows[0]) if rows else ""
            for index, row in enumerate(rows):
                row_where = block.row_where[index] if block.row_where else None
                if row_where:
                    label = f"{base} {row_where}"
                else:
                    label = f"{where} {tables}번째 표 {index + 1}번째 행"
                line = " | ".join(row)
                for finding in scan_text(line, label, context=f"{previous} {header}"):
                    if finding not in seen:
                        seen.add(finding)
                        findings.append(finding)
            previous = ""
        else:
            for finding in scan_text(block.content, where, context=previous):
                if finding not in seen:
                    seen.add(finding)
                    findings.append(finding)
            previous = block.content[-BEFORE:]
    return findings
