"""Text out of 붙임 files, for 개인정보 screening (privacy/) and 바로보기.

`extract_text(file_obj, name)` never raises on a bad file: an encrypted or broken
file comes back with a Korean `error`, an unsupported one with `supported=False`.
Everything is bounded: bytes read, bytes inflated from zip members and HWP
streams, characters kept, pages/sheets/slides walked, and wall-clock time.

Tables are kept as tables and their cells are always read: Korean 공고 put most
personal data in tables, and the common HWP/HWPX text dumpers skip them.

Parts a reader does not see when the document is opened — hidden sheets, rows and
columns, comments (메모), tracked deletions, hidden text, speaker notes, hidden
slides and shapes, 숨은 설명 — are read too, because the downloaded file carries
them, but come back as blocks with ``hidden=True``: 개인정보 screening reads every
block, while ``Extracted.text`` (search) and 바로보기 use only the visible ones.
"""

import codecs
import csv
import datetime
import io
import logging
import posixpath
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
    `hidden` marks content the file carries but does not show when opened (a hidden
    sheet, a 메모, a tracked deletion, speaker notes…): screened, never shown.
    """

    def __new__(cls, kind, content, where=None, row_where=None, hidden=False):
        self = super().__new__(cls, (kind, content))
        self.where = where
        self.row_where = row_where
        self.hidden = bool(hidden)
        return self

    def __getnewargs__(self):
        return (self[0], self[1], self.where, self.row_where, self.hidden)

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
    def visible_blocks(self):
        """What the document shows when opened: for 바로보기 and search, never hidden parts."""
        return [block for block in self.blocks if not getattr(block, "hidden", False)]

    @property
    def text(self):
        """The visible text (stored as extracted_text for 통합검색); screening reads `blocks`."""
        return "\n".join(block.text for block in self.visible_blocks)


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

    def paragraph(self, text, where=None, hidden=False):
        self.tick()
        text = text.strip()
        if not text:
            return
        kept = self._spend(text)
        if kept:
            self.blocks.append(Block("p", kept, where, hidden=hidden))
        if kept != text:
            raise _Stop

    def hidden_parts(self, parts, where=None):
        """Hidden pieces met while reading visible content ({label: [text, ...]}): a block per label."""
        for label, pieces in parts.items():
            self.paragraph(" ".join(pieces), _place(where, label), hidden=True)

    def table(self, rows, where=None, row_where=None, hidden=False):
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
            self.blocks.append(
                Block("table", kept_rows, where, kept_where if row_where else None, hidden=hidden)
            )
        if not full:
            raise _Stop


def _clean_cell(value):
    return re.sub(r"\s+", " ", value).strip()


def _place(where, label):
    """A location inside a location: ("머리글", "메모") → "머리글 메모"."""
    return f"{where} {label}" if where else label


class _Pieces:
    """Text read in document order, split into what shows and what is hidden (by Korean label).

    Hidden text that runs on (a deletion spread over several runs) stays one piece;
    separate hidden stretches become separate pieces, joined with a space later.
    """

    def __init__(self):
        self.visible = []
        self.hidden = {}
        self._open = None  # the label of the hidden piece still being written

    def add(self, text, label=None):
        if not text:
            return
        if label is None:
            self.visible.append(text)
            self._open = None
            return
        pieces = self.hidden.setdefault(label, [])
        if self._open == label:
            pieces[-1] += text
        else:
            pieces.append(text)
        self._open = label

    def cut(self):
        """A boundary (paragraph, cell): the next hidden text starts a new piece."""
        self._open = None

    def text(self):
        return "".join(self.visible)

    def merge(self, other):
        for label, pieces in other.hidden.items():
            self.hidden.setdefault(label, []).extend(pieces)
        self._open = None


def _true(value):
    """An XML boolean attribute ("1", "true", "on") as Python."""
    return (value or "").strip().lower() in ("1", "true", "on")


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
        return _extract_xlsx(data, archive, collector)
    if OOXML_PARTS["pptx"] in names:
        result.format = "pptx"
        return _extract_pptx(data, collector)
    raise ExtractError("지원하지 않는 압축 형식입니다.")


def _numbered(names, pattern):
    found = [(int(m.group(1)), n) for n in names if (m := re.fullmatch(pattern, n))]
    return [n for _, n in sorted(found)]


# HWPX: Contents/sectionN.xml; hp:p > hp:run > hp:t, tables hp:tbl > hp:tr > hp:tc > hp:subList > hp:p.
# Hidden (KS X 6101): 메모 (hp:fieldBegin type="MEMO" > hp:subList, and hp:memogroup > hp:memo),
# 숨은 설명 (hp:ctrl > hp:hiddenComment > hp:subList) and tracked deletions (the text between
# hp:deleteBegin and hp:deleteEnd inside hp:t, which may run across runs and paragraphs).

HWPX_MEMO = "메모"
HWPX_HIDDEN_COMMENT = "숨은 설명"
DELETED = "변경 추적으로 지운 글"
# Markers inside hp:t that are not characters.
HWPX_MARKERS = frozenset(
    ["insertBegin", "insertEnd", "deleteBegin", "deleteEnd", "markpenBegin", "markpenEnd", "titleMark"]
)


class _HwpxState:
    """Tracked deletions are ranges between markers, so their state outlives a paragraph."""

    def __init__(self):
        self.deleting = 0

    def label(self, force=None):
        return force or (DELETED if self.deleting else None)


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
        _hwpx_container(root, collector, _HwpxState())


def _hwpx_container(element, collector, state, hidden=None):
    """Paragraphs in order; `hidden` is the label of a hidden container (a memo list) being read."""
    for child in element:
        name = _local(child.tag)
        if name == "p":
            pieces, tables = _Pieces(), []
            _hwpx_walk(child, pieces, tables, state, hidden)
            collector.paragraph(pieces.text())
            for rows in tables:
                collector.table(rows)
            collector.hidden_parts(pieces.hidden)
        elif name in ("memogroup", "memo"):
            _hwpx_container(child, collector, state, hidden or HWPX_MEMO)
        elif name == "hiddenComment":
            _hwpx_container(child, collector, state, hidden or HWPX_HIDDEN_COMMENT)
        else:
            _hwpx_container(child, collector, state, hidden)


def _hwpx_walk(element, pieces, tables, state, force=None):
    """Text of a paragraph, with its tables set aside (and their cells read).

    `force` is the label every piece gets inside a hidden part (a 메모, a 숨은 설명);
    tables inside a hidden part are flattened into its text.
    """
    for child in element:
        name = _local(child.tag)
        if name == "tbl":
            if force:  # inside a hidden part: its cells' text, in order, is part of it
                _hwpx_walk(child, pieces, tables, state, force)
            else:
                tables.append(_hwpx_table(child, pieces, state))
        elif name == "t":
            _hwpx_t(child, pieces, state, force)
        elif name == "lineBreak":
            pieces.add("\n", state.label(force))
        elif name == "hiddenComment":
            pieces.cut()
            _hwpx_walk(child, pieces, tables, state, force or HWPX_HIDDEN_COMMENT)
            pieces.cut()
        elif _hwpx_is_memo(child, name):
            pieces.cut()
            _hwpx_walk(child, pieces, tables, state, force or HWPX_MEMO)
            pieces.cut()
        elif name == "deleteBegin":
            state.deleting += 1
        elif name == "deleteEnd":
            state.deleting = max(0, state.deleting - 1)
        else:
            _hwpx_walk(child, pieces, tables, state, force)
            if name == "p":
                pieces.cut()


def _hwpx_is_memo(element, name):
    """A memo: a MEMO field (its subList is the memo text) or a memo list."""
    return name in ("memogroup", "memo") or (
        name == "fieldBegin" and (element.get("type") or "").upper() == "MEMO"
    )


def _hwpx_t(element, pieces, state, force):
    pieces.add(element.text, state.label(force))
    for child in element:
        name = _local(child.tag)
        if name == "deleteBegin":
            state.deleting += 1
        elif name == "deleteEnd":
            state.deleting = max(0, state.deleting - 1)
        elif name == "tab":
            pieces.add("\t", state.label(force))
        elif name == "lineBreak":
            pieces.add("\n", state.label(force))
        elif name and name not in HWPX_MARKERS:
            pieces.add(" ", state.label(force))  # nbSpace, fwSpace, hyphen
        pieces.add(child.tail, state.label(force))


def _hwpx_table(tbl, pieces, state):
    """Rows of visible cell text; hidden text inside cells goes to `pieces` under its label."""
    rows = []
    for tr in (c for c in tbl if _local(c.tag) == "tr"):
        row = []
        for tc in (c for c in tr if _local(c.tag) == "tc"):
            cell, nested = _Pieces(), []
            _hwpx_walk(tc, cell, nested, state)
            # a table inside a cell is flattened into that cell's text
            for rows_ in nested:
                cell.add("".join(" " + row_text(r) for r in rows_))
            row.append(cell.text())
            pieces.merge(cell)
        rows.append(row)
    return rows


# DOCX: walk word/document.xml in body order, so tables land where they are.
# Hidden: comments (word/comments.xml), tracked deletions (w:del, w:delText, rows marked
# deleted) and moves' old places (w:moveFrom), and hidden text (w:vanish on the run, or
# from its character or paragraph style). Tracked insertions (w:ins) are visible text.

DOCX_COMMENTS = "메모"
DOCX_MOVED = "변경 추적으로 옮기기 전 글"
DOCX_HIDDEN_TEXT = "숨긴 글자(숨김 서식)"

DOCX_PARTS = (
    (r"word/header(\d+)\.xml", "머리글", False),
    (r"word/footer(\d+)\.xml", "바닥글", False),
    (r"word/(footnotes)\.xml", "각주", False),
    (r"word/(endnotes)\.xml", "미주", False),
    (r"word/(comments)\.xml", DOCX_COMMENTS, True),
)


class _DocxStyles:
    """Which styles hide their text (w:vanish), following w:basedOn; parsed once from word/styles.xml."""

    def __init__(self, root=None):
        self.default = False
        self._own = {}  # styleId -> (vanish or None, basedOn)
        self._resolved = {}
        if root is None:
            return
        for child in root:
            name = _local(child.tag)
            if name == "docDefaults":
                self.default = bool(_docx_vanish(_docx_find(_docx_find(child, "rPrDefault"), "rPr")))
            elif name == "style":
                style_id = _docx_val(child, "styleId")
                based = _docx_find(child, "basedOn")
                self._own[style_id] = (
                    _docx_vanish(_docx_find(child, "rPr")),
                    _docx_val(based, "val") if based is not None else None,
                )

    def hides(self, style_id):
        """True or False if the style (or one it is based on) sets w:vanish, None if none does."""
        seen = set()
        while style_id and style_id not in seen:
            if style_id in self._resolved:
                return self._resolved[style_id]
            seen.add(style_id)
            value, based = self._own.get(style_id, (None, None))
            if value is not None:
                for sid in seen:
                    self._resolved[sid] = value
                return value
            style_id = based
        return None


def _docx_val(element, name):
    """A w:-namespaced attribute, whatever the prefix."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _docx_find(element, name):
    """The first child called `name` (any namespace), or None."""
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _docx_vanish(rpr):
    """w:vanish in run properties: True, False (w:val="0") or None (not set)."""
    vanish = _docx_find(rpr, "vanish")
    if vanish is None:
        return None
    value = _docx_val(vanish, "val")
    return True if value is None else _true(value)


