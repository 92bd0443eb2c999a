"""DOCX: walk word/document.xml in body order, so tables land where they are.

Hidden: comments (word/comments.xml), tracked deletions (w:del, w:delText, rows marked
deleted) and moves' old places (w:moveFrom), and hidden text (w:vanish on the run, or
from its character or paragraph style). Tracked insertions (w:ins) are visible text.
"""

import re

from ..formats import OOXML_PARTS
from .core import DELETED, _Pieces, _true, row_text
from .zipparts import _local, _parse_xml, _read_member

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
