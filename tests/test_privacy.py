"""privacy.detectors: planted personal data is found in every format; look-alikes and the home page are not."""

import io
from collections import Counter
from pathlib import Path

import pytest

from files.extract import extract_text
from privacy.detectors import Finding, mask_name, mask_number, scan_extracted, scan_text
from tests.test_extract import (
    TABLE_ANCHOR,
    build_docx,
    build_hwp,
    build_hwpx,
    build_pdf,
    build_pptx,
    build_xlsx,
    hwp_paragraph,
    hwp_table,
)

SEED = Path(__file__).parent / "samples" / "seed.txt"

# (kind, text): each text holds exactly one item of that kind.
POSITIVE = [
    ("rrn", "주민등록번호 900101-1234567"),
    ("rrn", "9001012345678"),
    ("rrn", "생년월일 및 번호: 851231 - 2345678"),
    ("rrn", "881130–1234567"),  # en dash, as word processors autocorrect
    ("rrn", "000229-3123456"),  # 2000 was a leap year
    ("rrn", "040229-4012345"),
    ("rrn", "210315-3000000"),  # issued after October 2020: no valid check digit
    ("rrn", "221001 4999999"),
    ("rrn", "230505-3111112"),
    ("rrn", "９００１０１－２２３４５６７"),  # full-width digits and hyphen
    ("rrn", "Hong 760412-1098765 Seoul"),
    ("frn", "외국인등록번호 950505-5123456"),
    ("frn", "020715-7654321"),
    ("frn", "800101-6123456"),
    ("frn", "1108118123456"),
    ("passport", "여권번호: M12345678"),
    ("passport", "여권 S98765432"),
    ("passport", "M123A4567"),
    ("passport", "R987B6543"),
    ("passport", "Passport No. G12345678"),
    ("licence", "11-12-345678-90"),
    ("licence", "운전면허 서울 12-345678-90"),
    ("licence", "28-05-123456-01"),
    ("licence", "면허번호 131234567890"),
    ("licence", "부산 03-765432-11"),
    ("phone", "010-1234-5678"),
    ("phone", "01098765432"),
    ("phone", "010 2345 6789"),
    ("phone", "010.3456.7890"),
    ("phone", "011-234-5678"),
    ("phone", "016-9876-5432"),
    ("phone", "+82 10-1111-2222"),
    ("phone", "연락처(010-4444-5555)"),
    ("account", "국민은행 123456-12-123456"),
    ("account", "계좌번호: 110-123-456789"),
    ("account", "하나은행 123-456789-12345"),
    ("account", "우리은행 1002-123-456789"),
    ("account", "3333-01-1234567 (예금주 홍길동)"),
    ("account", "농협 301-1234-5678-11"),
    ("account", "123456-01-123456"),
    ("account", "SC제일은행 123-45-678901"),
    ("email", "hong.gildong@naver.com"),
    ("email", "abc_123@gmail.com"),
    ("email", "문의: kim@daum.net"),
    ("email", "user+tag@hanmail.net"),
    ("email", "lee@example.co.kr"),
]

NEGATIVE = [
    "02-2627-1316",
    "☎ 독산1동 주민자치회(02-2104-5562~3)",
    "고객센터(☏1600-6120)",
    "팩스 02-2627-1319",
    "031-123-4567",
    "070-1234-5678",
    "우리은행 금천구청지점(02-2627-1234)",
    "금천구 공고 제2026-123호",
    "공고 제2026-45호",
    "2026. 1. 29.(목) ~ 2026. 2. 27.(금)",
    "2026-01-29",
    "2026.02.06",
    "20260129",
    "4억 3천여만 원",
    "가맹점 1,681여 곳",
    "올해 2,058 가구",
    "누적 참여자 19,969명",
    "평균 97.88점",
    "연 0.8% 고정금리",
    "1,234,567,890원",
    "991341-1234567",  # month 13
    "900132-1234567",  # day 32
    "900229-1234567",  # 1990 was not a leap year
    "000229-1234567",  # 1900 was not a leap year
    "900101-0234567",  # 7th digit 0 with a modern birth year
    "900101-9234567",  # 7th digit 9 (1800s)
    "991231-3123456",  # born in 2099
    "19900101-1234567",  # inside a longer digit run
    "1-900101-1234567",
    "주문번호 20101234567890",
    "9001011234567890",
    "사업자등록번호 123-45-67890",
    "법인등록번호 110111-0012345",
    "모델명 M12345678",
    "문서번호 S20260129",
    "제품 D1234567",
    "ISBN 979-11-6050-123-4",
    "01-12-345678-90",
    "30-12-345678-90",
    "전자우편접수 : cjy2614@geumcheon.go.kr",
    "minwon@seoul.go.kr",
    "help@korea.kr",
    "info@gcfac.or.kr",
    "근무시간 09:00 ~ 18:00",
    "시흥대로 73길 70",
    "사건번호 2026가단12345",
    "은행나무길 12-34",
    "2026-0012345",
]


