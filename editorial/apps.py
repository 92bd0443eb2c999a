from django.apps import AppConfig
from django.db.models.signals import post_delete


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "게시 관리"

    def ready(self):
        from . import pending, retention  # noqa: F401 (retention: its receiver)

        # Any sender: board apps register their boards after this app is ready.
        post_delete.connect(pending.drop_with_post, dispatch_uid="editorial-pending-drop-with-post")
