"""Settings for the benchmark only: the portal's, plus the ceiling view and the bench app.

bench/run.py runs gunicorn and ``generate_scale_data`` (a command of the bench
app, see bench/apps.py) with this module. Production never names it, so nothing
here is reachable there.
"""

from geumcheon_portal.settings import *  # noqa: F403
from geumcheon_portal.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
