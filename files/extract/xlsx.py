"""XLSX: openpyxl in read-only mode (streams the sheet XML through defusedxml).

Hidden: sheets whose state is hidden or veryHidden, rows and columns marked hidden (their
cells, also in visible sheets), and cell comments (메모, xl/commentsN.xml: notes and the
legacy copy of threaded comments).
"""

import datetime
import io
import posixpath
from decimal import Decimal

from .core import _setting, _Stop, _true
from .zipparts import _local, _parse_xml, _read_member

XLSX_HIDDEN_SHEET = "(숨김)"


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
