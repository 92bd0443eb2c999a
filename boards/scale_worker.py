"""The body of generate_scale_data's inserting processes.

They are started with "spawn" (a fresh interpreter), so this module imports
nothing of Django's at the top: the child sets Django up first, with the
parent's DATABASES setting (a test run points it at the test database).
"""

import os


def insert(batches, done, batch_size, databases):
    """Batches in, ``(posts, 붙임)`` counts out (or an error's text), None when finished."""
    try:
        import django
        from django.conf import settings

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geumcheon_portal.settings")
        settings.DATABASES.update(databases)  # before setup: apps may open connections
        django.setup()
        from django.db import connections

        from boards.management.commands.generate_scale_data import insert_batch

        while (batch := batches.get()) is not None:
            if isinstance(batch, str):  # the producer failed
                done.put(batch)
                return
            done.put((len(batch), insert_batch(batch, batch_size)))
        connections.close_all()
    except Exception as error:
        done.put(repr(error))
    finally:
        done.put(None)
