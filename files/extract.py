"""Text out of 붙임 files, for 개인정보 screening (privacy/) and 바로보기.

`extract_text(file_obj, name)` never raises on a bad file: an encrypted or broken
file comes back with a Korean `error`, an unsupported one with `supported=False`.
Everything is bounded: bytes read, bytes inflated from zip members and HWP
streams, characters kept, pages/sheets/slides walked, and wall-clock time.

Tables are kept as tables and their cells are always read: Korean 공고 put most
personal data in tables, and the common HWP/HWPX text dumpers skip them.
"""

import codecs
import csv
import datetime
import io
import logging
import re
import sys
import time
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from decimal import Decimal

from defusedxml import ElementTree as SafeET
from django.conf import settings

from .formats import HWP_SIGNATURE, HWPX_MANIFEST, OOXML_PARTS, SIGNATURE_BYTES, sniff

logger = logging.getLogger(__name__)

ENCRYPTED = "암호가 걸린 파일이라 내용을 확인할 수 없습니다."
UNREADABLE = "파일을 읽을 수 없습니다: {reason}"
BROKEN = "파일이 손상되었거나 형식이 올바르지 않습니다."
TRUNCATED = "파일 내용이 너무 많아 앞부분만 확인했습니다."
TOO_BIG_INSIDE = "파일 안의 본문이 너무 커서 내용을 확인하지 않았습니다."
NO_TEXT_PDF = "글자가 없는 PDF입니다. 스캔한 이미지일 수 있어 내용을 자동으로 확인하지 못했습니다."

DEFAULTS = {
    "EXTRACT_MAX_CHARS": 2_000_000,
    "EXTRACT_MAX_PAGES": 500,
    "EXTRACT_MAX_BYTES": 64 * 1024 * 1024,  # whole file read into memory
    "EXTRACT_MAX_MEMBER_BYTES": 32 * 1024 * 1024,  # one XML member / HWP stream, inflated
    "EXTRACT_MAX_UNZIPPED_BYTES": 256 * 1024 * 1024,  # all zip members together, as declared
    "EXTRACT_MAX_SECONDS": 30,
}

TEXT_EXTENSIONS = {".txt": "txt", ".csv": "csv"}


def _setting(name):
    return getattr(settings, name, DEFAULTS[name])


class Block(tuple):
    """("p", text) or ("table", [[cell, ...], ...]), plus where it sits in the file.

    `where` is a Korean location such as "3쪽", "「명단」 시트" or "2번 슬라이드";
    `row_where`, for tables, gives one location per row ("「명단」 시트 5행").
    """

    def __new__(cls, kind, content, where=None, row_where=None):
        self = super().__new__(cls, (kind, content))
        self.where = where
        self.row_where = row_where
        return self

    def __getnewargs__(self):
        return (self[0], self[1], self.where, self.row_where)

    @property
    def kind(self):
        return self[0]

    @property
    def content(self):
        return self[1]

    @property
    def text(self):
        if self[0] == "table":
            return "\n".join(row_text(row) for row in self[1])
        return self[1]


def row_text(row):
    """One table row as a line; the separator keeps numbers in adjacent cells apart."""
    return " | ".join(row)


@dataclass
class Extracted:
    blocks: list = field(default_factory=list)
    format: str = ""
    pages: int | None = None  # pages, sheets, slides or lines walked, where the format has them
    error: str | None = None
    supported: bool = True
    truncated: bool = False
    notices: list = field(default_factory=list)

    @property
    def text(self):
        return "\n".join(block.text for block in self.blocks)


class ExtractError(Exception):
    """A file we cannot read; the message is the Korean text shown to staff."""


class EncryptedError(ExtractError):
    def __init__(self):
        super().__init__(ENCRYPTED)


class _Stop(Exception):
    """The character or time budget ran out: keep what we have."""


