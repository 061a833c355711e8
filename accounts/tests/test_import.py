from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl

from accounts import importer
from accounts.models import Membership, Role, Unit, User
from cchc.test import BaseTestCase

UNIT_HEADERS = ["Abbreviation", "Full name", "Short name", "Coordinates reform", "Display order"]
PEOPLE_HEADERS = ["Full name", "Username", "E-mail", "Phone", "Position", "Unit abbreviation", "Role"]


def workbook(
    units: list[list[Any]] | None = None,
    people: list[list[Any]] | None = None,
    *,
    unit_headers: list[str] | None = None,
    people_headers: list[str] | None = None,
    sheets: tuple[str, ...] = (importer.UNITS_SHEET, importer.PEOPLE_SHEET),
) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    if importer.UNITS_SHEET in sheets:
        sheet = book.create_sheet(importer.UNITS_SHEET)
        sheet.append(unit_headers or UNIT_HEADERS)
        for row in units or []:
            sheet.append(row)
    if importer.PEOPLE_SHEET in sheets:
        sheet = book.create_sheet(importer.PEOPLE_SHEET)
        sheet.append(people_headers or PEOPLE_HEADERS)
        for row in people or []:
            sheet.append(row)
    for name in sheets:
        if name not in book.sheetnames:
            book.create_sheet(name)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ImportTestCase(BaseTestCase):
    def run_import(self, data: bytes, user: User | None = None, name: str = "roster.xlsx") -> importer.ImportResult:
        return importer.import_workbook(
            io.BytesIO(data), agency=self.agency, user=user or self.coordinator, name=name, size=len(data)
        )

    def messages(self, result: importer.ImportResult) -> list[str]:
        return [str(p) for p in result.problems]

    def assertNothingStored(self, units: int, people: int, memberships: int) -> None:
        self.assertEqual(Unit.objects.count(), units)
        self.assertEqual(User.objects.count(), people)
        self.assertEqual(Membership.objects.count(), memberships)

    def counts(self) -> tuple[int, int, int]:
        return Unit.objects.count(), User.objects.count(), Membership.objects.count()


