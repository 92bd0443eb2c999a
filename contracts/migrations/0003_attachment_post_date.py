"""붙임 carry their post's 게시일시, kept by triggers (boards/post_dates.py), with an index for 통합검색."""

from django.db import migrations, models

from boards.post_dates import PostDateTriggers


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_safe_files'),
    ]

    operations = [
        migrations.AddField(
            model_name='contractattachment',
            name='post_published_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='글 게시일시'),
        ),
        migrations.AddIndex(
            model_name='contractattachment',
            index=models.Index(fields=['-post_published_at', '-post', 'order', 'id'], name='contractattachment_newest'),
        ),
        PostDateTriggers("contracts_contractattachment", "contracts_contractnotice"),
    ]
