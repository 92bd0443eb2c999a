"""The audit log: ``record()``, and the receivers that call it for what happens anywhere.

Rooms below this one (boards, files, privacy) never import it: what they do
reaches the log through Django's own records and signals — the admin's LogEntry
for every add, change and delete, a PrivacyOverride row, a login signal,
django-axes' lockout signal, a stored file served to staff (files.signals).
"""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from axes.signals import user_locked_out
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from editorial import review
from editorial.takedown import taken_down
from files.signals import stored_file_served
from privacy.models import PrivacyOverride

from .models import AuditAction, AuditEntry
from .network import client_ip

LOG_ACTIONS = {ADDITION: AuditAction.CREATE, CHANGE: AuditAction.CHANGE, DELETION: AuditAction.DELETE}


def record(action, *, actor=None, actor_name="", target=None, target_type="", target_repr="", target_id="",
           department="", request=None, detail=None):
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    if target is not None:
        target_type = target_type or target._meta.verbose_name
        target_id = target_id or str(target.pk or "")
        target_repr = target_repr or str(target)
        department = department or department_name(target)
    if actor is not None:
        actor_name = actor_name or actor.get_username()
        department = department or ", ".join(actor_departments(actor))
    return AuditEntry.objects.create(
        action=action, actor=actor, actor_name=actor_name[:150], department=department[:200],
        target_type=str(target_type)[:100], target_id=str(target_id)[:64], target_repr=str(target_repr)[:200],
        ip_address=client_ip(request) if request is not None else None, detail=detail or {},
    )


def department_name(obj):
    department = getattr(obj, "department", None)
    if department is None and getattr(obj, "post", None) is not None:
        department = getattr(obj.post, "department", None)
    return getattr(department, "name", "") or ""


def actor_departments(user):
    profile = getattr(user, "staff_profile", None)  # RelatedObjectDoesNotExist is an AttributeError
    return [department.name for department in profile.departments.all()] if profile else []


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    if user.is_staff:
        record(AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None and user.is_staff:
        record(AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    actor = get_user_model().objects.filter(username=username).first()
    record(AuditAction.LOGIN_FAILED, actor=actor, actor_name=username, request=request)


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    actor = get_user_model().objects.filter(username=username).first() if username else None
    record(AuditAction.LOCKOUT, actor=actor, actor_name=username or "", request=request,
           detail={"ip_address": ip_address})


@receiver(post_save, sender=LogEntry)
def admin_logged(sender, instance, created, **kwargs):
    if not created or instance.action_flag not in LOG_ACTIONS:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    record(
        LOG_ACTIONS[instance.action_flag], actor=instance.user,
        target_type=model._meta.verbose_name if model else "", target_id=instance.object_id or "",
        target_repr=instance.object_repr, detail={"change": instance.get_change_message()},
    )


@receiver(post_save, sender=PrivacyOverride)
def privacy_overridden(sender, instance, created, **kwargs):
    if created:
        record(
            AuditAction.PRIVACY_OVERRIDE, actor=instance.user,
            target_type=instance.content_type.model_class()._meta.verbose_name,
            target_id=instance.object_id, target_repr=instance.object_repr,
            detail={"reason": instance.reason, "findings": instance.findings},
        )


@receiver(post_save, sender=TOTPDevice)
@receiver(post_save, sender=StaticDevice)
def device_added(sender, instance, created, **kwargs):
    if created:
        record(AuditAction.OTP_SETUP, actor=instance.user, detail={"device": sender.__name__})


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=StaticDevice)
def device_removed(sender, instance, **kwargs):
    record(AuditAction.OTP_RESET, target=instance.user, detail={"device": sender.__name__})


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
def permissions_changed(sender, instance, action, pk_set, model, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, get_user_model()):
        names = sorted(str(item) for item in model.objects.filter(pk__in=pk_set or []))
        record(AuditAction.PERMISSION_CHANGE, target=instance, detail={action.removeprefix("post_"): names})


@receiver(stored_file_served)
def staff_download(sender, request, obj, field, **kwargs):
    owner = getattr(obj, "post", obj)
    if getattr(owner, "is_public", True) is False:
        record(AuditAction.STAFF_DOWNLOAD, actor=request.user, target=obj, request=request,
               detail={"field": field})


@receiver(taken_down)
def post_taken_down(sender, post, user, reason, note, **kwargs):
    record(AuditAction.TAKEDOWN, actor=user, target=post, detail={"reason": reason, "note": note})


@receiver(review.submitted)
def post_submitted(sender, post, user, **kwargs):
    record(AuditAction.SUBMIT, actor=user, target=post)


@receiver(review.approved)
def post_approved(sender, post, user, **kwargs):
    record(AuditAction.APPROVE, actor=user, target=post, detail={"submitted_by": getattr(post.submitted_by, "username", "")})


@receiver(review.rejected)
def post_rejected(sender, post, user, reason, **kwargs):
    record(AuditAction.REJECT, actor=user, target=post, detail={"reason": reason})
