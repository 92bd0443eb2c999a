from django.db import migrations

from boards.month_triggers import PostMonthTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0006_board_month"),
        ("notices", "0009_post_counts"),
    ]

    operations = [
        PostMonthTriggers("notices_notice", key_column="kind"),
    ]
