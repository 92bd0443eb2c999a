from django.apps import AppConfig


class TourismConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tourism"
    verbose_name = "문화관광"

    def ready(self):
        from boards.registry import register_content

        register_content(self.label)
