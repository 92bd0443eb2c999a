"""generate_scale_data: the posts it makes, reproducibly, and --clear; and that it is the bench's only.

The tests run with the portal's settings, which do not install the bench app, so
the command is called through its object (under bench.settings it is found by name).
"""

import ast
import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from bench import scale_data as scale
from bench import scale_loader
from bench.management.commands.generate_scale_data import Command
from boards import registry
from notices.models import Notice
from tests.factories import NewsFactory

UNTIL = datetime.date(2026, 1, 31)
ROOT = Path(__file__).resolve().parent.parent
COMMON_FIELDS = {"title", "body", "body_text", "department_id", "published_at", "is_published", "view_count"}


def generate(posts, **options):
    call_command(Command(), posts=posts, seed=5, until=UNTIL, stdout=io.StringIO(),
                 stderr=io.StringIO(), **options)


def clear():
    call_command(Command(), clear=True, stdout=io.StringIO())


def generated_rows():
    rows = []
    for model in registry.post_models():
        posts = model.objects.filter(department__in=scale.generated_departments())
        rows += posts.values_list("title", "body_text", "published_at", "is_published")
    return sorted(rows)


def generated_files():
    names = []
    for model in registry.attachment_models():
        names += model.objects.filter(post__department__in=scale.generated_departments()).values_list(
            "original_name", "extracted_text")
    return sorted(names)


@pytest.mark.django_db(transaction=True)
def test_posts_spread_over_every_board_and_twenty_years_and_clear_removes_only_them():
    own = NewsFactory(title="직접 쓴 소식")
    generate(600)
    rows = generated_rows()
    assert len(rows) == 600
    for board in registry.all_boards():
        assert board.posts().filter(department__in=scale.generated_departments()).exists(), board.slug
    years = {published_at.year for _, _, published_at, _ in rows}
    assert min(years) <= UNTIL.year - 19 and max(years) >= UNTIL.year
    assert all(title and len(body) > 50 for title, body, _, _ in rows)
    files = generated_files()
    assert files and all(text for _, text in files)

    clear()
    assert generated_rows() == [] and generated_files() == []
    assert not scale.generated_departments().exists()
    own.refresh_from_db()


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_posts_whatever_the_number_of_workers():
    generate(300, workers=1)
    first, first_files = generated_rows(), generated_files()
    clear()
    workers = 2 if connection.vendor == "postgresql" else 1  # SQLite: one writer
    generate(300, workers=workers)
    assert generated_rows() == first
    assert generated_files() == first_files


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search table is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_generated_rows_are_in_the_search_table():
    """Small loads go through the triggers (search/index.py): every post gets its row."""
    generate(200, workers=2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(e.object_id) FROM notices_notice AS p "
                       "LEFT JOIN search_entry AS e ON e.source = 'notices_notice' AND e.object_id = p.id")
        total, keyed = cursor.fetchone()
    assert total > 0 and keyed == total
    found = registry.get("news").posts().published().search("안내")
    assert found.exists()


def test_bad_numbers_are_refused_with_a_korean_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--workers ≥ 1"):
        call_command(Command(), posts=10, workers=0, stdout=io.StringIO())


def test_inserting_processes_that_vanish_without_a_word_stop_the_load():
    """received(): the load is told (and stops with a Korean error) instead of waiting forever."""
    import queue
    import threading

    class Gone:
        def is_alive(self):
            return False

    class Working:
        alive = True

        def is_alive(self):
            return self.alive

    reports = queue.Queue()
    reports.put((10, 1))
    found = scale_loader.received(reports, [Gone(), Gone()])
    assert next(found) == (10, 1)
    assert next(found) == "글을 넣는 프로세스가 모두 예고 없이 끝났습니다."

    last = Working()
    waiting = scale_loader.received(queue.Queue(), [Gone(), last])
    result = []
    reader = threading.Thread(target=lambda: result.append(next(waiting)), daemon=True)
    reader.start()
    reader.join(timeout=2.5)
    assert reader.is_alive() and not result  # one still at work: keep waiting
    last.alive = False
    reader.join(timeout=5)
    assert result == ["글을 넣는 프로세스가 모두 예고 없이 끝났습니다."]


