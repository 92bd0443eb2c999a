"""Staff accounts, their roles and 부서, and the audit log (read-only, CSV export)."""

import csv

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from .audit import record
from .models import AuditAction, AuditEntry, Role, StaffProfile
from .roles import give_role_group

User = get_user_model()


def describe(profile):
    return {
        "role": profile.get_role_display() if profile else "",
        "departments": sorted(department.name for department in profile.departments.all()) if profile else [],
    }


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    filter_horizontal = ["departments"]
    verbose_name_plural = "역할과 부서"


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department_names"]
    list_filter = ["role", "departments"]
    search_fields = ["user__username", "departments__name"]
    filter_horizontal = ["departments"]
    autocomplete_fields = ["user"]

    @admin.display(description="부서")
    def department_names(self, obj):
        return ", ".join(department.name for department in obj.departments.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("departments")

    def save_related(self, request, form, formsets, change):
        # The role is already saved by now, the 부서 not yet: "before" comes from what the form was shown with.
        before = {
            "role": Role(form.initial["role"]).label if change else "",
            "departments": sorted(department.name for department in form.initial.get("departments", [])),
        }
        super().save_related(request, form, formsets, change)
        note_role_change(request, form.instance.user, before)


def note_role_change(request, user, before):
    """Record who changed ``user``'s role or 부서, from what to what; keep the role's group in step."""
    profile = StaffProfile.objects.filter(user=user).first()
    after = describe(profile)
    if profile is not None:
        give_role_group(user, profile.role)
    if after != before:
        record(AuditAction.ROLE_CHANGE, actor=request.user if request else None, target=user, request=request,
               detail={"before": before, "after": after})


class PortalUserAdmin(UserAdmin):
    """Accounts; only superusers may make superusers or hand out permissions one by one."""

    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "is_staff", "is_active", "staff_role", "last_login"]
    list_select_related = ["staff_profile"]

    @admin.display(description="역할")
    def staff_role(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.get_role_display() if profile else "-"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Nobody but a superuser touches a superuser's account.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def save_related(self, request, form, formsets, change):
        profile = StaffProfile.objects.filter(user=form.instance).first() if change else None
        before = describe(profile)
        super().save_related(request, form, formsets, change)
        note_role_change(request, form.instance, before)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone: nothing in the log is added, changed or deleted through the admin."""

    list_display = ["created_at", "actor_name", "department", "action", "target_type", "target_repr", "ip_address"]
    list_filter = ["action", "department", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "target_repr", "department"]
    date_hierarchy = "created_at"
    list_per_page = 50
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
    change_list_template = "staff/auditentry_change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_csv)
        return [path("export/", export, name="staff_auditentry_export"), *super().get_urls()]

    def export_csv(self, request):
        """The entries the list shows (same filters and search), every page, as CSV (UTF-8 with BOM for Excel)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        record(AuditAction.AUDIT_EXPORT, actor=request.user, request=request,
               detail={"filters": request.GET.urlencode(), "rows": entries.count()})

        def rows():
            writer = csv.writer(Echo())
            yield "\ufeff" + writer.writerow(["일시", "아이디", "부서", "행위", "대상 종류", "대상 번호", "대상", "접속 주소", "내용"])
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow([
                    timezone.localtime(entry.created_at).isoformat(timespec="seconds"), entry.actor_name,
                    entry.department, entry.get_action_display(), entry.target_type, entry.target_id,
                    entry.target_repr, entry.ip_address or "", entry.detail,
                ])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
        return response


class Echo:
    def write(self, value):
        return value

