"""Background work (issue: resilience, part 3, first step): the daily purges as Celery tasks, started by one
scheduler, run once at a time for the whole cluster; without a broker they run at once (make run, tests)."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from feedback.models import PageFeedback
from geumcheon_portal import tasks
from geumcheon_portal.celery import app

pytestmark = pytest.mark.django_db


def test_without_a_broker_tasks_run_at_once_and_do_their_work():
    assert settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL
    today = timezone.localdate()
    PageFeedback.objects.create(page="/news/1/", score=3, visitor="a" * 64, day=today - datetime.timedelta(days=400))
    kept = PageFeedback.objects.create(page="/news/1/", score=3, visitor="b" * 64, day=today)
    output = tasks.purge_feedback.delay().get()
    assert "1건" in output and list(PageFeedback.objects.all()) == [kept]


def test_every_scheduled_job_is_a_registered_task_run_daily_or_every_five_minutes():
    schedule = {job["task"]: job["schedule"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule == {
        "geumcheon_portal.tasks.purge_feedback": 24 * 3600, "geumcheon_portal.tasks.purge_audit": 24 * 3600,
        "geumcheon_portal.tasks.purge_removed_files": 24 * 3600,
        "geumcheon_portal.tasks.read_waiting_files": 300,  # a lost reading holds a post back no longer than this
        # 이메일 알림: scheduled posts announced within a minute of their time; the digest every morning.
        "geumcheon_portal.tasks.announce_new_posts": 60,
        "geumcheon_portal.tasks.send_subscription_digests": crontab(minute=0, hour=settings.SUBSCRIPTION_DIGEST_HOUR),
        "geumcheon_portal.tasks.purge_subscriptions": 24 * 3600,
    }
    assert all(task in app.tasks for task in schedule)
    assert "boards.read_uploaded_file" in app.tasks


def test_a_job_already_running_somewhere_in_the_cluster_is_skipped():
    cache.add("job-lock:purge_removed_files", "running", timeout=60)
    try:
        assert tasks.purge_removed_files.delay().get() == "skipped"
    finally:
        cache.delete("job-lock:purge_removed_files")
    assert "지웠습니다" in tasks.purge_removed_files.delay().get()  # the lock is let go after each run
    assert cache.get("job-lock:purge_removed_files") is None
