import datetime

from django.core.management.base import BaseCommand, CommandError

from boards import file_reading, registry
from editorial.models import PendingAttachment


class Command(BaseCommand):
    help = "파일이 커서 따로 확인하기로 한 붙임 가운데 아직 읽지 못한 것(작업이 사라진 경우)을 다시 읽도록 요청합니다."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10, help="이보다 오래 기다린 붙임만 (기본 10분).")

    def handle(self, *args, minutes=10, **options):
        if minutes < 0:
            raise CommandError("--minutes 는 0 이상이어야 합니다.")
        models = [*registry.attachment_models(), PendingAttachment]
        asked = file_reading.read_waiting_files(models, older_than=datetime.timedelta(minutes=minutes))
        self.stdout.write(f"확인을 기다리는 붙임 {asked}개를 다시 요청했습니다.")
