from django.db import migrations

from boards.count_triggers import PostCountTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0005_board_count"),
        ("recruitment", "0008_files_read_in_background"),
    ]

    operations = [
        PostCountTriggers("recruitment_recruitmentpost"),
    ]
