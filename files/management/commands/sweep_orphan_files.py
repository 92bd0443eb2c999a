"""List (and with --delete remove) stored files that no database row points at."""

import datetime
import posixpath
import re

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from files.references import referenced_names

RENDITION = re.compile(r"^(?P<stem>.+)\.w\d+\.(?:jpg|png)$")


def stored_names(storage, directory=""):
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(directory, name) if directory else name
    for folder in folders:
        yield from stored_names(storage, posixpath.join(directory, folder) if directory else folder)


def find_orphans(storage=default_storage, min_age=datetime.timedelta(0)):
    """Stored names no row refers to, skipping files younger than ``min_age``
    (an upload in progress writes its file before its row commits)."""
    cutoff = timezone.now() - min_age
    referenced = referenced_names()
    referenced_stems = {posixpath.splitext(name)[0] for name in referenced}
    orphans = []
    for name in stored_names(storage):
        rendition = RENDITION.match(name)
        if name in referenced or (rendition and rendition["stem"] in referenced_stems):
            continue
        if min_age and storage.get_modified_time(name) > cutoff:
            continue
        orphans.append(name)
    return sorted(orphans)


class Command(BaseCommand):
    help = "어떤 행도 가리키지 않는 저장 파일을 보여 줍니다. --delete 를 주면 지웁니다."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="찾은 파일을 실제로 지웁니다.")
        parser.add_argument(
            "--min-age-minutes", type=int, default=60,
            help="이보다 최근에 만들어진 파일은 올리는 중일 수 있어 건너뜁니다 (기본 60분).",
        )

    def handle(self, *args, delete=False, min_age_minutes=60, **options):
        orphans = find_orphans(min_age=datetime.timedelta(minutes=min_age_minutes))
        for name in orphans:
            if delete:
                default_storage.delete(name)
            self.stdout.write(("지움: " if delete else "고아 파일: ") + name)
        verb = "지웠습니다" if delete else "찾았습니다 (지우려면 --delete)"
        self.stdout.write(f"고아 파일 {len(orphans)}개를 {verb}.")
