"""Make sure a first administrator exists, and show its password and second factor exactly once."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from staff.credentials import new_second_factor, one_time_password
from staff.models import Role, StaffProfile
from staff.roles import give_role_group

USERNAME = "admin"


class Command(BaseCommand):
    help = "관리자 계정이 없으면 admin 계정을 만들고 비밀번호와 2단계 인증 키를 한 번만 보여 줍니다."

    def handle(self, *args, **options):
        User = get_user_model()
        login_url = settings.SITE_URL.rstrip("/") + reverse("admin:login")
        with transaction.atomic():
            existing = User.objects.filter(is_superuser=True).order_by("pk").first()
            if existing is not None:
                username = existing.get_username()
                self.stdout.write(
                    f"관리자 계정({username})이 이미 있습니다. 로그인: {login_url}\n"
                    f"  지금의 2단계 인증 코드(개발용): `python manage.py totp_code {username}`\n"
                    f"  비밀번호·인증 키를 새로 받으려면: "
                    f"`python manage.py create_staff {username} --role 관리자 --reset-credentials`"
                )
                return
            if User.objects.filter(**{User.USERNAME_FIELD: USERNAME}).exists():
                raise CommandError(
                    f"'{USERNAME}' 사용자가 있지만 관리자 권한이 없습니다. "
                    f"`python manage.py create_staff 다른아이디 --role 관리자 --superuser` 로 관리자 계정을 만들어 주세요."
                )
            password = one_time_password()
            user = User.objects.create_superuser(USERNAME, email="", password=password)
            StaffProfile.objects.create(user=user, role=Role.MANAGER)
            give_role_group(user, Role.MANAGER)
            uri, codes = new_second_factor(user)

        self.stdout.write(self.style.SUCCESS("관리자 계정을 만들었습니다."))
        self.stdout.write(f"  로그인 주소: {login_url}")
        self.stdout.write(f"  아이디: {USERNAME}")
        self.stdout.write(f"  비밀번호: {password}")
        self.stdout.write(f"  2단계 인증 키(인증 앱에 등록): {uri}")
        self.stdout.write(f"  인증 앱 없이 지금 코드를 보려면(개발용): `python manage.py totp_code {USERNAME}`")
        self.stdout.write(f"  복구 코드(한 번씩만 쓸 수 있음): {' '.join(codes)}")
        self.stdout.write("이 비밀번호·키·복구 코드는 다시 보여 주지 않으니 지금 안전한 곳에 적어 두세요.")