def _extract_docx(archive, names, collector):
    styles = _DocxStyles(
        _parse_xml(_read_member(archive, "word/styles.xml")) if "word/styles.xml" in names else None
    )
    _docx_container(_parse_xml(_read_member(archive, OOXML_PARTS["docx"])), collector, None, styles)
    for pattern, label, hidden in DOCX_PARTS:
        matching = sorted(n for n in names if re.fullmatch(pattern, n))
        for part in matching:
            _docx_container(_parse_xml(_read_member(archive, part)), collector, label, styles, hidden)


def _docx_container(element, collector, where, styles, hidden=False):
    for child in element:
        name = _local(child.tag)
        if name == "p":
            pieces = _Pieces()
            _docx_paragraph(child, pieces, styles)
            collector.paragraph(pieces.text(), where, hidden=hidden)
            collector.hidden_parts(pieces.hidden, where)
        elif name == "tbl":
            pieces = _Pieces()
            collector.table(_docx_table(child, pieces, styles), where, hidden=hidden)
            collector.hidden_parts(pieces.hidden, where)
        else:
            _docx_container(child, collector, where, styles, hidden)


def _docx_paragraph(p, pieces, styles):
    """A paragraph's text into `pieces`: shown text, and hidden text under its label."""
    ppr = _docx_find(p, "pPr")
    paragraph_hides = styles.hides(_docx_val(_docx_find(ppr, "pStyle"), "val"))
    _docx_runs(p, pieces, styles, paragraph_hides, None)
    pieces.cut()


