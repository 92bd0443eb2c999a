"""
WSGI config for geumcheon_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'geumcheon_portal.settings')

application = get_wsgi_application()

# gunicorn runs no system checks: a configuration that would serve taken-down posts from
# some workers (boards/pagecache.py check_one_cache_truth) must not start at all.
from django.core import checks  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

_errors = [error for error in checks.run_checks(tags=[checks.Tags.caches]) if error.is_serious()]
if _errors:
    raise ImproperlyConfigured("; ".join(f"{error.id}: {error.msg} {error.hint}" for error in _errors))
