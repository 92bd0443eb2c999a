"""The portal's settings plus a throwaway sixth board (tests/test_sixth_board.py).

Only the nested test run in tests/test_sixth_board.py uses these settings: the
rest of the suite keeps the five real boards.
"""

from geumcheon_portal.settings import *  # noqa: F403
from geumcheon_portal.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sixth_board"]
# Beside the outer run's test database, never in place of it.
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["TEST"]["NAME"] = f"test_{DATABASES['default']['NAME']}_sixth_board"
