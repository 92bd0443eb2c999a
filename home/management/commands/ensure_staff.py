"""Make sure a first administrator exists, and show its password exactly once."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

USERNAME = "admin"


class Command(BaseCommand):
    help = "관리자 계정이 없으면 admin 계정을 만들고 비밀번호를 한 번만 보여 줍니다."

    def handle(self, *args, **options):
        User = get_user_model()
        with transaction.atomic():
            existing = User.objects.filter(is_superuser=True).order_by("pk").first()
            if existing is not None:
                username = existing.get_username()
                self.stdout.write(
                    f"관리자 계정({username})이 이미 있습니다. 비밀번호를 다시 정하려면 "
                    f"`python manage.py changepassword {username}` 을 실행하세요."
                )
                return
            if User.objects.filter(**{User.USERNAME_FIELD: USERNAME}).exists():
                raise CommandError(
                    f"'{USERNAME}' 사용자가 있지만 관리자 권한이 없습니다. "
                    f"`python manage.py createsuperuser` 로 관리자 계정을 만들어 주세요."
                )
            password = secrets.token_urlsafe(18)
            User.objects.create_superuser(USERNAME, email="", password=password)

        login_url = settings.SITE_URL.rstrip("/") + reverse("admin:index")
        self.stdout.write(self.style.SUCCESS("관리자 계정을 만들었습니다."))
        self.stdout.write(f"  로그인 주소: {login_url}")
        self.stdout.write(f"  아이디: {USERNAME}")
        self.stdout.write(f"  비밀번호: {password}")
        self.stdout.write(
            "이 비밀번호는 다시 보여 주지 않으니 지금 안전한 곳에 적어 두세요. "
            f"바꾸려면 `python manage.py changepassword {USERNAME}` 을 실행하세요."
        )
