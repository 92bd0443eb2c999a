from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from editorial import retention


class Command(BaseCommand):
    help = "보관 기간(REMOVED_FILE_RETENTION_DAYS)이 지난, 삭제된 붙임의 파일을 지웁니다."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"이보다 오래전에 삭제된 붙임의 파일을 지웁니다 (기본 {settings.REMOVED_FILE_RETENTION_DAYS}일).")
        parser.add_argument("--dry-run", action="store_true", help="지우지 않고 목록만 보여 줍니다.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days 는 0 이상이어야 합니다.")
        names = retention.purge(default_storage, days=days, dry_run=dry_run)
        for name in names:
            self.stdout.write(("지울 파일: " if dry_run else "지움: ") + name)
        self.stdout.write(f"삭제된 붙임의 파일 {len(names)}개를 {'찾았습니다 (지우려면 --dry-run 없이)' if dry_run else '지웠습니다'}.")
