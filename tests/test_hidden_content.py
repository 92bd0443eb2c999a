"""Hidden parts of 붙임 are screened for 개인정보 but never shown to residents.

A downloaded file carries its hidden sheets, rows and columns, 메모, tracked
deletions, hidden text, speaker notes, hidden slides and 숨은 설명, so 개인정보
screening must read them. 바로보기 and 통합검색 show only what the document shows
when it is opened. Every sample file is built here (with the builders of
tests/test_extract.py and the libraries that write these formats); each hides one
synthetic 주민등록번호 in one kind of hidden part next to visible text.
"""

import html
import io
import pickle
import struct
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from boards.models import block_to_json
from files.extract import Block, Extracted, extract_text
from privacy.detectors import scan_extracted
from tests.factories import NewsFactory, NoticeAttachmentFactory
from tests.test_extract import (
    CTRL_HEADER,
    HWPX_NS,
    LIST_HEADER,
    TABLE_ANCHOR,
    _hwpx_p,
    _xml_escape,
    build_hwp,
    hwp_paragraph,
    hwp_record,
    hwp_table,
)

VISIBLE = "공개안내문 신청은 3월 2일까지입니다."
VISIBLE_WORD = "공개안내문"  # searched for: the 붙임 must still be found by what it shows
MARK = "감춘낱말"  # a word only the hidden part holds


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def secret(rrn):
    return f"{MARK} 대상자 {rrn}"


# ---------------------------------------------------------------- DOCX builders (python-docx, raw w: XML)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'
TRACKED = 'w:id="{id}" w:author="담당자" w:date="2026-03-02T09:00:00Z"'


def _docx(build):
    from docx import Document

    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml(text):
    from docx.oxml import parse_xml

    return parse_xml(text)


def docx_comment(hidden):
    def build(document):
        paragraph = document.add_paragraph(VISIBLE)
        document.add_comment(paragraph.runs[0], text=hidden, author="검토자", initials="검")

    return _docx(build)


def docx_tracked_deletion(hidden):
    def build(document):
        paragraph = document.add_paragraph(VISIBLE + " ")
        deleted = f'<w:r><w:delText xml:space="preserve">{hidden}</w:delText></w:r>'
        paragraph._p.append(_xml(f"<w:del {W} {TRACKED.format(id=1)}>{deleted}</w:del>"))
        paragraph._p.append(_xml(f"<w:ins {W} {TRACKED.format(id=2)}><w:r><w:t>추가된 안내</w:t></w:r></w:ins>"))

    return _docx(build)


def docx_deleted_row(hidden):
    def build(document):
        document.add_paragraph(VISIBLE)
        table = document.add_table(rows=3, cols=2)
        for r, (a, b) in enumerate([("성명", "비고"), ("이공개", "접수"), ("삭제됨", hidden)]):
            table.cell(r, 0).text, table.cell(r, 1).text = a, b
        table.rows[2]._tr.get_or_add_trPr().append(_xml(f"<w:del {W} {TRACKED.format(id=3)}/>"))

    return _docx(build)


def docx_moved_from(hidden):
    def build(document):
        paragraph = document.add_paragraph(VISIBLE + " ")
        moved = f"<w:r><w:t>{hidden}</w:t></w:r>"
        paragraph._p.append(_xml(f"<w:moveFrom {W} {TRACKED.format(id=4)}>{moved}</w:moveFrom>"))

    return _docx(build)


def docx_hidden_run(hidden):
    def build(document):
        paragraph = document.add_paragraph(VISIBLE + " ")
        paragraph.add_run(hidden).font.hidden = True

    return _docx(build)


def docx_hidden_character_style(hidden):
    from docx.enum.style import WD_STYLE_TYPE

    def build(document):
        base = document.styles.add_style("감춤 바탕", WD_STYLE_TYPE.CHARACTER)
        base.font.hidden = True
        derived = document.styles.add_style("감춤 글자", WD_STYLE_TYPE.CHARACTER)
        derived.base_style = base  # hidden through w:basedOn
        paragraph = document.add_paragraph(VISIBLE + " ")
        paragraph.add_run(hidden, style=derived)
        shown = paragraph.add_run(" 다시 보이는 글", style=derived)
        shown.font.hidden = False  # <w:vanish w:val="0"/> on the run wins over the style

    return _docx(build)


