"""PrivacyOverride now lives in the ``privacy`` app (privacy 0001 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0002_safe_files"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="PrivacyOverride")]),
    ]
