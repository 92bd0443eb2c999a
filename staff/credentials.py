"""Passwords and second factors for staff accounts, made by the command line (create_staff, ensure_staff)."""

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
# No 0/o, 1/l/i: read off paper. Every code holds a letter, so it never reads as a TOTP code.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password():
    return secrets.token_urlsafe(15)


def recovery_code():
    while True:
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        if not code.isdigit():
            return code


@transaction.atomic
def new_second_factor(user):
    """Replace ``user``'s authenticator and recovery codes; returns (otpauth:// URI, recovery codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    totp = TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="복구 코드", confirmed=True)
    codes = [recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return totp.config_url, codes


def current_code(user):
    """The authenticator's code right now (for local development: manage.py totp_code)."""
    from django_otp.oath import totp

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
