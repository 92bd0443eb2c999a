"""PPTX: python-pptx (its lxml parser has resolve_entities=False).

Hidden: speaker notes, slides hidden from the show (<p:sld show="0">), shapes hidden in
the selection pane (cNvPr hidden="1") and slide comments (legacy and modern parts).
"""

import io

from .core import TOO_BIG_INSIDE, ExtractError, _place, _setting, _Stop, _true
from .zipparts import _local, _parse_xml

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