class _Collector:
    def __init__(self):
        self.blocks = []
        self.chars = 0
        self.max_chars = _setting("EXTRACT_MAX_CHARS")
        self.deadline = time.monotonic() + _setting("EXTRACT_MAX_SECONDS")

    def tick(self):
        if time.monotonic() > self.deadline:
            raise _Stop

    def _spend(self, text):
        """Charge `text` to the budget; returns what fits, raises _Stop after the last piece."""
        room = self.max_chars - self.chars
        self.chars += min(len(text), max(room, 0))
        return text if len(text) <= room else text[: max(room, 0)]

    def paragraph(self, text, where=None):
        self.tick()
        text = text.strip()
        if not text:
            return
        kept = self._spend(text)
        if kept:
            self.blocks.append(Block("p", kept, where))
        if kept != text:
            raise _Stop

    def table(self, rows, where=None, row_where=None):
        self.tick()
        kept_rows, kept_where, full = [], [], True
        for index, row in enumerate(rows):
            cells = [_clean_cell(cell) for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            cost = sum(len(cell) for cell in cells)
            if self.chars + cost > self.max_chars:
                cells = [self._spend(cell) for cell in cells]
                full = False
            else:
                self.chars += cost
            kept_rows.append(cells)
            kept_where.append(row_where[index] if row_where else None)
            if not full:
                break
        if kept_rows:
            self.blocks.append(Block("table", kept_rows, where, kept_where if row_where else None))
        if not full:
            raise _Stop


def _clean_cell(value):
    return re.sub(r"\s+", " ", value).strip()


def extract_text(file_obj, name):
    """Read an uploaded 붙임 and return its text as an `Extracted`; never raises for a bad file."""
    name = name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    collector = _Collector()
    result = Extracted()
    try:
        if hasattr(file_obj, "seek"):
            file_obj.seek(0)
        head = file_obj.read(SIGNATURE_BYTES) or b""
        kind = _sniff(head, ext)
        result.format = kind
        if kind in ("txt", "csv"):
            limit = collector.max_chars * 4 + 4  # enough bytes for max_chars in any of our encodings
            data = head + file_obj.read(max(limit - len(head), 0))
            more = bool(file_obj.read(1))
            result.pages = _extract_plain(data, kind, more, collector)
            if more:
                raise _Stop
        elif kind is None:
            result.supported = False
            result.notices.append("이 형식의 파일은 내용을 자동으로 확인하지 않습니다.")
        else:
            limit = _setting("EXTRACT_MAX_BYTES")
            data = head + file_obj.read(limit + 1 - len(head))
            if len(data) > limit:
                raise ExtractError("파일이 너무 커서 내용을 확인하지 않았습니다.")
            result.pages = _HANDLERS[kind](data, collector, result)
    except _Stop:
        result.truncated = True
        result.notices.append(TRUNCATED)
    except EncryptedError:
        result.error = ENCRYPTED
    except ExtractError as exc:
        result.error = UNREADABLE.format(reason=exc)
    except Exception:
        logger.warning("붙임 내용 추출 실패: %s", name, exc_info=True)
        result.error = UNREADABLE.format(reason=BROKEN)
    result.blocks = collector.blocks
    if result.error:
        result.blocks = []
    return result


def _sniff(head, ext):
    kind = sniff(head)
    if kind is not None:
        return kind
    if ext == ".pdf":
        return "pdf"  # junk before the header: let pypdf try, it reports a broken file
    if ext in (".hwp", ".hwpx", ".docx", ".xlsx", ".xlsm", ".pptx"):
        return "zip" if ext != ".hwp" else "ole"
    return TEXT_EXTENSIONS.get(ext)


# ---------------------------------------------------------------- plain text


def _decode(data, truncated):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp949"]
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=False tolerates a multi-byte character cut at our byte cap
            return decoder.decode(data, final=not truncated)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _extract_plain(data, kind, truncated, collector):
    text = _decode(data, truncated)
    lines = text.splitlines()
    if kind == "csv":
        try:
            rows, row_where = [], []
            reader = csv.reader(lines)
            for row in reader:
                rows.append(row)
                row_where.append(f"{reader.line_num}번째 줄")
            collector.table(rows, row_where=row_where)
            return len(lines)
        except csv.Error:
            pass  # not really CSV: fall back to lines
    for number, line in enumerate(lines, 1):
        collector.paragraph(line, f"{number}번째 줄")
    return len(lines)


# ---------------------------------------------------------------- PDF


def _extract_pdf(data, collector, result):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):  # an owner-only password still lets anyone read
                raise EncryptedError
        except (DependencyError, FileNotDecryptedError, NotImplementedError) as exc:
            raise EncryptedError from exc
    max_pages = _setting("EXTRACT_MAX_PAGES")
    total = len(reader.pages)
    found_text = False
    for number, page in enumerate(reader.pages, 1):
        if number > max_pages:
            raise _Stop
        collector.tick()
        text = page.extract_text() or ""
        found_text = found_text or bool(text.strip())
        collector.paragraph(text, f"{number}쪽")
    if total and not found_text:
        result.notices.append(NO_TEXT_PDF)
    return total