def _docx_runs(element, pieces, styles, paragraph_hides, label):
    for el in element:
        name = _local(el.tag)
        if name in ("pPr", "rPr", "tblPr", "trPr", "tcPr", "sectPr"):
            continue  # properties, including the old ones of tracked formatting changes: no text
        if name == "del":
            _docx_runs(el, pieces, styles, paragraph_hides, label or DELETED)
        elif name == "moveFrom":
            _docx_runs(el, pieces, styles, paragraph_hides, label or DOCX_MOVED)
        elif name == "r":
            run_label = label or _docx_run_hidden(el, styles, paragraph_hides)
            _docx_runs(el, pieces, styles, paragraph_hides, run_label)
        elif name == "t":
            pieces.add(el.text, label)
        elif name == "delText":  # deleted (tracked) text is still in the file
            pieces.add(el.text, label or DELETED)
        elif name == "tab":
            pieces.add("\t", label)
        elif name in ("br", "cr"):
            pieces.add("\n", label)
        elif name == "p":  # a text box's paragraphs, read into this one (with their own style)
            ppr = _docx_find(el, "pPr")
            hides = styles.hides(_docx_val(_docx_find(ppr, "pStyle"), "val"))
            _docx_runs(el, pieces, styles, paragraph_hides if hides is None else hides, label)
        else:
            _docx_runs(el, pieces, styles, paragraph_hides, label)


