"""generate_scale_data: the posts it makes, reproducibly, and --clear."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from boards import registry
from boards.management.commands import generate_scale_data as scale
from tests.factories import NewsFactory

UNTIL = datetime.date(2026, 1, 31)


def generate(posts, **options):
    call_command("generate_scale_data", posts=posts, seed=5, until=UNTIL, stdout=io.StringIO(),
                 stderr=io.StringIO(), **options)


def generated_rows():
    rows = []
    for model in dict.fromkeys(scale.POST_MODELS.values()):
        posts = model.objects.filter(department__in=scale.generated_departments())
        rows += posts.values_list("title", "body_text", "published_at", "is_published")
    return sorted(rows)


def generated_files():
    names = []
    for model in scale.ATTACHMENT_MODELS.values():
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

    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    assert generated_rows() == [] and generated_files() == []
    assert not scale.generated_departments().exists()
    own.refresh_from_db()


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_posts_whatever_the_number_of_workers():
    generate(300, workers=1)
    first, first_files = generated_rows(), generated_files()
    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    workers = 2 if connection.vendor == "postgresql" else 1  # SQLite: one writer
    generate(300, workers=workers)
    assert generated_rows() == first
    assert generated_files() == first_files


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored search keys are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_generated_rows_get_their_search_keys_from_the_database():
    generate(200, workers=2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(search_keys) FROM notices_notice")
        total, keyed = cursor.fetchone()
    assert total > 0 and keyed == total
    found = registry.get("news").posts().published().search("안내")
    assert found.exists()


def test_bad_numbers_are_refused_with_a_korean_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--workers ≥ 1"):
        call_command("generate_scale_data", posts=10, workers=0, stdout=io.StringIO())


def test_inserting_processes_that_vanish_without_a_word_stop_the_load():
    """received(): the loading loop is told (and raises a Korean CommandError) instead of waiting forever."""
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
    found = scale.received(reports, [Gone(), Gone()])
    assert next(found) == (10, 1)
    assert next(found) == "글을 넣는 프로세스가 모두 예고 없이 끝났습니다."

    last = Working()
    waiting = scale.received(queue.Queue(), [Gone(), last])
    result = []
    reader = threading.Thread(target=lambda: result.append(next(waiting)), daemon=True)
    reader.start()
    reader.join(timeout=2.5)
    assert reader.is_alive() and not result  # one still at work: keep waiting
    last.alive = False
    reader.join(timeout=5)
    assert result == ["글을 넣는 프로세스가 모두 예고 없이 끝났습니다."]
