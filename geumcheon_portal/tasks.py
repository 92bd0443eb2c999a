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


def once_in_the_cluster(job):
    @wraps(job)
    def run(*args, **kwargs):
        key = f"job-lock:{job.__name__}"
        if not cache.add(key, "running", timeout=LOCK_SECONDS):
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
