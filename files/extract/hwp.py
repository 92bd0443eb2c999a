"""HWP 5 and HWP 3.

HWP 5 is an OLE2 file: records in BodyText/SectionN, read with their tables and hidden
parts (메모, 숨은 설명). An OLE2 file may also be a password-protected DOCX/XLSX/PPTX
(encrypted) or an old Office file (.doc, .xls, .ppt: not read). HWP 3 is refused.
"""

import sys
import zlib
from array import array

from ..formats import HWP_SIGNATURE
from .core import BROKEN, TOO_BIG_INSIDE, EncryptedError, ExtractError, _numbered, _setting, row_text

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
