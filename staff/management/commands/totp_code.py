"""Print a staff account's current authenticator code: for local development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staff.credentials import current_code


class Command(BaseCommand):
    help = "개발용: 계정의 지금 2단계 인증 코드를 보여 줍니다(DEBUG일 때만)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("운영 환경(DEBUG 꺼짐)에서는 쓸 수 없습니다. 인증 앱의 코드를 쓰세요.")
        user = get_user_model().objects.filter(username=username).first()
        code = current_code(user) if user else None
        if code is None:
            raise CommandError(f"{username} 계정에 등록된 인증 앱이 없습니다.")
        self.stdout.write(code)
