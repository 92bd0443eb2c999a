"""Stored files leave storage only once the deletion of their row has committed.

A rolled-back delete must not lose a file; a file left behind by a crash is
found by ``manage.py sweep_orphan_files`` instead. A model that says
``keeps_removed_files = True`` (a post's 붙임) leaves its files for
REMOVED_FILE_RETENTION_DAYS: editorial restores them with a revision and purges them later.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from .images import delete_renditions

# A stored file was served to staff through the admin (files/admin.py): sender is the
# model admin's class; request, obj (the row holding the file) and field come along.
stored_file_served = Signal()


@receiver(post_delete)
def delete_files_after_commit(sender, instance, **kwargs):
    """Any model's: every file field in the project stores under files.names' generated names."""
    if getattr(sender, "keeps_removed_files", False) and settings.REMOVED_FILE_RETENTION_DAYS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.FileField) and getattr(instance, field.attname):
            field_file = getattr(instance, field.attname)
            is_image = isinstance(field, models.ImageField)
            transaction.on_commit(lambda f=field_file, image=is_image: _delete(f, image))


def _delete(field_file, is_image):
    if is_image:
        delete_renditions(field_file)
    field_file.storage.delete(field_file.name)
