from django.apps import AppConfig


class PressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "press"
    verbose_name = "보도자료"

    def ready(self):
        from boards.registry import Board, register

        from .models import PressRelease

        register(Board(
            slug="press", name="보도자료", model=PressRelease,
            description="금천구가 언론에 배포한 보도자료입니다.",
            detail_fields_template="press/_detail_fields.html",
            detail_prefetch=("attachments", "photos"),
        ))
