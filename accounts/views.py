"""Signing in and out, the second factor, lockouts and one's own profile.

Password change and reset are Django's views, wired in accounts/urls.py.
"""

from __future__ import annotations

import math
from base64 import b32encode
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.middleware import is_verified
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.forms import CodeForm, LoginForm, PasswordConfirmForm, ProfileForm, SetupCodeForm
from accounts.middleware import SESSION_FLAG, has_totp, second_factor_required
from accounts.models import User
from lib import ratelimit

BACKUP_CODE_COUNT = 10


def _safe_next(request: HttpRequest) -> str:
    """The ?next= (or posted next) address if it stays on this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}" if next_url else reverse(name)


# Sign in and out ----------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request)
    if request.method == "POST":
        # Only failed sign-ins count: a whole office behind one address signs in at 8:00.
        ip = get_client_ip_address(request) or "unknown"
        window = settings.LOGIN_RATE_WINDOW
        if ratelimit.is_limited("login", ip, settings.LOGIN_RATE_LIMIT, window):
            context = {"form": form, "next": next_url, "rate_limited_minutes": math.ceil(window / 60)}
            return render(request, "accounts/login.html", context, status=429)
        form = LoginForm(request, data=request.POST)  # gives axes the request
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            request.session.pop(SESSION_FLAG, None)
            if has_totp(user):
                return redirect(_with_next("accounts:otp_verify", next_url))
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        ratelimit.hit("login", ip, window)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# Second factor ------------------------------------------------------------


def _too_many_codes(throttle: dict[str, Any]) -> str:
    """The message for a device that django-otp throttles after wrong codes."""
    seconds = max(1, math.ceil((throttle["locked_until"] - timezone.now()).total_seconds()))
    return ngettext(
        "Too many wrong codes. Wait %(seconds)s second, then enter the current code.",
        "Too many wrong codes. Wait %(seconds)s seconds, then enter the current code.",
        seconds,
    ) % {"seconds": seconds}


def _verify(user: User, form: CodeForm) -> Any:
    """The device that accepts the form's code, or None with an error added to the form."""
    code: str = form.cleaned_data["code"]
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _too_many_codes(info))
            return None
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    form.add_error(
        "code",
        _(
            "The code is not correct. Enter the current 6-digit code from your authenticator app, "
            "or an unused backup code."
        ),
    )
    return None


@login_required
@sensitive_post_parameters("code")
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    next_url = _safe_next(request)
    if is_verified(user) or not has_totp(user):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verify(user, form)
        if device is not None:
            django_otp.login(request, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


def _qr_svg(data: str) -> SafeString:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # drawn here from our own data


def _spaced_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def _turn_on(device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return _new_backup_codes(device.user)


@transaction.atomic
def _turn_off(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@login_required
@sensitive_post_parameters("code")
@never_cache
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if has_totp(user):
        if not is_verified(user):
            return redirect(_with_next("accounts:otp_verify", reverse("accounts:profile")))
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("accounts:profile")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, info = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _too_many_codes(info))
        elif device.verify_token(form.cleaned_data["code"]):
            codes = _turn_on(device)
            django_otp.login(request, device)
            request.session.pop(SESSION_FLAG, None)
            # Shown once, on this response: no page lists them again.
            return render(request, "accounts/otp_backup_codes.html", {"codes": codes})
        else:
            form.add_error(
                "code",
                _(
                    "The code is not correct. Check that the app shows the account you have just added "
                    "and enter its current code."
                ),
            )
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": _spaced_secret(device),
        "required": second_factor_required(user),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@sensitive_post_parameters("password")
def otp_disable(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if second_factor_required(user):
        raise PermissionDenied
    if not has_totp(user):
        messages.info(request, _("Two-factor authentication is already off for your account."))
        return redirect("accounts:profile")
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        _turn_off(user)
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        request.session[SESSION_FLAG] = True
        messages.success(request, _("Two-factor authentication is off. Your backup codes no longer work."))
        return redirect("accounts:profile")
    return render(request, "accounts/otp_disable.html", {"form": form})


@login_required
@require_POST
def reset_2fa(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget another person's authenticator and backup codes (a lost phone)."""
    user = access.signed_in(request)
    person = access.access_person(user, pk, manage=True)
    if person.pk == user.pk:
        raise PermissionDenied  # one's own goes through otp_disable, with the password
    _turn_off(person)
    if second_factor_required(person):
        text = _("Two-factor authentication of %(name)s is reset. They will set it up again at their next sign-in.")
    else:
        text = _("Two-factor authentication of %(name)s is reset. They can sign in with their password alone.")
    messages.success(request, text % {"name": person.full_name or person.username})
    return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)


# Profile ------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    # A copy, so that rejected input does not show up in the page header.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "memberships": access.memberships(user),
        "has_totp": has_totp(user),
        "backup_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
        "two_factor_required": second_factor_required(user),
    }
    return render(request, "accounts/profile.html", context)


# Lockouts -----------------------------------------------------------------


@dataclass
class Lockout:
    username: str
    failures: int = 0
    last_attempt: datetime | None = None
    ip_addresses: list[str] = field(default_factory=list)
    person: User | None = None


def locked_accounts() -> list[Lockout]:
    """Usernames that axes refuses now: enough failures within the cool-off period."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    found: dict[str, Lockout] = {}
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, username__isnull=False)
    for attempt in attempts.order_by("-attempt_time"):
        lockout = found.setdefault(attempt.username, Lockout(attempt.username, last_attempt=attempt.attempt_time))
        lockout.failures += attempt.failures_since_start
        if attempt.ip_address and attempt.ip_address not in lockout.ip_addresses:
            lockout.ip_addresses.append(attempt.ip_address)
    locked = [lockout for lockout in found.values() if lockout.failures >= settings.AXES_FAILURE_LIMIT]
    people = {p.username: p for p in User.objects.filter(username__in=[lockout.username for lockout in locked])}
    for lockout in locked:
        lockout.person = people.get(lockout.username)
    return locked


def _admin_only(request: HttpRequest) -> User:
    user = access.signed_in(request)
    if not access.is_admin(user):
        raise Http404
    return user


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    context = {
        "lockouts": locked_accounts(),
        "settings_failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/lockouts.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, _("Choose the account to unlock."))
    elif axes_reset(username=username):
        messages.success(
            request, _("The account %(username)s is unlocked and can sign in again.") % {"username": username}
        )
    else:
        messages.warning(request, _("The account %(username)s was not locked.") % {"username": username})
    return redirect("accounts:lockouts")
