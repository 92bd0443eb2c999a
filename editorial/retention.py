"""A removed 붙임's file stays REMOVED_FILE_RETENTION_DAYS, never served, so a restored revision can bring it back.

Its row is gone; its history record (django-simple-history) still names the file.
``sweep_orphan_files`` leaves such files alone (``referenced_files``); after the
retention period ``manage.py purge_removed_files`` deletes them.
"""

import datetime

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from boards import registry
from files.references import referenced_files, referenced_names


def removal_records(**filters):
    for model in registry.attachment_models():
        yield from model.history.filter(history_type="-", **filters).exclude(file="").values_list(
            "file", "history_date"
        ).iterator(chunk_size=2000)


def retention_cutoff(now=None, days=None):
    days = settings.REMOVED_FILE_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - datetime.timedelta(days=days)


@receiver(referenced_files)
def files_kept_for_restoring(sender, **kwargs):
    return {name for name, _ in removal_records(history_date__gte=retention_cutoff())}


def purge(storage, *, now=None, days=None, dry_run=False):
    """Delete the files of 붙임 removed before the retention period; returns their names.

    A name still held by a row (a restored 붙임) or removed again lately stays.
    """
    cutoff = retention_cutoff(now, days)
    old = {name for name, _ in removal_records(history_date__lt=cutoff)}
    recent = {name for name, _ in removal_records(history_date__gte=cutoff)}
    held = referenced_names() - recent
    doomed = sorted(name for name in old - recent - held if storage.exists(name))
    if not dry_run:
        for name in doomed:
            storage.delete(name)
    return doomed