# ---------------------------------------------------------------- zip-based formats


def _open_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractError(BROKEN) from exc
    infos = archive.infolist()
    if len(infos) > 20_000:
        raise ExtractError("압축 안에 파일이 너무 많습니다.")
    if sum(info.file_size for info in infos) > _setting("EXTRACT_MAX_UNZIPPED_BYTES"):
        raise ExtractError("압축을 풀면 지나치게 커지는 파일입니다.")
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedError
    return archive


def _read_member(archive, name):
    cap = _setting("EXTRACT_MAX_MEMBER_BYTES")
    info = archive.getinfo(name)
    if info.file_size > cap:
        raise ExtractError(TOO_BIG_INSIDE)
    with archive.open(info) as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise ExtractError(TOO_BIG_INSIDE)
    return data


def _parse_xml(data):
    # defusedxml refuses entity declarations and external references (no XXE, no billion laughs)
    return SafeET.fromstring(data)


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _extract_zip(data, collector, result):
    archive = _open_zip(data)
    names = set(archive.namelist())
    if HWPX_MANIFEST in names or any(re.fullmatch(r"Contents/section\d+\.xml", n) for n in names):
        result.format = "hwpx"
        return _extract_hwpx(archive, names, collector)
    if OOXML_PARTS["docx"] in names:
        result.format = "docx"
        return _extract_docx(archive, names, collector)
    if OOXML_PARTS["xlsx"] in names:
        result.format = "xlsx"
        return _extract_xlsx(data, collector)
    if OOXML_PARTS["pptx"] in names:
        result.format = "pptx"
        return _extract_pptx(data, collector)
    raise ExtractError("지원하지 않는 압축 형식입니다.")


def _numbered(names, pattern):
    found = [(int(m.group(1)), n) for n in names if (m := re.fullmatch(pattern, n))]
    return [n for _, n in sorted(found)]


# HWPX: Contents/sectionN.xml; hp:p > hp:run > hp:t, tables hp:tbl > hp:tr > hp:tc > hp:subList > hp:p


def _extract_hwpx(archive, names, collector):
    if "META-INF/manifest.xml" in names and b"encryption-data" in _read_member(
        archive, "META-INF/manifest.xml"
    ):
        raise EncryptedError
    sections = _numbered(names, r"Contents/section(\d+)\.xml")
    if not sections:
        raise ExtractError(BROKEN)
    for section in sections:
        root = _parse_xml(_read_member(archive, section))
        _hwpx_container(root, collector)


def _hwpx_container(element, collector):
    for child in element:
        if _local(child.tag) == "p":
            texts, tables = [], []
            _hwpx_walk(child, texts, tables)
            collector.paragraph("".join(texts))
            for rows in tables:
                collector.table(rows)
        else:
            _hwpx_container(child, collector)


