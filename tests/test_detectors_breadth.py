"""privacy.detectors across types × formats × writings, and the look-alikes that must stay quiet.

The matrix: every type of personal data (SPECS), written every way people write it
(WRITINGS), in every format files.extract reads (detector_samples.FORMATS). Each case
is a small document with a 공고번호, a date, an amount, the office phone and an official
e-mail around the one item; exactly that item must be found, at the right place,
with a masked excerpt.
"""

import io
import re
from dataclasses import dataclass

import pytest

from files.extract import extract_text
from privacy.detectors import LABELS, scan_extracted, scan_text
from tests.detector_samples import (
    FORMATS,
    TABLE_FORMATS,
    build,
    expected_where,
    fullwidth,
    sample_items,
)
from tests.test_extract import build_docx, build_pptx, build_xlsx


@dataclass(frozen=True)
class Spec:
    kind: str
    label: str  # the word written before it, or its column header
    written: str  # the usual form
    compact: str | None = None  # without hyphens
    spaced: str | None = None  # spaces instead of, or around, the hyphens
    split: tuple = ()  # the cells of a number split over adjacent table cells
    bare: bool = True  # found with no word next to it
    label_cell: bool = False  # in tables the label is a cell of its own (a bank's name), not the header


# All numbers are made up; birth dates are valid, the other digits arbitrary.
SPECS = {
    "rrn": Spec(
        "rrn", "주민등록번호", "850315-1062418", "8503151062418", "850315 - 1062418", ("850315", "1062418")
    ),
    "rrn-2000s": Spec(
        "rrn", "주민등록번호", "030917-4158263", "0309174158263", "030917 4158263", ("030917-", "4158263")
    ),
    "frn": Spec(
        "frn",
        "외국인등록번호",
        "880624-5371926",
        "8806245371926",
        "880624  -  5371926",
        ("880624", "-", "5371926"),
    ),
    # issued since October 2020: the last digit is no check digit (see test_frn_2020_has_no_check_digit)
    "frn-2020": Spec(
        "frn", "외국인등록번호", "950412-6210003", "9504126210003", "950412 6210003", ("950412", "-6210003")
    ),
    "passport-new": Spec("passport", "여권번호", "M482K7315"),
    "passport-old": Spec("passport", "여권번호", "M70483926", spaced="M 70483926", bare=False),
    "licence-region": Spec(
        "licence",
        "운전면허번호",
        "서울 21-483920-17",
        "서울2148392017",
        "서울 21 483920 17",
        ("서울", "21-483920-17"),
    ),
    "licence-code": Spec(
        "licence",
        "운전면허번호",
        "11-21-483920-17",
        "112148392017",
        "11 21 483920 17",
        ("11", "21-483920-17"),
    ),
    "phone": Spec(
        "phone", "휴대전화", "010-4821-9375", "01048219375", "010 4821 9375", ("010", "4821", "9375")
    ),
    "phone-dots": Spec(
        "phone", "연락처", "010.4821.9375", spaced="010 - 4821 - 9375", split=("010", "4821-9375")
    ),
    "phone-old": Spec("phone", "연락처", "016-482-9375", "0164829375", "016 482 9375", ("016", "482-9375")),
    "account-bank": Spec(
        "account", "신한", "110-482-937561", "110482937561", "110 482 937561", bare=False, label_cell=True
    ),
    "account-bank-full": Spec(
        "account", "대구은행", "508-21-482937-5", "5082148293756", "508 21 482937 5", bare=False
    ),
    "account-word": Spec(
        "account", "입금계좌", "207-21-4829375", "207214829375", "207 21 4829375", bare=False
    ),
    "account-shape": Spec("account", "카카오뱅크", "3333-04-8293756", "3333048293756", "3333 04 8293756"),
    "email": Spec("email", "이메일", "minsu.kim82@gmail.com", spaced="minsu.kim82 @ gmail.com"),
    "email-at": Spec("email", "전자우편", "hana_park@hanmail.net", spaced="hana_park [at] hanmail.net"),
    "health": Spec("health", "건강보험증 번호", "1-4829375612", "14829375612", "1 4829375612", bare=False),
}

