from django.apps import AppConfig


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = "직원·감사"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit, roles  # noqa: F401  (audit connects its receivers)

        post_migrate.connect(roles.sync_role_groups, sender=self, dispatch_uid="staff.sync_role_groups")
