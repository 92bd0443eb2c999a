from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "통합검색"

    def ready(self):
        # After every ``migrate`` (search/models.py says why this app has a models
        # module): the search table's triggers on every board's tables, a new board's
        # included, with no search migration for it (search/index.py).
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="search.after_migrate")


def after_migrate(sender, using="default", verbosity=1, stdout=None, **kwargs):
    from .index import install

    filled = install(using)
    if filled and verbosity >= 1 and stdout is not None:
        stdout.write(f"통합검색 색인을 채웠습니다: {', '.join(filled)}\n")
