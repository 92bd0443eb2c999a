"""Restore a ``backup_site`` folder: the database, then every file, each checked against the manifest.

Order of work, stopping at the first problem:

1. read the manifest; the engine must be the connected one's;
2. check the dump and every file copy against their SHA-256 (``--check`` stops here);
3. the backup's migrations must all exist in this code;
4. the database must hold no rows beyond what ``migrate`` writes itself, and storage no
   file, unless ``--force``;
5. restore the database (all or nothing) and compare every table's row count and the
   migration state with the manifest;
6. write every file through the storage API, reading each back to compare its SHA-256.
"""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.loader import MigrationLoader

from backups import database, manifest, media
from backups.manifest import BackupError
from boards import registry
from files.checks import human_size
from files.inventory import holds_any, stored_names

SHOWN = 10  # problems listed by name; the rest are counted


def listed(lines):
    shown = "\n".join(f"  - {line}" for line in lines[:SHOWN])
    return shown + (f"\n  … 외 {len(lines) - SHOWN}개" if len(lines) > SHOWN else "")


class Command(BaseCommand):
    help = (
        "backup_site 로 만든 백업 폴더를 빈 DB와 빈 저장소에 복원합니다. 먼저 모든 SHA-256을 확인하고, "
        "DB나 저장소가 비어 있지 않으면 --force 없이는 거절합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", metavar="백업폴더", help="backup_site 가 만든 폴더 (geumcheon-…).")
        parser.add_argument(
            "--force", action="store_true",
            help="DB나 저장소에 이미 내용이 있어도 복원합니다: DB는 백업의 내용으로 통째로 바뀌고, "
                 "같은 이름의 파일은 백업의 것으로 바뀝니다.",
        )
        parser.add_argument(
            "--check", action="store_true",
            help="복원하지 않고 백업이 온전한지(SHA-256, 마이그레이션)만 확인합니다.",
        )

    def handle(self, *args, backup, force=False, check=False, **options):
        try:
            self.restore(Path(backup), force=force, check=check, verbose=options["verbosity"] > 1)
        except BackupError as error:
            raise CommandError(str(error)) from error

    def restore(self, folder, *, force, check, verbose):
        data = manifest.read(folder)
        connection = connections[DEFAULT_DB_ALIAS]
        database.supported(connection)
        saved = data["database"]
        if saved["engine"] != connection.vendor:
            raise BackupError(
                f"이 백업은 {saved['engine']} DB의 것이라 지금 연결된 {connection.vendor} DB에 복원할 수 없습니다."
            )

        dump_path = folder / saved["file"]
        files_dir = folder / manifest.FILES_DIR
        self.verify(dump_path, saved, files_dir, data["files"])
        newer = self.unknown_migrations(data["migrations"])
        if newer:
            raise BackupError(
                "이 백업에는 지금 코드에 없는 마이그레이션이 적용되어 있습니다. 백업을 만든 판의 코드로 복원하세요.\n"
                + listed(newer)
            )
        if check:
            self.stdout.write(self.style.SUCCESS(
                f"백업이 온전합니다: {folder}\n  {self.summary(data)}\n  (--check: 아무것도 복원하지 않았습니다.)"
            ))
            return

        try:
            tables, filled = database.occupied(connection)
        except OperationalError as error:
            raise BackupError(
                f"DB에 연결할 수 없습니다: {error}\nPostgreSQL이면 먼저 빈 DB를 만드세요(createdb)."
            ) from error
        storage_used = holds_any(default_storage)
        if (filled or storage_used) and not force:
            what = []
            if filled:
                post_tables = {model._meta.db_table for model in registry.post_models()}
                filled.sort(key=lambda table: (table not in post_tables, table))  # posts first
                what.append(f"DB({connection.settings_dict['NAME']})의 표 {len(filled)}개에 행이 있습니다: "
                            + ", ".join(filled[:5]) + (" …" if len(filled) > 5 else ""))
            if storage_used:
                what.append("저장소에 이미 파일이 있습니다.")
            raise BackupError(
                "비어 있지 않은 곳에는 복원하지 않습니다. " + " ".join(what)
                + "\n빈 DB와 빈 저장소를 쓰거나, 지금 내용을 백업의 것으로 바꾸려면 --force 를 붙이세요."
            )

        self.stdout.write(f"DB를 복원합니다({saved['file']}, {human_size(saved['size'])}) …")
        database.restore(connection, dump_path, replace=bool(tables))
        ContentType.objects.clear_cache()
        self.compare_database(connection, data)

        progress = (lambda name: self.stdout.write(f"  파일: {name}")) if verbose else None
        written, same = media.copy_in(default_storage, files_dir, data["files"], progress)
        backed_up = {entry["name"] for entry in data["files"]}
        others = 0
        if storage_used:
            others = sum(1 for name in stored_names(default_storage) if name not in backed_up)
        self.report(folder, data, written, same, others)

    def verify(self, dump_path, saved, files_dir, entries):
        found = []
        if not dump_path.is_file():
            found.append(f"없음: {dump_path.name}")
        elif manifest.sha256_of(dump_path) != (saved["size"], saved["sha256"]):
            found.append(f"크기나 SHA-256이 다름: {dump_path.name}")
        found += media.problems(files_dir, entries)
        if found:
            raise BackupError(
                f"백업이 손상되었습니다: {len(found)}개가 manifest.json과 맞지 않습니다. 아무것도 복원하지 않았습니다.\n"
                + listed(found)
            )

    def unknown_migrations(self, applied):
        loader = MigrationLoader(None, ignore_no_migrations=True)
        on_disk = set(loader.disk_migrations)
        return [
            f"{app}.{name}" for app, names in sorted(applied.items()) if app in loader.migrated_apps
            for name in names if (app, name) not in on_disk
        ]

    def compare_database(self, connection, data):
        now = database.current_facts(connection)
        wrong = [
            f"{table}: 행 {now['tables'].get(table, '표 없음')} (백업 {count})"
            for table, count in data["database"]["tables"].items() if now["tables"].get(table) != count
        ]
        if now["migrations"] != data["migrations"]:
            wrong.append("적용된 마이그레이션 목록이 백업과 다릅니다.")
        if wrong:
            raise BackupError("복원한 DB가 백업과 다릅니다. 파일은 복원하지 않았습니다.\n" + listed(wrong))

    def summary(self, data):
        saved, storage = data["database"], data["storage"]
        tables = saved["tables"]
        posts = ", ".join(
            f"{model._meta.verbose_name} {tables.get(model._meta.db_table, 0):,}건"
            for model in registry.post_models()
        )
        return (
            f"{data['created_at']}에 만든 백업: DB({saved['engine']}) 표 {len(tables)}개, 행 {saved['rows']:,}개"
            f" ({posts}), 파일 {storage['files']:,}개({human_size(storage['bytes'])})"
        )

    def report(self, folder, data, written, same, others):
        lines = [f"복원했습니다: {folder}", f"  {self.summary(data)}", "  DB의 표별 행 수와 마이그레이션 상태가 백업과 같습니다."]
        lines.append(f"  파일 {written:,}개를 저장소에 쓰고 SHA-256을 다시 읽어 확인했습니다."
                     + (f" 이미 같은 내용으로 있던 {same:,}개는 그대로 두었습니다." if same else ""))
        if others:
            lines.append(f"  백업에 없던 파일 {others:,}개는 저장소에 그대로 있습니다 (sweep_orphan_files 로 확인하세요).")
        pending = [
            f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
            if name not in data["migrations"].get(app, [])
        ]
        if pending:
            lines.append(f"  이 코드에는 백업에 적용되지 않은 마이그레이션이 {len(pending)}개 있습니다: manage.py migrate 를 실행하세요.")
        if data.get("missing_files"):
            lines.append(f"  백업할 때부터 저장소에 없던 파일 {len(data['missing_files'])}개는 복원할 수 없습니다 "
                         "(manifest.json의 missing_files).")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
