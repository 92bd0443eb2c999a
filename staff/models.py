"""Who staff are (role, 부서) and what they did (the audit log)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    WRITER = "writer", "작성자"
    APPROVER = "approver", "승인자"
    MANAGER = "manager", "누리집 관리자"


class StaffProfile(models.Model):
    """A staff account's role and the 부서 it works for (누리집 관리자: every 부서)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name="계정"
    )
    role = models.CharField("역할", max_length=10, choices=Role.choices, default=Role.WRITER)
    departments = models.ManyToManyField(
        "boards.Department", related_name="+", blank=True, verbose_name="부서",
        help_text="작성자와 승인자는 이 부서의 글만 보고 고칠 수 있습니다.",
    )

    class Meta:
        verbose_name = "직원 역할"
        verbose_name_plural = "직원 역할"

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"


class AuditAction(models.TextChoices):
    LOGIN = "login", "로그인"
    LOGIN_FAILED = "login_failed", "로그인 실패"
    LOGOUT = "logout", "로그아웃"
    LOCKOUT = "lockout", "로그인 잠금"
    LOCKOUT_LIFTED = "lockout_lifted", "잠금 해제"
    SESSION_ENDED = "session_ended", "세션 만료"
    OTP_SETUP = "otp_setup", "2단계 인증 등록"
    OTP_RESET = "otp_reset", "2단계 인증 재설정"
    ROLE_CHANGE = "role_change", "역할·부서 변경"
    PERMISSION_CHANGE = "permission_change", "권한 변경"
    CREATE = "create", "추가"
    CHANGE = "change", "수정"
    DELETE = "delete", "삭제"
    SUBMIT = "submit", "검토 요청"
    APPROVE = "approve", "승인(게시)"
    REJECT = "reject", "반려"
    TAKEDOWN = "takedown", "게시 중단"
    PRIVACY_OVERRIDE = "privacy_override", "개인정보 검출 공개"
    STAFF_DOWNLOAD = "staff_download", "비공개 붙임 내려받기"
    AUDIT_EXPORT = "audit_export", "감사 기록 내보내기"


class AuditEntry(models.Model):
    """One thing a person did or had done to their account. Append-only: nothing here is edited or deleted
    except by ``purge_audit`` past AUDIT_RETENTION_DAYS."""

    created_at = models.DateTimeField("일시", auto_now_add=True)
    action = models.CharField("행위", max_length=20, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="사람",
    )
    # Copies, so an entry still reads right after the account or 부서 is renamed or removed.
    actor_name = models.CharField("아이디", max_length=150, blank=True)
    department = models.CharField("부서", max_length=200, blank=True)
    target_type = models.CharField("대상 종류", max_length=100, blank=True)
    target_id = models.CharField("대상 번호", max_length=64, blank=True)
    target_repr = models.CharField("대상", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("접속 주소", null=True, blank=True)
    detail = models.JSONField("내용", default=dict, blank=True)

    class Meta:
        verbose_name = "감사 기록"
        verbose_name_plural = "감사 기록"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="auditentry_recent"),
            models.Index(fields=["actor_name", "-created_at"], name="auditentry_actor"),
            models.Index(fields=["action", "-created_at"], name="auditentry_action"),
            models.Index(fields=["department", "-created_at"], name="auditentry_department"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="auditentry_action_known",
                violation_error_message="알 수 없는 감사 기록 행위입니다.",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.target_repr}"
