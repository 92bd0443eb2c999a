"""backup_site and restore_site: the database and every stored file together, on the engine under test.

Round trips on SQLite and on PostgreSQL (the suite runs on each): posts with 붙임 and
images, back up, wipe, restore, and compare every table's rows and every file's bytes —
once wiping the test database in place (``flush`` leaves what ``migrate`` writes), once
into a brand-new database and storage through ``manage.py`` (a new SQLite file, or a
scratch PostgreSQL database this module creates and drops).
"""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backups.manifest import FILES_DIR, MANIFEST
from boards.body_images import BodyImage
from files.images import get_rendition
from files.inventory import stored_names
from tests.factories import (
    CultureTrailFactory,
    DepartmentFactory,
    HeroBannerFactory,
    NoticeAttachmentFactory,
    NoticeFactory,
    PressAttachmentFactory,
    PressFactory,
    PressPhotoFactory,
    png_bytes,
)
from tests.test_s3_storage import keys, s3, s3_endpoint  # noqa: F401  (fixtures: a moto S3 bucket)

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_site():
    """Posts with 붙임 (Korean names), a press photo and its rendition, a banner, a trail, a body image,
    and an orphan file."""
    department = DepartmentFactory(name="도시계획과")
    notice = NoticeFactory(department=department, title="서울특별시 금천구 공고 제2026-123호")
    pdf = b"%PDF-1.4\n%\xe2\xe3\n" + bytes(range(256))
    NoticeAttachmentFactory(post=notice, file=ContentFile(pdf, name="공고문.pdf"))
    form = ContentFile(b"PK\x03\x04" + os.urandom(2048), name="붙임 2. 신청서.hwpx")
    NoticeAttachmentFactory(post=notice, file=form)
    press = PressFactory(department=department)
    photo = PressPhotoFactory(post=press, image=ContentFile(png_bytes((400, 300)), name="사진.png"))
    get_rendition(photo.image, 160)
    PressAttachmentFactory(post=press)
    HeroBannerFactory()
    CultureTrailFactory()
    BodyImage.objects.create(image=ContentFile(png_bytes((32, 32)), name="본문.png"), alt="지도")
    default_storage.save("notices/남은 파일.pdf", ContentFile(b"%PDF-1.4\n"))  # an orphan is backed up too


def stored_bytes():
    return {name: default_storage.open(name, "rb").read() for name in stored_names(default_storage)}


