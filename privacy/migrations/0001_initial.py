"""PrivacyOverride moves here from ``boards``: same rows, table renamed, permissions kept.

The model's state is created over the existing ``boards_privacyoverride`` table
(boards 0003 drops it from the ``boards`` state), then the table takes this app's
name. Its content type moves too, so permissions already granted stay granted.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="boards", target="privacy"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="privacyoverride").exists():
        types.filter(app_label=source, model="privacyoverride").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="privacy", target="boards")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("boards", "0002_safe_files"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PrivacyOverride",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="게시글 번호")),
                        ("object_repr", models.CharField(max_length=200, verbose_name="게시글 제목")),
                        ("reason", models.TextField(verbose_name="공개 사유")),
                        ("findings", models.JSONField(default=list, verbose_name="검출 내용")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="일시")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype", verbose_name="게시판 종류")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="공개한 사람")),
                    ],
                    options={
                        "verbose_name": "개인정보 검출 공개 기록",
                        "verbose_name_plural": "개인정보 검출 공개 기록",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "boards_privacyoverride",
                        "indexes": [
                            models.Index(fields=["content_type", "object_id"], name="privacyoverride_object"),
                            models.Index(fields=["-created_at", "-id"], name="privacyoverride_recent"),
                        ],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("reason", ""), _negated=True), name="privacyoverride_reason_required", violation_error_message="공개 사유를 적어 주세요."),
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="privacyoverride", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
