"""The three roles as Django groups, their permissions kept in step after every ``migrate``.

A role's group says what kinds of things its members may touch; staff/policy.py
then keeps 작성자 and 승인자 to their own 부서. The groups are managed here: what
is added to them by hand is taken away at the next ``migrate`` (grant extra
permissions to a person or another group instead). Content is whatever the board
registry lists (boards.registry.content_apps), so a new board's models are
granted without a change here.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions

from boards import registry

from .models import Role

GROUP_NAMES = {Role.WRITER: "작성자", Role.APPROVER: "승인자", Role.MANAGER: "누리집 관리자"}
ACTIONS = ("add", "change", "delete", "view")
# Content only 누리집 관리자 changes: home banners and quick links, the 부서 list, and removing
# 본문 이미지 (anyone who writes posts uploads them through the editor).
SITE_APPS = {"home"}
SITE_MODELS = {"boards.department", "boards.bodyimage"}
# What else 누리집 관리자 looks after: accounts and their roles, lockouts, the logs.
MANAGER_EXTRA = {
    "auth.user": ACTIONS,
    "staff.staffprofile": ACTIONS,
    "staff.auditentry": ("view",),
    "privacy.privacyoverride": ("view",),
    "axes.accessattempt": ("view", "delete"),
    "axes.accesslog": ("view",),
}


def role_permissions(role):
    """{"app_label.model": actions} for ``role``."""
    content = [
        model for model in apps.get_models()
        if model._meta.app_label in registry.content_apps()
    ]
    granted = {}
    for model in content:
        label = model._meta.label_lower
        site_only = model._meta.app_label in SITE_APPS or label in SITE_MODELS
        if role == Role.MANAGER:
            granted[label] = ACTIONS
        elif site_only:
            granted[label] = ("view",) if label in SITE_MODELS else ()
        else:
            granted[label] = ACTIONS
    if role == Role.MANAGER:
        granted.update(MANAGER_EXTRA)
    return {label: actions for label, actions in granted.items() if actions}


# Permissions of the board models beyond add/change/delete/view, and the roles that hold them.
REVIEW_PERMISSIONS = {"approve_post": {Role.APPROVER, Role.MANAGER}}


def sync_role_groups(sender=None, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():  # apps after this one have had no post_migrate yet
        create_permissions(app_config, verbosity=0, using=using)
    permissions = list(Permission.objects.using(using).select_related("content_type"))
    every = {(permission.content_type.app_label, permission.codename): permission for permission in permissions}
    for role, name in GROUP_NAMES.items():
        wanted = [
            every[app_label, f"{action}_{model}"]
            for label, actions in role_permissions(role).items()
            for app_label, model in [label.split(".")]
            for action in actions
            if (app_label, f"{action}_{model}") in every
        ]
        wanted += [
            permission for permission in permissions
            if role in REVIEW_PERMISSIONS.get(permission.codename, ())
            and permission.content_type.app_label in registry.content_apps()
        ]
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(wanted)


def give_role_group(user, role):
    """Make ``role``'s group the only role group ``user`` is in (other groups stay)."""
    from django.contrib.auth.models import Group

    wanted = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])[0]
    held = list(user.groups.filter(name__in=GROUP_NAMES.values()))
    if held != [wanted]:
        user.groups.remove(*[group for group in held if group != wanted])
        user.groups.add(wanted)