def folder_bytes(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def raw_connection(name=None):
    """A driver connection of its own (not Django's) to the test database, or to database ``name``."""
    params = connection.settings_dict
    if not POSTGRES:
        return sqlite3.connect(name or params["NAME"], uri=True)
    import psycopg

    return psycopg.connect(
        dbname=name or params["NAME"], user=params["USER"] or None, password=params["PASSWORD"] or None,
        host=params["HOST"] or None, port=params["PORT"] or None,
    )


def table_rows(name=None):
    """Every row of every table, through a plain driver connection so both sides read alike."""
    tables = connection.introspection.table_names()
    raw = raw_connection(name)
    try:
        cursor = raw.cursor()
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
        return rows
    finally:
        raw.close()


def back_up(output):
    out = StringIO()
    call_command("backup_site", "--output", str(output), stdout=out, stderr=StringIO())
    (folder,) = output.iterdir()
    return folder, out.getvalue()


def restore(*args):
    out = StringIO()
    call_command("restore_site", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def wipe():
    call_command("flush", interactive=False, verbosity=0)
    for name in list(stored_names(default_storage)):
        default_storage.delete(name)
    assert next(stored_names(default_storage), None) is None


# --- what a backup holds ------------------------------------------------------------------------


def test_backup_folder_holds_the_dump_every_file_and_a_manifest(tmp_path):
    make_site()
    files = stored_bytes()
    folder, out = back_up(tmp_path / "backups")

    assert folder.name.startswith("geumcheon-20") and not folder.name.endswith(".partial")
    assert "백업을 만들었습니다" in out and f"파일 {len(files)}개" in out
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert data["database"]["engine"] == connection.vendor
    assert (folder / data["database"]["file"]).stat().st_size == data["database"]["size"]
    assert folder_bytes(folder / FILES_DIR) == files  # every stored file, rendition and orphan included
    assert {entry["name"] for entry in data["files"]} == set(files)
    assert data["storage"] == {
        "backend": "django.core.files.storage.filesystem.FileSystemStorage",
        "files": len(files), "bytes": sum(map(len, files.values())),
    }
    import hashlib

    assert all(entry["sha256"] == hashlib.sha256(files[entry["name"]]).hexdigest() for entry in data["files"])
    counts = data["database"]["tables"]
    assert counts["notices_notice"] == 1 and counts["notices_noticeattachment"] == 2
    assert counts["press_pressphoto"] == 1 and counts["boards_bodyimage"] == 1
    assert data["database"]["rows"] == sum(counts.values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = cursor.fetchall()
    recorded = [(app, name) for app, names in data["migrations"].items() for name in names]
    assert sorted(recorded) == sorted(applied)
    assert data["missing_files"] == []


def test_backup_folder_is_private_and_never_inside_the_storage(tmp_path, media):
    folder, _ = back_up(tmp_path / "backups")
    assert folder.stat().st_mode & 0o777 == 0o700  # the dump holds personal data
    with pytest.raises(CommandError, match="안에 둘 수 없습니다"):
        call_command("backup_site", "--output", str(media / "backups"), stdout=StringIO())


# --- round trips ---------------------------------------------------------------------------------


def test_round_trip_wiping_the_database_and_storage_in_place(tmp_path):
    make_site()
    rows, files = table_rows(), stored_bytes()
    folder, _ = back_up(tmp_path / "backups")

    wipe()
    assert table_rows()["notices_notice"] == []

    out = restore(folder)
    assert "복원했습니다" in out
    assert f"파일 {len(files)}개를 저장소에 쓰고 SHA-256을 다시 읽어 확인했습니다" in out
    assert "금천소식·고시공고 1건" in out and "보도자료 1건" in out
    assert table_rows() == rows
    assert stored_bytes() == files


def postgres_url(name):
    """DATABASE_URL of database ``name`` on the test database's server."""
    params = connection.settings_dict
    credentials = quote(params["USER"] or "")
    if params["PASSWORD"]:
        credentials += f":{quote(params['PASSWORD'])}"
    return f"postgres://{credentials}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_target(tmp_path):
    """DATABASE_URL of a brand-new empty database (dropped afterwards), and an empty media folder."""
    media = tmp_path / "restored-media"
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path / "restored.sqlite3", media
        return
    name = f"geumcheon_restore_{uuid.uuid4().hex[:12]}"
    admin = raw_connection("postgres")
    admin.autocommit = True
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name), name, media
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(url, media, *args):
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def test_round_trip_into_a_new_empty_database_and_storage_with_manage_py(tmp_path, empty_target):
    url, target, restored_media = empty_target
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    rows, files = table_rows(), stored_bytes()

    checked = manage(url, restored_media, "restore_site", folder, "--check")
    assert checked.returncode == 0, checked.stderr
    assert "백업이 온전합니다" in checked.stdout
    assert not restored_media.exists()

    done = manage(url, restored_media, "restore_site", folder)
    assert done.returncode == 0, done.stderr
    assert "복원했습니다" in done.stdout
    assert table_rows(target) == rows
    assert folder_bytes(restored_media) == files

    # Now the target holds the site: a second restore is refused, and --force replaces it.
    again = manage(url, restored_media, "restore_site", folder)
    assert again.returncode == 1
    assert "비어 있지 않은 곳에는 복원하지 않습니다" in again.stderr and "--force" in again.stderr
    forced = manage(url, restored_media, "restore_site", folder, "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"이미 같은 내용으로 있던 {len(files)}개는 그대로 두었습니다" in forced.stdout
    assert table_rows(target) == rows
    assert folder_bytes(restored_media) == files


def test_round_trip_with_files_on_s3(tmp_path, request):
    """The same commands with media in an S3-compatible bucket: only the storage API is used."""
    bucket = request.getfixturevalue("s3")
    make_site()
    rows, files = table_rows(), stored_bytes()
    assert keys(bucket) and all(key.startswith("media/") for key in keys(bucket))
    folder, _ = back_up(tmp_path / "backups")
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert data["storage"]["backend"] == "files.s3.PrivateS3Storage"
    assert folder_bytes(folder / FILES_DIR) == files

    wipe()
    assert keys(bucket) == []
    assert "복원했습니다" in restore(folder)
    assert table_rows() == rows
    assert stored_bytes() == files
    assert keys(bucket) == sorted(f"media/{name}" for name in files)


def test_force_replaces_a_changed_database_and_changed_files(tmp_path):
    make_site()
    rows, files = table_rows(), stored_bytes()
    folder, _ = back_up(tmp_path / "backups")
    NoticeFactory(title="백업 뒤에 쓴 글")
    changed = min(files)
    default_storage.delete(changed)
    default_storage.save(changed, ContentFile(b"changed"))

    out = restore(folder, "--force")
    assert "복원했습니다" in out
    assert table_rows() == rows
    assert stored_bytes() == files


# --- refusals ------------------------------------------------------------------------------------


def test_restore_over_a_database_with_content_is_refused_and_changes_nothing(tmp_path):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    NoticeFactory(title="백업 뒤에 쓴 글")
    rows, files = table_rows(), stored_bytes()

    with pytest.raises(CommandError) as caught:
        restore(folder)
    message = str(caught.value)
    assert message.startswith("비어 있지 않은 곳에는 복원하지 않습니다")
    assert "notices_notice" in message and "저장소에 이미 파일이 있습니다" in message and "--force" in message
    assert table_rows() == rows
    assert stored_bytes() == files


def test_restore_into_an_empty_database_over_stored_files_is_refused(tmp_path):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="저장소에 이미 파일이 있습니다"):
        restore(folder)
    assert table_rows()["notices_notice"] == []


@pytest.mark.parametrize("damage", ["file", "dump", "missing"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path, damage):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    victim = {
        "file": folder / FILES_DIR / data["files"][0]["name"],
        "dump": folder / data["database"]["file"],
        "missing": folder / FILES_DIR / data["files"][-1]["name"],
    }[damage]
    if damage == "missing":
        victim.unlink()
    else:
        content = bytearray(victim.read_bytes())
        content[len(content) // 2] ^= 0xFF
        victim.write_bytes(bytes(content))
    wipe()

    for args in ((folder, "--check"), (folder,)):
        with pytest.raises(CommandError) as caught:
            restore(*args)
        assert str(caught.value).startswith("백업이 손상되었습니다: 1개가 manifest.json과 맞지 않습니다")
        assert victim.name in str(caught.value)
    assert table_rows()["notices_notice"] == []
    assert next(stored_names(default_storage), None) is None


def edit_manifest(folder, change):
    path = folder / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_backup_from_another_engine_is_refused(tmp_path):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    other = "sqlite" if POSTGRES else "postgresql"
    edit_manifest(folder, lambda data: data["database"].update(engine=other))
    wipe()
    with pytest.raises(CommandError, match=f"이 백업은 {other} DB의 것이라"):
        restore(folder)


def test_a_backup_with_migrations_this_code_lacks_is_refused(tmp_path):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    edit_manifest(folder, lambda data: data["migrations"]["notices"].append("9999_from_a_newer_release"))
    wipe()
    with pytest.raises(CommandError) as caught:
        restore(folder, "--check")
    assert "지금 코드에 없는 마이그레이션" in str(caught.value)
    assert "notices.9999_from_a_newer_release" in str(caught.value)


@pytest.mark.parametrize("name", ["../../outside.pdf", "/etc/passwd", "notices/../../x.pdf"])
def test_a_manifest_naming_files_outside_the_backup_is_refused(tmp_path, name):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    edit_manifest(folder, lambda data: data["files"].append({"name": name, "size": 1, "sha256": "0" * 64}))
    with pytest.raises(CommandError, match="허용되지 않는 파일 이름"):
        restore(folder, "--check")


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data["database"].update(file="../../../etc/passwd"),
        lambda data: data["database"].pop("tables"),
        lambda data: data["files"][0].update(size="12"),
    ],
    ids=["dump-outside", "no-counts", "size-not-a-number"],
)
def test_a_malformed_manifest_is_refused(tmp_path, change):
    make_site()
    folder, _ = back_up(tmp_path / "backups")
    edit_manifest(folder, change)
    with pytest.raises(CommandError, match="manifest.json"):
        restore(folder, "--check")


def test_not_a_backup_folder(tmp_path):
    with pytest.raises(CommandError, match="백업 폴더가 아닙니다"):
        restore(tmp_path)


@pytest.mark.skipif(not POSTGRES, reason="SQLite creates its database file on first use")
def test_restore_into_a_database_not_yet_created_says_so(tmp_path):
    folder, _ = back_up(tmp_path / "backups")
    url = postgres_url(f"geumcheon_missing_{uuid.uuid4().hex[:12]}")
    checked = manage(url, tmp_path / "restored-media", "restore_site", folder, "--check")
    assert checked.returncode == 0, checked.stderr  # --check never connects
    run = manage(url, tmp_path / "restored-media", "restore_site", folder)
    assert run.returncode == 1
    assert "DB에 연결할 수 없습니다" in run.stderr and "createdb" in run.stderr
