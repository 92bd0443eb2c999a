from django.apps import AppConfig


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notices"
    verbose_name = "금천소식·고시공고"

    def ready(self):
        from boards.registry import Board, register

        from .models import Notice

        register(Board(
            slug="news", name="금천소식", model=Notice, filters={"kind": Notice.Kind.NEWS},
            description="금천구 동 주민센터와 부서의 소식을 알려 드립니다.",
        ))
        register(Board(
            slug="notices", name="고시공고", model=Notice, filters={"kind": Notice.Kind.NOTICE},
            description="금천구의 고시와 공고입니다.",
            detail_fields_template="notices/_detail_fields.html",
            list_badge_template="notices/_list_badge.html",
        ))
