"""Sample 붙임 for tests/test_detectors_breadth.py: one small document per format around one item.

Every number here is made up (valid birth dates, arbitrary other digits). The PDF
builder in tests/test_extract.py only has a Latin font; `build_pdf_unicode` writes a
CID font with a ToUnicode map, so Korean words and full-width digits survive in PDFs too.
"""

import csv
import io

from tests.test_extract import (
    TABLE_ANCHOR,
    build_docx,
    build_hwp,
    build_hwpx,
    build_pptx,
    build_xlsx,
    hwp_paragraph,
    hwp_table,
)

TITLE = "금천구 공고 제2026-123호 (2026. 12. 6.) 접수 1,234,567원"
FOOTER = "문의: 02-2627-1316, someone@seoul.go.kr, 우편번호 08611"

FORMATS = ["body", "pdf", "hwp", "hwpx", "docx", "xlsx", "pptx", "txt", "txt-cp949", "csv", "csv-cp949"]
TABLE_FORMATS = {"hwp", "hwpx", "docx", "xlsx", "pptx", "csv", "csv-cp949"}
EXTENSIONS = {"txt-cp949": "txt", "csv-cp949": "csv"}


def build_pdf_unicode(pages):
    """A PDF with one text line per string, one page per list, in a Type0 font with a ToUnicode map."""
    chars = sorted({ch for lines in pages for line in lines for ch in line})
    cid = {ch: index + 1 for index, ch in enumerate(chars)}
    bfchar = "\n".join(f"<{cid[ch]:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /Batang /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 5 0 R >>",
        5: b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Batang /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        7: b"<< /Type /FontDescriptor /FontName /Batang /Flags 4 /FontBBox [0 -200 1000 800] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    }
    kids = []
    for index, lines in enumerate(pages):
        page_id, content_id = 10 + 2 * index, 11 + 2 * index
        kids.append(f"{page_id} 0 R")
        ops = ["BT", "/F1 10 Tf", "40 800 Td", "14 TL"]
        ops += ["<" + "".join(f"{cid[ch]:04X}" for ch in line) + "> Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("ascii")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1200 842] "
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
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _csv_bytes(rows, encoding):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _as_lines(items, joiner):
    """Formats without tables: a table's rows become lines, cells joined as a PDF or a TSV writes them."""
    lines = []
    for item in items:
        lines += [item] if isinstance(item, str) else [joiner.join(row) for row in item]
    return lines


def build(fmt, items):
    """(file name, bytes) of a `fmt` document holding `items`: paragraph strings and tables (lists of rows).

    For "body" the bytes are None and the name is the post body's text.
    """
    name = f"시험.{EXTENSIONS.get(fmt, fmt)}"
    if fmt == "body":
        return "\n".join(_as_lines(items, "\t")), None
    if fmt == "pdf":
        return name, build_pdf_unicode([_as_lines(items, " ")])
    if fmt in ("txt", "txt-cp949"):
        encoding = "cp949" if fmt == "txt-cp949" else "utf-8"
        return name, "\n".join(_as_lines(items, "\t")).encode(encoding)
    if fmt in ("csv", "csv-cp949"):
        rows = []
        for item in items:
            rows += [[item]] if isinstance(item, str) else item
        return name, _csv_bytes(rows, "cp949" if fmt == "csv-cp949" else "utf-8-sig")
    if fmt == "hwp":
        records = b""
        for item in items:
            if isinstance(item, str):
                records += hwp_paragraph(0, item)
            else:
                records += hwp_paragraph(0, TABLE_ANCHOR) + hwp_table(1, item)
        return name, build_hwp([records])
    if fmt == "hwpx":
        return name, build_hwpx([items])
    if fmt == "docx":
        return name, build_docx(items)
    if fmt == "pptx":
        return name, build_pptx([items])
    if fmt == "xlsx":
        sheets = {"안내": [[item] for item in items if isinstance(item, str)]}
        for item in items:
            if not isinstance(item, str):
                sheets["명단"] = item
        return name, build_xlsx(sheets)
    raise AssertionError(fmt)


def sample_items(fmt, item):
    """The document around one item: a line or a table (header row + one data row)."""
    if isinstance(item, str):
        return [TITLE, item, FOOTER]
    if fmt in ("csv", "csv-cp949"):
        return [item, FOOTER]  # a CSV starts with its header row
    return [TITLE, item, FOOTER]


def expected_where(fmt, name, item):
    """Where the finding for `item` in `sample_items(fmt, item)` must say it is."""
    table = not isinstance(item, str)
    base = f"붙임 「{name}」"
    if fmt == "body":
        return "본문"
    if fmt == "pdf":
        return f"{base} 1쪽"
    if fmt in ("txt", "txt-cp949"):
        return f"{base} {3 if table else 2}번째 줄"
    if fmt in ("csv", "csv-cp949"):
        return f"{base} 2번째 줄"
    if fmt == "xlsx":
        return f"{base} 「명단」 시트 2행" if table else f"{base} 「안내」 시트 2행"
    if fmt == "pptx":
        return f"{base} 1번 슬라이드 1번째 표 2번째 행" if table else f"{base} 1번 슬라이드"
    return f"{base} 1번째 표 2번째 행" if table else base  # hwp, hwpx, docx: no pages in the file


def fullwidth(text):
    """ASCII letters, digits and signs as their full-width forms (spaces stay)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
