from django.db import migrations

from boards.count_triggers import PostCountTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0005_board_count"),
        ("notices", "0008_files_read_in_background"),
    ]

    operations = [
        PostCountTriggers("notices_notice", key_column="kind"),
    ]
