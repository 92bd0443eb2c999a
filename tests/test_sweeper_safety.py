"""sweep_orphan_files --delete cannot wipe storage from the wrong database.

It refuses (Korean message, exit status 1) when no board holds a post while storage holds
files, and, with DEBUG off, unless --confirm-database names the connected database.
Dry runs are always allowed.
"""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import NewsFactory, NoticeAttachmentFactory, PressPhotoFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def sweep(*args):
    out, err = StringIO(), StringIO()
    call_command("sweep_orphan_files", "--min-age-minutes", "0", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    with pytest.raises(CommandError) as caught:
        sweep(*args)
    assert caught.value.returncode != 0
    message = str(caught.value)
    assert message.startswith("고아 파일을 지우지 않았습니다.")
    return message


def database_name():
    return str(connection.settings_dict["NAME"])


@pytest.fixture
def files_without_posts():
    """What storage looks like when the command reaches an empty (wrong) database."""
    names = [default_storage.save(name, ContentFile(b"%PDF-1.4\n"))
             for name in ("notices/a.pdf", "press/b.pdf")]
    assert all(default_storage.exists(name) for name in names)
    return names


@pytest.fixture
def site_with_an_orphan():
    attachment = NoticeAttachmentFactory()
    photo = PressPhotoFactory()
    orphan = default_storage.save("notices/고아.pdf", ContentFile(b"%PDF-1.4\n"))
    return [attachment.file.name, photo.image.name], orphan


# --- no posts while storage holds files ------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
def test_delete_refused_when_no_board_holds_a_post(settings, files_without_posts, debug):
    settings.DEBUG = debug
    # Even with the right database named: an empty database makes every file look orphaned.
    message = refused("--delete", "--confirm-database", database_name())
    assert "어느 게시판에도 게시글이 없는데" in message
    assert "이대로 지우면 모든 파일이 지워집니다" in message
    assert database_name() in message
    assert all(default_storage.exists(name) for name in files_without_posts)


def test_rows_elsewhere_do_not_count_as_posts(settings, files_without_posts):
    """A database with departments and users but no post is still not the site's."""
    settings.DEBUG = True
    NewsFactory().delete()  # leaves its 부서 behind
    message = refused("--delete")
    assert "게시글이 없는데" in message
    assert all(default_storage.exists(name) for name in files_without_posts)


def test_dry_run_without_posts_lists_and_warns_but_deletes_nothing(files_without_posts):
    out, err = sweep()
    assert "주의: 이 DB" in err and "게시글이 하나도 없습니다" in err
    for name in files_without_posts:
        assert f"고아 파일: {name}" in out
    assert "고아 파일 2개를 찾았습니다" in out
    assert all(default_storage.exists(name) for name in files_without_posts)


def test_delete_with_empty_storage_and_no_posts_is_allowed(settings):
    settings.DEBUG = True
    out, _ = sweep("--delete")
    assert "고아 파일 0개를 지웠습니다" in out


# --- DEBUG off: the database must be named -------------------------------------------------------


def test_production_delete_refused_without_the_database_named(site_with_an_orphan):
    _kept, orphan = site_with_an_orphan
    message = refused("--delete")
    assert "운영 모드(DEBUG 꺼짐)" in message and "--confirm-database" in message
    assert database_name() in message  # the operator sees which database this is
    assert "게시글이 없는데" not in message
    assert default_storage.exists(orphan)


def test_production_delete_refused_when_another_database_is_named(site_with_an_orphan):
    _kept, orphan = site_with_an_orphan
    message = refused("--delete", "--confirm-database", "geumcheon_production")
    assert "'geumcheon_production'" in message and "다릅니다" in message
    assert default_storage.exists(orphan)


def test_production_delete_with_the_database_named_removes_only_orphans(site_with_an_orphan):
    kept, orphan = site_with_an_orphan
    out, _ = sweep("--delete", "--confirm-database", database_name())
    assert f"지움: {orphan}" in out
    assert "고아 파일 1개를 지웠습니다" in out
    assert not default_storage.exists(orphan)
    assert all(default_storage.exists(name) for name in kept)


def test_development_delete_needs_no_name(settings, site_with_an_orphan):
    settings.DEBUG = True
    kept, orphan = site_with_an_orphan
    out, _ = sweep("--delete")
    assert f"지움: {orphan}" in out
    assert not default_storage.exists(orphan)
    assert all(default_storage.exists(name) for name in kept)


def test_dry_run_in_production_needs_no_name(site_with_an_orphan):
    _kept, orphan = site_with_an_orphan
    out, err = sweep()
    assert f"고아 파일: {orphan}" in out and err == ""
    assert default_storage.exists(orphan)


def test_without_the_post_models_setting_nothing_is_deleted(settings, site_with_an_orphan):
    settings.DEBUG = True
    del settings.ORPHAN_SWEEP_POST_MODELS
    _kept, orphan = site_with_an_orphan
    assert "ORPHAN_SWEEP_POST_MODELS" in refused("--delete")
    assert default_storage.exists(orphan)


# --- the real command line against a fresh, empty database -----------------------------------


def test_manage_py_against_an_empty_database_exits_non_zero_and_keeps_every_file(tmp_path):
    media = tmp_path / "prod-media"
    (media / "notices").mkdir(parents=True)
    (media / "notices" / "공고문.pdf").write_bytes(b"%PDF-1.4\n")
    empty = tmp_path / "wrong.sqlite3"
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{empty}", "MEDIA_ROOT": str(media), "DEBUG": "",
        "PYTHONWARNINGS": "ignore",
    }
    command = [sys.executable, "manage.py", "sweep_orphan_files", "--delete", "--min-age-minutes", "0"]
    run = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "고아 파일을 지우지 않았습니다" in run.stderr
    assert "게시글이 없는데" in run.stderr and "운영 모드(DEBUG 꺼짐)" in run.stderr
    assert (media / "notices" / "공고문.pdf").read_bytes() == b"%PDF-1.4\n"

    dry = subprocess.run(
        command[:3], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert dry.returncode == 0, dry.stderr
    assert "게시글이 하나도 없습니다" in dry.stderr
    assert (media / "notices" / "공고문.pdf").exists()
