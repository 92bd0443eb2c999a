"""Background work (Celery): the purges a district office must run daily, once for the whole cluster.

Production runs one worker (or more) and exactly one scheduler next to the app nodes:

    celery -A geumcheon_portal worker --loglevel=INFO
    celery -A geumcheon_portal beat --loglevel=INFO --schedule=/var/lib/geumcheon/celerybeat-schedule

with CELERY_BROKER_URL pointing at Redis. Without a broker (``make run``, the tests) every task
runs at once in the process that asks for it (eager mode): nothing extra to start.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geumcheon_portal.settings")
app = Celery("geumcheon_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["geumcheon_portal"])
