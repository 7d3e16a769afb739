"""Staff sign-in hardening: the lockout page shown by django-axes and the admin login form with a one-time code.

STAFF_TWO_FACTOR decides how the second factor applies to the Wagtail admin login:
"off" (no code field), "optional" (a code is asked of users who have a confirmed TOTP device) or
"required" (users without a device cannot sign in). Devices are made with `manage.py enable_two_factor`.
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.forms.auth import LoginForm

TWO_FACTOR_MODES = ("off", "optional", "required")
OTP_FIELD = "otp_token"


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: a page in the reader's language, 429 so clients and proxies see a throttle."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if isinstance(cooloff, timedelta) else 0
    html = render_to_string("home/lockout.html", {"minutes": minutes}, request=request)
    return HttpResponse(html, status=settings.AXES_HTTP_RESPONSE_CODE)


def two_factor_mode() -> str:
    mode = getattr(settings, "STAFF_TWO_FACTOR", "optional")
    if mode not in TWO_FACTOR_MODES:
        raise ValueError(f"STAFF_TWO_FACTOR must be one of {TWO_FACTOR_MODES}, not {mode!r}")
    return mode


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class StaffLoginForm(LoginForm):
    """Wagtail's login form (WAGTAILADMIN_USER_LOGIN_FORM) plus the one-time code of staff with 2FA."""

    otp_token = forms.CharField(
        label=pgettext_lazy("2段階認証", "確認コード"),  # not the comment receipt's 確認コード
        help_text=_("2段階認証を設定している方は、認証アプリに表示されている6桁の数字を入力してください。"),
        required=False,
        max_length=8,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **LoginForm.error_messages,
        "otp_missing": _(
            "このアカウントには確認コードが必要です。認証アプリに表示されている6桁の数字を入力してください。"
        ),
        "otp_invalid": _("確認コードが正しくありません。認証アプリに表示されている最新の数字を入力してください。"),
        "otp_not_enrolled": _(
            "このサイトでは2段階認証が必須ですが、このアカウントにはまだ設定されていません。"
            "サイト管理者に設定を依頼してください。"
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.mode = two_factor_mode()
        if self.mode == "off":
            del self.fields[OTP_FIELD]

    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        # Runs only after the password was accepted (and axes found no lockout).
        super().confirm_login_allowed(user)
        if self.mode == "off":
            return
        device = confirmed_device(user)
        if device is None:
            if self.mode == "required":
                raise forms.ValidationError(self.error_messages["otp_not_enrolled"], code="otp_not_enrolled")
            return
        token = self.cleaned_data.get(OTP_FIELD, "")
        if not token:
            self._count_failure(user)
            raise forms.ValidationError(self.error_messages["otp_missing"], code="otp_missing")
        if not device.verify_token(token):  # django-otp also slows down repeated wrong codes per device
            self._count_failure(user)
            raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        # django-otp records the verified device in the session when the view logs the user in.
        user.otp_device = device

    def _count_failure(self, user: AbstractBaseUser) -> None:
        # A wrong code after a right password is a failed sign-in too: axes counts it towards the lockout,
        # so the six digits cannot be guessed by brute force.
        username = self.cleaned_data.get("username") or user.get_username()
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
