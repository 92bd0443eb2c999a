from django.apps import AppConfig


class OpendataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opendata"
    verbose_name = "공공데이터 개방"
