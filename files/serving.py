"""Serving stored files through views: streamed, with headers that keep them inert."""

import mimetypes

from django.http import FileResponse, Http404

# A served file may run nothing and load nothing. Inline PDFs cannot be
# sandboxed (browsers then refuse to show them), so they get no ``sandbox``.
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
INLINE_PDF_POLICY = "default-src 'none'; frame-ancestors 'none'"


def serve_file(field_file, *, filename, as_attachment):
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("파일을 찾을 수 없습니다.")
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    # FileResponse streams in blocks and writes filename*=UTF-8''… for Korean names.
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    inline_pdf = not as_attachment and content_type == "application/pdf"
    response["Content-Security-Policy"] = INLINE_PDF_POLICY if inline_pdf else FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-transform" if as_attachment else "public, max-age=3600"
    return response
