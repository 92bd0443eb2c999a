"""The database half of a backup: an engine-native dump, and the facts a restore checks it by.

Engine-native rather than ``dumpdata``: the dump keeps what a Django-level dump loses or
cannot load back — triggers (boards/post_dates.py, search/index.py), the search table and
its index, sequences — and restores all or nothing.

* PostgreSQL: ``pg_dump --format=custom`` sharing the snapshot (``--snapshot``) of a
  REPEATABLE READ transaction, in which the row counts, the migration state and the
  stored names rows point at are read too: the manifest describes exactly the dump.
  Restored with ``pg_restore --single-transaction --no-owner --no-acl``.
* SQLite: the online backup API (a consistent page copy of a live database); the counts
  are read from the copy. Restored the same way, into the connection.
"""

import os
import shutil
import sqlite3
import subprocess

from django.db import transaction
from django.db.backends.postgresql.client import DatabaseClient

from .manifest import BackupError

# What ``migrate`` writes into an empty database by itself: a database holding rows
# only here has no content yet, and a restore may replace it.
BOOKKEEPING_TABLES = frozenset({
    "django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions",
})
SUPPORTED = ("postgresql", "sqlite")


def facts(connection, cursor):
    """Every table's row count and the applied migrations, as the cursor's transaction sees them."""
    quote = connection.ops.quote_name
    tables = {}
    for name in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
        tables[name] = cursor.fetchone()[0]
    migrations = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return {"tables": tables, "migrations": migrations}


def current_facts(connection):
    with connection.cursor() as cursor:
        return facts(connection, cursor)


def occupied(connection):
    """(every table, the tables holding rows beyond ``migrate``'s own) of the connected database."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        filled = []
        for name in names:
            if name not in BOOKKEEPING_TABLES:
                cursor.execute(f"SELECT 1 FROM {quote(name)} LIMIT 1")
                if cursor.fetchone():
                    filled.append(name)
    return names, filled


def supported(connection):
    if connection.vendor not in SUPPORTED:
        raise BackupError(f"{connection.display_name} DB의 백업·복원은 지원하지 않습니다 (PostgreSQL, SQLite만).")


def dump(connection, path, during=None):
    """Write the dump to ``path``; return (facts of the dump, ``during()``).

    PostgreSQL: ``during`` runs in the dump's snapshot. SQLite: the page copy is itself
    consistent (one backup step under a read lock; it cannot run inside a transaction),
    its facts are read from the copy, and ``during`` runs right after it.
    """
    supported(connection)
    if connection.in_atomic_block:
        raise BackupError("백업은 열린 트랜잭션 밖에서 실행해야 합니다.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            found = facts(connection, target.cursor())
        finally:
            target.close()
        found["server_version"] = sqlite3.sqlite_version
        return found, (during() if during else None)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, version = cursor.fetchone()
            run(*pg_command(
                "pg_dump", connection.settings_dict,
                "--format=custom", f"--snapshot={snapshot}", f"--file={path}",
            ))
            found = facts(connection, cursor)
        found["server_version"] = version
        return found, (during() if during else None)


def restore(connection, path, *, replace):
    """Replace the connected database's content with the dump at ``path``.

    ``replace``: the database already has tables (dropped and recreated; PostgreSQL only
    needs to be told, SQLite's page copy replaces everything anyway).
    """
    supported(connection)
    if connection.in_atomic_block:
        raise BackupError("복원은 열린 트랜잭션 밖에서 실행해야 합니다.")
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean must not wait for our own locks
        options = ["--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
        if replace:
            options += ["--clean", "--if-exists"]
        run(*pg_command("pg_restore", connection.settings_dict, *options, str(path)))
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def pg_command(program, settings_dict, *arguments):
    """``program`` with the connection's host, port, user and database; (argv, extra environment).

    The password and TLS options travel in libpq's environment variables, as ``dbshell`` passes them.
    """
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} 명령을 찾을 수 없습니다. PostgreSQL 클라이언트(서버와 같은 판 이상)를 설치하세요."
        )
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = dict(env or {})
    options = settings_dict.get("OPTIONS") or {}
    if options.get("connect_timeout"):
        env["PGCONNECT_TIMEOUT"] = str(options["connect_timeout"])
    argv = [executable, "--no-password"]
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if settings_dict.get(key):
            argv.append(f"{flag}={settings_dict[key]}")
    dbname = settings_dict.get("NAME") or (None if options.get("service") else "postgres")
    if dbname:
        argv.append(f"--dbname={dbname}")
    return [*argv, *arguments], env


def run(argv, env):
    completed = subprocess.run(
        argv, check=False, env={**os.environ, **env}, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    if completed.returncode:
        program = os.path.basename(argv[0])
        raise BackupError(
            f"{program} 실행이 실패했습니다(종료 코드 {completed.returncode}). 아무것도 바뀌지 않았습니다.\n"
            + completed.stderr.strip()
        )
