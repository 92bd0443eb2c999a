"""What every reader shares: the result (`Block`, `Extracted`), the Korean messages and
errors, and `_Collector`, which keeps the blocks within the character and time budgets.

Names with a leading underscore are for the readers in this package, not for callers.
"""

import re
import time
from dataclasses import dataclass, field

from django.conf import settings

ENCRYPTED = "암호가 걸린 파일이라 내용을 확인할 수 없습니다."
UNREADABLE = "파일을 읽을 수 없습니다: {reason}"
BROKEN = "파일이 손상되었거나 형식이 올바르지 않습니다."
TRUNCATED = "파일 내용이 너무 많아 앞부분만 확인했습니다."
TOO_BIG_INSIDE = "파일 안의 본문이 너무 커서 내용을 확인하지 않았습니다."
# Not read yet: a large file waits for the background worker (boards/file_reading.py).
CHECKING = "파일이 커서 내용을 따로 확인하는 중입니다."
NO_TEXT_PDF = "글자가 없는 PDF입니다. 스캔한 이미지일 수 있어 내용을 자동으로 확인하지 못했습니다."

DEFAULTS = {
    "EXTRACT_MAX_CHARS": 2_000_000,
    "EXTRACT_MAX_PAGES": 500,
    "EXTRACT_MAX_BYTES": 64 * 1024 * 1024,  # whole file read into memory
    "EXTRACT_MAX_MEMBER_BYTES": 32 * 1024 * 1024,  # one XML member / HWP stream, inflated
    "EXTRACT_MAX_UNZIPPED_BYTES": 256 * 1024 * 1024,  # all zip members together, as declared
    "EXTRACT_MAX_SECONDS": 30,
}


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


# Tracked deletions, as HWPX and DOCX label them alike.
DELETED = "변경 추적으로 지운 글"


def _numbered(names, pattern):
    found = [(int(m.group(1)), n) for n in names if (m := re.fullmatch(pattern, n))]
    return [n for _, n in sorted(found)]