def _docx_run_hidden(run, styles, paragraph_hides):
    """DOCX_HIDDEN_TEXT when the run is formatted hidden: its own w:vanish, else its styles'."""
    rpr = _docx_find(run, "rPr")
    hidden = _docx_vanish(rpr)
    if hidden is None:
        hidden = styles.hides(_docx_val(_docx_find(rpr, "rStyle"), "val"))
    if hidden is None:
        hidden = paragraph_hides
    if hidden is None:
        hidden = styles.default
    return DOCX_HIDDEN_TEXT if hidden else None


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


def _docx_cell_text(element, pieces, styles):
    """A cell's shown text; hidden text in it goes to `pieces`."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "p":
            cell = _Pieces()
            _docx_paragraph(child, cell, styles)
            parts.append(cell.text())
            pieces.merge(cell)
        elif name == "tbl":
            parts.extend(row_text(row) for row in _docx_table(child, pieces, styles))
        elif name in ("tcPr", "pPr", "rPr"):
            continue
        else:
            parts.append(_docx_cell_text(child, pieces, styles))
    return " ".join(p for p in parts if p)


def _docx_row_deleted(tr):
    """A table row deleted with tracked changes (w:trPr/w:del)."""
    return _docx_find(_docx_find(tr, "trPr"), "del") is not None


def _docx_table(tbl, pieces, styles):
    rows = []
    for tr in _docx_rows(tbl):
        if _docx_row_deleted(tr):
            gone = _Pieces()
            cells = [_docx_cell_text(tc, gone, styles) for tc in _docx_cells(tr)]
            pieces.merge(gone)
            pieces.add(row_text([c for c in cells if c]), DELETED)
            pieces.cut()
            continue
        rows.append([_docx_cell_text(tc, pieces, styles) for tc in _docx_cells(tr)])
    return rows


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


# Hidden: sheets whose state is hidden or veryHidden, rows and columns marked hidden (their
# cells, also in visible sheets), and cell comments (메모, xl/commentsN.xml: notes and the
# legacy copy of threaded comments).

XLSX_HIDDEN_SHEET = "(숨김)"


def _extract_xlsx(data, archive, collector):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = workbook.worksheets
        names = set(archive.namelist())
        for index, sheet in enumerate(sheets, 1):
            if index > _setting("EXTRACT_MAX_PAGES"):
                raise _Stop
            hidden_sheet = (sheet.sheet_state or "visible") != "visible"
            title = f"「{sheet.title}」 시트" + (XLSX_HIDDEN_SHEET if hidden_sheet else "")
            _xlsx_sheet(workbook, sheet, title, hidden_sheet, collector)
            _xlsx_comments(archive, names, getattr(sheet, "_worksheet_path", None), title, collector)
        return len(sheets)
    finally:
        workbook.close()


def _xlsx_sheet(workbook, sheet, title, hidden_sheet, collector):
    """One sheet as a table of what shows, and a hidden table of hidden rows' and columns' cells."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    shown, shown_where, hidden, hidden_where = [], [], [], []
    budget = collector.max_chars - collector.chars
    size = 0
    hidden_columns = None
    # The parser read-only worksheets use (defusedxml when installed), driven here so that
    # row and column attributes are seen: iter_rows() drops them. The declared dimension
    # is ignored, so a forged A1:XFD1048576 pads nothing.
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for count, (number, cells) in enumerate(parser.parse(), 1):
            if count % 100 == 0:
                collector.tick()
            row_attrs = parser.row_dimensions.pop(str(number), None) or {}
            if hidden_columns is None:  # <cols> comes before <sheetData>
                hidden_columns = _xlsx_hidden_columns(parser.column_dimensions)
            values = _xlsx_values(cells)
            if not any(values):
                continue
            if hidden_sheet:
                hidden.append(values)
                hidden_where.append(f"{title} {number}행")
            elif _true(row_attrs.get("hidden")):
                hidden.append(values)
                hidden_where.append(f"{title} {number}행(숨긴 행)")
            else:
                visible = [v for c, v in enumerate(values, 1) if c not in hidden_columns]
                concealed = [(c, v) for c, v in enumerate(values, 1) if c in hidden_columns and v]
                if any(visible):
                    shown.append(visible)
                    shown_where.append(f"{title} {number}행")
                if concealed:
                    letters = ", ".join(get_column_letter(c) for c, _ in concealed)
                    hidden.append([v for _, v in concealed])
                    hidden_where.append(f"{title} {number}행 숨긴 열({letters})")
            size += sum(len(v) for v in values)
            if size > budget:
                break
    collector.table(shown, title, shown_where)
    collector.table(hidden, title if hidden_sheet else f"{title} 숨긴 행·열", hidden_where, hidden=True)


