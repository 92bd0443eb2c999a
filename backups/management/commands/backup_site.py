"""Back up the database and every stored file together, into one folder named with the date."""

import shutil
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from backups import database, manifest, media
from backups.manifest import BackupError
from files.checks import human_size
from files.references import referenced_names


class Command(BaseCommand):
    help = (
        "DB와 저장소의 모든 파일을 날짜 이름의 폴더 하나(geumcheon-연-월-일-시분초)에 함께 백업합니다. "
        "manifest.json에 표별 행 수, 파일 수·크기·SHA-256, 마이그레이션 상태를 적습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="폴더",
            help="백업 폴더를 만들 곳 (기본: 설정 BACKUP_ROOT, 환경 변수 BACKUP_ROOT, 보통 var/backups).",
        )

    def handle(self, *args, output=None, **options):
        root = Path(output or settings.BACKUP_ROOT)
        storage = storages["default"]
        if isinstance(storage, FileSystemStorage) and root.resolve().is_relative_to(Path(storage.location).resolve()):
            raise CommandError(f"백업 폴더({root})를 백업할 저장소({storage.location}) 안에 둘 수 없습니다.")
        root.mkdir(parents=True, exist_ok=True)
        started = timezone.localtime()
        final = root / manifest.folder_name(started)
        if final.exists():
            raise CommandError(f"{final}가 이미 있습니다. 잠시 뒤 다시 실행하세요.")
        partial = root / f".{final.name}.partial"
        partial.mkdir(mode=0o700)  # the dump holds personal data: only the owner may enter
        try:
            data = self.write_backup(partial, started, verbose=options["verbosity"] > 1)
            partial.rename(final)
        except BackupError as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise CommandError(f"백업하지 못했습니다: {error}") from error
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        self.report(final, data)

    def write_backup(self, folder, started, verbose=False):
        connection = connections[DEFAULT_DB_ALIAS]
        database.supported(connection)
        dump_path = folder / manifest.DUMP_NAMES[connection.vendor]
        found, referenced = database.dump(connection, dump_path, during=referenced_names)
        dump_size, dump_sha = manifest.sha256_of(dump_path)
        self.stdout.write(
            f"DB를 덤프했습니다: 표 {len(found['tables'])}개, 행 {sum(found['tables'].values()):,}개 "
            f"({human_size(dump_size)})."
        )
        progress = (lambda name: self.stdout.write(f"  파일: {name}")) if verbose else None
        entries = media.copy_out(default_storage, folder / manifest.FILES_DIR, progress)
        stored = {entry["name"] for entry in entries}
        storage_class = type(storages["default"])
        data = {
            "format": manifest.FORMAT,
            "version": manifest.VERSION,
            "created_at": started.isoformat(),
            "site": settings.SITE_NAME,
            "django": django.get_version(),
            "database": {
                "engine": connection.vendor,
                "name": str(connection.settings_dict["NAME"]),
                "server_version": found["server_version"],
                "file": dump_path.name,
                "size": dump_size,
                "sha256": dump_sha,
                "tables": found["tables"],
                "rows": sum(found["tables"].values()),
            },
            "migrations": found["migrations"],
            "storage": {
                "backend": f"{storage_class.__module__}.{storage_class.__qualname__}",
                "files": len(entries),
                "bytes": sum(entry["size"] for entry in entries),
            },
            "files": entries,
            # Names rows pointed at (in the dump's snapshot) that storage did not hold.
            "missing_files": sorted(referenced - stored),
        }
        manifest.write(folder, data)
        return data

    def report(self, final, data):
        storage = data["storage"]
        self.stdout.write(f"파일 {storage['files']:,}개({human_size(storage['bytes'])})를 복사했습니다.")
        missing = data["missing_files"]
        if missing:
            self.stderr.write(
                f"주의: DB의 행이 가리키지만 저장소에 없는 파일 {len(missing)}개 (manifest.json의 missing_files): "
                + ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            )
        applied = sum(len(names) for names in data["migrations"].values())
        self.stdout.write(self.style.SUCCESS(
            f"백업을 만들었습니다: {final}\n"
            f"  DB({data['database']['engine']}) 표 {len(data['database']['tables'])}개, "
            f"행 {data['database']['rows']:,}개, 적용된 마이그레이션 {applied}개\n"
            f"  파일 {storage['files']:,}개, {human_size(storage['bytes'])}\n"
            f"  확인·복원: manage.py restore_site {final} --check"
        ))