def _hwpx_walk(element, texts, tables):
    """Text of a paragraph, with its tables set aside (and their cells read)."""
    for child in element:
        name = _local(child.tag)
        if name == "tbl":
            tables.append(_hwpx_table(child))
        elif name == "t":
            texts.append(_hwpx_t(child))
        elif name == "lineBreak":
            texts.append("\n")
        else:
            _hwpx_walk(child, texts, tables)


def _hwpx_t(element):
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        parts.append("\t" if name == "tab" else "\n" if name == "lineBreak" else " " if name else "")
        parts.append(child.tail or "")
    return "".join(parts)


def _hwpx_table(tbl):
    rows = []
    for tr in (c for c in tbl if _local(c.tag) == "tr"):
        row = []
        for tc in (c for c in tr if _local(c.tag) == "tc"):
            texts, nested = [], []
            _hwpx_walk(tc, texts, nested)
            # a table inside a cell is flattened into that cell's text
            texts.extend(" " + row_text(r) for rows in nested for r in rows)
            row.append("".join(texts))
        rows.append(row)
    return rows


# DOCX: walk word/document.xml in body order, so tables land where they are.

DOCX_PARTS = (
    (r"word/header(\d+)\.xml", "머리글"),
    (r"word/footer(\d+)\.xml", "바닥글"),
    (r"word/(footnotes)\.xml", "각주"),
    (r"word/(endnotes)\.xml", "미주"),
    (r"word/(comments)\.xml", "메모"),
)


def _extract_docx(archive, names, collector):
    _docx_container(_parse_xml(_read_member(archive, OOXML_PARTS["docx"])), collector, None)
    for pattern, label in DOCX_PARTS:
        matching = sorted(n for n in names if re.fullmatch(pattern, n))
        for part in matching:
            _docx_container(_parse_xml(_read_member(archive, part)), collector, label)


def _docx_container(element, collector, where):
    for child in element:
        name = _local(child.tag)
        if name == "p":
            collector.paragraph(_docx_paragraph(child), where)
        elif name == "tbl":
            collector.table(_docx_table(child), where)
        else:
            _docx_container(child, collector, where)


def _docx_paragraph(p):
    parts = []
    for el in p.iter():
        name = _local(el.tag)
        if name in ("t", "delText"):  # deleted (tracked) text is still in the file
            parts.append(el.text or "")
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)


def _docx_rows(tbl):
    for child in tbl:
        name = _local(child.tag)
        if name == "tr":
            yield child
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _docx_rows(child)


def _docx_cells(tr):
    for child in tr:
        name = _local(child.tag)
        if name == "tc":
            yield child
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _docx_cells(child)


def _docx_cell_text(element):
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "p":
            parts.append(_docx_paragraph(child))
        elif name == "tbl":
            parts.extend(row_text(row) for row in _docx_table(child))
        else:
            parts.append(_docx_cell_text(child))
    return " ".join(p for p in parts if p)


def _docx_table(tbl):
    return [[_docx_cell_text(tc) for tc in _docx_cells(tr)] for tr in _docx_rows(tbl)]


# XLSX: openpyxl in read-only mode (streams the sheet XML through defusedxml).


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _extract_xlsx(data, collector):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = workbook.worksheets
        for index, sheet in enumerate(sheets, 1):
            if index > _setting("EXTRACT_MAX_PAGES"):
                raise _Stop
            # ignore the declared dimension: a forged A1:XFD1048576 would pad every row
            sheet.reset_dimensions()
            rows, row_where = [], []
            budget = collector.max_chars - collector.chars
            size = 0
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if number % 100 == 0:
                    collector.tick()
                cells = [_cell_value(v) for v in values]
                if any(cells):
                    rows.append(cells)
                    row_where.append(f"「{sheet.title}」 시트 {number}행")
                    size += sum(len(c) for c in cells)
                    if size > budget:
                        break
            collector.table(rows, f"「{sheet.title}」 시트", row_where)
        return len(sheets)
    finally:
        workbook.close()