WRITINGS = [
    "bare",
    "labelled",
    "compact",
    "spaced",
    "fullwidth",
    "numbered",
    "bulleted",
    "cell",
    "cell-compact",
    "split",
    "boxed",
    "boxed-cells",
]


def _table(spec, values):
    if spec.label_cell:
        header = ["연번", "성명", "구분", *["번호"] * len(values), "접수일"]
        return [header, ["1", "김○○", spec.label, *values, "2026-12-06"]]
    header = ["연번", "성명", *[spec.label] * len(values), "접수일"]
    return [header, ["1", "김○○", *values, "2026-12-06"]]


def item_for(spec, writing):
    """The line or table (header + one row) holding the item, or None where the writing does not apply."""
    label = f"{spec.label}: "
    boxable = set(spec.written) <= set("0123456789-")
    lines = {
        "bare": spec.written if spec.bare else None,
        "labelled": label + spec.written,
        "compact": label + spec.compact if spec.compact else None,
        "spaced": f"{spec.label} {spec.spaced}" if spec.spaced else None,
        "fullwidth": fullwidth(label + spec.written),
        "numbered": f"1. {label}{spec.written}",
        "bulleted": f"- {spec.written}" if spec.bare else f"ㆍ{label}{spec.written}",
        "cell": _table(spec, [spec.written]),
        "cell-compact": _table(spec, [spec.compact]) if spec.compact else None,
        "split": _table(spec, list(spec.split)) if spec.split else None,
        # one digit per box, as forms print them
        "boxed": label + " ".join(spec.written) if boxable else None,
        "boxed-cells": _table(spec, list(spec.written)) if boxable else None,
    }
    return lines[writing]


def secret_of(spec):
    """What an excerpt must never show: all the digits, or an address's local part."""
    if spec.kind == "email":
        return spec.written.split("@")[0]
    return "".join(ch for ch in spec.written if ch.isdigit())


MATRIX = [
    pytest.param(name, writing, fmt, id=f"{name}-{writing}-{fmt}")
    for name, spec in SPECS.items()
    for writing in WRITINGS
    if item_for(spec, writing) is not None
    for fmt in FORMATS
]


def scan(fmt, items):
    name, data = build(fmt, items)
    if data is None:
        return scan_text(name, "본문"), name
    extracted = extract_text(io.BytesIO(data), name)
    assert extracted.error is None, extracted.error
    return scan_extracted(extracted, name), name


def _digits(text):
    return "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize("name,writing,fmt", MATRIX)
def test_matrix(name, writing, fmt):
    spec = SPECS[name]
    item = item_for(spec, writing)
    findings, filename = scan(fmt, sample_items(fmt, item))
    assert [f.kind for f in findings] == [spec.kind], findings
    (finding,) = findings
    assert finding.kind_label == LABELS[spec.kind]
    assert finding.where == expected_where(fmt, filename, item)
    secret = secret_of(spec)
    assert "*" in finding.excerpt
    assert secret not in finding.excerpt and secret not in _digits(finding.excerpt), finding.excerpt


def test_matrix_is_broad():
    kinds = {spec.kind for spec in SPECS.values()}
    assert kinds == set(LABELS)
    assert len(FORMATS) == 11 and TABLE_FORMATS < set(FORMATS)
    assert len(MATRIX) > 1500


