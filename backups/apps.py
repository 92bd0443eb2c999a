from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """``backup_site`` and ``restore_site``: the database and every stored file, together."""

    name = "backups"
    verbose_name = "백업과 복원"
