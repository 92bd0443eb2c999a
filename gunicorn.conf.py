"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden with the environment variable named beside it.
"""

import gc
import multiprocessing
import os

wsgi_app = "geumcheon_portal.wsgi:application"
# Web workers cancel a database statement after this long (residents get the 503 page; settings.py).
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Downloads are streamed; a slow client on a large 붙임 must not be cut off.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow for months.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker):
    """Leave what loading the portal made (some 80,000 objects) out of Python's full collections.

    They live as long as the worker; scanning them all took some 40 ms, inside whichever
    request happened to trigger it (the p99 of uncached searches: bench/run.py).
    """
    gc.freeze()