def docx_hidden_paragraph_style(hidden):
    from docx.enum.style import WD_STYLE_TYPE

    def build(document):
        style = document.styles.add_style("감춤 문단", WD_STYLE_TYPE.PARAGRAPH)
        style.font.hidden = True
        document.add_paragraph(VISIBLE)
        document.add_paragraph(hidden, style=style)

    return _docx(build)


def docx_header_is_visible(hidden):
    """Control: 머리글 is shown on every page, so it is visible; the secret sits in a comment."""

    def build(document):
        document.sections[0].header.paragraphs[0].text = "금천구청 머리글"
        paragraph = document.add_paragraph(VISIBLE)
        document.add_comment(paragraph.runs[0], text=hidden, author="검토자")

    return _docx(build)


# ---------------------------------------------------------------- XLSX builders (openpyxl)


def _xlsx(build):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "안내"
    sheet.append(["구분", "내용"])
    sheet.append(["안내", VISIBLE])
    build(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_hidden_sheet(hidden, state="hidden"):
    def build(workbook, sheet):
        extra = workbook.create_sheet("명단")
        extra.append(["성명", "주민등록번호"])
        extra.append(["이숨김", hidden])
        extra.sheet_state = state

    return _xlsx(build)


def xlsx_very_hidden_sheet(hidden):
    return xlsx_hidden_sheet(hidden, state="veryHidden")


def xlsx_hidden_row(hidden):
    def build(workbook, sheet):
        sheet.append(["명단", hidden])  # row 3
        sheet.append(["끝", "보이는 마지막 행"])  # row 4
        sheet.row_dimensions[3].hidden = True

    return _xlsx(build)


def xlsx_hidden_column(hidden):
    def build(workbook, sheet):
        sheet["C1"] = "주민등록번호"
        sheet["C2"] = hidden
        sheet["D2"] = "보이는 옆 칸"
        sheet.column_dimensions["C"].hidden = True

    return _xlsx(build)


def xlsx_cell_comment(hidden):
    from openpyxl.comments import Comment

    def build(workbook, sheet):
        sheet["B2"].comment = Comment(hidden, "검토자")

    return _xlsx(build)


# ---------------------------------------------------------------- PPTX builders (python-pptx)

COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
MODERN_COMMENTS_REL = "http://schemas.microsoft.com/office/2018/10/relationships/comments"


def _pptx(build):
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()

    def add_slide(text):
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(8), Inches(1))
        box.text_frame.text = text
        return slide

    add_slide(VISIBLE)
    build(presentation, add_slide)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def pptx_speaker_notes(hidden):
    def build(presentation, add_slide):
        slide = add_slide("두 번째 슬라이드")
        slide.notes_slide.notes_text_frame.text = hidden

    return _pptx(build)


def pptx_hidden_slide(hidden):
    def build(presentation, add_slide):
        add_slide("두 번째 슬라이드")
        slide = add_slide(hidden)
        slide._element.set("show", "0")

    return _pptx(build)


def pptx_hidden_shape(hidden):
    from pptx.util import Inches

    def build(presentation, add_slide):
        slide = presentation.slides[0]
        box = slide.shapes.add_textbox(Inches(0.5), Inches(2), Inches(8), Inches(1))
        box.text_frame.text = hidden
        box._element.nvSpPr.cNvPr.set("hidden", "1")

    return _pptx(build)


def _pptx_comment_part(presentation, slide, name, content_type, reltype, xml):
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    part = Part(PackURI(name), content_type, slide.part.package, xml.encode())
    slide.part.relate_to(part, reltype)


