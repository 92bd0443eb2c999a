from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "첫 화면"

    def ready(self):
        from boards.registry import register_content

        from .models import next_display_change

        register_content(self.label, next_change=next_display_change)
