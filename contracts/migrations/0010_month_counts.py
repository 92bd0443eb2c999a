from django.db import migrations

from boards.month_triggers import PostMonthTriggers


class Migration(migrations.Migration):

    dependencies = [
        ("boards", "0006_board_month"),
        ("contracts", "0009_post_counts"),
    ]

    operations = [
        PostMonthTriggers("contracts_contractnotice"),
    ]
