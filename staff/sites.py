"""The admin site: Django's, asking every staff member for a second factor (django-otp), in Korean."""

from django import forms
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffLoginForm(OTPAdminAuthenticationForm):
    """아이디, 비밀번호 and the code from the authenticator app (or a one-time recovery code).

    Nobody picks a device: a code of digits is checked against the person's
    authenticator app, anything else against their recovery codes (which always
    hold a letter, staff/credentials.py). Only that one device counts a failure.
    """

    otp_token = forms.CharField(
        label="인증 코드", required=False, max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "aria-describedby": "id_otp_token_helptext"}),
        help_text="인증 앱에 보이는 6자리 숫자, 또는 처음 받은 복구 코드 하나",
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "인증 앱의 6자리 코드(또는 복구 코드)를 입력해 주세요.",
        "invalid_token": "인증 코드가 맞지 않습니다. 인증 앱에 지금 보이는 코드를 입력해 주세요.",
        "n_failed_attempts": "인증 코드를 여러 번 틀려 잠시 확인을 멈췄습니다. 조금 뒤 다시 시도해 주세요.",
        "verification_not_allowed": "지금은 인증 코드를 확인할 수 없습니다. 조금 뒤 다시 시도해 주세요.",
        "device_required": "인증 수단을 골라 주세요.",
    }

    def _chosen_device(self, user):
        token = (self.cleaned_data.get("otp_token") or "").strip()
        model = TOTPDevice if token.isdigit() else StaticDevice
        return model.objects.devices_for_user(user, confirmed=True).first()

    def _verify_token(self, user, token, device=None):
        if device is None:  # no device of that kind: the same answer as a wrong code
            raise forms.ValidationError(self.otp_error_messages["invalid_token"], code="invalid_token")
        return super()._verify_token(user, token.strip(), device)

    def _update_form(self, user):
        pass  # no device list to fill


class PortalAdminSite(OTPAdminSite):
    login_form = StaffLoginForm
    login_template = "staff/login.html"
    site_header = "금천구청 누리집 관리"
    site_title = "금천구청 관리"
    index_title = "콘텐츠 관리"

    def __init__(self, name="admin"):
        super().__init__(name)