def _xlsx_values(cells):
    """A parsed row ({"column": n, "value": v} per stored cell) as strings from column A."""
    if not cells:
        return []
    values = [""] * max(cell["column"] for cell in cells)
    for cell in cells:
        values[cell["column"] - 1] = _cell_value(cell["value"])
    return values


def _xlsx_hidden_columns(dimensions):
    """Column numbers hidden by <col min max hidden="1">."""
    hidden = set()
    for attrs in dimensions.values():
        if _true(attrs.get("hidden")):
            try:
                low, high = int(attrs.get("min", 0)), int(attrs.get("max", attrs.get("min", 0)))
            except ValueError:
                continue
            hidden.update(range(max(low, 1), min(high, 16_384) + 1))  # Excel has 16,384 columns
    return frozenset(hidden)


def _xlsx_comments(archive, names, sheet_path, title, collector):
    """Cell comments (메모) of one sheet, found through the sheet's relationships."""
    if not sheet_path:
        return
    folder = posixpath.dirname(sheet_path)
    rels = posixpath.join(folder, "_rels", posixpath.basename(sheet_path) + ".rels")
    if rels not in names:
        return
    for rel in _parse_xml(_read_member(archive, rels)):
        if not (rel.get("Type") or "").endswith("/comments") or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join(folder, target))
        if part not in names:
            continue
        for comment in _parse_xml(_read_member(archive, part)).iter():
            if _local(comment.tag) == "comment":
                where = f"{title} {comment.get('ref') or ''} 셀 메모".replace("  ", " ")
                collector.paragraph(_xlsx_rich_text(comment), where, hidden=True)


