from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access

# Pages a signed-in person can reach before the second factor.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon.ico")
_OPEN_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout")
SESSION_FLAG = "cchc_second_factor_not_needed"


def second_factor_required(user: access.AnyUser) -> bool:
    """Administrators and overseers (settings) and whoever can open the admin site."""
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return bool(required & access.roles(user)) or bool(user.is_staff)


def has_totp(user: access.AnyUser) -> bool:
    """Whether the person has set up an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


class TwoFactorRequiredMiddleware:
    """Send people who must (or chose to) use TOTP to verify or set it up first.

    Whoever has a confirmed device proves it at every sign-in; administrators and
    overseers without one are taken to set one up before anything else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # OTPMiddleware (which runs first) gives every user is_verified().
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return self.get_response(request)
        # reverse() includes the script prefix, as request.path does (path_info does not).
        if request.path_info.startswith(_OPEN_PREFIXES) or request.path in {reverse(n) for n in _OPEN_NAMES}:
            return self.get_response(request)
        # Checked on every request (roles are loaded anyway), so a person who is
        # made an administrator mid-session is stopped at their next click.
        required = second_factor_required(user)
        if required or not request.session.get(SESSION_FLAG):
            if has_totp(user):
                return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
            if required:
                return redirect("accounts:otp_setup")
            # Remember "no device" for the session: one query saved per page.
            request.session[SESSION_FLAG] = True
        return self.get_response(request)
