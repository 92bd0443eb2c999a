import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.models import PageFeedback

# The period the 개인정보처리방침 promises (templates/policy/privacy.html).
KEEP_DAYS = 365


class Command(BaseCommand):
    help = "보유기간이 지난 페이지 만족도 응답을 지웁니다(기본 365일, 매일 실행하도록 예약하세요)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_DAYS, help="보유 일수 (기본 365)")
        parser.add_argument("--dry-run", action="store_true", help="지우지 않고 건수만 봅니다")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("보유 일수는 1 이상이어야 합니다.")
        cutoff = timezone.localdate() - datetime.timedelta(days=days)
        expired = PageFeedback.objects.filter(day__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{cutoff} 이전 응답 {expired.count()}건을 지울 수 있습니다(시험 실행).")
        else:
            deleted, _ = expired.delete()
            self.stdout.write(f"{cutoff} 이전 응답 {deleted}건을 지웠습니다.")
