"""PDF through pypdf, page by page; a PDF with no text at all says so (a scan, most likely)."""

import io

from .core import NO_TEXT_PDF, EncryptedError, _setting, _Stop


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
