from django.apps import AppConfig


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = "직원·감사"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from . import audit, roles  # noqa: F401  (audit connects its receivers)

        post_migrate.connect(roles.sync_role_groups, sender=self, dispatch_uid="staff.sync_role_groups")
        apps.get_app_config("axes").verbose_name = "로그인 잠금"  # its models' names come from locale/ko
        hide_second_factor_secrets()


def hide_second_factor_secrets():
    """Devices are made and reset only by create_staff: their admin pages would show the secret keys.
    (The admin has discovered every app's admin module by now: it is the first app to be ready.)"""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
