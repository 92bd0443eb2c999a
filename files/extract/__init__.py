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

The readers live one format to a module: ``plain`` (TXT, CSV), ``pdf``, ``hwp``
(HWP 5 and HWP 3), ``hwpx``, ``docx``, ``xlsx`` and ``pptx``; ``zipparts`` opens the
zip-based ones within the bounds, and ``core`` holds what they share (blocks, the
budgets, errors). This module picks the reader for a file.
"""

import logging
import re

from ..formats import HWPX_MANIFEST, OOXML_PARTS, SIGNATURE_BYTES, sniff
from .core import (
    BROKEN,
    CHECKING,
    DEFAULTS,
    ENCRYPTED,
    NO_TEXT_PDF,
    TOO_BIG_INSIDE,
    TRUNCATED,
    UNREADABLE,
    Block,
    EncryptedError,
    Extracted,
    ExtractError,
    _Collector,
    _setting,
    _Stop,
    row_text,
)
from .docx import _extract_docx
from .hwp import _extract_hwp3, _extract_ole
from .hwpx import _extract_hwpx
from .pdf import _extract_pdf
from .plain import _extract_plain
from .pptx import _extract_pptx
from .xlsx import _extract_xlsx
from .zipparts import _open_zip

__all__ = [
    "BROKEN",
    "CHECKING",
    "DEFAULTS",
    "ENCRYPTED",
    "NO_TEXT_PDF",
    "TEXT_EXTENSIONS",
    "TOO_BIG_INSIDE",
    "TRUNCATED",
    "UNREADABLE",
    "Block",
    "EncryptedError",
    "ExtractError",
    "Extracted",
    "extract_text",
    "row_text",
]

logger = logging.getLogger(__name__)

TEXT_EXTENSIONS = {".txt": "txt", ".csv": "csv"}


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


def _extract_zip(data, collector, result):
    """A zip: HWPX, DOCX, XLSX or PPTX, told apart by the members it holds."""
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


_HANDLERS = {
    "pdf": _extract_pdf,
    "zip": _extract_zip,
    "ole": _extract_ole,
    "hwp3": _extract_hwp3,
}
