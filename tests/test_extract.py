"""files.extract: every 붙임 format, tables included, bounded, and Korean errors instead of crashes.

All sample files are built here. HWP 5 files are OLE2 compound files, which no
PyPI library writes, so `build_cfb` below is a minimal compound-file writer
(512-byte sectors, FAT, mini stream) and `build_hwp` fills it with zlib-deflated
HWP records, exactly as Hangul stores them.
"""

import io
import struct
import time
import zipfile
import zlib

import pytest

from files.extract import ENCRYPTED, Block, extract_text

# ---------------------------------------------------------------- PDF


def _pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(pages):
    """A minimal PDF: one Helvetica text line per string, one page per list."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for index, lines in enumerate(pages):
        page_id, content_id = 4 + 2 * index, 5 + 2 * index
        kids.append(f"{page_id} 0 R")
        ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
        ops += [f"({_pdf_escape(line)}) Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode()
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def encrypt_pdf(data, user_password, owner_password, algorithm):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- HWPX

HWPX_NS = (
    'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
    'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'
)


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _hwpx_p(inner):
    return f'<hp:p paraPrIDRef="0" styleIDRef="0"><hp:run charPrIDRef="0">{inner}</hp:run></hp:p>'


def _hwpx_table(rows):
    trs = "".join(
        "<hp:tr>"
        + "".join(
            f"<hp:tc><hp:subList>{_hwpx_p(f'<hp:t>{_xml_escape(cell)}</hp:t>')}</hp:subList>"
            f'<hp:cellAddr colAddr="{c}" rowAddr="{r}"/></hp:tc>'
            for c, cell in enumerate(row)
        )
        + "</hp:tr>"
        for r, row in enumerate(rows)
    )
    return f'<hp:tbl rowCnt="{len(rows)}" colCnt="{len(rows[0])}">{trs}</hp:tbl>'


def build_hwpx(sections):
    """sections: lists of items, each a paragraph string or a table (list of rows)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
        archive.writestr("version.xml", '<?xml version="1.0" encoding="UTF-8"?><hv:HCFVersion/>')
        archive.writestr("Contents/content.hpf", '<?xml version="1.0" encoding="UTF-8"?><opf:package/>')
        for index, items in enumerate(sections):
            body = []
            for item in items:
                if isinstance(item, str):
                    body.append(_hwpx_p(f"<hp:t>{_xml_escape(item)}</hp:t>"))
                else:
                    body.append(_hwpx_p(_hwpx_table(item) + "<hp:t/>"))
            xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            xml += f"<hs:sec {HWPX_NS}>{''.join(body)}</hs:sec>"
            archive.writestr(f"Contents/section{index}.xml", xml)
    return out.getvalue()


# ---------------------------------------------------------------- DOCX / XLSX / PPTX (real writers)


