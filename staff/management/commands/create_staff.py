"""Create or update a staff account from the command line: role, 부서, and (new or reset) sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from boards.models import Department
from staff.admin import describe
from staff.audit import record
from staff.credentials import new_second_factor, one_time_password
from staff.models import AuditAction, Role, StaffProfile
from staff.roles import give_role_group

ROLE_NAMES = {
    "작성자": Role.WRITER, "writer": Role.WRITER,
    "승인자": Role.APPROVER, "approver": Role.APPROVER,
    "관리자": Role.MANAGER, "누리집관리자": Role.MANAGER, "manager": Role.MANAGER,
}


class Command(BaseCommand):
    help = (
        "직원 계정을 만들거나 역할·부서를 바꿉니다. 새 계정(또는 --reset-credentials)이면 일회용 비밀번호와 "
        "2단계 인증(TOTP) 비밀 키, 복구 코드를 한 번만 보여 줍니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="작성자 | 승인자 | 관리자")
        parser.add_argument("--department", action="append", default=[], metavar="부서명",
                            help="소속 부서(여러 번 쓸 수 있음). 작성자·승인자는 하나 이상 있어야 합니다.")
        parser.add_argument("--superuser", action="store_true", help="운영자용 최고 관리자 권한을 줍니다.")
        parser.add_argument("--reset-credentials", action="store_true",
                            help="이미 있는 계정의 비밀번호와 2단계 인증을 새로 만듭니다(분실 시).")

    def handle(self, *args, username, role, department, superuser, reset_credentials, **options):
        role = ROLE_NAMES.get(role.replace(" ", "").lower())
        if role is None:
            raise CommandError("--role 은 작성자, 승인자, 관리자 가운데 하나여야 합니다.")
        departments = list(Department.objects.filter(name__in=department))
        missing = sorted(set(department) - {found.name for found in departments})
        if missing:
            raise CommandError(f"없는 부서입니다: {', '.join(missing)}. 관리 화면의 부서 목록에 먼저 만들어 주세요.")
        if role != Role.MANAGER and not departments and not superuser:
            raise CommandError("작성자와 승인자에게는 --department 로 부서를 하나 이상 정해 주세요.")

        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            profile = StaffProfile.objects.filter(user=user).first()
            before = describe(profile)
            user.is_staff = user.is_active = True
            user.is_superuser = user.is_superuser or superuser
            password = None
            if created or reset_credentials:
                password = one_time_password()
                user.set_password(password)
            user.save()
            profile, _ = StaffProfile.objects.update_or_create(user=user, defaults={"role": role})
            profile.departments.set(departments)
            give_role_group(user, role)
            after = describe(profile)
            if after != before:
                record(AuditAction.ROLE_CHANGE, actor_name="(명령줄)", target=user,
                       detail={"before": before, "after": after, "superuser": user.is_superuser})
            second_factor = new_second_factor(user) if password else None
            if second_factor and not created:
                record(AuditAction.OTP_RESET, actor_name="(명령줄)", target=user)

        verb = "만들었습니다" if created else "고쳤습니다"
        self.stdout.write(self.style.SUCCESS(f"직원 계정 {username}을(를) {verb}: {Role(role).label}, "
                                             f"부서 {', '.join(after['departments']) or '(모든 부서)'}"))
        if second_factor:
            uri, codes = second_factor
            self.stdout.write(f"  일회용 비밀번호: {password}")
            self.stdout.write(f"  2단계 인증 키(인증 앱에 등록): {uri}")
            self.stdout.write(f"  복구 코드(한 번씩만 쓸 수 있음): {' '.join(codes)}")
            self.stdout.write("위 비밀번호·키·복구 코드는 다시 보여 주지 않습니다. 본인에게만 안전하게 전하세요.")
