"""개인정보 screening of post bodies and 붙임 text.

Precision matters as much as recall here: staff stop reading warnings that fire
on 공고번호, dates, amounts and the office's own phone numbers. Hence:
- 주민등록번호/외국인등록번호 need a real birth date and a 7th digit 1–8, but no
  check digit (numbers issued since October 2020 have none);
- shapes that other numbers share are reported only next to a word that names them:
  여권번호 in the old letter+8-digit shape (여권), 운전면허번호 without hyphens (면허),
  계좌번호 of uncommon shapes or without hyphens (계좌/입금/은행 or a bank's name right
  before it), 건강보험증 번호, which is just 11 digits (건강보험/보험증);
- phone numbers are mobile prefixes only (01X), so office lines never match;
- e-mail on official domains (setting PRIVACY_OFFICIAL_EMAIL_DOMAINS) is fine.

Numbers are matched as people write them: with hyphens, spaces, tabs or nothing
between the groups, in full-width forms, one digit per box, and split over two adjacent table cells
(files.extract.row_text joins a row's cells with " | ", which no pattern reads as a
plain separator, so neighbouring cells are never glued into one number). In tables
the header row, and anywhere the end of the previous paragraph, count as nearby words.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings

from files.extract import row_text

DEFAULT_OFFICIAL_EMAIL_DOMAINS = ("go.kr", "korea.kr", "or.kr")

LABELS = {
    "rrn": "주민등록번호",
    "frn": "외국인등록번호",
    "passport": "여권번호",
    "licence": "운전면허번호",
    "phone": "휴대전화번호",
    "account": "계좌번호",
    "email": "개인 전자우편 주소",
    "health": "건강보험증 번호",
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


# ---------------------------------------------------------------- text as written

# Full-width forms, odd spaces and dashes as word processors write them (and ㅡ typed as
# a dash); invisible characters pasted from web pages are dropped. Full NFKC would do,
# but it is slow on long Hangul text and changes nothing else we match.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({ord(c): "-" for c in "‐‑‒–—―−﹘﹣ㅡ"})
_FOLD.update({code: " " for code in [0x00A0, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)]})
_FOLD.update({code: None for code in [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]})
_FOLD_NEEDED = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD) + "]")


def _normalize(text):
    text = text or ""
    return text.translate(_FOLD) if _FOLD_NEEDED.search(text) else text


# ---------------------------------------------------------------- separators between digit groups

GAP = r"[ \t]{0,3}"
HYPHEN = GAP + "-" + GAP
# A table-cell boundary as files.extract.row_text writes it, with the number's hyphen
# in the left cell, the right cell or a cell of its own: "900101 | 1234567",
# "900101- | 1234567", "900101 | - | 1234567".
CELL = GAP + r"(?:-" + GAP + r")?\|" + GAP + r"(?:-" + GAP + r"(?:\|" + GAP + r")?)?"
# Between the groups of an RRN, a phone or a licence number: hyphen, cell boundary, spaces or nothing.
SEP = r"(?:" + HYPHEN + "|" + CELL + r"|[ \t]{1,3})?"
PHONE_SEP = r"(?:" + GAP + r"[-.]" + GAP + "|" + CELL + r"|[ \t]{1,3})?"

# ---------------------------------------------------------------- patterns

# The look-behinds follow the first digit, so the pattern starts with a plain character
# and the regex engine can skip ahead quickly on long texts.
RRN = re.compile(
    r"(?P<yy>[0-9](?<![0-9][0-9])(?<![0-9]-[0-9])(?<![0-9] - [0-9])[0-9])(?P<mm>[0-9]{2})(?P<dd>[0-9]{2})"
    + SEP
    + r"(?P<g>[0-9])[0-9]{6}(?![0-9])(?! ?-[0-9])"
)
# A spreadsheet stores 0501013123456 as the number 501013123456: births 2000–2009 lose their 0.
RRN_WITHOUT_ZERO = re.compile(r"[1-9](?<![0-9][1-9])[0-9]{11}(?![0-9])")
RRN_WORDS = re.compile(r"주민|외국인")

PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?P<prefix>\+82[ -]?1[016789]|\(01[016789]\)|01[016789]\)?)"
    r"(?P<s1>" + PHONE_SEP + r")(?P<mid>[0-9]{3,4})(?P<s2>" + PHONE_SEP + r")(?P<last>[0-9]{4})"
    r"(?![0-9A-Za-z])(?![-.][0-9])"
)

# 운전면허번호: region (name, or code 11–28 for licences issued before 2011), 2-digit year,
# 6-digit serial, 2 digits. Hyphenated, the shape is the licence's own; otherwise 면허 must be near.
REGIONS = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
REGION_CODE = r"(?:1[1-9]|2[0-8])"
LICENCE = re.compile(
    r"(?:(?:" + REGIONS + r")(?:" + CELL + "|" + GAP + r")|(?<![0-9])(?<![0-9]-)" + REGION_CODE + HYPHEN + ")"
    r"[0-9]{2}" + HYPHEN + r"[0-9]{6}" + HYPHEN + r"[0-9]{2}(?![0-9]|-[0-9])"
)
LICENCE_LOOSE = re.compile(
    r"(?<![0-9])(?<![0-9]-)(?:(?:" + REGIONS + ")" + SEP + "|" + REGION_CODE + SEP + ")?"
    r"[0-9]{2}" + SEP + r"[0-9]{6}" + SEP + r"[0-9]{2}(?![0-9]|-[0-9])"
)
LICENCE_WORDS = re.compile(r"면허")

# 차세대 전자여권 (2021–): M123A4567, a shape nothing else has. The older M12345678 and
# foreign passports look like model or document numbers, so they need 여권 nearby.
PASSPORT_NEW = re.compile(r"(?<![0-9A-Za-z])[MSRGD][0-9]{3}[A-Z][0-9]{4}(?![0-9A-Za-z])")
PASSPORT_OTHER = re.compile(
    r"(?<![0-9A-Za-z])[A-Z]{1,2} ?(?:[0-9]{7,8}|[0-9]{3} ?[A-Z] ?[0-9]{4})(?![0-9A-Za-z])"
)
PASSPORT_WORDS = re.compile(r"여권|passport", re.IGNORECASE)

EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<local>[A-Za-z0-9._%+-]+)(?:[ \t]?@[ \t]?|[ \t]?[(\[]at[)\]][ \t]?)"
    r"(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?P<tld>[A-Za-z]{2,}))(?![A-Za-z0-9-])"
)
NOT_EMAIL_TLDS = {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp"}  # icon@2x.png

# 건강보험증 번호: 11 digits, one number per household; written whole or in groups.
HEALTH = re.compile(
    r"(?<![0-9])(?<![0-9]-)[0-9]{1,11}(?:(?:" + HYPHEN + r"| )[0-9]{1,10}){0,2}(?![0-9]|-[0-9])"
)
HEALTH_WORDS = re.compile(r"건강보험|보험증")
HEALTH_NOT_WORDS = re.compile(r"사업장")  # 사업장관리번호 is 11 digits too

# 계좌번호: groups of digits joined by hyphens, by single spaces, or one run of 10–14 digits;
# the last group may be a single digit (대구은행 508-21-482937-5).
ACCOUNT_HYPHENATED = re.compile(
    r"(?<![0-9])(?<![0-9][-,])[0-9]{2,6}(?:-[0-9]{2,7}){0,3}-[0-9]{1,7}(?![0-9]|-[0-9]|[.,][0-9])"
)
ACCOUNT_SPACED = re.compile(
    r"(?<![0-9])(?<![0-9][-,])[0-9]{2,7}(?: [0-9]{2,7}){0,3} [0-9]{1,7}(?![0-9]|[-.,][0-9])"
)
ACCOUNT_RUN = re.compile(r"(?<![0-9])(?<![0-9][-,])[0-9]{10,14}(?![0-9]|[-.,][0-9])")
ACCOUNT_WORDS = re.compile(
    r"계좌|은행|예금주|입금|통장|뱅크|새마을금고|농협|신협|수협|우체국|이체|송금|account|bank", re.IGNORECASE
)
# A bank's short name (국민, 우리, 하나, 부산 …) is an everyday word too: it counts only
# right before the number, as in "국민 123456-12-123456" or a 은행 column next to it.
BANKS = (
    "국민|신한|우리|하나|농협|기업|산업|수협|신협|씨티|시티|제일|SC제일|카카오|토스|케이|"
    "새마을금고|새마을|우체국|부산|대구|경남|광주|전북|제주|KB|NH|IBK|KDB|BNK|DGB|MG"
)
BANK_RIGHT_BEFORE = re.compile(r"(?<![가-힣])(?:" + BANKS + r")(?:은행|뱅크)?[ \t:()\[\]/|,·-]{0,4}\Z")
# Shapes that only banks use; other shapes need an account word nearby.
ACCOUNT_SHAPES = {(6, 2, 6), (3, 6, 5), (4, 3, 6), (3, 6, 2, 3), (4, 2, 7), (3, 4, 4, 2)}
NOT_ACCOUNT_SHAPES = {(3, 2, 5)}  # 사업자등록번호
# A number labelled as something else, even in a sentence about 입금.
OTHER_NUMBER_LABEL = re.compile(
    r"(?:사업자|법인|고유|주문|접수|사건|공고|문서|관리|우편|등록)(?:등록)?번호[ \t:()|]*\Z"
)

# Forms give each digit a box of its own: PDFs read "8 5 0 3 1 5 - 1 0 6 2 4 1 8", tables
# one digit per cell. Such a run is read again with the gaps closed, but only when it has
# a hyphen or a word that asks for a number nearby: rows of small counts look the same.
BOX = r"(?:[ \t]?\|[ \t]?|[ \t])"
SPREAD = re.compile(r"[0-9](?<![0-9][0-9])(?:" + BOX + "(?:-" + BOX + r")?[0-9]){9,}(?![0-9])")
FORM_WORDS = re.compile(r"주민|외국인|등록번호|생년월일|전화|연락처|휴대|핸드폰|여권|면허|계좌|은행|보험증")

BEFORE, AFTER = 30, 15


def _near(words, text, start, end, context):
    """`words` shortly before the match, after it on the same line, or in `context`."""
    line_end = text.find("\n", end, end + AFTER)
    return bool(
        words.search(text, max(0, start - BEFORE), start)
        or words.search(text, end, end + AFTER if line_end < 0 else line_end)
        or (context and words.search(context))
    )


def _mentioned(words, text, context):
    """Whether `words` occur at all: keyword-gated detectors skip texts that never name them."""
    return bool(words.search(text) or (context and words.search(context)))


def _digits(value):
    return "".join(ch for ch in value if ch.isdigit())


def _counted(text, end):
    """1234567890원 or 제2026-0012345호: an amount or a document's number, not a person's."""
    return bool(re.match(r"[ \t]?(?:원|천원|만원|호)", text[end : end + 4]))


def _phone_like(value):
    """An office or mobile number: area or mobile code, then 3–4 and 4 digits (or those run together)."""
    if not value.startswith("0"):
        return False
    groups = re.split(r"[^0-9]+", value)
    if len(groups) == 1:
        return len(value) <= 11
    return len(groups) == 3 and len(groups[1]) in (3, 4) and len(groups[2]) == 4


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


# ---------------------------------------------------------------- detectors
# Each yields (start, end, kind, masked excerpt). They run in the order of DETECTORS, and
# characters claimed by an earlier finding are not reported again as a later kind.


def _registration_numbers(text, context):
    for m in RRN.finditer(text):
        gender = int(m["g"])
        if _valid_birth(int(m["yy"]), int(m["mm"]), int(m["dd"]), gender):
            kind = "frn" if gender >= 5 else "rrn"
            yield m.start(), m.end(), kind, mask_number(m[0], keep_start=7)
    if not _mentioned(RRN_WORDS, text, context):
        return
    for m in RRN_WITHOUT_ZERO.finditer(text):
        value = "0" + m[0]
        gender = int(value[6])
        if (
            gender in (3, 4, 7, 8)
            and _valid_birth(int(value[:2]), int(value[2:4]), int(value[4:6]), gender)
            and _near(RRN_WORDS, text, m.start(), m.end(), context)
        ):
            yield m.start(), m.end(), "frn" if gender >= 5 else "rrn", mask_number(m[0], keep_start=6)


def _phones(text, context):
    for m in PHONE.finditer(text):
        masked = m["prefix"] + m["s1"] + "*" * len(m["mid"]) + m["s2"] + m["last"]
        yield m.start(), m.end(), "phone", masked


def _licences(text, context):
    for m in LICENCE.finditer(text):
        yield m.start(), m.end(), "licence", mask_number(m[0], keep_start=4)
    if not _mentioned(LICENCE_WORDS, text, context):
        return
    for m in LICENCE_LOOSE.finditer(text):
        if not _counted(text, m.end()) and _near(LICENCE_WORDS, text, m.start(), m.end(), context):
            yield m.start(), m.end(), "licence", mask_number(m[0], keep_start=4)


def _passports(text, context):
    for m in PASSPORT_NEW.finditer(text):
        yield m.start(), m.end(), "passport", mask_number(m[0], keep_start=4)
    if not _mentioned(PASSPORT_WORDS, text, context):
        return
    for m in PASSPORT_OTHER.finditer(text):
        if _near(PASSPORT_WORDS, text, m.start(), m.end(), context):
            yield m.start(), m.end(), "passport", mask_number(m[0], keep_start=4)


def _emails(text, context):
    for m in EMAIL.finditer(text):
        if m["tld"].lower() not in NOT_EMAIL_TLDS and not _official_email(m["domain"]):
            yield m.start(), m.end(), "email", mask_email(f"{m['local']}@{m['domain']}")


def _health_insurance(text, context):
    if not _mentioned(HEALTH_WORDS, text, context):
        return
    for m in HEALTH.finditer(text):
        value = m[0]
        if (
            len(_digits(value)) == 11
            and not _phone_like(value)
            and not _counted(text, m.end())
            and _near(HEALTH_WORDS, text, m.start(), m.end(), context)
            and not HEALTH_NOT_WORDS.search(text, max(0, m.start() - BEFORE), m.start())
        ):
            yield m.start(), m.end(), "health", mask_number(value, keep_start=2)


def _accounts(text, context):
    for pattern in (ACCOUNT_HYPHENATED, ACCOUNT_SPACED, ACCOUNT_RUN):
        for m in pattern.finditer(text):
            value = m[0]
            shape = tuple(len(group) for group in re.split(r"[- ]", value))
            if not 10 <= sum(shape) <= 14:
                continue  # dates, 공고번호, 대표번호 and the like are shorter
            if _something_else(text, m, shape):
                continue
            bank_shape = pattern is ACCOUNT_HYPHENATED and _account_like(value, shape)
            if bank_shape or _account_named(text, m, context):
                yield m.start(), m.end(), "account", mask_number(value, keep_start=3)


def _something_else(text, m, shape):
    """사업자등록번호, a phone number, an amount or 제…호, or a number labelled as something else."""
    return (
        shape in NOT_ACCOUNT_SHAPES
        or _phone_like(m[0])
        or _counted(text, m.end())
        or bool(OTHER_NUMBER_LABEL.search(text, max(0, m.start() - 20), m.start()))
    )


def _account_like(value, shape):
    return shape in ACCOUNT_SHAPES and not (shape == (3, 4, 4, 2) and value.startswith("0"))


def _account_named(text, m, context):
    """An account word nearby, or a bank's name right before the number."""
    return _near(ACCOUNT_WORDS, text, m.start(), m.end(), context) or bool(
        BANK_RIGHT_BEFORE.search(text, max(0, m.start() - 16), m.start())
    )


