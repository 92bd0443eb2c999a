"""The files half of a backup: every stored name, through the storage API, with its size and SHA-256.

Only the storage API is used (``listdir``, ``open``, ``exists``, ``save``, ``delete``),
so the same code backs up a local folder and an S3 bucket.
"""

import hashlib

from django.core.files import File

from files.inventory import stored_names

from .manifest import CHUNK, BackupError, checked_name, sha256_of


def stored_digest(storage, name):
    """(size, hex SHA-256) of a stored file, read back through the storage."""
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        for chunk in handle.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def copy_out(storage, folder, progress=None):
    """Copy every stored file into ``folder``; return the manifest entries, sorted by name."""
    entries = []
    for name in sorted(stored_names(storage)):
        target = folder / checked_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            for chunk in source.chunks(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        entries.append({"name": name, "size": size, "sha256": digest.hexdigest()})
        if progress:
            progress(name)
    return entries


def problems(folder, entries):
    """What is wrong with the copies in ``folder`` against the manifest (empty: all intact)."""
    found = []
    for entry in entries:
        path = folder / checked_name(entry["name"])
        if not path.is_file():
            found.append(f"없음: {entry['name']}")
            continue
        size, digest = sha256_of(path)
        if size != entry["size"]:
            found.append(f"크기가 다름({size} ≠ {entry['size']}바이트): {entry['name']}")
        elif digest != entry["sha256"]:
            found.append(f"SHA-256이 다름: {entry['name']}")
    return found


def copy_in(storage, folder, entries, progress=None):
    """Write every backed-up file to ``storage`` under its own name; (written, already identical).

    A file already stored under that name is kept when its bytes are the same, replaced otherwise.
    Every written file is read back and compared with the manifest.
    """
    written = same = 0
    for entry in entries:
        name = entry["name"]
        expected = (entry["size"], entry["sha256"])
        if storage.exists(name):
            if stored_digest(storage, name) == expected:
                same += 1
                continue
            storage.delete(name)
        with open(folder / checked_name(name), "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"저장소가 '{name}'을(를) 다른 이름 '{saved}'(으)로 저장했습니다. 복원을 멈췄습니다.")
        if stored_digest(storage, name) != expected:
            raise BackupError(f"저장소에 쓴 '{name}'의 내용이 백업과 다릅니다. 복원을 멈췄습니다.")
        written += 1
        if progress:
            progress(name)
    return written, same
