"""List (and with --delete remove) stored files that no database row points at.

Against the wrong database every stored file looks orphaned, so deleting is guarded;
with --delete the command refuses, with a Korean message and exit status 1:

* when no board's post table holds a single row while storage holds files (an empty or
  wrong database), whatever else is given; and
* when DEBUG is off, unless ``--confirm-database NAME`` names the database the command
  is connected to (``settings.DATABASES["default"]["NAME"]``: the database name on
  PostgreSQL, the file path on SQLite). The name has to be typed for the run; no setting
  or environment variable stands in for it, so a changed DATABASE_URL makes an old
  command line fail instead of deleting.

A dry run (no --delete) is always allowed; it warns when the database holds no posts.
Which models are "posts" comes from the setting ORPHAN_SWEEP_POST_MODELS (the board
registry's ``post_models``): files sits below boards and names it only through settings.
"""

import datetime
import os
import posixpath
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from files.inventory import holds_any, stored_names
from files.references import referenced_names

RENDITION = re.compile(r"^(?P<stem>.+)\.w\d+\.(?:jpg|png)$")

__all__ = ["Command", "find_orphans", "stored_names"]


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


def holds_posts(connection):
    """Whether any board's post table has a row (a missing table has none); None when
    the setting naming the post models is missing."""
    dotted = getattr(settings, "ORPHAN_SWEEP_POST_MODELS", None)
    if not dotted:
        return None
    tables = set(connection.introspection.table_names())
    return any(
        model._base_manager.using(connection.alias).exists()
        for model in import_string(dotted)() if model._meta.db_table in tables
    )


def database_label(connection):
    """What the operator should recognise: engine, name, and the server for PostgreSQL."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {params['NAME']}"
    server = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
    return f"{connection.display_name} {params['NAME']} ({server})"


def storage_label(storage):
    where = getattr(storage, "bucket_name", None) or getattr(storage, "location", "")
    return f"{type(storage).__name__} {where}".strip()


def names_this_database(given, connection):
    actual = str(connection.settings_dict["NAME"])
    if given == actual:
        return True
    # SQLite: the same file, named relatively or absolutely.
    return connection.vendor == "sqlite" and os.path.realpath(given) == os.path.realpath(actual)


class Command(BaseCommand):
    help = (
        "어떤 행도 가리키지 않는 저장 파일을 보여 줍니다. --delete 를 주면 지웁니다. "
        "지울 때는 DB에 게시글이 있어야 하고, 운영 모드(DEBUG 꺼짐)에서는 --confirm-database 로 DB 이름을 밝혀야 합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="찾은 파일을 실제로 지웁니다.")
        parser.add_argument(
            "--min-age-minutes", type=int, default=60,
            help="이보다 최근에 만들어진 파일은 올리는 중일 수 있어 건너뜁니다 (기본 60분).",
        )
        parser.add_argument(
            "--confirm-database", metavar="DB이름",
            help=(
                "--delete 와 함께: 지금 연결된 DB의 이름(PostgreSQL은 DB 이름, SQLite는 파일 경로). "
                "운영 모드(DEBUG 꺼짐)에서 지우려면 꼭 있어야 하고, 실제로 연결된 DB와 같아야 합니다."
            ),
        )

    def handle(self, *args, delete=False, min_age_minutes=60, confirm_database=None, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        posts = holds_posts(connection)
        if delete:
            self.refuse_unless_safe(connection, posts, confirm_database)
        elif posts is False and holds_any(default_storage):
            self.stderr.write(
                f"주의: 이 DB({database_label(connection)})에는 게시글이 하나도 없습니다. "
                "빈 DB나 다른 DB에 연결된 것이라면 저장소의 모든 파일이 고아로 보입니다. --delete 는 거절됩니다."
            )
        if "django_migrations" not in connection.introspection.table_names():
            self.stdout.write("이 DB는 마이그레이션되지 않았습니다: 파일이 어느 행에 쓰이는지 알 수 없어 목록을 만들지 않습니다.")
            return
        orphans = find_orphans(min_age=datetime.timedelta(minutes=min_age_minutes))
        for name in orphans:
            if delete:
                default_storage.delete(name)
            self.stdout.write(("지움: " if delete else "고아 파일: ") + name)
        verb = "지웠습니다" if delete else "찾았습니다 (지우려면 --delete)"
        self.stdout.write(f"고아 파일 {len(orphans)}개를 {verb}.")

    def refuse_unless_safe(self, connection, posts, confirm_database):
        database = database_label(connection)
        reasons = []
        if posts is None:
            reasons.append(
                "설정 ORPHAN_SWEEP_POST_MODELS가 없어 이 DB에 게시글이 있는지 확인할 수 없습니다."
            )
        elif not posts and holds_any(default_storage):
            reasons.append(
                f"이 DB({database})에는 어느 게시판에도 게시글이 없는데 저장소({storage_label(default_storage)})에는 "
                "파일이 있습니다. 빈 DB나 다른 DB에 연결된 것으로 보입니다: 이대로 지우면 모든 파일이 지워집니다. "
                "DATABASE_URL을 확인하세요."
            )
        if not settings.DEBUG:
            if not confirm_database:
                reasons.append(
                    f"운영 모드(DEBUG 꺼짐)에서는 어느 DB를 기준으로 지우는지 밝혀야 합니다. 지금 연결된 DB는 "
                    f"{database}입니다. 이 DB가 맞다면 --confirm-database 에 그 이름을 적어 다시 실행하세요."
                )
            elif not names_this_database(confirm_database, connection):
                reasons.append(
                    f"--confirm-database 로 적은 DB '{confirm_database}'와 지금 연결된 DB({database})가 다릅니다."
                )
        if reasons:
            raise CommandError(
                "고아 파일을 지우지 않았습니다.\n- " + "\n- ".join(reasons)
                + "\n(--delete 없이 실행하면 지우지 않고 목록만 봅니다.)"
            )