# Priority order: where two kinds match the same characters, the earlier one is reported.
DETECTORS = (
    _registration_numbers,
    _phones,
    _licences,
    _passports,
    _emails,
    _health_insurance,
    _accounts,
)


def _spread_out(text, context):
    """Numbers written one digit per box (SPREAD), found by the detectors above with the gaps closed."""
    for m in SPREAD.finditer(text):
        if "-" not in m[0] and not _near(FORM_WORDS, text, m.start(), m.end(), context):
            continue
        before = text[max(0, m.start() - BEFORE) : m.start()]
        packed = re.sub(r"[ \t|]", "", m[0])
        closed = before + packed + text[m.end() : m.end() + AFTER]
        for detector in DETECTORS:
            for start, _, kind, masked in detector(closed, context):
                if len(before) <= start < len(before) + len(packed):
                    yield m.start(), m.end(), kind, masked


def scan_text(text, where="본문", context=""):
    """Find personal data in `text`; `context` (e.g. a table's header row) also counts as nearby words."""
    text = _normalize(text)
    context = _normalize(context)
    claimed = bytearray(len(text))
    found = []
    for detector in (*DETECTORS, _spread_out):
        for start, end, kind, masked in detector(text, context):
            if any(claimed[start:end]):
                continue  # a higher-priority kind already claimed these characters
            claimed[start:end] = b"\x01" * (end - start)
            masked = " ".join(masked.split())  # tabs and runs of spaces between the groups
            found.append((start, Finding(kind, LABELS[kind], where, masked)))
    return [finding for _, finding in sorted(found, key=lambda item: item[0])]


