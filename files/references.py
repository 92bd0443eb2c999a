"""Which stored names the database still points at: every file field's, and any room's own (``referenced_files``)."""

from django.apps import apps
from django.db import models
from django.dispatch import Signal

# Receivers return an iterable of stored names that must stay although no file field holds them
# (editorial keeps removed 붙임's files for a while so a revision can bring them back).
referenced_files = Signal()


def referenced_names():
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.attname: ""})
                    .values_list(field.attname, flat=True)
                    .iterator(chunk_size=2000)
                )
    for _, kept in referenced_files.send(sender=None):
        names.update(kept)
    return names
