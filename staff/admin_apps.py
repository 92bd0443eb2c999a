from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin, with the site that asks for a second factor (staff/sites.py)."""

    default_site = "staff.sites.PortalAdminSite"