def _xlsx_rich_text(element):
    """The text of a rich-text element, without phonetic guides (rPh)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name not in ("rPh", "phoneticPr"):
            parts.append(_xlsx_rich_text(child))
    return "".join(parts)


# PPTX: python-pptx (its lxml parser has resolve_entities=False).
# Hidden: speaker notes, slides hidden from the show (<p:sld show="0">), shapes hidden in
# the selection pane (cNvPr hidden="1") and slide comments (legacy and modern parts).

PPTX_NOTES = "발표자 노트"
PPTX_HIDDEN_SLIDE = "(숨김)"
PPTX_HIDDEN_SHAPE = "숨긴 개체"
PPTX_COMMENTS = "메모"


def _extract_pptx(data, collector):
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(data))
    slides = list(presentation.slides)
    for number, slide in enumerate(slides, 1):
        if number > _setting("EXTRACT_MAX_PAGES"):
            raise _Stop
        hidden_slide = slide._element.get("show") is not None and not _true(slide._element.get("show"))
        where = f"{number}번 슬라이드" + (PPTX_HIDDEN_SLIDE if hidden_slide else "")
        _pptx_shapes(slide.shapes, collector, where, hidden_slide)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                collector.paragraph(notes.text.replace("\v", "\n"), _place(where, PPTX_NOTES), hidden=True)
        _pptx_comments(slide, collector, where)
    return len(slides)


def _pptx_shape_hidden(shape):
    """cNvPr hidden="1": the shape is not shown on the slide or in the show."""
    element = getattr(shape, "_element", None)
    properties = next(iter(element), None) if element is not None else None  # p:nvSpPr, p:nvGrpSpPr…
    if properties is None:
        return False
    common = next((c for c in properties if _local(c.tag) == "cNvPr"), None)
    return common is not None and _true(common.get("hidden"))


def _pptx_shapes(shapes, collector, where, hidden=False):
    for shape in shapes:
        shape_hidden = hidden or _pptx_shape_hidden(shape)
        place = where if shape_hidden == hidden else _place(where, PPTX_HIDDEN_SHAPE)
        if getattr(shape, "shapes", None) is not None:  # group
            _pptx_shapes(shape.shapes, collector, place, shape_hidden)
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                collector.paragraph(paragraph.text.replace("\v", "\n"), place, hidden=shape_hidden)
        if getattr(shape, "has_table", False) and shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            collector.table(rows, place, hidden=shape_hidden)


def _pptx_comments(slide, collector, where):
    """Comments on a slide: p:cmLst > p:cm > p:text (legacy) or p188:cm > txBody (modern)."""
    cap = _setting("EXTRACT_MAX_MEMBER_BYTES")
    for rel in slide.part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/comments"):
            continue
        blob = rel.target_part.blob
        if len(blob) > cap:
            raise ExtractError(TOO_BIG_INSIDE)
        for comment in _parse_xml(blob).iter():
            if _local(comment.tag) == "cm":
                texts = [el.text or "" for el in comment.iter() if _local(el.tag) in ("text", "t")]
                text = "\n".join(t for t in texts if t.strip())
                collector.paragraph(text, _place(where, PPTX_COMMENTS), hidden=True)


# ---------------------------------------------------------------- OLE2: HWP 5, encrypted OOXML

HWP_COMPRESSED, HWP_PASSWORD, HWP_DISTRIBUTION = 0x1, 0x2, 0x4
HWPTAG_PARA_TEXT, HWPTAG_CTRL_HEADER, HWPTAG_LIST_HEADER, HWPTAG_TABLE = 67, 71, 72, 77
HWPTAG_MEMO_LIST = 93  # HWPTAG_BEGIN + 77: the memos, stored after the last paragraph
CTRL_TABLE = b" lbt"  # 'tbl ' as a little-endian UINT32
CTRL_HIDDEN_COMMENT = b"tmct"  # 'tcmt': 숨은 설명, a paragraph list never shown
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


class _HwpHidden:
    """A hidden paragraph list being read (숨은 설명, 메모): records deeper than `level` belong to it."""

    def __init__(self, level, label):
        self.level = level
        self.label = label
        self.texts = []

    def add_text(self, text):
        if text.strip():
            self.texts.append(text)


def _hwp_section(data, collector):
    open_ = []  # open tables and hidden lists, innermost last

    def close(done):
        parent = open_[-1] if open_ else None
        if isinstance(done, _HwpHidden):
            # hidden text is its own block, even inside a table cell (the table is shown)
            collector.paragraph("\n".join(done.texts), done.label, hidden=True)
        elif parent is not None:
            parent.add_text(" ".join(row_text(r) for r in done.rows()))
        else:
            collector.table(done.rows())

    def close_until(level):
        while open_ and level <= open_[-1].level:
            close(open_.pop())

    for count, (tag, level, body) in enumerate(_hwp_records(data)):
        if count % 2000 == 0:
            collector.tick()
        if tag == HWPTAG_MEMO_LIST:
            # The memo lists follow the section's last paragraph: from here to the end of the
            # section is memo text, whatever levels its paragraph lists use.
            close_until(-1)
            open_.append(_HwpHidden(-1, "메모"))
            continue
        close_until(level)
        top = open_[-1] if open_ else None
        if tag == HWPTAG_CTRL_HEADER and bytes(body[:4]) == CTRL_TABLE:
            open_.append(_HwpTable(level))
        elif tag == HWPTAG_CTRL_HEADER and bytes(body[:4]) == CTRL_HIDDEN_COMMENT:
            open_.append(_HwpHidden(level, "숨은 설명"))
        elif tag == HWPTAG_TABLE and isinstance(top, _HwpTable) and level == top.level + 1:
            if len(body) < 8:
                continue
            top.n_rows = int.from_bytes(body[4:6], "little")
            top.n_cols = int.from_bytes(body[6:8], "little")
        elif tag == HWPTAG_LIST_HEADER and isinstance(top, _HwpTable) and level == top.level + 1:
            top.start_cell(body)
        elif tag == HWPTAG_PARA_TEXT:
            text = _hwp_para_text(body)
            if top is not None:
                top.add_text(text)
            else:
                collector.paragraph(text)
    close_until(-1)


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
