"""Serving stored files through views: streamed, with headers that keep them inert."""

import mimetypes

from django.http import FileResponse, Http404


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
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-transform" if as_attachment else "public, max-age=3600"
    return response
