from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import emails
from accounts.models import User
from lib import ratelimit


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Check them and try again (the password is case-sensitive)."
        ),
        "inactive": _("This account is deactivated. Ask your reform coordinator to reactivate it."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})

    def clean_username(self) -> str:
        # Usernames are case-insensitive: one spelling, so the lockout counts every variant.
        return self.cleaned_data["username"].strip().lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code shown by your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": _("Enter the code.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class SetupCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{3}\s*\d{3}\s*$",
        help_text=_("The 6-digit code the app shows after you added the account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": _("Enter the 6-digit code from the app."),
            "invalid": _("The code has 6 digits, e.g. 123456."),
        },
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your current password.")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "position"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your full name."))
        return name


class PasswordResetForm(auth_forms.PasswordResetForm):
    # At most this many reset e-mails per account an hour, so that nobody can flood a
    # mailbox; the page answers the same either way.
    MAX_EMAILS_PER_HOUR = 3

    def get_users(self, email: str) -> Iterator[User]:
        # Unlike Django's, accounts created without a password (invited people whose
        # link expired) may set one here: nothing else can authenticate them.
        yield from User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user: User = context["user"]
        if ratelimit.is_limited("password_reset", str(user.pk), self.MAX_EMAILS_PER_HOUR, 3600):
            return
        ratelimit.hit("password_reset", str(user.pk), 3600)
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        url = f"{context['protocol']}://{context['domain']}{path}"
        emails.send(
            "password_reset", to_email, {**context, "url": url, "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        )
