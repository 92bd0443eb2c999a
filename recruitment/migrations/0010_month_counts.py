from django.db import migrations

from boards.month_triggers import PostMonthTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0006_board_month"),
        ("recruitment", "0009_post_counts"),
    ]

    operations = [
        PostMonthTriggers("recruitment_recruitmentpost"),
    ]