def rrn_check_digit_ok(number):
    digits = [int(d) for d in number if d.isdigit()]
    total = sum(d * w for d, w in zip(digits[:12], [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    return (11 - total % 11) % 10 == digits[12]


def by_kind(findings):
    return Counter(finding.kind for finding in findings)


# ---------------------------------------------------------------- corpus in plain text


def test_corpus_sizes():
    assert len(POSITIVE) >= 40 and len(NEGATIVE) >= 40
    assert {kind for kind, _ in POSITIVE} == {
        "rrn",
        "frn",
        "passport",
        "licence",
        "phone",
        "account",
        "email",
    }
    # the detector must not lean on check digits: several planted numbers fail it
    assert not rrn_check_digit_ok("210315-3000000") and not rrn_check_digit_ok("230505-3111112")


@pytest.mark.parametrize("kind,text", POSITIVE)
def test_each_planted_item_is_found_alone(kind, text):
    findings = scan_text(text)
    assert [finding.kind for finding in findings] == [kind], findings


@pytest.mark.parametrize("text", NEGATIVE)
def test_each_look_alike_is_not_flagged(text):
    assert scan_text(text) == []


def test_home_page_seed_has_no_findings():
    text = SEED.read_text(encoding="utf-8")
    assert "cjy2614@geumcheon.go.kr" in text and "02-2104-5562~3" in text
    assert scan_text(text) == []
    # also as a TXT 붙임, line by line
    extracted = extract_text(io.BytesIO(text.encode("utf-8")), "홈페이지.txt")
    assert extracted.error is None and scan_extracted(extracted, "홈페이지.txt") == []


# ---------------------------------------------------------------- corpus across formats


def _ascii(text):
    return text.isascii()


FORMATS = ["pdf", "hwp", "hwpx", "docx", "xlsx", "pptx", "txt-utf8", "txt-cp949", "csv", "body"]


def _distribute(items):
    """Round-robin the items over the formats; the PDF builder only has a Latin font."""
    buckets = {name: [] for name in FORMATS}
    position = 0
    for item in items:
        while FORMATS[position % len(FORMATS)] == "pdf" and not _ascii(item[1]):
            position += 1
        buckets[FORMATS[position % len(FORMATS)]].append(item)
        position += 1
    return buckets


def _build(fmt, texts):
    """A file of `fmt` holding `texts`, half of them inside a table where the format has tables."""
    half = len(texts) // 2
    lines, cells = texts[:half], texts[half:]
    table = [["번호", "내용"]] + [[str(i + 1), text] for i, text in enumerate(cells)]
    if fmt == "pdf":
        return "붙임.pdf", build_pdf([[text] for text in texts])  # one item per page
    if fmt == "hwp":
        records = b"".join(hwp_paragraph(0, text) for text in lines)
        records += hwp_paragraph(0, TABLE_ANCHOR) + hwp_table(1, table)
        return "붙임.hwp", build_hwp([records])
    if fmt == "hwpx":
        return "붙임.hwpx", build_hwpx([lines + [table]])
    if fmt == "docx":
        return "붙임.docx", build_docx(lines + [table])
    if fmt == "xlsx":
        return "붙임.xlsx", build_xlsx({"명단": [[text] for text in lines], "표": table})
    if fmt == "pptx":
        return "붙임.pptx", build_pptx([lines, [table]])
    if fmt == "txt-utf8":
        return "붙임.txt", "\n".join(texts).encode("utf-8")
    if fmt == "txt-cp949":
        return "붙임.txt", "\n".join(texts).encode("cp949")
    if fmt == "csv":
        return "붙임.csv", "\n".join(f'{i},"{text}"' for i, text in enumerate(texts)).encode("utf-8-sig")
    raise AssertionError(fmt)


def _scan(fmt, texts):
    if fmt == "body":
        return scan_text("\n".join(texts), "본문")
    name, data = _build(fmt, texts)
    extracted = extract_text(io.BytesIO(data), name)
    assert extracted.error is None, (fmt, extracted.error)
    return scan_extracted(extracted, name)


def test_planted_corpus_across_formats(record_property):
    planted = found = false_positives = 0
    misses = []
    for fmt, items in _distribute(POSITIVE).items():
        assert items, fmt
        expected = Counter(kind for kind, _ in items)
        got = by_kind(_scan(fmt, [text for _, text in items]))
        planted += sum(expected.values())
        found += sum((expected & got).values())
        false_positives += sum((got - expected).values())
        if expected != got:
            misses.append((fmt, expected - got, got - expected))
    negatives = _distribute([("none", text) for text in NEGATIVE])
    for fmt, items in negatives.items():
        got = _scan(fmt, [text for _, text in items])
        false_positives += len(got)
        if got:
            misses.append((fmt, "false positives", got))
    seed = scan_text(SEED.read_text(encoding="utf-8"))
    false_positives += len(seed)
    summary = (
        f"개인정보 탐지: 심은 {planted}건 중 {found}건 발견, "
        f"오탐 {false_positives}건 (유사 항목 {len(NEGATIVE)}건 + 홈페이지 시드, {len(FORMATS)}개 형식)"
    )
    print("\n" + summary)
    record_property("privacy_summary", summary)
    assert not misses, misses
    assert (found, planted, false_positives) == (len(POSITIVE), len(POSITIVE), 0)


# ---------------------------------------------------------------- locations, context, masking


def test_locations_name_the_file_and_page_line_sheet_or_row():
    pdf = extract_text(
        io.BytesIO(build_pdf([["page one"], ["page two"], ["Hong 900101-1234567"]])), "공고문.pdf"
    )
    assert scan_extracted(pdf, "공고문.pdf") == [
        Finding("rrn", "주민등록번호", "붙임 「공고문.pdf」 3쪽", "900101-1******")
    ]
    txt = extract_text(io.BytesIO("공고\n연락처 010-1234-5678\n".encode()), "안내.txt")
    assert [f.where for f in scan_extracted(txt, "안내.txt")] == ["붙임 「안내.txt」 2번째 줄"]
    xlsx_data = build_xlsx({"명단": [["성명", "연락처"], ["이○종", "010-1234-5678"]]})
    xlsx = extract_text(io.BytesIO(xlsx_data), "명단.xlsx")
    assert [f.where for f in scan_extracted(xlsx, "명단.xlsx")] == ["붙임 「명단.xlsx」 「명단」 시트 2행"]
    docx = extract_text(
        io.BytesIO(build_docx(["머리", [["성명", "번호"], ["이○종", "900101-1234567"]]])), "a.docx"
    )
    assert [f.where for f in scan_extracted(docx, "a.docx")] == ["붙임 「a.docx」 1번째 표 2번째 행"]


def test_table_header_counts_as_nearby_words():
    # 여권번호/계좌번호 columns: the keyword is in the header row, the number rows below
    with_header = build_xlsx(
        {"명단": [["성명", "여권번호", "계좌번호"], ["이○종", "M12345678", "110-123-456789"]]}
    )
    without = build_xlsx({"명단": [["성명", "모델", "코드"], ["이○종", "M12345678", "110-123-456789"]]})
    found = scan_extracted(extract_text(io.BytesIO(with_header), "a.xlsx"), "a.xlsx")
    assert by_kind(found) == Counter({"passport": 1, "account": 1})
    assert scan_extracted(extract_text(io.BytesIO(without), "b.xlsx"), "b.xlsx") == []


def test_previous_line_counts_as_nearby_words():
    text = "입금하실 계좌번호는 다음과 같습니다.\n110-123-456789\n"
    findings = scan_extracted(extract_text(io.BytesIO(text.encode()), "a.txt"), "a.txt")
    assert [(f.kind, f.where) for f in findings] == [("account", "붙임 「a.txt」 2번째 줄")]


def test_official_domains_are_a_setting(settings):
    assert scan_text("담당 cjy2614@geumcheon.go.kr") == []
    settings.PRIVACY_OFFICIAL_EMAIL_DOMAINS = ["geumcheon.go.kr"]
    assert scan_text("minwon@seoul.go.kr") != []
    assert scan_text("cjy2614@geumcheon.go.kr") == []
    settings.PRIVACY_OFFICIAL_EMAIL_DOMAINS = []
    assert [f.kind for f in scan_text("cjy2614@geumcheon.go.kr")] == ["email"]


def test_excerpts_are_masked():
    text = "900101-1234567 010-1234-5678 M123A4567 11-12-345678-90 국민은행 123456-12-123456 hong@naver.com"
    excerpts = [finding.excerpt for finding in scan_text(text)]
    assert excerpts == [
        "900101-1******",
        "010-****-5678",
        "M123*****",
        "11-12-******-**",
        "123***-**-******",
        "ho***@naver.com",
    ]
    assert "1234567" not in " ".join(excerpts)


def test_findings_are_reported_once_per_place():
    text = "010-1234-5678\n010-1234-5678"
    extracted = extract_text(io.BytesIO(text.encode()), "a.txt")
    assert len(scan_extracted(extracted, "a.txt")) == 2  # two lines, two places
    assert len(scan_text(text)) == 2


def test_errors_and_unsupported_files_yield_no_findings():
    broken = extract_text(io.BytesIO(b"PK\x03\x04broken"), "a.docx")
    assert broken.error and scan_extracted(broken, "a.docx") == []


@pytest.mark.parametrize(
    "name,masked",
    [
        ("이재종", "이○종"),
        ("이재", "이○"),
        ("남궁민수", "남○○수"),
        ("김", "○"),
        ("", ""),
        (" 박지성 ", "박○성"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_number_keeps_separators():
    assert mask_number("900101-1234567", keep_start=7) == "900101-1******"
    assert mask_number("010-1234-5678", keep_start=3, keep_end=4) == "010-****-5678"
