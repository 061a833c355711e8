"""Named personas for tests, one per role, plus an outsider from another agency.

A permission test is then three lines: sign in as a persona, request, assert.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import TestCase
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SESSION_FLAG, second_factor_required
from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User

PASSWORD = "password"


class BaseTestCase(TestCase):
    province: Agency
    home_affairs: Agency
    agency: Agency
    other_agency: Agency
    office: Unit
    unit: Unit
    other_unit: Unit
    admin: User
    leader: User
    coordinator: User
    unit_head: User
    staff: User
    overseer: User
    outsider: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.province = Agency.objects.create(
            code="ubnd-bp",
            kind=AgencyKind.PROVINCE,
            name="Ủy ban nhân dân tỉnh Bình Phước",
            short_name="UBND tỉnh",
            abbreviation="UBND",
            place_name="Bình Phước",
        )
        cls.home_affairs = cls._agency("snv-bp", "Sở Nội vụ", "SNV")
        cls.agency = cls._agency("sngv-bp", "Sở Ngoại vụ", "SNgV")
        cls.other_agency = cls._agency("stp-bp", "Sở Tư pháp", "STP")
        cls.office = Unit.objects.create(agency=cls.agency, name="Văn phòng Sở", abbreviation="VP", is_coordinator=True)
        cls.unit = Unit.objects.create(agency=cls.agency, name="Phòng Hợp tác quốc tế", abbreviation="HTQT")
        cls.other_unit = Unit.objects.create(agency=cls.other_agency, name="Văn phòng Sở", abbreviation="VP")

        cls.admin = cls._person(
            "admin", "Quản trị Viên", cls.home_affairs, Role.ADMIN, is_staff=True, is_superuser=True
        )
        cls.leader = cls._person("leader", "Nguyễn Thị Hà", cls.agency, Role.LEADER)
        cls.coordinator = cls._person("coordinator", "Trần Văn Bình", cls.agency, Role.COORDINATOR, cls.office)
        cls.unit_head = cls._person("unithead", "Lê Thị Mai", cls.agency, Role.UNIT_HEAD, cls.unit)
        cls.staff = cls._person("staff", "Phạm Minh Tuấn", cls.agency, Role.STAFF, cls.unit)
        cls.overseer = cls._person("overseer", "Hoàng Văn Nam", cls.home_affairs, Role.OVERSEER)
        cls.outsider = cls._person("outsider", "Đỗ Thị Lan", cls.other_agency, Role.COORDINATOR, cls.other_unit)

    @classmethod
    def _agency(cls, code: str, short_name: str, abbreviation: str) -> Agency:
        return Agency.objects.create(
            code=code,
            kind=AgencyKind.DEPARTMENT,
            parent=cls.province,
            name=f"{short_name} tỉnh Bình Phước",
            short_name=short_name,
            abbreviation=abbreviation,
            parent_body_name="UBND TỈNH BÌNH PHƯỚC",
            place_name="Bình Phước",
        )

    @classmethod
    def _person(
        cls, username: str, full_name: str, agency: Agency, role: str, unit: Unit | None = None, **extra: Any
    ) -> User:
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, full_name=full_name, **extra)
        Membership.objects.create(user=user, agency=agency, unit=unit, role=role)
        return user

    def setUp(self) -> None:
        super().setUp()
        # Assertions read the English source text; Vietnamese has its own tests.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.enterContext(translation.override("en"))

    def login(self, user: User) -> None:
        """Sign in past the second factor: its own tests exercise it.

        People who must use two factors get a confirmed device and a verified
        session; the others a session that knows they have no device.
        """
        self.client.force_login(user)
        session = self.client.session
        if second_factor_required(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        else:
            session[SESSION_FLAG] = True
        session.save()
