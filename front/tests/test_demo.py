from __future__ import annotations

from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import TestCase
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.management.commands.load_demo import DEMO_PASSWORD, DEMO_TOTP_HEX, PEOPLE
from accounts.models import Agency, Membership, Unit, User


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
    }


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


class LoadDemoTestCase(TestCase):
    def test_it_loads_the_demo_province(self) -> None:
        load_demo()
        self.assertEqual(
            counts(), {"agencies": 4, "units": 8, "people": len(PEOPLE), "memberships": len(PEOPLE), "devices": 2}
        )
        self.assertEqual(set(TOTPDevice.objects.values_list("user__username", flat=True)), {"admin", "sonoivu"})

    def test_it_is_idempotent(self) -> None:
        load_demo()
        first = counts()
        load_demo()
        self.assertEqual(counts(), first)

    def test_it_restores_changed_demo_accounts(self) -> None:
        load_demo()
        vanphong = User.objects.get(username="vanphong")
        vanphong.set_password("something else entirely")
        vanphong.is_active = False
        vanphong.save()
        load_demo()
        vanphong.refresh_from_db()
        self.assertTrue(vanphong.is_active)
        self.assertTrue(vanphong.check_password(DEMO_PASSWORD))

    def test_it_prints_the_logins(self) -> None:
        out = load_demo()
        self.assertIn(DEMO_PASSWORD, out)
        for username, full_name, *_rest in PEOPLE:
            self.assertIn(username, out)
            self.assertIn(full_name, out)
        self.assertIn("manage.py demo_totp", out)

    @time_machine.travel("2026-03-02 08:00:10 +07:00", tick=False)
    def test_it_prints_the_current_totp_code(self) -> None:
        load_demo()
        out = StringIO()
        call_command("demo_totp", stdout=out)
        code = f"{totp(bytes.fromhex(DEMO_TOTP_HEX)):06d}"
        self.assertIn(f"admin: {code}", out.getvalue())
        self.assertIn(f"sonoivu: {code}", out.getvalue())