def build_docx(items):
    from docx import Document

    document = Document()
    for item in items:
        if isinstance(item, str):
            document.add_paragraph(item)
        else:
            table = document.add_table(rows=len(item), cols=len(item[0]))
            for r, row in enumerate(item):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_xlsx(sheets):
    """sheets: {title: rows}; rows may hold None for empty cells and ints for numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_pptx(slides):
    """slides: lists of items, each a text-box string or a table (list of rows)."""
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    for items in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        top = 0.5
        for item in items:
            if isinstance(item, str):
                box = slide.shapes.add_textbox(Inches(0.5), Inches(top), Inches(8), Inches(0.6))
                box.text_frame.text = item
            else:
                shape = slide.shapes.add_table(
                    len(item), len(item[0]), Inches(0.5), Inches(top), Inches(8), Inches(2)
                )
                for r, row in enumerate(item):
                    for c, cell in enumerate(row):
                        shape.table.cell(r, c).text = cell
            top += 1.2
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- OLE2 compound file + HWP 5

FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def build_cfb(streams):
    """A version-3 compound file holding `streams` ({"BodyText/Section0": bytes, ...})."""
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index = {}
    for path, data in streams.items():
        parts, parent = path.split("/"), 0
        for depth in range(len(parts)):
            key = "/".join(parts[: depth + 1])
            if key not in index:
                leaf = depth == len(parts) - 1
                entries.append(
                    {
                        "name": parts[depth],
                        "type": 2 if leaf else 1,
                        "children": [],
                        "data": data if leaf else b"",
                    }
                )
                index[key] = len(entries) - 1
                entries[parent]["children"].append(index[key])
            parent = index[key]

    sectors, fat = [], []

    def allocate(data, pad=b"\0"):
        start, count = len(sectors), max(1, -(-len(data) // 512))
        for i in range(count):
            sectors.append(data[i * 512 : (i + 1) * 512].ljust(512, pad))
            fat.append(start + i + 1 if i < count - 1 else ENDOFCHAIN)
        return start

    mini, minifat = bytearray(), []
    for entry in entries[1:]:
        data = entry["data"]
        entry["size"] = len(data)
        entry["start"] = 0 if entry["type"] == 1 else ENDOFCHAIN
        if entry["type"] != 2 or not data:
            continue
        if len(data) < 4096:  # mini stream: 64-byte mini sectors inside the root entry's stream
            start, count = len(mini) // 64, -(-len(data) // 64)
            mini += data.ljust(count * 64, b"\0")
            minifat += [start + i + 1 if i < count - 1 else ENDOFCHAIN for i in range(count)]
            entry["start"] = start
        else:
            entry["start"] = allocate(data)
    root = entries[0]
    root["start"], root["size"] = (allocate(bytes(mini)), len(mini)) if mini else (ENDOFCHAIN, 0)
    minifat_start, minifat_count = ENDOFCHAIN, 0
    if minifat:
        table = b"".join(struct.pack("<I", n) for n in minifat)
        minifat_start, minifat_count = allocate(table, pad=b"\xff"), -(-len(table) // 512)

    def key(i):
        return (len(entries[i]["name"]), entries[i]["name"].upper())

    def tree(ids):  # a balanced binary search tree of siblings, all black
        if not ids:
            return NOSTREAM
        middle = len(ids) // 2
        entries[ids[middle]]["left"] = tree(ids[:middle])
        entries[ids[middle]]["right"] = tree(ids[middle + 1 :])
        return ids[middle]

    for entry in entries:
        entry.setdefault("left", NOSTREAM)
        entry.setdefault("right", NOSTREAM)
    for entry in entries:
        entry["child"] = tree(sorted(entry["children"], key=key)) if entry["type"] in (1, 5) else NOSTREAM
    directory = bytearray()
    for entry in entries:
        name = (entry["name"] + "\0").encode("utf-16-le")
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,
            entry["left"],
            entry["right"],
            entry["child"],
            b"\0" * 16,
            0,
            0,
            0,
            entry["start"],
            entry["size"],
        )
    while len(directory) % 512:
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0
        )
    directory_start = allocate(bytes(directory))

    fat_count = 1
    while fat_count * 128 < len(sectors) + fat_count:
        fat_count += 1
    fat_start = len(sectors)
    fat += [FATSECT] * fat_count
    fat += [FREESECT] * (fat_count * 128 - len(fat))
    fat_bytes = b"".join(struct.pack("<I", n) for n in fat)
    sectors += [fat_bytes[i * 512 : (i + 1) * 512] for i in range(fat_count)]
    difat = [fat_start + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_count,
        directory_start,
        0,
        4096,
        minifat_start,
        minifat_count,
        ENDOFCHAIN,
        0,
    ) + struct.pack("<109I", *difat)
    return header + b"".join(sectors)


PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER, TABLE = 66, 67, 71, 72, 77
TAB = [9, 0, 0, 0, 0, 0, 0, 9]  # inline control: 8 code units
TABLE_ANCHOR = [11, 0x6C20, 0x7462, 0, 0, 0, 0, 11]  # extended control 'tbl '


def hwp_record(tag, level, body):
    if len(body) >= 0xFFF:
        return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(body)) + body
    return struct.pack("<I", tag | level << 10 | len(body) << 20) + body


def _units(text):
    return list(struct.unpack(f"<{len(text.encode('utf-16-le')) // 2}H", text.encode("utf-16-le")))


def hwp_paragraph(level, *parts):
    """parts: strings or lists of raw code units (controls); ends with the paragraph mark."""
    units = []
    for part in parts:
        units += _units(part) if isinstance(part, str) else part
    units.append(13)
    body = struct.pack(f"<{len(units)}H", *units)
    return hwp_record(PARA_HEADER, level, b"\0" * 22) + hwp_record(PARA_TEXT, level + 1, body)


def hwp_table(level, rows):
    """A table control at `level` (inside the paragraph that anchors it)."""
    out = hwp_record(CTRL_HEADER, level, b" lbt" + b"\0" * 40)
    out += hwp_record(TABLE, level + 1, struct.pack("<IHH", 0, len(rows), len(rows[0])) + b"\0" * 12)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = struct.pack("<HHIHHHHII4HH", 1, 0, 0, c, r, 1, 1, 1000, 300, 0, 0, 0, 0, 1)
            out += hwp_record(LIST_HEADER, level + 1, cell)
            out += hwp_paragraph(level + 1, text)
    return out


def build_hwp(section_records, compressed=True, flags=0):
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack(
        "<II", 0x05000300, flags | (1 if compressed else 0)
    )
    header = header.ljust(256, b"\0")

    def pack(data):
        if not compressed:
            return data
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush()

    streams = {"FileHeader": header, "DocInfo": pack(b"")}
    for index, records in enumerate(section_records):
        streams[f"BodyText/Section{index}"] = pack(records)
    return build_cfb(streams)


LONG_TEXT = "주민자치회 위원 인적사항 공고 " * 200  # > 4095 bytes: an extended-size record


def sample_hwp_sections():
    section0 = (
        hwp_paragraph(0, "공시송달 공고", TAB, "대상자는 붙임과 같습니다.")
        + hwp_paragraph(0, TABLE_ANCHOR, "명단")
        + hwp_table(
            1, [["성명", "주민등록번호", "주소"], ["이재종", "900101-1234567", "금천구 시흥대로 73길 70"]]
        )
        + hwp_paragraph(0, "끝.")
    )
    section1 = hwp_paragraph(0, LONG_TEXT) + hwp_paragraph(0, "담당: 010-1234-5678")
    return [section0, section1]


# ---------------------------------------------------------------- helpers


def extract(data, name):
    return extract_text(io.BytesIO(data), name)


def tables(result):
    return [block.content for block in result.blocks if block.kind == "table"]


# ---------------------------------------------------------------- tests: formats


def test_block_is_a_pair_with_a_location():
    block = Block("p", "본문", where="3쪽")
    kind, content = block
    assert (kind, content) == ("p", "본문") and block == ("p", "본문")
    assert block.where == "3쪽" and block.text == "본문"
    assert Block("table", [["a", "b"], ["c"]]).text == "a | b\nc"


def test_pdf_text_and_page_numbers():
    data = build_pdf([["Notice 2026-123"], ["Contact list"], ["Hong 900101-1234567", "(tel) 010-1234-5678"]])
    result = extract(data, "공고문.pdf")
    assert result.error is None and result.format == "pdf" and result.pages == 3
    assert [block.where for block in result.blocks] == ["1쪽", "2쪽", "3쪽"]
    assert "900101-1234567" in result.blocks[2].content
    assert "(tel) 010-1234-5678" in result.text


def test_pdf_page_cap(settings):
    settings.EXTRACT_MAX_PAGES = 2
    result = extract(build_pdf([["one"], ["two"], ["three 900101-1234567"]]), "a.pdf")
    assert result.truncated and result.error is None
    assert "two" in result.text and "three" not in result.text


def test_encrypted_pdf_reports_error_without_crashing():
    data = encrypt_pdf(build_pdf([["900101-1234567"]]), "secret", "owner", "RC4-128")
    result = extract(data, "비밀.pdf")
    assert result.error == ENCRYPTED
    assert result.blocks == [] and result.text == ""


def test_aes_encrypted_pdf_reports_error():
    data = encrypt_pdf(build_pdf([["900101-1234567"]]), "secret", "owner", "AES-256")
    assert extract(data, "비밀.pdf").error == ENCRYPTED


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128"])
def test_pdf_with_only_an_owner_password_is_read(algorithm):
    # "편집 제한" PDFs open without a password, so they can (and must) be screened
    data = encrypt_pdf(build_pdf([["Hong 900101-1234567"]]), "", "owner", algorithm)
    result = extract(data, "제한.pdf")
    assert result.error is None
    assert "900101-1234567" in result.text


def test_pdf_without_text_gets_a_notice():
    result = extract(build_pdf([[]]), "스캔.pdf")
    assert result.error is None and result.text == ""
    assert any("스캔" in notice for notice in result.notices)


def test_broken_pdf_is_an_error():
    result = extract(b"%PDF-1.4\n1 0 obj <<< garbage", "깨짐.pdf")
    assert result.error.startswith("파일을 읽을 수 없습니다")


def test_hwpx_paragraphs_and_table_cells_in_order():
    data = build_hwpx(
        [
            ["위원 인적사항 공고", [["성명", "연락처"], ["이재종", "010-1234-5678"]], "끝."],
            ["두 번째 구역 900101-1234567"],
        ]
    )
    result = extract(data, "공고.hwpx")
    assert result.error is None and result.format == "hwpx"
    assert [block.kind for block in result.blocks] == ["p", "table", "p", "p"]
    assert result.blocks[1].content == [["성명", "연락처"], ["이재종", "010-1234-5678"]]
    assert result.blocks[3].content == "두 번째 구역 900101-1234567"


def test_hwpx_with_entity_bomb_is_refused_quickly():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f"<hs:sec {HWPX_NS}><hp:p><hp:run><hp:t>&lol3;</hp:t></hp:run></hp:p></hs:sec>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", bomb)
    result = extract(out.getvalue(), "폭탄.hwpx")
    assert result.error and result.error.startswith("파일을 읽을 수 없습니다")


def test_docx_reads_table_cells_in_body_order():
    data = build_docx(["공시송달 대상자", [["성명", "주민등록번호"], ["이재종", "900101-1234567"]], "끝."])
    result = extract(data, "대상자.docx")
    assert result.error is None and result.format == "docx"
    assert [block.kind for block in result.blocks] == ["p", "table", "p"]
    assert result.blocks[1].content == [["성명", "주민등록번호"], ["이재종", "900101-1234567"]]
    assert "이재종 | 900101-1234567" in result.text


def test_corrupt_docx_is_an_error():
    data = build_docx(["본문"])
    for broken in (data[: len(data) // 2], b"PK\x03\x04" + b"\x00" * 200):
        result = extract(broken, "깨짐.docx")
        assert result.error and result.error.startswith("파일을 읽을 수 없습니다"), broken[:10]
        assert result.blocks == []


def test_docx_with_xxe_is_refused():
    data = build_docx(["본문"])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(
                    b"?>", b'?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
                ).replace("본문".encode(), b"&x;")
            archive.writestr(info, content)
    result = extract(out.getvalue(), "xxe.docx")
    assert result.error and "root:" not in result.text


def test_zip_bomb_is_refused(settings):
    settings.EXTRACT_MAX_UNZIPPED_BYTES = 1_000_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 5_000_000 + b"</w:document>")
    assert len(out.getvalue()) < 50_000
    result = extract(out.getvalue(), "폭탄.docx")
    assert result.error == "파일을 읽을 수 없습니다: 압축을 풀면 지나치게 커지는 파일입니다."


def test_xlsx_each_sheet_is_a_table_with_row_locations():
    data = build_xlsx(
        {
            "명단": [
                ["성명", "주민등록번호", "비고"],
                [],
                ["이재종", "900101-1234567", None],
                ["김○○", 9001012345678, 3.0],
            ],
            "숨김": [["연락처"], ["010-1234-5678"]],
        }
    )
    result = extract(data, "명단.xlsx")
    assert result.error is None and result.format == "xlsx" and result.pages == 2
    first, second = result.blocks
    assert first.where == "「명단」 시트"
    assert first.content == [
        ["성명", "주민등록번호", "비고"],
        ["이재종", "900101-1234567"],
        ["김○○", "9001012345678", "3"],
    ]
    assert first.row_where == ["「명단」 시트 1행", "「명단」 시트 3행", "「명단」 시트 4행"]
    assert second.content == [["연락처"], ["010-1234-5678"]]


def test_pptx_text_frames_and_tables_per_slide():
    data = build_pptx([["첫 슬라이드"], ["담당자 명단", [["성명", "연락처"], ["이재종", "010-1234-5678"]]]])
    result = extract(data, "설명회.pptx")
    assert result.error is None and result.format == "pptx" and result.pages == 2
    assert ("p", "첫 슬라이드") in result.blocks
    table = next(block for block in result.blocks if block.kind == "table")
    assert table.where == "2번 슬라이드"
    assert table.content == [["성명", "연락처"], ["이재종", "010-1234-5678"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_txt_encodings_and_line_numbers(encoding):
    text = "공시송달 공고\n대상자: 이재종 900101-1234567\n끝."
    result = extract(text.encode(encoding), "공고.txt")
    assert result.error is None and result.format == "txt"
    assert [(block.content, block.where) for block in result.blocks] == [
        ("공시송달 공고", "1번째 줄"),
        ("대상자: 이재종 900101-1234567", "2번째 줄"),
        ("끝.", "3번째 줄"),
    ]


def test_csv_is_a_table_with_line_numbers():
    data = '성명,연락처\n이재종,010-1234-5678\n\n김민수,"010-2345-6789"\n'.encode("cp949")
    result = extract(data, "명단.csv")
    (table,) = result.blocks
    assert table.content == [["성명", "연락처"], ["이재종", "010-1234-5678"], ["김민수", "010-2345-6789"]]
    assert table.row_where == ["1번째 줄", "2번째 줄", "4번째 줄"]


def test_huge_txt_is_bounded():
    line = "가나다라마바사 공고문 본문 내용입니다 900101-1234567\n".encode()
    data = line * (40_000_000 // len(line))  # ~40 MB
    started = time.monotonic()
    result = extract(data, "큰파일.txt")
    elapsed = time.monotonic() - started
    assert result.error is None and result.truncated
    assert len(result.text) <= 2_000_000 + len(result.blocks)  # newlines joining the lines
    assert sum(len(block.content) for block in result.blocks) <= 2_000_000
    assert elapsed < 15, elapsed


def test_char_cap_setting(settings):
    settings.EXTRACT_MAX_CHARS = 100
    result = extract((("가" * 60 + "\n") * 5).encode(), "a.txt")
    assert result.truncated and sum(len(b.content) for b in result.blocks) == 100
    table_result = extract(build_xlsx({"s": [["나" * 60], ["다" * 60]]}), "a.xlsx")
    assert (
        table_result.truncated and sum(len(c) for row in table_result.blocks[0].content for c in row) == 100
    )


def test_hwp5_compressed_with_table_cells():
    result = extract(build_hwp(sample_hwp_sections()), "공시송달.hwp")
    assert result.error is None and result.format == "hwp"
    kinds = [block.kind for block in result.blocks]
    assert kinds == ["p", "p", "table", "p", "p", "p"]
    assert result.blocks[0].content == "공시송달 공고\t대상자는 붙임과 같습니다."
    assert result.blocks[1].content == "명단"  # the table anchor control is skipped, not shown as garbage
    assert result.blocks[2].content == [
        ["성명", "주민등록번호", "주소"],
        ["이재종", "900101-1234567", "금천구 시흥대로 73길 70"],
    ]
    assert result.blocks[4].content == LONG_TEXT.strip()
    assert result.blocks[5].content == "담당: 010-1234-5678"


def test_hwp5_uncompressed_large_section_uses_regular_sectors():
    sections = sample_hwp_sections()
    assert len(sections[1]) > 4096  # stored outside the mini stream
    result = extract(build_hwp(sections, compressed=False), "공고.hwp")
    assert result.error is None
    assert "900101-1234567" in result.text and LONG_TEXT.strip() in result.text


def test_hwp5_password_and_distribution_documents():
    encrypted = extract(build_hwp(sample_hwp_sections(), flags=0x2), "비밀.hwp")
    assert encrypted.error == ENCRYPTED
    distribution = extract(build_hwp(sample_hwp_sections(), flags=0x4), "배포용.hwp")
    assert distribution.error and "배포용" in distribution.error


def test_hwp5_corrupt_section_is_an_error():
    header = (b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, 1)).ljust(256, b"\0")
    data = build_cfb({"FileHeader": header, "BodyText/Section0": b"not deflate at all" * 10})
    result = extract(data, "깨짐.hwp")
    assert result.error and result.error.startswith("파일을 읽을 수 없습니다")


def test_password_protected_office_file_is_reported_encrypted():
    data = build_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 100, "EncryptedPackage": b"\0" * 5000})
    assert extract(data, "명단.xlsx").error == ENCRYPTED


def test_legacy_office_and_images_are_unsupported_not_errors():
    legacy = extract(build_cfb({"WordDocument": b"\0" * 600}), "옛문서.doc")
    assert legacy.error is None and legacy.supported is False
    image = extract(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "사진.png")
    assert image.error is None and image.supported is False and image.blocks == []


def test_hwpx_named_hwp_is_still_read():
    result = extract(build_hwpx([["이름만 hwp"]]), "잘못된확장자.hwp")
    assert result.format == "hwpx" and result.text == "이름만 hwp"


def test_accepts_django_uploaded_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("공고.pdf", build_pdf([["900101-1234567"]]))
    upload.read()  # already consumed once, e.g. by a validator
    assert "900101-1234567" in extract_text(upload, upload.name).text


def test_hwp5_nested_table_and_multi_paragraph_cells():
    inner = hwp_table(3, [["내부", "010-2345-6789"]])  # anchored in a cell paragraph (level 2)
    records = (
        hwp_paragraph(0, TABLE_ANCHOR)
        + hwp_record(CTRL_HEADER, 1, b" lbt" + b"\0" * 40)
        + hwp_record(TABLE, 2, struct.pack("<IHH", 0, 1, 2) + b"\0" * 12)
        + hwp_record(LIST_HEADER, 2, struct.pack("<HHIHHHH", 2, 0, 0, 0, 0, 1, 1))
        + hwp_paragraph(2, "첫 문단")
        + hwp_paragraph(2, "둘째 문단")
        + hwp_record(LIST_HEADER, 2, struct.pack("<HHIHHHH", 1, 0, 0, 1, 0, 1, 1))
        + hwp_paragraph(2, TABLE_ANCHOR)
        + inner
        + hwp_paragraph(0, "표 뒤")
    )
    result = extract(build_hwp([records]), "중첩.hwp")
    assert result.error is None
    assert tables(result) == [[["첫 문단 둘째 문단", "내부 | 010-2345-6789"]]]
    assert result.blocks[-1] == ("p", "표 뒤")


def test_oversized_member_is_refused(settings):
    settings.EXTRACT_MAX_MEMBER_BYTES = 10_000
    data = build_docx(["가" * 20_000])
    assert (
        extract(data, "큰.docx").error
        == "파일을 읽을 수 없습니다: 파일 안의 본문이 너무 커서 내용을 확인하지 않았습니다."
    )
