"""Uploaded files on an S3-compatible object store (MEDIA_STORAGE=s3, files/s3.py).

A moto server on 127.0.0.1 plays the object store; each test gets its own bucket and
switches STORAGES["default"] to it for that test only. Uploads, downloads (streamed,
with our headers), image renditions, deletion on commit, the orphan sweeper and the
purge of removed 붙임 all run against it, and no response names the store.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from types import SimpleNamespace
from urllib.parse import unquote

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.http import FileResponse
from django.test import Client
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image
from storages.backends.s3 import S3File

from files.images import get_rendition, rendition_name
from files.s3 import PrivateS3Storage, StreamingS3File
from notices.models import Notice, NoticeAttachment
from press.models import PressPhoto
from tests.factories import DepartmentFactory, PressFactory, PressPhotoFactory, png_bytes
from tests.test_admin import admin_url, management_form, news_form

pytestmark = pytest.mark.django_db

REGION = "ap-northeast-2"
LOCATION = "media"
# Bigger than FileResponse's 4 KiB blocks, so a download takes many reads.
NOTICE_TEXT = ("금천구 도시관리계획 열람 공고 안내문입니다.\n" * 6000).encode()


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """A fresh private bucket as the default storage, under the prefix AWS_LOCATION would give."""
    bucket = f"geumcheon-media-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **credentials)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    options = {
        "bucket_name": bucket, "endpoint_url": s3_endpoint, "region_name": REGION,
        "access_key": "test-key", "secret_key": "test-secret", "location": LOCATION,
        "addressing_style": "path", "default_acl": "private", "querystring_auth": True,
        "file_overwrite": False, "max_memory_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    }
    # Assigning STORAGES resets django.core.files.storage's caches (setting_changed), and again afterwards.
    backend = {"BACKEND": "files.s3.PrivateS3Storage", "OPTIONS": options}
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    assert isinstance(default_storage, PrivateS3Storage)
    yield SimpleNamespace(endpoint=s3_endpoint, bucket=bucket, client=client)


@pytest.fixture
def copies(monkeypatch):
    """Counts S3File's whole-object copies (download into memory or a temporary file)."""
    made = []
    real = S3File._get_file

    def counting(self):
        if self._file is None:
            made.append(self.name)
        return real(self)

    monkeypatch.setattr(S3File, "_get_file", counting)
    return made


@pytest.fixture
def opened(monkeypatch):
    """Every StreamingS3File opened, to look inside a download's stream."""
    made = []
    real = StreamingS3File.__init__

    def recording(self, *args, **kwargs):
        real(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(StreamingS3File, "__init__", recording)
    return made


def keys(s3):
    pages = s3.client.get_paginator("list_objects_v2").paginate(Bucket=s3.bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))


def assert_names_no_store(s3, response, body=b""):
    """Neither headers nor body mention the object store: every file leaves through our views."""
    text = "\n".join(f"{k}: {v}" for k, v in response.items()) + "\n" + body.decode(errors="replace")
    host = s3.endpoint.split("//", 1)[1]
    for needle in (host, s3.bucket, "X-Amz-", "AWSAccessKeyId", "amazonaws"):
        assert needle not in text, needle