def test_frn_2020_has_no_check_digit():
    # the detector must not lean on the old check digit
    digits = [int(d) for d in "9504126210003"]
    total = sum(d * w for d, w in zip(digits[:12], [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    assert (13 - total % 11) % 10 != digits[12]  # the 외국인등록번호 rule before October 2020
    assert (11 - total % 11) % 10 != digits[12]  # the 주민등록번호 rule


# ---------------------------------------------------------------- precision: these must not fire

NEGATIVE = [
    "금천구 공고 제2026-123호",
    "공고 제2026-1234호 (2026-12-06)",
    "2026-12-06",
    "2026.12.06.",
    "2026. 12. 6.(일)",
    "20261206",
    "접수 기간 2026-12-06 ~ 2026-12-31",
    "1,234,567원",
    "금 1,234,567,890원정",
    "예산 12,345,678천원",
    "전년 대비 12.5% 증가, 면적 1,234.56㎡",
    "사업자등록번호 123-45-67890",
    "사업자등록번호: 1234567890",
    "고유번호 123-82-12345",
    "법인등록번호 110111-0012345",
    "02-2627-1316",
    "(02)2627-1316",
    "02 2627 1316",
    "팩스 02-2627-1319",
    "070-1234-5678-12",  # with its 내선
    "031-123-4567",
    "070-1234-5678",
    "080-123-4567",
    "전화 1588-1234",
    "☎ 1577-1000",
    "someone@seoul.go.kr",
    "minwon@geumcheon.go.kr",
    "help@korea.kr",
    "info@gcfac.or.kr",
    "배너 logo@2x.png",
    "우편번호 08611",
    "(08611) 서울특별시 금천구 시흥대로73길 70",
    "독산동 123-45번지",
    "근무시간 09:00~18:00",
    "사건번호 2026가단12345",
    "문서번호 기획예산과-12345",
    "ISBN 979-11-6050-123-4",
    "주문번호 20101234567890",
    "접수번호 2026-0012345",
    "모델명 M70483926",
    "제품 코드 S12345678",
    "주민등록번호 앞자리 850315",
    "850315-1******",
    "991231-3123456",  # born in 2099
    "851332-1062418",  # month 13
    "850315-9062418",  # 7th digit 9
    "접수번호 112148392017",  # a licence's digits, but no 면허
    "관리번호 21-483920-17",
    "코드 14829375612",  # 11 digits, but no 건강보험
    "건강보험 사업장관리번호 12345678901",
    "국민건강보험공단 고객센터 1577-1000",
    "건강보험료 월 123,450원",
    "우리 동 행사 참가번호 1234-5678-9012",
    "국민 여러분 1,234명",
    "부산 출장 2026-12-06",
    "입금액 1234567890원",
    "입금 확인 후 사업자등록번호 1234567890 기재",
    "입금 문의 0226271316",
    "계좌번호는 추후 안내합니다. 문의 1588-9999",
    "은행나무길 12-34",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_look_alike_is_not_flagged(text):
    assert scan_text(text) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_look_alikes_in_every_format(fmt):
    half = len(NEGATIVE) // 2
    table = [["연번", "내용"]] + [[str(i), text] for i, text in enumerate(NEGATIVE[half:], 1)]
    findings, _ = scan(fmt, [*NEGATIVE[:half], table])
    assert findings == []


# Rows whose cells, glued together, would look like personal data.
GLUE_ROWS = [
    ["연번", "연", "월", "일", "금액"],
    ["1", "2026", "12", "06", "1234567"],
    ["2", "123456", "1234567", "", ""],  # not a birth date
    ["3", "851332", "1062418", "", ""],  # month 13
    ["4", "850315", "9062418", "", ""],  # 7th digit 9
    ["5", "02", "2627", "1316", ""],
    ["6", "1588", "1234", "", ""],
    ["7", "제2026-123호", "1,234,567원", "", ""],
    ["8", "08611", "2026-12-06", "", ""],
    ["9", "123-45", "67890", "", ""],
]


@pytest.mark.parametrize("fmt", sorted(TABLE_FORMATS))
def test_neighbouring_cells_are_not_glued(fmt):
    findings, _ = scan(fmt, [GLUE_ROWS])
    assert findings == []


@pytest.mark.parametrize("fmt", sorted(TABLE_FORMATS))
def test_a_number_next_to_numeric_cells_is_found_whole(fmt):
    rows = [["연번", "번호", "코드"], ["1", "8503151062418", "2"], ["12", "010-4821-9375", "34"]]
    findings, _ = scan(fmt, [rows])
    assert [(f.kind, f.excerpt) for f in findings] == [("rrn", "8503151******"), ("phone", "010-****-9375")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_of_small_counts_are_not_boxed_numbers(fmt):
    # one digit per cell like a boxed 주민등록번호, but no hyphen and no word that asks for a number
    counts = [["구분", *[f"{month}월" for month in range(1, 13)], "계"], ["건수", *"8503151062418"]]
    findings, _ = scan(fmt, ["월별 처리 건수", counts, "쪽 1 2 3 4 5 6 7 8 9 10 11 12"])
    assert findings == []


# ---------------------------------------------------------------- one test per rule


def kinds(text, context=""):
    return [f.kind for f in scan_text(text, context=context)]


def test_dashes_and_invisible_characters_fold():
    assert kinds("850315ㅡ1062418") == ["rrn"]  # ㅡ typed as a dash
    assert kinds("010\u200b-4821-9375") == ["phone"]
    assert kinds("850315\u00ad-1062418") == ["rrn"]


LIST_MARKERS = ["1.", "1)", "(1)", "①", "가.", "-", "·", "ㆍ", "○", "□", "※", "•", "▶", "*", "1. ", "- "]


@pytest.mark.parametrize("marker", LIST_MARKERS)
def test_list_markers_right_before_the_number(marker):
    for name, spec in SPECS.items():
        if spec.bare:
            assert kinds(marker + spec.written) == [spec.kind], (name, marker)


def test_one_digit_per_box():
    assert kinds("8 5 0 3 1 5 - 1 0 6 2 4 1 8") == ["rrn"]
    assert kinds("주민등록번호 8 5 0 3 1 5 1 0 6 2 4 1 8") == ["rrn"]
    assert kinds("8 5 0 3 1 5 1 0 6 2 4 1 8") == []  # no hyphen, no word: could be counts
    assert kinds("8 | 5 | 0 | 3 | 1 | 5 | - | 1 | 0 | 6 | 2 | 4 | 1 | 8") == ["rrn"]
    assert kinds("휴대전화 0 1 0 4 8 2 1 9 3 7 5") == ["phone"]
    assert kinds("신한 1 1 0 - 4 8 2 - 9 3 7 5 6 1") == ["account"]  # the bank's name still counts
    assert kinds("2 0 2 6 - 1 2 - 0 6") == []
    assert scan_text("0 1 0 - 4 8 2 1 - 9 3 7 5")[0].excerpt == "010-****-9375"


def test_rrn_separators():
    assert kinds("850315 1062418") == ["rrn"]
    assert kinds("850315\t1062418") == ["rrn"]
    assert kinds("850315 - 1062418") == ["rrn"]
    assert kinds("850315 | - | 1062418") == ["rrn"]
    assert kinds("850315\n1062418") == []  # two lines are two things


def test_rrn_lost_leading_zero_in_a_spreadsheet():
    data = build_xlsx({"명단": [["성명", "주민등록번호"], ["김○○", 309174158263], ["이○○", 101011234567]]})
    findings = scan_extracted(extract_text(io.BytesIO(data), "a.xlsx"), "a.xlsx")
    # 2003 births lose their 0; "0101011234567" would be a 1901 birth, not what a 0 was dropped from
    assert [(f.kind, f.excerpt, f.where) for f in findings] == [
        ("rrn", "309174******", "붙임 「a.xlsx」 「명단」 시트 2행")
    ]
    data = build_xlsx({"명단": [["성명", "번호"], ["김○○", 309174158263]]})
    assert scan_extracted(extract_text(io.BytesIO(data), "b.xlsx"), "b.xlsx") == []


def test_phone_writings():
    for text in [
        "(010)4821-9375",
        "010)4821-9375",
        "010.4821.9375",
        "010 - 4821 - 9375",
        "010 | 4821 | 9375",
    ]:
        assert kinds(text) == ["phone"], text
    assert scan_text("(010) 4821-9375")[0].excerpt == "(010) ****-9375"
    assert scan_text("010\t4821\t9375")[0].excerpt == "010 **** 9375"


def test_licence_hyphenated_needs_no_word_but_loose_forms_do():
    assert kinds("서울 21-483920-17") == ["licence"]
    assert kinds("11-21-483920-17") == ["licence"]
    assert kinds("서울 | 21-483920-17") == ["licence"]
    for loose in ["112148392017", "11 21 483920 17", "서울2148392017", "21-483920-17"]:
        assert kinds(loose) == [], loose
        assert kinds(f"운전면허 {loose}") == ["licence"], loose
        assert kinds(loose, context="성명 면허번호") == ["licence"], loose
    assert kinds("면허세 합계 1234567890원") == []
    far = (
        "운전면허 시험장 안내입니다. 주차장은 지하 2층이며 접수 창구는 1층에 있습니다. 접수번호 112148392017"
    )
    assert kinds(far) == []  # 면허 is in the text, but not next to the number


def test_every_mobile_prefix_region_and_passport_letter():
    for prefix in ["010", "011", "016", "017", "018", "019"]:
        assert kinds(f"{prefix}-482-9375") == ["phone"], prefix
    assert kinds("012-482-9375") == [] and kinds("015-4821-9375") == []
    for region in [
        "서울",
        "부산",
        "경기",
        "강원",
        "충북",
        "충남",
        "전북",
        "전남",
        "경북",
        "경남",
        "제주",
        "대구",
        "인천",
        "광주",
        "대전",
        "울산",
    ]:
        assert kinds(f"{region} 21-483920-17") == ["licence"], region
    for code in [*range(11, 27), 28]:
        assert kinds(f"{code}-21-483920-17") == ["licence"], code
    assert kinds("10-21-483920-17") == [] and kinds("29-21-483920-17") == []
    for letter in "MSRGD":
        assert kinds(f"{letter}482K7315") == ["passport"], letter
    assert kinds("A482K7315") == []


def test_passports():
    assert kinds("M482K7315") == ["passport"]
    assert kinds("여권번호 M70483926") == ["passport"]
    assert kinds("여권번호 EA4829375") == ["passport"]  # a foreign passport
    assert kinds("M70483926") == [] and kinds("EA4829375") == []
    assert kinds("여권 발급 창구는 1층 민원실에 있으며 점심시간에도 문을 엽니다. 전시 모델명 M70483926") == []
    assert scan_text("여권 M 70483926")[0].excerpt == "M 704*****"


def test_email_writings_and_official_domains(settings):
    assert kinds("minsu.kim82 @ gmail.com") == ["email"]
    assert kinds("hana_park(at)hanmail.net") == ["email"]
    assert scan_text("hana_park [at] hanmail.net")[0].excerpt == "ha***@hanmail.net"
    assert kinds("icon@2x.png") == []
    assert kinds("someone@seoul.go.kr") == []
    settings.PRIVACY_OFFICIAL_EMAIL_DOMAINS = ["geumcheon.go.kr"]
    assert kinds("someone@seoul.go.kr") == ["email"]


def test_health_insurance_number_needs_its_word():
    assert kinds("건강보험증 번호 14829375612") == ["health"]
    assert kinds("14829375612", context="성명 건강보험증번호") == ["health"]
    assert kinds("보험증 1-4829375612") == ["health"]
    assert kinds("14829375612") == []
    assert kinds("건강보험 사업장관리번호 14829375612") == []
    assert kinds("건강보험 담당 010-4821-9375") == ["phone"]
    assert kinds("건강보험 담당 031-1234-5678") == []  # an office number, 11 digits too
    assert kinds("건강보험 지원 합계 14829375612원") == []
    assert kinds("건강보험 안내 공고 제2026-0012345호") == []


def test_accounts_next_to_a_bank_name_or_word():
    assert kinds("국민 482937-01-561204") == ["account"]  # a shape only banks use
    for bank in [
        "국민",
        "신한",
        "우리",
        "하나",
        "농협",
        "기업",
        "카카오뱅크",
        "토스뱅크",
        "새마을금고",
        "우체국",
        "수협",
        "SC제일",
        "씨티",
        "부산",
        "대구",
        "경남",
        "광주",
        "전북",
        "제주",
        "산업",
        "신협",
        "케이뱅크",
    ]:
        for written in [bank, bank + "은행", f"{bank}은행 "]:
            text = f"{written} 207-482-9375"  # (3, 3, 4): a shape banks and others share
            assert kinds(text) == ["account"], text
    assert kinds("207-482-9375") == []
    assert kinds("입금 계좌 207 482 9375") == ["account"]
    assert kinds("207 482 9375") == []
    assert kinds("송금: 2074829375") == ["account"]
    assert kinds("2074829375") == []
    assert kinds("우리 동 행사 참가번호 1234-5678-9012") == []  # 우리 not right before the number
    assert kinds("(하나) 1234-5678-9012") == ["account"]
    assert kinds("중소기업 2026-1234-5678") == []  # 기업 inside a word is no bank


@pytest.mark.parametrize(
    "word",
    [
        "계좌",
        "은행",
        "예금주",
        "입금",
        "통장",
        "뱅크",
        "새마을금고",
        "농협",
        "신협",
        "수협",
        "우체국",
        "이체",
        "송금",
        "Account",
        "bank",
    ],
)
def test_account_words_within_reach(word):
    assert kinds(f"{word} 안내: 207-482-9375") == ["account"]
    assert kinds(f"207-482-9375 ({word})") == ["account"]


def test_bank_short_names_and_aliases():
    for bank in [
        "KB",
        "NH",
        "IBK",
        "KDB",
        "BNK",
        "DGB",
        "MG",
        "시티",
        "새마을",
        "카카오",
        "토스",
        "케이",
        "KB국민",
        "NH농협",
    ]:
        assert kinds(f"{bank} 207-482-9375") == ["account"], bank


def test_accounts_not_when_the_number_is_something_else():
    assert kinds("입금 확인 후 사업자등록번호 1234567890 기재") == []
    assert kinds("입금 확인 후 1234567890 기재") == ["account"]
    assert kinds("입금액 1234567890원") == []
    assert kinds("입금 문의 0226271316") == []
    assert kinds("입금 문의 02-2627-1316") == []
    assert kinds("계좌 사업자등록번호 123-45-67890") == []
    assert kinds("계좌 개설 업체 123-45-67890") == []  # the shape of 사업자등록번호
    assert kinds("계좌 개설 안내 제2026-0012345호") == []
    assert kinds("제2026-0012345호", context="성명 은행 계좌번호") == []


def test_tables_are_counted_per_slide_and_located_by_row():
    data = build_pptx(
        [
            [[["성명", "비고"], ["김○○", "-"]]],
            ["명단", [["성명", "연락처"], ["이○○", "010-4821-9375"]]],
        ]
    )
    findings = scan_extracted(extract_text(io.BytesIO(data), "a.pptx"), "a.pptx")
    assert [f.where for f in findings] == ["붙임 「a.pptx」 2번 슬라이드 1번째 표 2번째 행"]


def test_previous_paragraph_counts_as_nearby_words_in_docx():
    data = build_docx(["환급금을 받으실 계좌:", "207-482-9375", "끝."])
    findings = scan_extracted(extract_text(io.BytesIO(data), "a.docx"), "a.docx")
    assert [(f.kind, f.where) for f in findings] == [("account", "붙임 「a.docx」")]


def test_excerpts_never_show_the_whole_number():
    text = "\n".join(item_for(spec, "labelled") for spec in SPECS.values())
    findings = scan_text(text)
    assert len(findings) == len(SPECS)
    shown = " ".join(f.excerpt for f in findings)
    for spec in SPECS.values():
        assert secret_of(spec) not in shown and secret_of(spec) not in re.sub(r"\D", "", shown)
