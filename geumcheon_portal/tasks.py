"""The scheduled jobs (settings CELERY_BEAT_SCHEDULE), each the management command of its room.

A job runs once at a time for the whole cluster: a lock in the shared cache, held for the
job's length, turns a second start (two schedulers by mistake, a retry) into a skip.
"""

import io
import logging
from functools import wraps

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command

logger = logging.getLogger(__name__)
LOCK_SECONDS = 3600


def once_in_the_cluster(job=None, *, lock_seconds=LOCK_SECONDS):
    """``@once_in_the_cluster``, or ``@once_in_the_cluster(lock_seconds=…)`` for a frequent short job: a
    worker killed mid-job leaves the lock behind until it expires."""
    if job is None:
        return lambda job: once_in_the_cluster(job, lock_seconds=lock_seconds)

    @wraps(job)
    def run(*args, **kwargs):
        key = f"job-lock:{job.__name__}"
        if not cache.add(key, "running", timeout=lock_seconds):
            logger.warning("작업 %s 이(가) 이미 돌고 있어 건너뜁니다.", job.__name__)
            return "skipped"
        try:
            return job(*args, **kwargs)
        finally:
            cache.delete(key)

    return run


def command_output(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    logger.info("%s: %s", name, out.getvalue().strip().splitlines()[-1:] or "")
    return out.getvalue()


@shared_task
@once_in_the_cluster
def purge_feedback():
    return command_output("purge_feedback")


@shared_task
@once_in_the_cluster
def purge_audit():
    return command_output("purge_audit")


@shared_task
@once_in_the_cluster
def purge_removed_files():
    return command_output("purge_removed_files")


@shared_task
@once_in_the_cluster
def read_waiting_files():
    return command_output("read_waiting_files")


# 이메일 알림 (subscriptions/): every minute, the posts that became public (a short lock: a lost tick
# must not stop the next ones for an hour); daily, the digest and the purge of unconfirmed requests.
@shared_task
@once_in_the_cluster(lock_seconds=300)
def announce_new_posts():
    return command_output("announce_new_posts")


@shared_task
@once_in_the_cluster
def send_subscription_digests():
    return command_output("send_subscription_digests")


@shared_task
@once_in_the_cluster
def purge_subscriptions():
    return command_output("purge_subscriptions")