def pptx_comment(hidden):
    def build(presentation, add_slide):
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            f'<p:cm authorId="0" dt="2026-03-02T09:00:00.000" idx="1"><p:pos x="10" y="10"/>'
            f"<p:text>{hidden}</p:text></p:cm></p:cmLst>"
        )
        _pptx_comment_part(
            presentation, presentation.slides[0], "/ppt/comments/comment1.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.comments+xml", COMMENTS_REL, xml,
        )

    return _pptx(build)


def pptx_modern_comment(hidden):
    def build(presentation, add_slide):
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<p188:cmLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">'
            '<p188:cm id="{5A1B2C3D-0000-4000-8000-000000000001}" '
            'authorId="{5A1B2C3D-0000-4000-8000-000000000002}" '
            'created="2026-03-02T09:00:00.000"><p188:txBody><a:bodyPr/><a:p><a:r><a:t>'
            f"{hidden}</a:t></a:r></a:p></p188:txBody></p188:cm></p188:cmLst>"
        )
        _pptx_comment_part(
            presentation, presentation.slides[0], "/ppt/comments/modernComment_100_1.xml",
            "application/vnd.ms-powerpoint.comments+xml", MODERN_COMMENTS_REL, xml,
        )

    return _pptx(build)


# ---------------------------------------------------------------- HWPX builders (raw OWPML)


