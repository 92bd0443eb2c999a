"""Remove a deleted 붙임's file only once the deletion has been committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import AttachmentBase


@receiver(post_delete)
def delete_file_after_commit(sender, instance, **kwargs):
    if not isinstance(instance, AttachmentBase) or not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    transaction.on_commit(lambda: storage.delete(name))
