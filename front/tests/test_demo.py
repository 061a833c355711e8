from __future__ import annotations

from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import TestCase
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.management.commands.load_demo import DEMO_PASSWORD, DEMO_TOTP_HEX, EXTRA_ROLES, PEOPLE
from accounts.models import Agency, Membership, Unit, User
from plans.models import Mention, Plan, PlanVersion, Target, TargetValue, Task, TaskUpdate


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "plans": Plan.objects.count(),
        "versions": PlanVersion.objects.count(),
        "tasks": Task.objects.count(),
        "updates": TaskUpdate.objects.count(),
        "mentions": Mention.objects.count(),
        "targets": Target.objects.count(),
        "values": TargetValue.objects.count(),
    }


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


class LoadDemoTestCase(TestCase):
    @time_machine.travel("2026-05-04 09:00 +07:00")
    def test_it_loads_the_demo_province(self) -> None:
        load_demo()
        loaded = counts()
        self.assertEqual(
            {k: loaded[k] for k in ("agencies", "units", "people", "memberships", "devices")},
            {
                # The province, Sở Nội vụ, Sở Ngoại vụ, Sở Tư pháp and six departments ranked beside them.
                "agencies": 10,
                "units": 8,
                "people": len(PEOPLE),
                "memberships": len(PEOPLE) + len(EXTRA_ROLES),
                "devices": 2,
            },
        )
        # The 2022 plan of seed 002 and this year's copy, each with the 18 targets of seed 004,
        # a small plan waiting for approval, and this year's plan to raise the PAR Index drafted from
        # last year's gaps (4 targets).
        self.assertEqual(loaded["plans"], 4)
        self.assertEqual(loaded["targets"], 40)
        self.assertEqual(set(TOTPDevice.objects.values_list("user__username", flat=True)), {"admin", "sonoivu"})

    @time_machine.travel("2026-05-04 09:00 +07:00")
    def test_it_is_idempotent(self) -> None:
        out = load_demo()
        self.assertIn("New demo plan: 41/KH-SNgV", out)
        first = counts()
        self.assertTrue(all(first.values()))
        out = load_demo()
        self.assertEqual(counts(), first)
        self.assertNotIn("New demo plan", out)

    def test_it_adds_the_plan_of_a_new_year(self) -> None:
        with time_machine.travel("2026-05-04 09:00 +07:00"):
            load_demo()
        first = counts()
        with time_machine.travel("2027-01-03 09:00 +07:00"):
            out = load_demo()
        self.assertIn("New demo plan: 01/KH-SNgV Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2027", out)
        self.assertEqual(counts()["plans"], first["plans"] + 2)
        self.assertEqual(list(Plan.objects.values_list("year", flat=True)), [2027, 2027, 2026, 2026, 2026, 2022])

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
