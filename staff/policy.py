"""Who may do what to what in the admin: one answer for every admin page, the file views and (later) the API.

Two questions, always both:
- may this person touch this kind of thing at all? Django's model permissions,
  which the role groups hand out (staff/roles.py);
- is this particular thing theirs? 작성자 and 승인자 work on their own 부서's
  posts, 붙임 and trails only; 누리집 관리자 and superusers on every 부서's.
An item belongs to the 부서 in its ``department`` field, a row under a post
(붙임, 보도 사진) to its post's. Nothing without a 부서 belongs to a 작성자.
"""

from .models import Role


class Policy:
    def is_site_manager(self, user):
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or self._profile_role(user) == Role.MANAGER

    def departments(self, user):
        """The ids of the 부서 ``user`` works for; None for every 부서."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return set()
        if self.is_site_manager(user):
            return None
        cached = getattr(user, "_staff_departments", None)  # once per request: the user object is per request
        if cached is None:
            profile = self._profile(user)
            cached = set(profile.departments.values_list("pk", flat=True)) if profile else set()
            user._staff_departments = cached
        return cached

    def department_of(self, obj):
        if hasattr(obj, "department_id"):
            return obj.department_id
        post = getattr(obj, "post", None)
        return getattr(post, "department_id", None)

    def covers(self, user, obj):
        """Whether ``obj`` belongs to a 부서 ``user`` works for."""
        departments = self.departments(user)
        return departments is None or self.department_of(obj) in departments

    def may(self, user, action, obj):
        opts = obj._meta
        return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") and self.covers(user, obj)

    def scope(self, user, queryset, path="department"):
        """``queryset`` narrowed to what ``user``'s 부서 own (``path`` leads to the 부서)."""
        departments = self.departments(user)
        return queryset if departments is None else queryset.filter(**{f"{path}__in": departments})

    def _profile(self, user):
        try:
            return user.staff_profile
        except user._meta.model.staff_profile.RelatedObjectDoesNotExist:
            return None

    def _profile_role(self, user):
        profile = self._profile(user)
        return profile.role if profile else None


policy = Policy()
