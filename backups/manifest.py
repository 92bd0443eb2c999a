"""The layout of one backup folder and its ``manifest.json``.

::

    geumcheon-2026-12-07-031500/
        manifest.json        what is inside: counts, sizes, SHA-256, migration state
        database.pgdump      pg_dump custom format (PostgreSQL), or
        database.sqlite3     an SQLite database file (SQLite)
        files/<stored name>  every file of the default storage, under its stored name

A backup is written as ``.<name>.partial`` and renamed when complete, so a folder
with the final name is always a whole backup.
"""

import hashlib
import json

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.utils import validate_file_name

FORMAT = "geumcheon-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILES_DIR = "files"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something the operator must hear about, in Korean; nothing further was done."""


def folder_name(moment):
    return f"geumcheon-{moment:%Y-%m-%d-%H%M%S}"


def sha256_of(path):
    """(size, hex SHA-256) of a local file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def checked_name(name):
    """A stored name from a manifest, refused if it could reach outside the backup or the storage."""
    try:
        validate_file_name(name, allow_relative_path=True)
    except SuspiciousFileOperation as error:
        raise BackupError(f"manifest.json에 허용되지 않는 파일 이름이 있습니다: {name!r}") from error
    if "\\" in name or name.startswith("/"):
        raise BackupError(f"manifest.json에 허용되지 않는 파일 이름이 있습니다: {name!r}")
    return name


def write(folder, data):
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read(folder):
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder}는 백업 폴더가 아닙니다 ({MANIFEST}가 없습니다).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path}를 읽을 수 없습니다: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path}는 이 누리집의 백업 목록이 아닙니다.")
    if data.get("version") != VERSION:
        raise BackupError(f"백업 형식 {data.get('version')}판은 이 코드(형식 {VERSION}판)로 복원할 수 없습니다.")
    try:
        complete = (
            isinstance(data["database"]["tables"], dict) and isinstance(data["migrations"], dict)
            and isinstance(data["database"]["engine"], str) and isinstance(data["database"]["sha256"], str)
            and all(isinstance(entry["size"], int) and isinstance(entry["sha256"], str) for entry in data["files"])
        )
    except (KeyError, TypeError) as error:
        raise BackupError(f"{path}가 완전하지 않습니다(없는 항목 {error}). 백업을 다시 만드세요.") from error
    if not complete:
        raise BackupError(f"{path}가 완전하지 않습니다. 백업을 다시 만드세요.")
    if data["database"].get("file") not in DUMP_NAMES.values():
        raise BackupError(f"manifest.json의 DB 덤프 이름이 올바르지 않습니다: {data['database'].get('file')!r}")
    for entry in data["files"]:
        checked_name(entry["name"])
    return data
