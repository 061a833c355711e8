"""E-mails about accounts, each from a subject/text/html template triplet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User


def send(name: str, to: str, context: dict[str, Any]) -> None:
    """Render templates/emails/<name>-subject/-body-text/-body-html.html and send them."""
    context = {**context, "site_name": settings.SITE_NAME}
    subject = "".join(render_to_string(f"emails/{name}-subject.html", context).splitlines()).strip()
    text = render_to_string(f"emails/{name}-body-text.html", context)
    html = render_to_string(f"emails/{name}-body-html.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


def set_password_url(user: User, request: HttpRequest | None = None) -> str:
    """A one-time link to choose a password (the password-reset machinery)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    return absolute_url(path, request)


def send_invitation(user: User, request: HttpRequest | None = None) -> bool:
    """Invite a new account to choose its password. False when it has no e-mail address.

    The link expires after PASSWORD_RESET_TIMEOUT, or once the password is set; after that
    the person asks for a new one on the "Forgot your password?" page.
    """
    if not user.email:
        return False
    context = {
        "user": user,
        "url": set_password_url(user, request),
        "login_url": absolute_url(reverse("accounts:login"), request),
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    send("invitation", user.email, context)
    return True
