from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = "이메일 알림"

    def ready(self):
        from . import announcing, sending, subscribing  # noqa: F401  (their Celery tasks register here)

        announcing.connect_signals()
