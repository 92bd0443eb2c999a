"""Serving stored files through views: streamed, with headers that keep them inert."""

import mimetypes
import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, Http404

# A served file may run nothing and load nothing. Inline PDFs cannot be
# sandboxed (browsers then refuse to show them), so they get no ``sandbox``.
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
INLINE_PDF_POLICY = "default-src 'none'; frame-ancestors 'none'"


def serve_file(field_file, *, filename, as_attachment, public=False):
    """Stream ``field_file``; ``public``: site pictures (banners, icons) any cache may keep an hour.

    Everything else belongs to a post that may be taken down at any moment: downloads are
    ``private`` and inline views (바로보기, PDF, photos) ``private`` for a minute only, so no
    shared cache keeps serving them and a browser asks again soon.
    """
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("파일을 찾을 수 없습니다.")
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=as_attachment, content_type=content_type)  # streamed in blocks
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    inline_pdf = not as_attachment and content_type == "application/pdf"
    response["Content-Security-Policy"] = INLINE_PDF_POLICY if inline_pdf else FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-transform" if as_attachment else "private, max-age=60"
    return response


def content_disposition(filename, *, as_attachment):
    """``filename*=UTF-8''…`` (RFC 6266/5987) for every name, after a plain ASCII ``filename=`` for old clients."""
    kind = "attachment" if as_attachment else "inline"
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def ascii_fallback(filename):
    """"공고문 (1).hwp" → "download (1).hwp": ASCII letters, digits and a few signs; the extension kept."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    def plain(text):
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9 ._()\-]+", "", text).strip(" .")
    cleaned, ext = plain(stem), plain(ext)
    # A name that lost its words (Korean, say) still reads as a name: "download (1).hwp".
    stem = cleaned if cleaned == stem.strip(" .") or re.search(r"[A-Za-z]", cleaned) else f"download {cleaned}".strip()
    return f"{stem}.{ext}" if ext else stem