def scan_extracted(extracted, filename):
    """Scan every block of an `extract.Extracted`, locating findings by page, sheet, row or line."""
    if extracted.error or not extracted.supported:
        return []
    base = f"붙임 「{filename}」"
    findings, seen = [], set()
    previous = ""
    tables = {}  # tables counted per page, slide or part, so "2번 슬라이드 1번째 표" reads right

    def add(new):
        findings.extend(new)  # every one: two people's numbers may mask alike on one page

    for block in extracted.blocks:
        where = f"{base} {block.where}" if block.where else base
        if (where, block.kind, block.text) in seen:  # a part a format stores twice (a DOCX text box's fallback)
            continue
        seen.add((where, block.kind, block.text))
        if block.kind == "table":
            tables[block.where] = tables.get(block.where, 0) + 1
            rows = block.content
            header = " ".join(rows[0]) if rows else ""
            for index, row in enumerate(rows):
                row_where = block.row_where[index] if block.row_where else None
                if row_where:
                    label = f"{base} {row_where}"
                else:
                    label = f"{where} {tables[block.where]}번째 표 {index + 1}번째 행"
                add(scan_text(row_text(row), label, context=f"{previous} {header}"))
            previous = ""
        else:
            add(scan_text(block.content, where, context=previous))
            previous = block.content[-BEFORE:]
    return findings
