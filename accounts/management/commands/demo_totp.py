from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from accounts.management.commands.load_demo import DEMO_TOTP_HEX


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (demo secret only)."

    def handle(self, *args: Any, **options: Any) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        devices = TOTPDevice.objects.filter(key=DEMO_TOTP_HEX, confirmed=True).select_related("user")
        if not devices:
            raise CommandError("No account uses the demo secret. Run `manage.py load_demo` first.")
        code = totp(bytes.fromhex(DEMO_TOTP_HEX))
        for device in devices:
            self.stdout.write(f"{device.user.username}: {code:06d}")