@pytest.mark.django_db
def test_a_stopped_load_is_a_korean_command_error(monkeypatch):
    from django.core.management.base import CommandError

    def stopped(*args):
        raise scale_loader.LoadStopped(scale_loader.VANISHED)

    monkeypatch.setattr(scale_loader, "load", stopped)
    with pytest.raises(CommandError, match=f"글을 만들다 멈췄습니다: {scale_loader.VANISHED}"):
        generate(10, workers=1)


# --- boards come from the registry ---------------------------------------------------------------


@pytest.fixture
def later_board(monkeypatch):
    """A board registered after the five, that bench/scale_data.py has no entry for.

    Its posts are Notice rows of a kind of their own, so ``board.posts()`` tells
    them apart. The registry is restored afterwards.
    """
    monkeypatch.setattr(registry, "_BOARDS", dict(registry._BOARDS))
    board = registry.Board(slug="bulletins", name="알림판", model=Notice, filters={"kind": "bulletin"})
    registry.register(board)
    return board


def test_every_registered_board_has_a_share_the_five_first_as_before():
    shares = [(board.slug, share) for board, share in scale.board_shares()]
    assert {slug for slug, _ in shares} == {board.slug for board in registry.all_boards()}
    assert shares[:5] == list(scale.BOARD_SHARES.items())


def test_a_board_registered_later_gets_posts_with_the_common_fields_and_its_filters(later_board):
    assert (later_board, scale.DEFAULT_SHARE) in scale.board_shares()
    generator = scale.Generator(seed=5, posts=600, years=20, until=UNTIL, attachment_share=0.2,
                                departments=[1, 2, 3])
    posts = [post for batch in generator.batches(200) for post in batch]
    later = [(fields, files) for slug, fields, files in posts if slug == "bulletins"]
    assert len(later) > 20  # 10 of 110 shares: some 55 of 600
    assert all(set(fields) == COMMON_FIELDS | {"kind"} for fields, _ in later)
    assert all(fields["kind"] == "bulletin" for fields, _ in later)
    assert any(files for _, files in later)
    for slug, fields, _ in posts:  # every post is one of its board's
        assert all(fields[name] == value for name, value in registry.get(slug).filters.items())


@pytest.mark.django_db(transaction=True)
def test_a_board_registered_later_is_filled_and_cleared(later_board):
    generate(300, workers=1)  # one process: spawned ones would not know this test's board
    mine = later_board.posts().filter(department__in=scale.generated_departments())
    assert mine.exists()
    assert len(generated_rows()) == 300
    clear()
    assert not mine.exists() and generated_rows() == []


# --- the bench's, not the portal's ------------------------------------------------------------------


def test_the_portal_settings_carry_neither_the_bench_app_nor_its_command():
    from django.apps import apps
    from django.conf import settings
    from django.core.management import get_commands

    assert settings.SETTINGS_MODULE == "geumcheon_portal.settings"
    assert not any(app == "bench" or app.startswith("bench.") for app in settings.INSTALLED_APPS)
    assert not apps.is_installed("bench")
    assert "generate_scale_data" not in get_commands()


def test_the_bench_settings_list_the_command_and_the_portal_settings_do_not():
    def commands(settings_module):
        run = subprocess.run(
            [sys.executable, "manage.py", "help", "--commands"], cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}, check=True,
        )
        return run.stdout.split()

    assert "generate_scale_data" in commands("bench.settings")
    assert "generate_scale_data" not in commands("geumcheon_portal.settings")


def test_no_module_of_the_portal_imports_the_bench():
    """The dependency goes one way: bench/ reads the portal, the portal never reads bench/."""
    from django.apps import apps

    packages = {ROOT / "geumcheon_portal"} | {
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == ROOT
    }
    assert ROOT / "boards" in packages
    for package in packages:
        for path in package.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                assert not any(name == "bench" or name.startswith("bench.") for name in names), path


@pytest.mark.django_db(transaction=True)
def test_a_load_from_several_processes_leaves_every_board_count_exact():
    from django.utils import timezone

    from boards.post_counts import public_count

    generate(400, workers=2 if connection.vendor == "postgresql" else 1)  # SQLite: one process
    now = timezone.now()
    for board in registry.all_boards():
        assert public_count(board, now) == board.posts().published(now).count(), board.slug
    clear()
    assert all(public_count(board, now) == board.posts().published(now).count() for board in registry.all_boards())
