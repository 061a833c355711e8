from datetime import date

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
from cchc.test import BaseTestCase


class AgencyModelTestCase(BaseTestCase):
    def test_it_keeps_the_province_root(self) -> None:
        self.assertIsNone(self.province.province)
        self.assertEqual(self.agency.province, self.province)
        branch = Agency.objects.create(
            code="cc-bp",
            parent=self.agency,
            name="Chi cục",
            short_name="Chi cục",
            abbreviation="CC",
            place_name="Bình Phước",
        )
        self.assertEqual(branch.province, self.province)
        self.assertEqual(branch.province_root, self.province)

    def test_it_rejects_duplicate_abbreviation_in_province(self) -> None:
        dup = Agency(
            code="x",
            kind=AgencyKind.DEPARTMENT,
            parent=self.province,
            name="X",
            short_name="X",
            abbreviation="sngv",
            place_name="Bình Phước",
        )
        with self.assertRaises(ValidationError) as ctx:
            dup.full_clean()
        self.assertIn("already uses this abbreviation", str(ctx.exception))
        with self.assertRaises(IntegrityError), transaction.atomic():
            dup.save()

    def test_it_allows_reusing_abbreviation_of_a_closed_agency(self) -> None:
        Agency.objects.filter(pk=self.agency.pk).update(valid_to=date(2025, 6, 30))
        renamed = Agency(
            code="sngv-new",
            parent=self.province,
            name="Sở Ngoại vụ (mới)",
            short_name="SNgV",
            abbreviation="SNgV",
            place_name="Bình Phước",
            valid_from=date(2025, 7, 1),
        )
        renamed.full_clean()
        renamed.save()
        Agency.objects.filter(pk=self.agency.pk).update(successor=renamed)
        self.assertEqual(list(Agency.objects.current().filter(abbreviation="SNgV")), [renamed])

    def test_it_rejects_end_before_start(self) -> None:
        self.agency.valid_from = date(2024, 1, 1)
        self.agency.valid_to = date(2023, 1, 1)
        with self.assertRaises(ValidationError):
            self.agency.full_clean()

    def test_it_rejects_a_cycle(self) -> None:
        self.province.parent = self.agency
        with self.assertRaises(ValidationError):
            self.province.full_clean()


class UnitAndMembershipTestCase(BaseTestCase):
    def test_it_rejects_duplicate_unit_abbreviation_in_agency(self) -> None:
        with self.assertRaises(ValidationError):
            Unit(agency=self.agency, name="Văn phòng 2", abbreviation="vp").full_clean()
        Unit(agency=self.other_agency, name="Phòng HTQT", abbreviation="HTQT").full_clean()

    def test_it_rejects_unit_of_another_agency(self) -> None:
        m = Membership(user=self.staff, agency=self.agency, unit=self.other_unit, role=Role.LEADER)
        with self.assertRaises(ValidationError):
            m.full_clean()

    def test_it_requires_a_unit_for_staff(self) -> None:
        with self.assertRaises(ValidationError):
            Membership(user=self.leader, agency=self.agency, role=Role.STAFF).full_clean()

    def test_it_signs_in_case_insensitively(self) -> None:
        self.assertEqual(User.objects.get_by_natural_key("COORDINATOR"), self.coordinator)
        request = RequestFactory().post("/accounts/login/")
        self.assertEqual(authenticate(request, username="Coordinator", password="password"), self.coordinator)

    def test_it_rejects_duplicate_email_ignoring_case(self) -> None:
        other = User(username="someone", full_name="Ai Đó", email="STAFF@example.org")
        with self.assertRaises(ValidationError):
            other.full_clean()
