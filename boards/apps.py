from django.apps import AppConfig


class BoardsConfig(AppConfig):
    default = True  # this module holds BoardAppConfig too: say which one is boards'
    default_auto_field = "django.db.models.BigAutoField"
    name = "boards"
    verbose_name = "게시판 공통"

    def ready(self):
        from django.core import checks

        from . import pagecache, registry, site_url  # pagecache connects its receivers

        checks.register(pagecache.check_one_cache_truth, checks.Tags.caches)
        checks.register(site_url.check_site_url)
        registry.register_content(self.label)  # 부서: names and phone numbers on every post page


class BoardAppConfig(AppConfig):
    """An app holding boards: ``boards`` lists registry.Board's arguments, the model by its name."""

    default_auto_field = "django.db.models.BigAutoField"
    boards = ()

    def ready(self):
        from .registry import Board, register

        for options in self.boards:
            register(Board(**{**options, "model": self.get_model(options["model"])}))
