"""HWPX: Contents/sectionN.xml; hp:p > hp:run > hp:t, tables hp:tbl > hp:tr > hp:tc > hp:subList > hp:p.

Hidden (KS X 6101): 메모 (hp:fieldBegin type="MEMO" > hp:subList, and hp:memogroup > hp:memo),
숨은 설명 (hp:ctrl > hp:hiddenComment > hp:subList) and tracked deletions (the text between
hp:deleteBegin and hp:deleteEnd inside hp:t, which may run across runs and paragraphs).
"""

from .core import BROKEN, DELETED, EncryptedError, ExtractError, _numbered, _Pieces, row_text
from .zipparts import _local, _parse_xml, _read_member

HWPX_MEMO = "메모"
HWPX_HIDDEN_COMMENT = "숨은 설명"
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