class ImportWorkbookTestCase(ImportTestCase):
    def test_it_creates_units_and_people(self) -> None:
        data = workbook(
            units=[
                ["QLBG", "Phòng Quản lý biên giới", "Phòng QLBG", "Không", 3],
                ["LS", "Phòng Lãnh sự", None, None, None],
            ],
            people=[
                ["Ngô Văn Hùng", "hungnv", "HungNV@Example.org", "0912345678", "Chuyên viên", "QLBG", "staff"],
                ["Vũ Thị Thu", "thuvt", "", 912000111, "Trưởng phòng", "ls", "Unit head"],
                ["Đặng Văn Khoa", "khoadv", "khoa@example.org", None, "Phó Giám đốc", None, "Agency leader"],
            ],
        )
        result = self.run_import(data)
        self.assertEqual(result.problems, [])
        self.assertEqual((result.units_created, result.units_updated), (2, 0))
        self.assertEqual((result.people_created, result.people_updated), (3, 0))
        border = Unit.objects.get(agency=self.agency, abbreviation="QLBG")
        self.assertEqual((border.short_name, border.is_coordinator, border.order), ("Phòng QLBG", False, 3))
        hung = User.objects.get(username="hungnv")
        self.assertEqual((hung.email, hung.phone, hung.full_name), ("hungnv@example.org", "0912345678", "Ngô Văn Hùng"))
        self.assertFalse(hung.has_usable_password())
        self.assertTrue(Membership.objects.filter(user=hung, agency=self.agency, unit=border, role=Role.STAFF).exists())
        thu = User.objects.get(username="thuvt")
        self.assertEqual(thu.phone, "912000111")
        self.assertEqual(thu.memberships.get().unit, Unit.objects.get(agency=self.agency, abbreviation="LS"))
        self.assertEqual(thu.memberships.get().role, Role.UNIT_HEAD)
        self.assertEqual(User.objects.get(username="khoadv").memberships.get().role, Role.LEADER)
        self.assertEqual({p.username for p in result.new_people}, {"hungnv", "thuvt", "khoadv"})

    def test_it_updates_units_by_abbreviation_and_people_by_username(self) -> None:
        data = workbook(
            units=[
                ["htqt", "Phòng Hợp tác quốc tế và Lãnh sự", None, "x", 2],
                ["VP", "Văn phòng Sở", None, None, None],
            ],
            people=[
                ["Phạm Minh Tuấn", "STAFF", "tuan@example.org", "", "", "VP", "Civil servant"],
                ["Lê Thị Mai", "unithead", "", "", "", "HTQT", "unit_head"],
            ],
        )
        before = self.counts()
        result = self.run_import(data)
        self.assertEqual(result.problems, [])
        self.assertEqual((result.units_created, result.units_updated, result.units_unchanged), (0, 1, 1))
        self.assertEqual((result.people_created, result.people_updated, result.people_unchanged), (0, 1, 1))
        self.assertEqual(self.counts(), before)
        self.unit.refresh_from_db()
        self.assertEqual(
            (self.unit.name, self.unit.is_coordinator, self.unit.order), ("Phòng Hợp tác quốc tế và Lãnh sự", True, 2)
        )
        self.assertEqual(self.unit.abbreviation, "htqt")
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.email, "tuan@example.org")
        self.assertEqual(self.staff.position, "")  # empty cells keep what is stored
        membership = self.staff.memberships.get()
        self.assertEqual(membership.unit, self.office)
        self.assertEqual(result.new_people, [])

    def test_it_adds_a_new_role_to_someone_already_there(self) -> None:
        result = self.run_import(workbook(people=[["Phạm Minh Tuấn", "staff", "", "", "", "HTQT", "Agency leader"]]))
        self.assertEqual(result.problems, [])
        self.assertEqual(result.people_updated, 1)
        self.assertEqual(
            set(self.staff.memberships.values_list("role", flat=True)), {Role.STAFF.value, Role.LEADER.value}
        )

    def test_it_skips_blank_lines_and_the_example_row(self) -> None:
        data = workbook(
            units=[importer._example(importer.UNITS_SHEET), [None, None, None, None, None], ["LS", "Phòng Lãnh sự"]],
            people=[importer._example(importer.PEOPLE_SHEET)],
        )
        result = self.run_import(data)
        self.assertEqual(result.problems, [])
        self.assertEqual(result.units_created, 1)
        self.assertFalse(Unit.objects.filter(abbreviation="TCCB").exists())
        self.assertFalse(User.objects.filter(username="nguyenvana.example").exists())

    def test_it_accepts_roles_and_yes_in_the_interface_languages(self) -> None:
        from django.utils import translation

        with translation.override("vi"):
            label = str(Role.COORDINATOR.label)
            yes = str(importer.gettext("Yes"))
        result = self.run_import(
            workbook(
                units=[["KH", "Phòng Kế hoạch", None, yes, None]],
                people=[["Trịnh Văn Lâm", "lamtv", "", "", "", "KH", f"  {label.upper()} "]],
            )
        )
        self.assertEqual(result.problems, [])
        self.assertTrue(Unit.objects.get(abbreviation="KH").is_coordinator)
        self.assertEqual(User.objects.get(username="lamtv").memberships.get().role, Role.COORDINATOR)

    def test_it_lets_an_administrator_grant_admin_roles(self) -> None:
        result = self.run_import(workbook(people=[["Mai Văn Sơn", "sonmv", "", "", "", "", "admin"]]), user=self.admin)
        self.assertEqual(result.problems, [])
        self.assertEqual(User.objects.get(username="sonmv").memberships.get().role, Role.ADMIN)


