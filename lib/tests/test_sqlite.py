from django.core.exceptions import ValidationError
from django.test import TestCase

from accounts.models import Agency, Unit
from lib.sqlite import like


class LikeTestCase(TestCase):
    def test_it_matches_sql_wildcards(self) -> None:
        self.assertTrue(like("%sở%", "Sở Ngoại vụ"))
        self.assertTrue(like("s_ ngoại%", "SỞ NGOẠI VỤ"))
        self.assertFalse(like("%tư pháp%", "Sở Ngoại vụ"))
        self.assertTrue(like(r"%50\%%", "đạt 50% chỉ tiêu", "\\"))
        self.assertFalse(like(r"%50\%%", "đạt 50 chỉ tiêu", "\\"))
        self.assertIsNone(like(None, "x"))

    def test_it_searches_vietnamese_ignoring_case_on_every_database(self) -> None:
        agency = Agency.objects.create(
            code="sngv", name="Sở Ngoại vụ", short_name="Sở Ngoại vụ", abbreviation="SNgV", place_name="Bình Phước"
        )
        self.assertEqual(list(Agency.objects.filter(name__icontains="sở ngoại")), [agency])
        self.assertEqual(list(Agency.objects.filter(name__iexact="SỞ NGOẠI VỤ")), [agency])

    def test_it_folds_vietnamese_letters_in_unique_abbreviations(self) -> None:
        agency = Agency.objects.create(
            code="sngv", name="Sở Ngoại vụ", short_name="Sở Ngoại vụ", abbreviation="SNgV", place_name="Bình Phước"
        )
        Unit.objects.create(agency=agency, name="Đoàn Thanh niên", abbreviation="ĐTN")
        with self.assertRaises(ValidationError):
            Unit(agency=agency, name="Đoàn thanh niên 2", abbreviation="đtn").full_clean()
