"""붙임 downloads go through a view; nothing under MEDIA_ROOT is reachable by URL."""

import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse

from tests.factories import BOARD_SLUGS, make_attachment, make_post

pytestmark = pytest.mark.django_db

KOREAN_NAME = "2026년 공고문(최종).pdf"
CONTENT = b"%PDF-1.4\n" + bytes(range(256)) * 300 + b"\n%%EOF\n"
# A plain ASCII filename= for old clients, then the RFC 5987 ext-value: charset '' then attr-chars and %XX only.
EXT_VALUE = re.compile(
    r'attachment; filename="([\x20-\x7e]+)"; filename\*=UTF-8\'\'((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+)'
)


@pytest.fixture(params=BOARD_SLUGS)
def attachment(request):
    post = make_post(request.param)
    return make_attachment(post, file=ContentFile(CONTENT, name=KOREAN_NAME))


def download(client, attachment):
    response = client.get(f"/{attachment.post.board_slug}/files/{attachment.pk}/")
    # Reading the stream to its end closes the file, as a WSGI server would. (Calling
    # response.close() again would fire request_finished and drop the test's connection.)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_download_streams_the_file_with_its_korean_name(client, attachment):
    response, body = download(client, attachment)
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response.streaming is True
    assert body == CONTENT
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    match = EXT_VALUE.fullmatch(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    assert unquote(match.group(2), encoding="utf-8", errors="strict") == KOREAN_NAME
    assert match.group(1) == "download 2026 ().pdf"  # what a client without RFC 5987 saves


def test_download_keeps_files_inert(client, attachment):
    response, _ = download(client, attachment)
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "public" not in response.get("Cache-Control", "")


def test_ascii_name_has_both_forms_too(client):
    post = make_post("notices")
    attachment = make_attachment(post, file=ContentFile(b"x", name="form-2026.hwpx"))
    response, _ = download(client, attachment)
    assert response["Content-Disposition"] == (
        'attachment; filename="form-2026.hwpx"; filename*=UTF-8\'\'form-2026.hwpx'
    )


@pytest.mark.parametrize("name, fallback", [
    ('quote"and\\slash.pdf', "quoteandslash.pdf"),
    ("résumé.pdf", "resume.pdf"),
    ("명단.xlsx", "download.xlsx"),
    ("공고문 (1).hwp", "download (1).hwp"),
])
def test_the_ascii_fallback_cannot_break_the_header(name, fallback):
    from files.serving import content_disposition

    header = content_disposition(name, as_attachment=True)
    assert header.startswith(f'attachment; filename="{fallback}"; filename*=UTF-8\'\'')
    assert "\r" not in header and "\n" not in header


def test_each_download_counts_once(client, attachment):
    other = make_attachment(attachment.post)
    for _ in range(3):
        download(client, attachment)
    attachment.refresh_from_db()
    other.refresh_from_db()
    assert attachment.download_count == 3
    assert other.download_count == 0


def test_head_request_is_not_counted_as_a_download(client, attachment):
    response = client.head(f"/{attachment.post.board_slug}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b""
    assert response["Content-Length"] == str(len(CONTENT))
    attachment.refresh_from_db()
    assert attachment.download_count == 0


def test_unknown_attachment_is_404(client, attachment):
    slug = attachment.post.board_slug
    assert client.get(f"/{slug}/files/{attachment.pk + 1000}/").status_code == 404


def test_missing_file_on_disk_is_404_not_500(client, attachment):
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(f"/{attachment.post.board_slug}/files/{attachment.pk}/").status_code == 404
    attachment.refresh_from_db()
    assert attachment.download_count == 0


def test_stored_files_are_not_reachable_by_url(client, attachment, settings):
    name = attachment.file.name
    assert name and not name.startswith("/")
    assert attachment.file.storage.exists(name)
    # The generated storage name never carries the uploaded one.
    assert "공고문" not in name
    for prefix in ("/media/", settings.MEDIA_URL, "/static/", "/"):
        assert client.get(f"{prefix}{name}").status_code == 404, prefix