class ImportProblemsTestCase(ImportTestCase):
    def assertRejected(
        self, data: bytes, *expected: str, user: User | None = None, name: str = "roster.xlsx"
    ) -> importer.ImportResult:
        before = self.counts()
        result = self.run_import(data, user=user, name=name)
        self.assertFalse(result.ok)
        found = self.messages(result)
        for text in expected:
            self.assertTrue(any(text in message for message in found), f"{text!r} not in {found!r}")
        self.assertEqual(self.counts(), before)
        self.assertEqual((result.units_created, result.people_created), (0, 0))
        return result

    def test_it_stores_nothing_when_one_row_is_bad(self) -> None:
        data = workbook(
            units=[["KH", "Phòng Kế hoạch", None, None, None]],
            people=[
                ["Ngô Văn Hùng", "hungnv", "", "", "", "KH", "staff"],
                ["Vũ Thị Thu", "thuvt", "", "", "", "HTQTX", "staff"],
            ],
        )
        result = self.assertRejected(
            data, "Line 3: The unit “HTQTX” does not exist in this agency or in the units sheet."
        )
        problem = result.problems[0]
        self.assertEqual((problem.sheet, problem.line, problem.column), (importer.PEOPLE_SHEET, 3, "Unit abbreviation"))

    def test_it_reports_an_email_used_by_another_person(self) -> None:
        self.assertRejected(
            workbook(people=[["Ngô Văn Hùng", "hungnv", "STAFF@example.org", "", "", "HTQT", "staff"]]),
            "Line 2: The e-mail “staff@example.org” is already used by another person.",
        )

    def test_it_reports_duplicates_within_the_file(self) -> None:
        self.assertRejected(
            workbook(
                units=[["KH", "Phòng Kế hoạch"], ["kh", "Phòng Kế hoạch 2"]],
                people=[
                    ["Ngô Văn Hùng", "hungnv", "a@example.org", "", "", "KH", "staff"],
                    ["Ngô Văn Hùng", "HungNV", "b@example.org", "", "", "KH", "staff"],
                    ["Vũ Thị Thu", "thuvt", "A@example.org", "", "", "KH", "staff"],
                ],
            ),
            "Line 3: The abbreviation “kh” is also on line 2.",
            "Line 3: The username “hungnv” is also on line 2.",
            "Line 4: The e-mail “a@example.org” is also on line 2.",
        )

    def test_it_reports_missing_required_cells(self) -> None:
        result = self.assertRejected(
            workbook(units=[["KH", None]], people=[[None, "hungnv", "", "", "", "HTQT", None]]),
            "Line 2: This cell is required and is empty.",
        )
        self.assertEqual(
            [(p.sheet, p.column) for p in result.problems],
            [
                (importer.UNITS_SHEET, "Full name"),
                (importer.PEOPLE_SHEET, "Full name"),
                (importer.PEOPLE_SHEET, "Role"),
            ],
        )

    def test_it_reports_an_unknown_role(self) -> None:
        self.assertRejected(
            workbook(people=[["Ngô Văn Hùng", "hungnv", "", "", "", "HTQT", "chief"]]),
            "Line 2: Unknown role “chief”. Use one of: Agency leader, Reform coordinator, Unit head, Civil servant.",
        )

    def test_it_refuses_admin_roles_granted_by_a_coordinator(self) -> None:
        self.assertRejected(
            workbook(
                people=[
                    ["Ngô Văn Hùng", "hungnv", "", "", "", "", "System administrator"],
                    ["Vũ Thị Thu", "thuvt", "", "", "", "", "overseer"],
                ]
            ),
            "Line 2: Only system administrators may grant the role “System administrator”.",
            "Line 3: Only system administrators may grant the role “Provincial overseer”.",
        )

    def test_it_refuses_people_the_coordinator_may_not_manage(self) -> None:
        self.assertRejected(
            workbook(
                people=[
                    ["Quản trị", "admin", "", "", "", "", "leader"],
                    ["Đỗ Thị Lan", "outsider", "", "", "", "", "leader"],
                ]
            ),
            "Line 2: The username “admin” belongs to a system administrator",
            "Line 3: The username “outsider” is already used by a person of another agency.",
        )
        self.outsider.refresh_from_db()
        self.assertEqual(self.outsider.memberships.count(), 1)

    def test_it_requires_a_unit_for_unit_roles(self) -> None:
        self.assertRejected(
            workbook(people=[["Ngô Văn Hùng", "hungnv", "", "", "", "", "Civil servant"]]),
            "Line 2: Unit heads and civil servants belong to a unit: fill in the unit abbreviation.",
        )

    def test_it_checks_values(self) -> None:
        self.assertRejected(
            workbook(
                units=[["KH", "Phòng Kế hoạch", None, "maybe", None], ["TC", "Phòng Tài chính", None, None, "-1"]],
                people=[
                    ["Ngô Văn Hùng", "hung nv", "", "", "", "HTQT", "staff"],
                    ["Vũ Thị Thu", "thuvt", "not-an-email", "", "", "HTQT", "staff"],
                    ["V" * 151, "longname", "", "", "", "HTQT", "staff"],
                ],
            ),
            "Line 2: “maybe” is not Yes or No.",
            "Line 3: “-1” is not a whole number of zero or more.",
            "Line 2: The username “hung nv” may only hold letters, digits and @/./+/-/_.",
            "Line 3: “not-an-email” is not a valid e-mail address.",
            "Line 4: This cell has 151 characters; at most 150 are allowed.",
        )

    def test_it_rejects_a_file_that_is_not_xlsx(self) -> None:
        self.assertRejected(b"a,b,c\n", "The file “roster.csv” is not an Excel workbook (.xlsx).", name="roster.csv")

    def test_it_rejects_a_corrupt_file(self) -> None:
        self.assertRejected(b"PK\x03\x04 this is not really a zip", "could not be read as an Excel workbook")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        self.assertRejected(buffer.getvalue(), "could not be read as an Excel workbook")
        damaged = bytearray(workbook(units=[["KH", "Phòng Kế hoạch"]]))
        damaged[len(damaged) // 2 : len(damaged) // 2 + 200] = b"\0" * 200
        self.assertRejected(bytes(damaged), "could not be read as an Excel workbook")

    def test_it_rejects_a_missing_sheet(self) -> None:
        self.assertRejected(
            workbook(sheets=(importer.UNITS_SHEET, "Sheet1")),
            "The workbook has no sheet named “Cán bộ”. Start from the template.",
        )

    def test_it_rejects_wrong_headers(self) -> None:
        headers = ["Full name", "Username", "Phone", "E-mail", "Position", "Unit abbreviation", "Role"]
        self.assertRejected(
            workbook(people=[["A", "a", "", "", "", "HTQT", "staff"]], people_headers=headers),
            "Sheet “Cán bộ”: column C should be headed “E-mail” but is headed “Phone”.",
        )

    def test_it_rejects_more_than_5000_rows(self) -> None:
        units = [[f"U{i}", f"Phòng {i}"] for i in range(3000)]
        people = [[f"Người {i}", f"user{i}", "", "", "", "", "leader"] for i in range(2001)]
        # Numbers are grouped the Vietnamese way (the default language).
        self.assertRejected(workbook(units=units, people=people), "The workbook has more than 5,000 rows.")

    def test_it_rejects_a_file_over_5_mb(self) -> None:
        data = workbook(units=[["KH", "Phòng Kế hoạch"]])
        result = importer.import_workbook(
            io.BytesIO(data), agency=self.agency, user=self.coordinator, name="big.xlsx", size=5 * 1024 * 1024 + 1
        )
        self.assertEqual(self.messages(result), ["The file is larger than 5 MB. Split it into smaller files."])
        self.assertFalse(Unit.objects.filter(abbreviation="KH").exists())

    def test_it_rejects_a_workbook_without_rows(self) -> None:
        self.assertRejected(workbook(), "The workbook has no rows to import.")


class TemplateTestCase(ImportTestCase):
    def test_it_builds_a_template_that_imports_as_nothing(self) -> None:
        data = importer.build_template(is_admin=False)
        book = openpyxl.load_workbook(io.BytesIO(data))
        units, people = book[importer.UNITS_SHEET], book[importer.PEOPLE_SHEET]
        self.assertEqual([c.value for c in units[1]], UNIT_HEADERS)
        self.assertEqual([c.value for c in people[1]], PEOPLE_HEADERS)
        self.assertIsNotNone(people["B1"].comment)
        self.assertEqual(people["A2"].value, "Example: Nguyễn Văn A")
        role_lists = [dv for dv in people.data_validations.dataValidation if "G2" in str(dv.sqref)]
        self.assertEqual(len(role_lists), 1)
        lists = book["Lists"]
        self.assertEqual(lists.sheet_state, "hidden")
        roles = [lists.cell(i, 1).value for i in range(1, 7)]
        self.assertNotIn("System administrator", roles)
        self.assertIn("Civil servant", roles)
        result = self.run_import(data)
        self.assertEqual(self.messages(result), ["The workbook has no rows to import."])

    def test_it_offers_admin_roles_to_administrators(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(importer.build_template(is_admin=True)))
        self.assertIn("System administrator", [c.value for c in book["Lists"]["A"]])

    def test_it_imports_a_filled_in_template(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(importer.build_template(is_admin=False)))
        book[importer.UNITS_SHEET].append(["KH", "Phòng Kế hoạch", "", "Yes", 4])
        book[importer.PEOPLE_SHEET].append(
            ["Ngô Văn Hùng", "hungnv", "hung@example.org", "", "", "KH", "Civil servant"]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        result = self.run_import(buffer.getvalue())
        self.assertEqual(result.problems, [])
        self.assertEqual((result.units_created, result.people_created), (1, 1))
        self.assertTrue(Unit.objects.get(abbreviation="KH").is_coordinator)


class ImportSafetyTestCase(ImportTestCase):
    def test_it_rejects_a_workbook_that_unpacks_to_too_much(self) -> None:
        from unittest import mock

        data = workbook(units=[["KH", "Phòng Kế hoạch"]])
        with mock.patch.object(importer, "MAX_UNPACKED_BYTES", 1000):
            result = self.run_import(data)
        self.assertEqual(
            self.messages(result), ["The workbook holds too much data for one import. Split it into smaller files."]
        )
        self.assertFalse(Unit.objects.filter(abbreviation="KH").exists())

    def test_it_stores_nothing_when_the_database_refuses_a_row(self) -> None:
        from unittest import mock

        from django.db import IntegrityError

        original = Unit.save
        calls = []

        def save_then_fail(unit: Unit, *args: Any, **kwargs: Any) -> None:
            calls.append(unit.abbreviation)
            if len(calls) == 2:
                raise IntegrityError("simulated race")
            original(unit, *args, **kwargs)

        data = workbook(units=[["KH", "Phòng Kế hoạch"], ["TC", "Phòng Tài chính"]])
        with mock.patch.object(Unit, "save", save_then_fail):
            result = self.run_import(data)
        self.assertIn("nothing was stored", self.messages(result)[0])
        self.assertFalse(Unit.objects.filter(abbreviation__in=["KH", "TC"]).exists())
