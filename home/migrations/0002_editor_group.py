"""The 편집자 group: what department staff who post to the boards may do in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "편집자"
ALL = ("add", "change", "delete", "view")

GRANTS = {
    "boards": {"department": ("view",)},
    "notices": {"notice": ALL, "noticeattachment": ALL},
    "recruitment": {"recruitmentpost": ALL, "recruitmentattachment": ALL},
    "contracts": {"contractnotice": ALL, "contractattachment": ALL},
    "press": {"pressrelease": ALL, "pressattachment": ALL, "pressphoto": ALL},
    "tourism": {"culturetrail": ALL, "trailstop": ALL},
    "home": {"herobanner": ALL, "quicklink": ALL},
}


def ensure_permissions(apps, using):
    """On a fresh database permissions are only made after migrate; make ours now."""
    for label in GRANTS:
        app_config = apps.get_app_config(label)
        # create_permissions skips apps without a models module, which the
        # historical app registry's configs never have.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = original


def create_editor_group(apps, schema_editor):
    using = schema_editor.connection.alias
    ensure_permissions(apps, using)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    wanted = []
    for app_label, models in GRANTS.items():
        for model, actions in models.items():
            content_type = ContentType.objects.using(using).get(app_label=app_label, model=model)
            codenames = [f"{action}_{model}" for action in actions]
            permissions = list(
                Permission.objects.using(using).filter(content_type=content_type, codename__in=codenames)
            )
            if len(permissions) != len(codenames):
                raise RuntimeError(f"missing permissions for {app_label}.{model}")
            wanted += permissions

    group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.add(*wanted)


def delete_editor_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("boards", "0001_initial"),
        ("notices", "0001_initial"),
        ("recruitment", "0001_initial"),
        ("contracts", "0001_initial"),
        ("press", "0001_initial"),
        ("tourism", "0001_initial"),
        ("home", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editor_group, delete_editor_group)]
