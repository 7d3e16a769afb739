"""Staff sign-in hardening: the lockout page shown by django-axes, the one-time code on every sign-in form, and
the middleware that refuses a session whose one-time code was never given.

STAFF_TWO_FACTOR decides who needs the second factor: "off" (nobody, no code field), "optional" (users who have
a confirmed TOTP device) or "required" (also every staff user: those without a device cannot sign in). Devices
are made with `manage.py enable_two_factor`. The code is asked on every route that signs a person in (the admin
login, the sign-in for private pages) and, whatever route opened a session, SecondFactorMiddleware treats a
session that needs the code and lacks it as anonymous: it never reaches the admin or a private page.
"""

from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
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
    context = {
        "heading": gettext("一時的にロックしました"),
        "paragraphs": [
            gettext("ログインに続けて失敗したため、一時的にロックしました。%(minutes)s分後にもう一度お試しください。")
            % {"minutes": minutes},
            gettext("パスワードや確認コードがわからない場合は、サイト管理者にお問い合わせください。"),
        ],
    }
    html = render_to_string("error_plain.html", context, request=request)
    return HttpResponse(html, status=settings.AXES_HTTP_RESPONSE_CODE)


def two_factor_mode() -> str:
    mode = getattr(settings, "STAFF_TWO_FACTOR", "optional")
    if mode not in TWO_FACTOR_MODES:
        raise ValueError(f"STAFF_TWO_FACTOR must be one of {TWO_FACTOR_MODES}, not {mode!r}")
    return mode


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_staff(user: AbstractBaseUser) -> bool:
    return user.is_staff or user.has_perm("wagtailadmin.access_admin")


def needs_second_factor(user: AbstractBaseUser, mode: str | None = None) -> bool:
    mode = mode or two_factor_mode()
    if mode == "off":
        return False
    return confirmed_device(user) is not None or (mode == "required" and is_staff(user))


class SecondFactorFormMixin(forms.Form):
    """The one-time code for a sign-in form (put before an AuthenticationForm), counted by django-axes when wrong."""

    otp_token = forms.CharField(
        label=pgettext_lazy("2段階認証", "確認コード"),  # not the comment receipt's 確認コード
        help_text=_("2段階認証を設定している方は、認証アプリに表示されている6桁の数字を入力してください。"),
        required=False,
        max_length=8,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    second_factor_messages = {
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
        if not needs_second_factor(user, self.mode):
            return
        device = confirmed_device(user)
        if device is None:
            raise forms.ValidationError(self.second_factor_messages["otp_not_enrolled"], code="otp_not_enrolled")
        token = self.cleaned_data.get(OTP_FIELD, "")
        if not token:
            self._count_failure(user)
            raise forms.ValidationError(self.second_factor_messages["otp_missing"], code="otp_missing")
        if not device.verify_token(token):  # django-otp also slows down repeated wrong codes per device
            self._count_failure(user)
            raise forms.ValidationError(self.second_factor_messages["otp_invalid"], code="otp_invalid")
        # django-otp records the verified device in the session when the view logs the user in.
        user.otp_device = device

    def _count_failure(self, user: AbstractBaseUser) -> None:
        # A wrong code after a right password is a failed sign-in too: axes counts it towards the lockout,
        # so the six digits cannot be guessed by brute force.
        username = self.cleaned_data.get("username") or user.get_username()
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)


class StaffLoginForm(SecondFactorFormMixin, LoginForm):
    """Wagtail's admin login form (WAGTAILADMIN_USER_LOGIN_FORM) with the one-time code."""


class SignInForm(SecondFactorFormMixin, AuthenticationForm):
    """The sign-in for private pages, under the same rules as the admin's."""


class SignInView(auth_views.LoginView):
    """Replaces Wagtail's `wagtailcore_login` (Django's stock LoginView, which asks only the password)."""

    form_class = SignInForm
    template_name = "home/sign_in.html"
    http_method_names = ["get", "post"]


def verified_or_anonymous(user: AbstractBaseUser | AnonymousUser) -> AbstractBaseUser | AnonymousUser:
    if not user.is_authenticated or user.is_verified() or not needs_second_factor(user):
        return user
    return AnonymousUser()


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: a session that needs the one-time code and was opened without it
    (by any sign-in route, or before the user was enrolled or the code became required) counts as anonymous,
    so the admin sends it to its sign-in page and no staff-only view serves it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.user = SimpleLazyObject(lambda: verified_or_anonymous(user))
        auser = request.auser

        async def verified_auser():
            return await sync_to_async(verified_or_anonymous)(await auser())

        request.auser = verified_auser
        return self.get_response(request)