def build_hwpx_xml(*section_bodies):
    """An HWPX file whose sections hold the given raw hp: XML (children of hs:sec)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
        archive.writestr("version.xml", '<?xml version="1.0" encoding="UTF-8"?><hv:HCFVersion/>')
        archive.writestr("Contents/content.hpf", '<?xml version="1.0" encoding="UTF-8"?><opf:package/>')
        for index, body in enumerate(section_bodies):
            xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            xml += f"<hs:sec {HWPX_NS}>{body}</hs:sec>"
            archive.writestr(f"Contents/section{index}.xml", xml)
    return out.getvalue()


def _hp_t(text):
    return f"<hp:t>{_xml_escape(text)}</hp:t>"


def _sub_list(text):
    attributes = 'id="" textDirection="HORIZONTAL" lineWrap="BREAK" vertAlign="TOP"'
    return f"<hp:subList {attributes}>{_hwpx_p(_hp_t(text))}</hp:subList>"


def hwpx_memo_field(hidden):
    memo = (
        '<hp:ctrl><hp:fieldBegin id="7" type="MEMO" name="" editable="1" dirty="0" zorder="1" fieldid="7">'
        '<hp:parameters cnt="2" name=""><hp:stringParam name="Author">검토자</hp:stringParam>'
        '<hp:integerParam name="Number">1</hp:integerParam></hp:parameters>'
        f"{_sub_list(hidden)}</hp:fieldBegin></hp:ctrl>"
    )
    end = '<hp:ctrl><hp:fieldEnd beginIDRef="7" fieldid="7"/></hp:ctrl>'
    return build_hwpx_xml(_hwpx_p(memo + _hp_t(VISIBLE) + end))


def hwpx_memo_group(hidden):
    group = (
        '<hp:memogroup><hp:memo id="1" memoShapeIDRef="0"><hp:paraList>'
        f"{_hwpx_p(_hp_t(hidden))}</hp:paraList></hp:memo></hp:memogroup>"
    )
    return build_hwpx_xml(_hwpx_p(_hp_t(VISIBLE)) + group)


def hwpx_hidden_comment(hidden):
    comment = f"<hp:ctrl><hp:hiddenComment>{_sub_list(hidden)}</hp:hiddenComment></hp:ctrl>"
    return build_hwpx_xml(_hwpx_p(comment + _hp_t(VISIBLE)))


def hwpx_tracked_deletion(hidden):
    tracked = (
        f"<hp:t>{_xml_escape(VISIBLE)} "
        f'<hp:deleteBegin Id="1" TcId="1"/>{_xml_escape(hidden)}<hp:deleteEnd Id="1" TcId="1" paraend="0"/>'
        '<hp:insertBegin Id="2" TcId="2"/>추가된 안내<hp:insertEnd Id="2" TcId="2" paraend="0"/></hp:t>'
    )
    return build_hwpx_xml(_hwpx_p(tracked))


def hwpx_deletion_across_paragraphs_and_cells(hidden):
    """A deletion that starts in one paragraph and ends in a table cell of the next."""
    first_cell = _hwpx_p(f'<hp:t>{_xml_escape(hidden)}<hp:deleteEnd Id="1" TcId="1"/>남은 칸</hp:t>')
    cell = (
        '<hp:tbl rowCnt="1" colCnt="2"><hp:tr>'
        f"<hp:tc><hp:subList>{first_cell}"
        '</hp:subList><hp:cellAddr colAddr="0" rowAddr="0"/></hp:tc>'
        f'<hp:tc><hp:subList>{_hwpx_p(_hp_t("옆 칸"))}</hp:subList>'
        '<hp:cellAddr colAddr="1" rowAddr="0"/></hp:tc>'
        "</hp:tr></hp:tbl>"
    )
    return build_hwpx_xml(
        _hwpx_p(f'<hp:t>{_xml_escape(VISIBLE)}<hp:deleteBegin Id="1" TcId="1"/> 지운 첫 문단</hp:t>')
        + _hwpx_p(cell + "<hp:t/>")
    )


# ---------------------------------------------------------------- HWP 5 builders (records)

HIDDEN_COMMENT_ANCHOR = [15, 0x6D63, 0x7463, 0, 0, 0, 0, 15]  # extended control 15: 숨은 설명 ('tcmt')
HWPTAG_MEMO_LIST = 93


def _hidden_comment(level, text):
    """The 'tcmt' control at `level`, with its one-paragraph list."""
    return (
        hwp_record(CTRL_HEADER, level, b"tmct" + b"\0" * 4)
        + hwp_record(LIST_HEADER, level + 1, b"\0" * 16)
        + hwp_paragraph(level + 1, text)
    )


def hwp_hidden_comment(hidden):
    records = (
        hwp_paragraph(0, HIDDEN_COMMENT_ANCHOR, VISIBLE) + _hidden_comment(1, hidden) + hwp_paragraph(0, "끝.")
    )
    return build_hwp([records])


def hwp_hidden_comment_in_a_cell(hidden):
    records = (
        hwp_paragraph(0, VISIBLE)
        + hwp_paragraph(0, TABLE_ANCHOR)
        + hwp_record(CTRL_HEADER, 1, b" lbt" + b"\0" * 40)
        + hwp_record(77, 2, struct_table(1, 2))
        + hwp_record(LIST_HEADER, 2, cell_header(0, 0))
        + hwp_paragraph(2, HIDDEN_COMMENT_ANCHOR, "성명 칸")
        + _hidden_comment(3, hidden)
        + hwp_record(LIST_HEADER, 2, cell_header(1, 0))
        + hwp_paragraph(2, "옆 칸")
        + hwp_paragraph(0, "끝.")
    )
    return build_hwp([records])


def struct_table(rows, cols):
    return struct.pack("<IHH", 0, rows, cols) + b"\0" * 12


def cell_header(col, row):
    return struct.pack("<HHIHHHHII4HH", 1, 0, 0, col, row, 1, 1, 1000, 300, 0, 0, 0, 0, 1)


def hwp_memo(hidden):
    body = hwp_paragraph(0, VISIBLE) + hwp_table(1, [["구분", "내용"], ["안내", "보이는 칸"]])
    memos = (
        hwp_record(HWPTAG_MEMO_LIST, 1, b"\1\0\0\0")
        + hwp_record(LIST_HEADER, 1, b"\0" * 16)
        + hwp_paragraph(1, hidden)
    )
    return build_hwp([hwp_paragraph(0, "첫 구역"), body + memos])


# ---------------------------------------------------------------- the cases


@dataclass
class Case:
    name: str  # the 붙임's file name
    build: object  # hidden text -> file bytes
    rrn: str  # the synthetic 주민등록번호 hidden in it
    where: str  # what screening must say about where it is
    also_visible: tuple = ()  # more text that must still show


CASES = {
    "docx-comment": Case("안내.docx", docx_comment, "900101-1234567", "붙임 「안내.docx」 메모"),
    "docx-tracked-deletion": Case(
        "안내.docx", docx_tracked_deletion, "910202-1234567", "변경 추적으로 지운 글", ("추가된 안내",)
    ),
    "docx-deleted-row": Case("안내.docx", docx_deleted_row, "920303-2234567", "변경 추적으로 지운 글", ("이공개",)),
    "docx-moved-from": Case("안내.docx", docx_moved_from, "930404-1234567", "변경 추적으로 옮기기 전 글"),
    "docx-hidden-run": Case("안내.docx", docx_hidden_run, "940505-2234567", "숨긴 글자(숨김 서식)"),
    "docx-hidden-character-style": Case(
        "안내.docx", docx_hidden_character_style, "950606-1234567", "숨긴 글자(숨김 서식)", ("다시 보이는 글",)
    ),
    "docx-hidden-paragraph-style": Case(
        "안내.docx", docx_hidden_paragraph_style, "960707-2234567", "숨긴 글자(숨김 서식)"
    ),
    "docx-header-shows": Case(
        "안내.docx", docx_header_is_visible, "970808-1234567", "메모", ("금천구청 머리글",)
    ),
    "xlsx-hidden-sheet": Case("명단.xlsx", xlsx_hidden_sheet, "800101-1234567", "「명단」 시트(숨김) 2행"),
    "xlsx-very-hidden-sheet": Case("명단.xlsx", xlsx_very_hidden_sheet, "810202-2234567", "「명단」 시트(숨김) 2행"),
    "xlsx-hidden-row": Case(
        "명단.xlsx", xlsx_hidden_row, "820303-1234567", "「안내」 시트 3행(숨긴 행)", ("보이는 마지막 행",)
    ),
    "xlsx-hidden-column": Case(
        "명단.xlsx", xlsx_hidden_column, "830404-2234567", "「안내」 시트 2행 숨긴 열(C)", ("보이는 옆 칸",)
    ),
    "xlsx-cell-comment": Case("명단.xlsx", xlsx_cell_comment, "840505-1234567", "「안내」 시트 B2 셀 메모"),
    "pptx-speaker-notes": Case(
        "설명회.pptx", pptx_speaker_notes, "850606-2234567", "2번 슬라이드 발표자 노트", ("두 번째 슬라이드",)
    ),
    "pptx-hidden-slide": Case(
        "설명회.pptx", pptx_hidden_slide, "860707-1234567", "3번 슬라이드(숨김)", ("두 번째 슬라이드",)
    ),
    "pptx-hidden-shape": Case("설명회.pptx", pptx_hidden_shape, "870808-2234567", "1번 슬라이드 숨긴 개체"),
    "pptx-comment": Case("설명회.pptx", pptx_comment, "880909-1234567", "1번 슬라이드 메모"),
    "pptx-modern-comment": Case("설명회.pptx", pptx_modern_comment, "881010-2234567", "1번 슬라이드 메모"),
    "hwpx-memo-field": Case("공고.hwpx", hwpx_memo_field, "700101-1234567", "붙임 「공고.hwpx」 메모"),
    "hwpx-memo-group": Case("공고.hwpx", hwpx_memo_group, "710202-2234567", "붙임 「공고.hwpx」 메모"),
    "hwpx-hidden-comment": Case("공고.hwpx", hwpx_hidden_comment, "720303-1234567", "숨은 설명"),
    "hwpx-tracked-deletion": Case(
        "공고.hwpx", hwpx_tracked_deletion, "730404-2234567", "변경 추적으로 지운 글", ("추가된 안내",)
    ),
    "hwpx-deletion-across-paragraphs": Case(
        "공고.hwpx", hwpx_deletion_across_paragraphs_and_cells, "740505-1234567", "변경 추적으로 지운 글",
        ("남은 칸", "옆 칸"),
    ),
    "hwp-hidden-comment": Case("공고.hwp", hwp_hidden_comment, "750606-2234567", "숨은 설명", ("끝.",)),
    "hwp-hidden-comment-in-a-cell": Case(
        "공고.hwp", hwp_hidden_comment_in_a_cell, "760707-1234567", "숨은 설명", ("성명 칸", "옆 칸")
    ),
    "hwp-memo": Case("공고.hwp", hwp_memo, "770808-2234567", "붙임 「공고.hwp」 메모", ("보이는 칸",)),
}


def build(case):
    return case.build(secret(case.rrn))


def masked(rrn):
    return rrn[:8] + "*" * 6


def rrn_findings(extracted, name, rrn):
    return [f for f in scan_extracted(extracted, name) if f.kind == "rrn" and f.excerpt == masked(rrn)]


def page(response):
    return html.unescape(response.content.decode())


def preview(client, attachment):
    response = client.get(reverse("boards:preview", kwargs={"board": "news", "pk": attachment.pk}))
    assert response.status_code == 200
    return page(response)


def file_hits(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    groups = {group.slug: group for group in response.context["groups"] or []}
    hits = groups["files"].hits if "files" in groups else []
    return hits, page(response)


# ---------------------------------------------------------------- extraction: screened, not shown


@pytest.mark.parametrize("key", CASES)
def test_hidden_part_is_screened_but_not_in_the_text(key):
    case = CASES[key]
    result = extract_text(io.BytesIO(build(case)), case.name)
    assert result.error is None and result.supported

    # (a) screening reads the hidden part and says where it is
    findings = rrn_findings(result, case.name, case.rrn)
    assert findings, [str(f) for f in scan_extracted(result, case.name)]
    assert any(case.where in f.where for f in findings), [f.where for f in findings]

    # (b) the visible text (what search stores) has none of it; the hidden block has it all
    assert case.rrn not in result.text and MARK not in result.text
    assert any(block.hidden and case.rrn in block.text for block in result.blocks)
    assert all(not block.hidden for block in result.visible_blocks)

    # (c) what the document shows is still there
    for shown in (VISIBLE, *case.also_visible):
        assert shown in result.text, (shown, result.text)


# ---------------------------------------------------------------- end to end: stored, 바로보기, 통합검색


@pytest.mark.django_db
@pytest.mark.parametrize("key", CASES)
def test_hidden_part_never_reaches_residents(client, key):
    case = CASES[key]
    post = NewsFactory(title="숨김 내용 시험 글")
    attachment = NoticeAttachmentFactory(post=post, file=ContentFile(build(case), name=case.name))
    attachment.refresh_from_db()

    # stored: the search text is visible only; the stored blocks keep the hidden part flagged
    assert case.rrn not in attachment.extracted_text and MARK not in attachment.extracted_text
    assert VISIBLE in attachment.extracted_text
    stored_hidden = [item for item in attachment.extracted_blocks if len(item) > 4 and item[4] is True]
    assert any(case.rrn in str(item[1]) for item in stored_hidden)

    # a stored 붙임 screened again (publishing later, restoring a revision) still finds it
    name, extracted = attachment.screened_file()
    assert rrn_findings(extracted, name, case.rrn)

    # 바로보기 shows the visible content only
    text = preview(client, attachment)
    assert case.rrn not in text and MARK not in text and masked(case.rrn) not in text
    for shown in (VISIBLE, *case.also_visible):
        assert shown in text, shown

    # 통합검색 finds the 붙임 by what it shows, and never by or with its hidden part
    hits, text = file_hits(client, VISIBLE_WORD)
    assert len(hits) == 1 and case.name in hits[0].title
    assert case.rrn not in text and MARK not in text and masked(case.rrn) not in text
    for q in (MARK, case.rrn):
        hits, _ = file_hits(client, q)
        assert hits == [], q


# ---------------------------------------------------------------- format details


def test_xlsx_visible_sheet_keeps_its_table_without_hidden_cells():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "명단"
    for row in (["성명", "연락처", "주민등록번호", "비고"], ["이공개", "02-2627-1316", "900101-1234567", "접수"],
                ["김숨김", "02-2627-1317", "910202-2234567", "숨긴 행"]):
        sheet.append(row)
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[3].hidden = True
    out = io.BytesIO()
    workbook.save(out)

    result = extract_text(io.BytesIO(out.getvalue()), "명단.xlsx")
    shown, concealed = result.blocks
    assert not shown.hidden and shown.where == "「명단」 시트"
    assert shown.content == [["성명", "연락처", "비고"], ["이공개", "02-2627-1316", "접수"]]
    assert shown.row_where == ["「명단」 시트 1행", "「명단」 시트 2행"]
    assert concealed.hidden and concealed.where == "「명단」 시트 숨긴 행·열"
    assert concealed.content == [
        ["주민등록번호"], ["900101-1234567"], ["김숨김", "02-2627-1317", "910202-2234567", "숨긴 행"],
    ]
    assert concealed.row_where == [
        "「명단」 시트 1행 숨긴 열(C)", "「명단」 시트 2행 숨긴 열(C)", "「명단」 시트 3행(숨긴 행)",
    ]
    wheres = {f.where for f in scan_extracted(result, "명단.xlsx") if f.kind == "rrn"}
    assert wheres == {"붙임 「명단.xlsx」 「명단」 시트 2행 숨긴 열(C)", "붙임 「명단.xlsx」 「명단」 시트 3행(숨긴 행)"}


def test_xlsx_hidden_sheet_counts_as_a_sheet_and_keeps_row_numbers():
    result = extract_text(io.BytesIO(xlsx_hidden_sheet(secret("900101-1234567"))), "명단.xlsx")
    assert result.pages == 2
    visible, hidden = result.blocks
    assert visible.where == "「안내」 시트" and not visible.hidden
    assert hidden.hidden and hidden.where == "「명단」 시트(숨김)"
    assert hidden.row_where == ["「명단」 시트(숨김) 1행", "「명단」 시트(숨김) 2행"]


def test_docx_comments_and_deletions_are_labelled_in_place():
    data = _docx(lambda document: (
        document.add_paragraph("첫 문단"),
        document.add_comment(document.paragraphs[0].runs[0], text="메모 900101-1234567", author="검토자"),
    ))
    result = extract_text(io.BytesIO(data), "a.docx")
    assert [(b.text, b.where, b.hidden) for b in result.blocks] == [
        ("첫 문단", None, False), ("메모 900101-1234567", "메모", True),
    ]
    (finding,) = scan_extracted(result, "a.docx")
    assert finding.where == "붙임 「a.docx」 메모"


def test_docx_deletion_split_over_runs_stays_one_piece():
    def build(document):
        paragraph = document.add_paragraph("앞 ")
        paragraph._p.append(_xml(
            f"<w:del {W} {TRACKED.format(id=1)}><w:r><w:delText>900101-</w:delText></w:r>"
            "<w:r><w:delText>1234567</w:delText></w:r></w:del>"
        ))
        paragraph.add_run(" 뒤")
        second = "<w:r><w:delText>둘째 삭제</w:delText></w:r>"
        paragraph._p.append(_xml(f"<w:del {W} {TRACKED.format(id=2)}>{second}</w:del>"))

    result = extract_text(io.BytesIO(_docx(build)), "a.docx")
    assert result.text == "앞  뒤"
    (deleted,) = [b for b in result.blocks if b.hidden]
    assert deleted.content == "900101-1234567 둘째 삭제" and deleted.where == "변경 추적으로 지운 글"


def test_pptx_hidden_slide_notes_and_shapes_are_labelled():
    result = extract_text(io.BytesIO(pptx_hidden_slide("숨긴 슬라이드 글")), "a.pptx")
    assert [(b.text, b.where, b.hidden) for b in result.blocks] == [
        (VISIBLE, "1번 슬라이드", False),
        ("두 번째 슬라이드", "2번 슬라이드", False),
        ("숨긴 슬라이드 글", "3번 슬라이드(숨김)", True),
    ]
    assert result.pages == 3


def test_hwpx_memo_text_is_no_longer_glued_into_the_paragraph():
    result = extract_text(io.BytesIO(hwpx_memo_field("메모 글")), "a.hwpx")
    assert [(b.text, b.where, b.hidden) for b in result.blocks] == [
        (VISIBLE, None, False), ("메모 글", "메모", True),
    ]


def test_hwpx_insertion_markers_add_no_spaces():
    inserted = '<hp:insertBegin Id="1" TcId="1"/>1234567<hp:insertEnd Id="1" TcId="1" paraend="0"/>'
    data = build_hwpx_xml(_hwpx_p(f"<hp:t>900101-{inserted}</hp:t>"))
    result = extract_text(io.BytesIO(data), "a.hwpx")
    assert result.text == "900101-1234567"
    assert [f.kind for f in scan_extracted(result, "a.hwpx")] == ["rrn"]


def test_hwp_memo_list_runs_to_the_end_of_the_section():
    result = extract_text(io.BytesIO(hwp_memo("첫 메모")), "a.hwp")
    assert [(b.kind, b.hidden) for b in result.blocks] == [
        ("p", False), ("p", False), ("table", False), ("p", True),
    ]
    assert result.blocks[-1].where == "메모" and result.blocks[-1].content == "첫 메모"


# ---------------------------------------------------------------- storage: the flag survives, old rows load


def test_block_to_json_keeps_the_flag_and_old_rows_load_as_visible():
    shown = Block("table", [["a"]], "「명단」 시트", ["「명단」 시트 1행"])
    hidden = Block("p", "메모 글", "메모", hidden=True)
    assert block_to_json(shown) == ("table", [["a"]], "「명단」 시트", ["「명단」 시트 1행"])  # the old form
    assert block_to_json(hidden) == ("p", "메모 글", "메모", None, True)
    again = Block(*block_to_json(hidden))
    assert again.hidden and again.where == "메모" and again == ("p", "메모 글")
    assert not Block(*["p", "옛 글", "1쪽", None]).hidden
    copied = pickle.loads(pickle.dumps(hidden))
    assert copied.hidden and copied.where == "메모"
    assert Extracted(blocks=[shown, hidden]).text == "a"


@pytest.mark.django_db
def test_stored_rows_without_the_flag_still_show_and_rows_with_it_do_not(client):
    post = NewsFactory(title="옛 붙임")
    attachment = NoticeAttachmentFactory(post=post, file=ContentFile("옛 안내".encode(), name="옛.txt"))
    type(attachment).objects.filter(pk=attachment.pk).update(extracted_blocks=[
        ["p", "예전에 저장된 보이는 글", "1번째 줄", None],
        ["table", [["구분", "내용"]], "「안내」 시트", ["「안내」 시트 1행"]],
        ["p", "저장된 숨은 메모 900101-1234567", "메모", None, True],
    ])
    attachment.refresh_from_db()
    extracted = attachment.extracted()
    assert [b.hidden for b in extracted.blocks] == [False, False, True]
    assert rrn_findings(extracted, attachment.original_name, "900101-1234567")
    text = preview(client, attachment)
    assert "예전에 저장된 보이는 글" in text and "<caption>표 1 (「안내」 시트)</caption>" in text
    assert "저장된 숨은 메모" not in text and "900101" not in text


@pytest.mark.django_db
def test_a_file_with_only_hidden_content_previews_as_empty(client):
    data = build_hwpx_xml(
        '<hp:memogroup><hp:memo id="1"><hp:paraList>' + _hwpx_p(_hp_t(secret("900101-1234567")))
        + "</hp:paraList></hp:memo></hp:memogroup>"
    )
    attachment = NoticeAttachmentFactory(post=NewsFactory(), file=ContentFile(data, name="메모뿐.hwpx"))
    assert attachment.extracted_text == ""
    text = preview(client, attachment)
    assert "900101" not in text and MARK not in text
    assert "이 파일은 바로보기 내용을 만들 수 없습니다." in text
