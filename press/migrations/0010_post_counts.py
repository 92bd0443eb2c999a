from django.db import migrations

from boards.count_triggers import PostCountTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0005_board_count"),
        ("press", "0009_files_read_in_background"),
    ]

    operations = [
        PostCountTriggers("press_pressrelease"),
    ]
