from django.apps import AppConfig


class BoardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "boards"
    verbose_name = "게시판 공통"

    def ready(self):
        from . import pagecache, signals  # noqa: F401
