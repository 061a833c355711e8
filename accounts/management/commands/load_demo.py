"""Load the demo province: safe to run again, it updates what is there.

Bình Phước's People's Committee, its Department of Home Affairs (the overseer),
the Department of Foreign Affairs of the seed plans with its units, the
Department of Justice as a second department, and one person for each role;
then the Department of Foreign Affairs' reform plans (`plans.demo`) and the
one-stop data of both departments, which fills the plans' indicator targets
(`services.demo`).
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
from indices import demo as par_demo
from plans import demo
from reports import demo as reports_demo
from services import demo as services_demo

DEMO_PASSWORD = "Cchc@2026demo"
# A fixed TOTP secret for the demo accounts that must use two factors, so a
# tester can add it to any authenticator app (or ask `manage.py demo_totp`).
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"

PROVINCE = {
    "code": "ubnd-binhphuoc",
    "kind": AgencyKind.PROVINCE,
    "name": "Ủy ban nhân dân tỉnh Bình Phước",
    "short_name": "UBND tỉnh Bình Phước",
    "abbreviation": "UBND",
    "parent_body_name": "",
    "place_name": "Bình Phước",
    "address": "Đường Trần Hưng Đạo, phường Tân Phú, thành phố Đồng Xoài, tỉnh Bình Phước",
}
AGENCIES: list[dict[str, Any]] = [
    {
        "code": "snv-binhphuoc",
        "name": "Sở Nội vụ tỉnh Bình Phước",
        "short_name": "Sở Nội vụ",
        "abbreviation": "SNV",
    },
    {
        "code": "sngv-binhphuoc",
        "name": "Sở Ngoại vụ tỉnh Bình Phước",
        "short_name": "Sở Ngoại vụ",
        "abbreviation": "SNgV",
        "email": "songoaivu@binhphuoc.gov.vn",
        "phone": "0271 3879 xxx",
        "units": [
            ("VP", "Văn phòng Sở", "Văn phòng", True),
            ("TTr", "Thanh tra Sở", "Thanh tra", False),
            ("QLBG", "Phòng Quản lý biên giới", "Phòng QLBG", False),
            ("HTQT", "Phòng Hợp tác quốc tế", "Phòng HTQT", False),
            ("LS", "Phòng Lãnh sự", "Phòng Lãnh sự", False),
        ],
    },
    {
        "code": "stp-binhphuoc",
        "name": "Sở Tư pháp tỉnh Bình Phước",
        "short_name": "Sở Tư pháp",
        "abbreviation": "STP",
        "units": [
            ("VP", "Văn phòng Sở", "Văn phòng", True),
            ("HCTP", "Phòng Hành chính tư pháp", "Phòng HCTP", False),
            ("XDKTVB", "Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật", "Phòng XD&KT", False),
        ],
    },
]

# username, full name, position, agency code, unit abbreviation, role
PEOPLE = [
    ("admin", "Quản trị Hệ thống", "Quản trị viên", "snv-binhphuoc", None, Role.ADMIN),
    ("giamdoc", "Nguyễn Thị Thanh Hà", "Giám đốc", "sngv-binhphuoc", None, Role.LEADER),
    ("vanphong", "Trần Văn Bình", "Chánh Văn phòng", "sngv-binhphuoc", "VP", Role.COORDINATOR),
    ("truongphong", "Lê Thị Mai", "Trưởng phòng Hợp tác quốc tế", "sngv-binhphuoc", "HTQT", Role.UNIT_HEAD),
    ("chuyenvien", "Phạm Minh Tuấn", "Chuyên viên", "sngv-binhphuoc", "HTQT", Role.STAFF),
    ("thanhtra", "Vũ Đức Thắng", "Chánh Thanh tra Sở", "sngv-binhphuoc", "TTr", Role.UNIT_HEAD),
    ("biengioi", "Ngô Thị Hồng", "Trưởng phòng Quản lý biên giới", "sngv-binhphuoc", "QLBG", Role.UNIT_HEAD),
    ("lanhsu", "Đinh Quang Huy", "Trưởng phòng Lãnh sự", "sngv-binhphuoc", "LS", Role.UNIT_HEAD),
    ("sonoivu", "Hoàng Văn Nam", "Chuyên viên Phòng CCHC", "snv-binhphuoc", None, Role.OVERSEER),
    ("tuphap", "Đỗ Thị Lan", "Chánh Văn phòng", "stp-binhphuoc", "VP", Role.COORDINATOR),
    ("giamdoctp", "Lê Văn Phúc", "Giám đốc", "stp-binhphuoc", None, Role.LEADER),
]
TWO_FACTOR_USERS = {"admin", "sonoivu"}
# Second roles: the Chief of the Office coordinates reform and heads the Office, which reports like any unit.
EXTRA_ROLES = [("vanphong", "sngv-binhphuoc", "VP", Role.UNIT_HEAD)]


class Command(BaseCommand):
    help = "Load (or refresh) the demo province, agencies, units and people."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        province, _ = Agency.objects.update_or_create(code=PROVINCE["code"], defaults=PROVINCE)
        parent_body = "UBND TỈNH BÌNH PHƯỚC"
        agencies = {province.code: province}
        units: dict[tuple[str, str], Unit] = {}
        for spec in AGENCIES:
            spec = dict(spec)
            unit_specs = spec.pop("units", [])
            agency, _ = Agency.objects.update_or_create(
                code=spec["code"],
                defaults={
                    **spec,
                    "kind": AgencyKind.DEPARTMENT,
                    "parent": province,
                    "parent_body_name": parent_body,
                    "place_name": "Bình Phước",
                    "valid_from": date(2008, 1, 1),
                },
            )
            agencies[agency.code] = agency
            for order, (abbr, name, short, coordinator) in enumerate(unit_specs, start=1):
                unit, _ = Unit.objects.update_or_create(
                    agency=agency,
                    abbreviation=abbr,
                    defaults={"name": name, "short_name": short, "is_coordinator": coordinator, "order": order},
                )
                units[(agency.code, abbr)] = unit

        people: dict[str, User] = {}
        for username, full_name, position, agency_code, unit_abbr, role in PEOPLE:
            user, created = User.objects.update_or_create(
                username=username,
                defaults={
                    "full_name": full_name,
                    "position": position,
                    "email": f"{username}@demo.cchc.local",
                    "is_active": True,
                    "is_staff": role == Role.ADMIN,
                    "is_superuser": role == Role.ADMIN,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.update_or_create(
                user=user,
                agency=agencies[agency_code],
                role=role,
                defaults={"unit": units.get((agency_code, unit_abbr or ""))},
            )
            if username in TWO_FACTOR_USERS:
                TOTPDevice.objects.update_or_create(
                    user=user, name="demo", defaults={"key": DEMO_TOTP_HEX, "confirmed": True}
                )
            people[username] = user
        for username, agency_code, unit_abbr, role in EXTRA_ROLES:
            Membership.objects.update_or_create(
                user=people[username],
                agency=agencies[agency_code],
                role=role,
                defaults={"unit": units[(agency_code, unit_abbr)]},
            )

        code = "sngv-binhphuoc"
        plans = demo.load(
            agencies[code],
            {abbr: unit for (agency_code, abbr), unit in units.items() if agency_code == code},
            people,
            timezone.localdate(),
        )
        periods = reports_demo.load(
            agencies[code],
            {abbr: unit for (agency_code, abbr), unit in units.items() if agency_code == code},
            people,
            timezone.localdate(),
        )
        dossiers = services_demo.load(agencies, units, timezone.localdate())
        par = par_demo.load(agencies, units, people, timezone.localdate())
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for plan in plans:
            self.stdout.write(f"New demo plan: {plan} ({plan.year})")
        if periods:
            self.stdout.write(f"New demo reporting periods: {len(periods)}")
        if dossiers:
            self.stdout.write(f"New demo one-stop dossiers: {dossiers}")
        if par:
            self.stdout.write(f"New PAR Index, PAPI and PCI demo data: {'; '.join(par)}")
        self.stdout.write(demo_logins())


def demo_secret_base32() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_HEX)).decode()


def demo_logins() -> str:
    lines = ["", f"Demo accounts (password for all: {DEMO_PASSWORD})"]
    for username, full_name, _position, agency_code, unit_abbr, role in PEOPLE:
        where = agency_code + (f" / {unit_abbr}" if unit_abbr else "")
        lines.append(f"  {username:<12} {role.label!s:<28} {full_name} ({where})")
    lines.append(
        f"  admin and sonoivu use two-factor authentication: add the secret {demo_secret_base32()} to an "
        "authenticator app, or print the current code with: .venv/bin/python manage.py demo_totp"
    )
    return "\n".join(lines) + "\n"
