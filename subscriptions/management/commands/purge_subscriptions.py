from django.conf import settings
from django.core.management.base import BaseCommand

from subscriptions.subscribing import purge


class Command(BaseCommand):
    help = (
        "확인하지 않은 이메일 알림 신청(SUBSCRIPTION_CONFIRM_DAYS일)과 오래된 발송 기록"
        "(SUBSCRIPTION_SENT_KEEP_DAYS일)을 지웁니다(매일 실행하도록 예약하세요)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="지우지 않고 건수만 봅니다")

    def handle(self, *args, dry_run, **options):
        pending, deliveries = purge(dry_run=dry_run)
        days, keep = settings.SUBSCRIPTION_CONFIRM_DAYS, settings.SUBSCRIPTION_SENT_KEEP_DAYS
        if dry_run:
            self.stdout.write(f"{days}일 지난 미확인 신청 {pending}건, {keep}일 지난 발송 기록 {deliveries}건을 "
                              "지울 수 있습니다(시험 실행).")
        else:
            self.stdout.write(f"{days}일 지난 미확인 신청 {pending}건, {keep}일 지난 발송 기록 {deliveries}건을 지웠습니다.")
