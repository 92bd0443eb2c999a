"""Settings for the benchmark's gunicorn only: the portal's, plus the ceiling view.

Production never names this module, so nothing here is reachable there.
"""

from geumcheon_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