def read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload_news(admin_client, department, name, content, content_type="application/octet-stream"):
    data = news_form(department, **management_form("attachments", total=1), **{
        "attachments-0-file": SimpleUploadedFile(name, content, content_type=content_type),
        "attachments-0-order": "0", "attachments-0-id": "", "attachments-0-post": "",
    })
    response = admin_client.post(admin_url(Notice, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Notice.objects.latest("pk").attachments.get()


@pytest.fixture
def department():
    return DepartmentFactory(name="도시계획과")


# --- uploads and downloads ---------------------------------------------------------------------

def test_a_korean_named_attachment_uploaded_in_the_admin_lands_in_the_bucket_privately(
    s3, admin_client, department
):
    attachment = upload_news(admin_client, department, "공고문 (최종).txt", NOTICE_TEXT, "text/html")

    name = attachment.file.name
    assert name.startswith("notices/") and name.endswith(".txt") and "공고문" not in name
    assert keys(s3) == [f"{LOCATION}/{name}"]
    assert (attachment.original_name, attachment.size) == ("공고문 (최종).txt", len(NOTICE_TEXT))
    assert "도시관리계획" in attachment.extracted_text
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=f"{LOCATION}/{name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers
    head = s3.client.head_object(Bucket=s3.bucket, Key=f"{LOCATION}/{name}")
    # The stored type comes from our generated name, not from what the browser claimed.
    assert head["ContentType"].startswith("text/plain") and head["ContentDisposition"] == "attachment"


def test_download_streams_from_the_bucket_through_our_view(s3, admin_client, department, copies, opened):
    attachment = upload_news(admin_client, department, "공고문 (최종).txt", NOTICE_TEXT)

    response = Client().get(f"/news/files/{attachment.pk}/")

    assert response.status_code == 200
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Length"] == str(len(NOTICE_TEXT))
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "public" not in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == "공고문 (최종).txt"
    chunks = iter(response.streaming_content)
    first = next(chunks)
    (handle,) = opened
    # Streamed from one GET, block by block: no whole copy in memory or on disk.
    assert handle._file is None and handle._stream is not None
    assert len(first) < len(NOTICE_TEXT)
    assert first + b"".join(chunks) == NOTICE_TEXT
    assert copies == []
    assert handle.closed
    assert_names_no_store(s3, response)
    attachment.refresh_from_db()
    assert attachment.download_count == 1


def test_head_sends_the_size_and_counts_nothing(s3, admin_client, department):
    attachment = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    response = Client().head(f"/news/files/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Length"] == str(len(NOTICE_TEXT))
    assert read(response) == b""
    attachment.refresh_from_db()
    assert attachment.download_count == 0


def test_a_file_missing_from_the_bucket_is_404(s3, admin_client, department):
    attachment = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    s3.client.delete_object(Bucket=s3.bucket, Key=f"{LOCATION}/{attachment.file.name}")
    assert Client().get(f"/news/files/{attachment.pk}/").status_code == 404


def test_pages_and_the_admin_never_name_the_bucket(s3, admin_client, department):
    attachment = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    post = attachment.post
    public = Client()
    for url in (post.get_absolute_url(), f"/news/files/{attachment.pk}/preview/", "/news/"):
        response = public.get(url)
        assert response.status_code == 200, url
        assert_names_no_store(s3, response, read(response))
    change = admin_client.get(admin_url(Notice, "change", post.pk))
    assert_names_no_store(s3, change, change.content)
    staff_file = admin_client.get(admin_url(Notice, "file", post.pk, "attachments", attachment.pk, "file"))
    assert staff_file.status_code == 200 and read(staff_file) == NOTICE_TEXT
    assert_names_no_store(s3, staff_file)
    # Even a stray .url gives a path no route serves, never a (signed) bucket address.
    assert attachment.file.url == f"/media-not-served/{attachment.file.name}"


# --- images -----------------------------------------------------------------------------------

def test_an_image_attachment_is_re_encoded_stored_and_shown_inline(s3, admin_client, department):
    attachment = upload_news(admin_client, department, "현장 사진.png", png_bytes((64, 48)), "image/png")
    assert attachment.file.name.endswith(".png")

    response = Client().get(f"/news/files/{attachment.pk}/view/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; ")
    with Image.open(io.BytesIO(read(response))) as im:
        assert (im.format, im.size) == ("PNG", (64, 48))
    assert_names_no_store(s3, response)
    preview = Client().get(f"/news/files/{attachment.pk}/preview/")
    assert preview.status_code == 200
    assert_names_no_store(s3, preview, preview.content)


def test_a_press_photo_gets_its_rendition_next_to_it_in_the_bucket(s3, copies):
    photo = PressPhotoFactory(post=PressFactory(), image=ContentFile(png_bytes((1200, 800)), name="행사.png"))
    original = photo.image.name

    name = get_rendition(photo.image, 480)

    assert name == rendition_name(original, 480)
    assert keys(s3) == sorted([f"{LOCATION}/{original}", f"{LOCATION}/{name}"])
    with default_storage.open(name) as stored, Image.open(stored) as im:
        assert (im.format, im.size) == ("PNG", (480, 320))
    made = len(copies)
    assert get_rendition(photo.image, 480) == name  # made once: the second call only asks whether it exists
    assert len(copies) == made
    response = Client().get(f"/press/photos/{photo.pk}/")
    assert response.status_code == 200 and read(response)[:8] == b"\x89PNG\r\n\x1a\n"
    assert_names_no_store(s3, response)


def test_a_concurrent_rendition_leaves_one_file(s3, monkeypatch):
    photo = PressPhotoFactory(post=PressFactory(), image=ContentFile(png_bytes((400, 300)), name="a.png"))
    first = get_rendition(photo.image, 160)
    storage = photo.image.storage._wrapped
    real_exists, calls = type(storage).exists, []

    def exists_missed_once(self, name):
        calls.append(name)
        return False if len(calls) == 1 else real_exists(self, name)

    monkeypatch.setattr(type(storage), "exists", exists_missed_once)
    assert get_rendition(photo.image, 160) == first
    assert keys(s3) == sorted([f"{LOCATION}/{photo.image.name}", f"{LOCATION}/{first}"])


# --- deleting ---------------------------------------------------------------------------------

def test_a_deleted_photo_and_its_renditions_leave_the_bucket_only_on_commit(
    s3, django_capture_on_commit_callbacks
):
    photo = PressPhotoFactory(post=PressFactory(), image=ContentFile(png_bytes((800, 600)), name="a.png"))
    get_rendition(photo.image, 160)
    get_rendition(photo.image, 320)
    other = PressPhotoFactory(post=photo.post, image=ContentFile(png_bytes((800, 600)), name="b.png"))
    get_rendition(other.image, 160)
    before = keys(s3)

    with pytest.raises(RuntimeError), transaction.atomic():
        PressPhoto.objects.get(pk=photo.pk).delete()
        raise RuntimeError("rolled back")
    assert keys(s3) == before

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PressPhoto.objects.get(pk=photo.pk).delete()
    assert keys(s3) == before  # not yet committed
    for callback in callbacks:
        callback()
    kept = [other.image.name, rendition_name(other.image.name, 160)]
    assert keys(s3) == sorted(f"{LOCATION}/{name}" for name in kept)


def test_with_no_retention_a_removed_attachment_leaves_the_bucket_on_commit(
    s3, settings, admin_client, department, django_capture_on_commit_callbacks
):
    settings.REMOVED_FILE_RETENTION_DAYS = 0
    attachment = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        NoticeAttachment.objects.get(pk=attachment.pk).delete()
    assert keys(s3) == []


# --- sweeper and purge ------------------------------------------------------------------------

def test_sweep_lists_the_bucket_recursively_and_removes_only_orphans(s3, settings, admin_client, department):
    attachment = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    photo = PressPhotoFactory(post=PressFactory(), image=ContentFile(png_bytes((400, 300)), name="a.png"))
    rendition = get_rendition(photo.image, 160)
    orphan = default_storage.save("notices/2026/01/deadbeef.pdf", ContentFile(b"%PDF-1.4 crash leftover"))
    deep = default_storage.save("home/2025/12/old/leftover.png", ContentFile(png_bytes()))
    # Another application's objects beside our prefix (AWS_LOCATION) are not ours to judge.
    s3.client.put_object(Bucket=s3.bucket, Key="other-app/notices/2026/01/theirs.pdf", Body=b"x")

    young = StringIO()
    # By default files younger than an hour are taken for uploads in progress.
    call_command("sweep_orphan_files", stdout=young)
    assert "고아 파일 0개를 찾았습니다" in young.getvalue()

    listed = StringIO()
    call_command("sweep_orphan_files", "--min-age-minutes", "0", stdout=listed)
    assert f"고아 파일: {orphan}\n" in listed.getvalue() and f"고아 파일: {deep}\n" in listed.getvalue()
    assert "고아 파일 2개를 찾았습니다" in listed.getvalue()
    assert default_storage.exists(orphan)

    # DEBUG: the sweeper's production guard (naming the database) is not the subject here.
    settings.DEBUG = True
    call_command("sweep_orphan_files", "--min-age-minutes", "0", "--delete", stdout=StringIO())
    assert keys(s3) == sorted([
        f"{LOCATION}/{attachment.file.name}", f"{LOCATION}/{photo.image.name}", f"{LOCATION}/{rendition}",
        "other-app/notices/2026/01/theirs.pdf",
    ])


def test_get_modified_time_is_aware_and_recent(s3):
    name = default_storage.save("notices/2026/01/x.txt", ContentFile(b"x"))
    modified = default_storage.get_modified_time(name)
    assert timezone.is_aware(modified)
    assert abs(timezone.now() - modified) < datetime.timedelta(minutes=5)


def test_purge_removes_expired_removed_attachments_from_the_bucket(
    s3, settings, admin_client, department, django_capture_on_commit_callbacks
):
    old = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    post = old.post
    data = news_form(department, title="둘째 판", **management_form("attachments", total=2, initial=1), **{
        "attachments-0-id": str(old.pk), "attachments-0-post": str(post.pk), "attachments-0-order": "0",
        "attachments-0-DELETE": "on",
        "attachments-1-file": SimpleUploadedFile("새 안내.txt", "바뀐 안내".encode()),
        "attachments-1-order": "1",
    })
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(admin_url(Notice, "change", post.pk), data).status_code == 302
    recent = post.attachments.get()
    assert default_storage.exists(old.file.name)  # kept for restoring a revision
    removal = NoticeAttachment.history.get(id=old.pk, history_type="-")
    removal.history_date = timezone.now() - datetime.timedelta(days=settings.REMOVED_FILE_RETENTION_DAYS + 1)
    removal.save()

    dry = StringIO()
    call_command("purge_removed_files", "--dry-run", stdout=dry)
    assert f"지울 파일: {old.file.name}" in dry.getvalue() and default_storage.exists(old.file.name)
    call_command("purge_removed_files", stdout=StringIO())
    assert keys(s3) == [f"{LOCATION}/{recent.file.name}"]


def test_restoring_a_revision_and_re_extracting_read_the_files_from_the_bucket(
    s3, admin_client, department, copies, django_capture_on_commit_callbacks
):
    old = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    post = old.post
    data = news_form(department, title="둘째 판", **management_form("attachments", total=1, initial=1), **{
        "attachments-0-id": str(old.pk), "attachments-0-post": str(post.pk), "attachments-0-order": "0",
        "attachments-0-DELETE": "on",
    })
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(admin_url(Notice, "change", post.pk), data).status_code == 302
    first = post.history.order_by("history_date").first()

    admin_client.post(admin_url(Notice, "restore", post.pk, first.history_id))

    (back,) = post.attachments.all()
    assert back.file.name == old.file.name and "도시관리계획" in back.extracted_text
    NoticeAttachment.objects.filter(pk=back.pk).update(extracted_text="")
    out = StringIO()
    call_command("reextract_attachments", stdout=out)
    assert "붙임 1개를 다시 읽었습니다" in out.getvalue()
    assert "도시관리계획" in NoticeAttachment.objects.get(pk=back.pk).extracted_text
    assert copies == []  # text extraction reads front to back: streamed too


# --- the streaming file itself ----------------------------------------------------------------

def test_a_seek_after_reading_falls_back_to_a_whole_copy_at_the_right_place(s3, copies):
    content = bytes(range(256)) * 64
    name = default_storage.save("notices/2026/01/bytes.bin", ContentFile(content))
    with default_storage.open(name, "rb") as stored:
        assert stored.tell() == 0 and stored.seek(0, io.SEEK_END) == len(content)
        assert stored.tell() == len(content)
        stored.seek(0)
        assert copies == []  # the size probe of FileResponse costs no download
        assert stored.read(10) == content[:10] and stored.tell() == 10
        stored.seek(100)
        assert copies == [name]
        assert stored.read(5) == content[100:105] and stored.tell() == 105
        stored.seek(-6, io.SEEK_END)
        assert stored.read() == content[-6:]
    with default_storage.open(name, "rb") as stored:
        stored.seek(200)  # a seek before any read: the first read takes the whole copy
        assert stored.read(3) == content[200:203]
        assert next(iter(stored.chunks(chunk_size=1000))) == content[:1000]


def test_reopening_a_field_file_reads_it_again_from_the_start(s3, admin_client, department):
    attachment = upload_news(admin_client, department, "안내.txt", NOTICE_TEXT)
    field_file = NoticeAttachment.objects.get(pk=attachment.pk).file
    with field_file.open("rb") as stored:
        assert stored.read(30) == NOTICE_TEXT[:30]
    with field_file.open("rb") as stored:
        assert stored.read() == NOTICE_TEXT


# --- settings ---------------------------------------------------------------------------------

def storage_settings(**env):
    """STORAGES["default"] as settings.py builds it from the environment, in a fresh interpreter."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "geumcheon_portal.settings", **env}
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if env.get(name) is None:
            environ.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60, check=False
    )


def test_settings_choose_the_object_store_only_when_asked():
    local = storage_settings()
    assert json.loads(local.stdout) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    chosen = storage_settings(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="geumcheon-media",
        AWS_S3_ENDPOINT_URL="https://kr.object.example", AWS_S3_REGION_NAME="kr-standard",
        AWS_ACCESS_KEY_ID="key", AWS_SECRET_ACCESS_KEY="secret", AWS_LOCATION="/portal/",
    )
    default = json.loads(chosen.stdout)
    assert default["BACKEND"] == "files.s3.PrivateS3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"], options["location"]) == (
        "geumcheon-media", "https://kr.object.example", "kr-standard", "portal"
    )
    hardening = (options["default_acl"], options["querystring_auth"], options["file_overwrite"])
    assert hardening == ("private", True, False)
    storage = PrivateS3Storage(**options)  # every option is one django-storages knows
    assert storage.url("notices/2026/01/a.pdf") == "/media-not-served/notices/2026/01/a.pdf"

    missing = storage_settings(MEDIA_STORAGE="s3", AWS_ACCESS_KEY_ID="key")
    assert missing.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in missing.stderr and "AWS_SECRET_ACCESS_KEY" in missing.stderr
    assert storage_settings(MEDIA_STORAGE="nfs").returncode != 0