# PPTX: python-pptx (its lxml parser has resolve_entities=False).


def _extract_pptx(data, collector):
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(data))
    slides = list(presentation.slides)
    for number, slide in enumerate(slides, 1):
        if number > _setting("EXTRACT_MAX_PAGES"):
            raise _Stop
        where = f"{number}번 슬라이드"
        _pptx_shapes(slide.shapes, collector, where)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                collector.paragraph(notes.text.replace("\v", "\n"), f"{where} 메모")
    return len(slides)


def _pptx_shapes(shapes, collector, where):
    for shape in shapes:
        if getattr(shape, "shapes", None) is not None:  # group
            _pptx_shapes(shape.shapes, collector, where)
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                collector.paragraph(paragraph.text.replace("\v", "\n"), where)
        if getattr(shape, "has_table", False) and shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            collector.table(rows, where)


# ---------------------------------------------------------------- OLE2: HWP 5, encrypted OOXML

HWP_COMPRESSED, HWP_PASSWORD, HWP_DISTRIBUTION = 0x1, 0x2, 0x4
HWPTAG_PARA_TEXT, HWPTAG_CTRL_HEADER, HWPTAG_LIST_HEADER, HWPTAG_TABLE = 67, 71, 72, 77
CTRL_TABLE = b" lbt"  # 'tbl ' as a little-endian UINT32
# Control characters that occupy 8 UTF-16 code units (inline and extended controls).
HWP_WIDE_CONTROLS = frozenset([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23])
HWP_CHAR_CONTROLS = {9: "\t", 10: "\n", 24: "-", 30: " ", 31: " "}


def _extract_ole(data, collector, result):
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:
        raise ExtractError(BROKEN) from exc
    try:
        if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
            raise EncryptedError  # a password-protected DOCX/XLSX/PPTX is an OLE2 wrapper
        if not ole.exists("FileHeader"):
            result.supported = False
            result.format = "ole"
            result.notices.append(
                "이전 오피스 형식(.doc, .xls, .ppt 등)은 내용을 자동으로 확인하지 않습니다."
            )
            return None
        result.format = "hwp"
        return _extract_hwp(ole, collector)
    finally:
        ole.close()


def _ole_stream(ole, path):
    if ole.get_size(path) > _setting("EXTRACT_MAX_MEMBER_BYTES"):
        raise ExtractError(TOO_BIG_INSIDE)
    return ole.openstream(path).read()


def _inflate(raw):
    """HWP streams are raw deflate; the output is capped, and a cut stream is parsed as far as it goes."""
    cap = _setting("EXTRACT_MAX_MEMBER_BYTES")
    for wbits in (-15, 15):
        try:
            return zlib.decompressobj(wbits).decompress(raw, cap)
        except zlib.error:
            continue
    raise ExtractError(BROKEN)


def _extract_hwp(ole, collector):
    header = _ole_stream(ole, "FileHeader")
    if not header.startswith(HWP_SIGNATURE) or len(header) < 40:
        raise ExtractError(BROKEN)
    flags = int.from_bytes(header[36:40], "little")
    if flags & HWP_PASSWORD:
        raise EncryptedError
    if flags & HWP_DISTRIBUTION:
        raise ExtractError("배포용(보기 전용) 한글 문서라 내용을 확인할 수 없습니다.")
    sections = _numbered(
        ["/".join(entry) for entry in ole.listdir() if len(entry) == 2 and entry[0] == "BodyText"],
        r"BodyText/Section(\d+)",
    )
    if not sections:
        raise ExtractError(BROKEN)
    for section in sections:
        raw = _ole_stream(ole, section)
        _hwp_section(_inflate(raw) if flags & HWP_COMPRESSED else raw, collector)


