"""Delete audit entries older than AUDIT_RETENTION_DAYS (never younger than a year)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from staff.models import AuditEntry


class Command(BaseCommand):
    help = "보존 기간(AUDIT_RETENTION_DAYS, 최소 365일)이 지난 감사 기록만 지웁니다."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="지우지 않고 몇 건인지만 봅니다.")

    def handle(self, *args, dry_run=False, **options):
        days = max(365, settings.AUDIT_RETENTION_DAYS)
        old = AuditEntry.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
        if dry_run:
            self.stdout.write(f"{days}일이 지난 감사 기록 {old.count()}건이 있습니다(지우지 않음).")
            return
        deleted, _ = old.delete()  # one DELETE: nothing cascades from an entry
        self.stdout.write(f"{days}일이 지난 감사 기록 {deleted}건을 지웠습니다.")
