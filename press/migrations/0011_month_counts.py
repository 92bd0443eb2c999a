from django.db import migrations

from boards.month_triggers import PostMonthTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0006_board_month"),
        ("press", "0010_post_counts"),
    ]

    operations = [
        PostMonthTriggers("press_pressrelease"),
    ]
