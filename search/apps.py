from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "통합검색"

    def ready(self):
        # Sent once per ``migrate`` with this app as sender (search/models.py says why
        # it has a models module): every board's tables get their search keys, a new
        # board's included, with no search migration (search/ensure.py).
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="search.after_migrate")


def after_migrate(sender, using="default", verbosity=1, stdout=None, **kwargs):
    from .ensure import ensure_search_schema

    done = ensure_search_schema(using)
    if done and verbosity >= 1 and stdout is not None:
        stdout.write("Search keys and indexes brought in line (search/ensure.py):\n")
        stdout.writelines(f"  {statement}\n" for statement in done)
