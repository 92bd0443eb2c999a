"""The benchmark as a Django app, so that its ``generate_scale_data`` command exists.

Only bench/settings.py installs it: the portal's settings never do, so production
carries no benchmark data generator (tests/test_scale_data.py checks this).
"""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "벤치마크"