def _hwp_records(data):
    view = memoryview(data)
    pos, end = 0, len(data)
    while pos + 4 <= end:
        header = int.from_bytes(view[pos : pos + 4], "little")
        pos += 4
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        if size == 0xFFF:
            if pos + 4 > end:
                return
            size = int.from_bytes(view[pos : pos + 4], "little")
            pos += 4
        if pos + size > end:
            return  # cut short (capped inflate): stop at the last whole record
        yield tag, level, view[pos : pos + size]
        pos += size


def _hwp_para_text(body):
    """PARA_TEXT is UTF-16LE with control codes below 32; inline/extended ones span 8 code units."""
    raw = bytes(body[: len(body) // 2 * 2])
    units = array("H", raw)
    if sys.byteorder == "big":
        units.byteswap()
    out, i, start, n = [], 0, 0, len(units)
    while i < n:
        code = units[i]
        if code >= 32:
            i += 1
            continue
        out.append(raw[2 * start : 2 * i].decode("utf-16-le", "replace"))
        if code == 13:  # paragraph end
            return "".join(out)
        out.append(HWP_CHAR_CONTROLS.get(code, ""))
        i += 8 if code in HWP_WIDE_CONTROLS else 1
        start = i
    out.append(raw[2 * start :].decode("utf-16-le", "replace"))
    return "".join(out)


class _HwpTable:
    def __init__(self, level):
        self.level = level
        self.n_rows = self.n_cols = 0
        self.cells = []  # [row, col, [texts]]

    def start_cell(self, body):
        row = col = None
        if len(body) >= 12:
            col = int.from_bytes(body[8:10], "little")
            row = int.from_bytes(body[10:12], "little")
        if row is None or (self.n_rows and row >= self.n_rows) or (self.n_cols and col >= self.n_cols):
            # no usable address: fill row by row
            index = len(self.cells)
            width = self.n_cols or 1
            row, col = divmod(index, width)
        self.cells.append([row, col, []])

    def add_text(self, text):
        if not self.cells:
            self.cells.append([0, 0, []])
        self.cells[-1][2].append(text)

    def rows(self):
        grid = {}
        for row, col, texts in self.cells:
            grid.setdefault(row, []).append((col, " ".join(t for t in texts if t.strip())))
        return [[text for _, text in sorted(cells)] for _, cells in sorted(grid.items())]


def _hwp_section(data, collector):
    tables = []  # open tables, innermost last

    def close_until(level):
        while tables and level <= tables[-1].level:
            done = tables.pop()
            if tables:
                tables[-1].add_text(" ".join(row_text(r) for r in done.rows()))
            else:
                collector.table(done.rows())

    for count, (tag, level, body) in enumerate(_hwp_records(data)):
        if count % 2000 == 0:
            collector.tick()
        close_until(level)
        if tag == HWPTAG_CTRL_HEADER and bytes(body[:4]) == CTRL_TABLE:
            tables.append(_HwpTable(level))
        elif tag == HWPTAG_TABLE and tables and level == tables[-1].level + 1 and len(body) >= 8:
            tables[-1].n_rows = int.from_bytes(body[4:6], "little")
            tables[-1].n_cols = int.from_bytes(body[6:8], "little")
        elif tag == HWPTAG_LIST_HEADER and tables and level == tables[-1].level + 1:
            tables[-1].start_cell(body)
        elif tag == HWPTAG_PARA_TEXT:
            text = _hwp_para_text(body)
            if tables:
                tables[-1].add_text(text)
            else:
                collector.paragraph(text)
    close_until(0)


def _extract_hwp3(data, collector, result):
    raise ExtractError(
        "HWP 3.0 이전 형식은 지원하지 않습니다. HWP 5.0 이상이나 HWPX, PDF로 저장해 올려 주세요."
    )


_HANDLERS = {
    "pdf": _extract_pdf,
    "zip": _extract_zip,
    "ole": _extract_ole,
    "hwp3": _extract_hwp3,
}
