"""Numbers given by the system: the agency's register per year and series, plans registered on issue."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import TestCase

from accounts.models import Agency
from documents import register
from documents.models import DocumentType, NumberCounter, OutgoingDocument, RegisterSeries
from documents.tests.base import DocumentsTestCase
from plans import actions
from plans.models import Plan, PlanKind, PlanStatus


class RegisterOutgoingTestCase(DocumentsTestCase):
    def new(self, type_code: str = "KH", on: date = date(2025, 12, 22), **fields: Any) -> OutgoingDocument:
        return register.register_outgoing(
            self.agency, type_code=type_code, issued_date=on, subject=f"Văn bản {type_code}", **fields
        )

    def test_it_gives_the_next_number_of_the_common_series(self) -> None:
        document = self.new(
            "BC",
            signer_position="Giám đốc",
            signer_full_name="Nguyễn Thị Hà",
            to_places="UBND tỉnh (b/c);\n- Lưu: VT, VP.",
            user=self.coordinator,
        )
        self.assertEqual((document.register_year, document.series, document.code_number), (2025, "", 2))
        self.assertEqual((document.code_notation, document.number_symbol), ("BC-SNgV", "02/BC-SNgV"))
        self.assertEqual((document.type_code, document.type_name), ("BC", "Báo cáo"))
        self.assertEqual(document.archive_holder, "VT, VP")
        self.assertEqual(document.created_by, self.coordinator)
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2025, series="").last_number, 2)

    def test_numbers_restart_each_year_and_agencies_have_their_own(self) -> None:
        self.assertEqual(self.new(on=date(2026, 1, 2)).number_symbol, "01/KH-SNgV")
        self.assertEqual(self.new(on=date(2026, 1, 3)).number_symbol, "02/KH-SNgV")
        other = register.register_outgoing(
            self.other_agency, type_code="KH", issued_date=date(2026, 1, 2), subject="Kế hoạch"
        )
        self.assertEqual(other.number_symbol, "01/KH-STP")
        self.assertEqual(self.new(on=date(2025, 12, 31)).number_symbol, "02/KH-SNgV")  # register of 2025
        self.assertEqual(self.new(on=date(2026, 1, 4)).code_number, 3)

    def test_a_type_with_its_own_series_takes_its_numbers_there(self) -> None:
        decision = self.new("QĐ")
        self.assertEqual(
            (decision.series, decision.number_symbol, decision.type_name), ("qd", "01/QĐ-SNgV", "Quyết định")
        )
        self.assertEqual(self.new("QĐ").number_symbol, "02/QĐ-SNgV")
        self.assertEqual(self.new("KH").number_symbol, "02/KH-SNgV")  # the common series goes on
        self.assertEqual(register.series_for(self.agency, "QĐ"), "qd")
        self.assertEqual(register.series_for(self.agency, "KH"), "")
        self.assertEqual(register.series_for(self.other_agency, "QĐ"), "")

    def test_a_cong_van_has_the_agency_and_drafting_unit_in_its_symbol(self) -> None:
        letter = self.new("", type_name="Công văn", drafting_unit="VP")
        self.assertEqual((letter.number_symbol, letter.type_name, letter.type_code), ("02/SNgV-VP", "Công văn", ""))
        self.assertEqual(self.new("", type_name="Công văn").number_symbol, "03/SNgV")

    def test_a_series_can_cover_types_without_abbreviation(self) -> None:
        letters = RegisterSeries.objects.create(agency=self.agency, code="cv", name="Sổ công văn")
        letters.doc_types.set([DocumentType.objects.get(name="Công văn")])
        self.assertEqual(self.new("", type_name="Công văn", drafting_unit="VP").number_symbol, "01/SNgV-VP")
        self.assertEqual(self.new("", type_name="Thư công").series, "")

    def test_it_links_the_source_record(self) -> None:
        document = self.new(source=self.draft_plan)
        self.assertEqual(document.source, self.draft_plan)
        self.assertEqual(register.source_of(document), self.draft_plan)
        self.draft_plan.delete()
        self.assertIsNone(register.source_of(document))

    def test_it_skips_a_number_already_in_the_register(self) -> None:
        # A line carried over by hand holds 2 while the counter still says 1.
        register.record_outgoing(
            self.agency,
            code_number=5,
            code_notation="KH-SNgV",
            type_code="KH",
            issued_date=date(2025, 6, 1),
            subject="Cũ",
        )
        NumberCounter.objects.filter(agency=self.agency, year=2025, series="").update(last_number=4)
        self.assertEqual(self.new().code_number, 6)

    def test_recording_a_given_number_moves_the_counter_up(self) -> None:
        line = register.record_outgoing(
            self.agency,
            code_number=41,
            code_notation="KH-SNgV",
            type_code="KH",
            issued_date=date(2025, 12, 28),
            subject="Kế hoạch CCHC",
            to_places="UBND tỉnh\nLưu: VT",
            source=self.plan,
        )
        self.assertEqual(
            (line.number_symbol, line.type_name, line.archive_holder, line.source),
            ("41/KH-SNgV", "Kế hoạch", "VT", self.plan),
        )
        self.assertEqual(self.new().code_number, 42)
        register.record_outgoing(
            self.agency,
            code_number=3,
            code_notation="KH-SNgV",
            type_code="KH",
            issued_date=date(2025, 1, 3),
            subject="Cũ",
        )
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2025, series="").last_number, 42)

    def test_the_database_refuses_a_number_twice_in_a_series(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            OutgoingDocument.objects.create(
                agency=self.agency,
                register_year=2025,
                code_number=1,
                code_notation="BC-SNgV",
                type_name="Báo cáo",
                issued_date=date(2025, 12, 21),
                subject="Trùng số",
            )

    def test_it_finds_the_same_number_and_symbol_given_twice_in_the_year(self) -> None:
        # Decisions were numbered in the common series before they got their own.
        RegisterSeries.objects.filter(pk=self.series.pk).delete()
        early = self.new("QĐ")
        self.assertEqual(early.number_symbol, "02/QĐ-SNgV")
        self.assertFalse(register.duplicates(early).exists())
        series = RegisterSeries.objects.create(agency=self.agency, code="qd", name="Quyết định")
        series.doc_types.set([DocumentType.objects.get(abbreviation="QĐ")])
        self.new("QĐ")
        late = self.new("QĐ")
        self.assertEqual(late.number_symbol, "02/QĐ-SNgV")
        self.assertEqual(list(register.duplicates(late)), [early])
        self.assertEqual(list(register.duplicates(early)), [late])
        self.assertFalse(register.duplicates(self.outgoing).exists())

    def test_it_reads_who_keeps_the_file_copy_from_the_recipients(self) -> None:
        self.assertEqual(register.archive_holder_from("- UBND tỉnh;\n- Lưu: VT, VP(02)."), "VT, VP(02)")
        self.assertEqual(register.archive_holder_from("UBND tỉnh\nLƯU: VT"), "VT")
        self.assertEqual(register.archive_holder_from("UBND tỉnh"), "")


class PlanIssueTestCase(DocumentsTestCase):
    def submitted(self, doc_type: str = "KH") -> Plan:
        return Plan.objects.create(
            agency=self.agency,
            year=2027,
            title="Cải cách hành chính năm 2027",
            doc_type=doc_type,
            status=PlanStatus.SUBMITTED,
            signer_position="Giám đốc",
            signer_name="Nguyễn Thị Hà",
            recipients="UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLưu: VT, VP",
        )

    def test_issuing_a_plan_registers_it(self) -> None:
        plan = actions.transition(self.submitted(), "issue", self.leader, issued_on=date(2025, 12, 29))
        line = OutgoingDocument.objects.get(source_id=plan.pk, source_type__model="plan")
        self.assertEqual((plan.number, plan.register_year, plan.symbol), (2, 2025, "02/KH-SNgV"))
        self.assertEqual(
            (line.number_symbol, line.issued_date, line.subject), ("02/KH-SNgV", date(2025, 12, 29), plan.title)
        )
        self.assertEqual((line.signer_position, line.signer_full_name), ("Giám đốc", "Nguyễn Thị Hà"))
        self.assertEqual((line.to_places, line.archive_holder), (plan.recipients, "VT, VP"))
        self.assertEqual((line.type_name, line.created_by), ("Kế hoạch", self.leader))

    def test_other_documents_and_plans_share_the_register(self) -> None:
        register.register_outgoing(self.agency, type_code="BC", issued_date=date(2026, 2, 1), subject="Báo cáo")
        plan = actions.transition(self.submitted(), "issue", self.leader, issued_on=date(2026, 2, 2))
        self.assertEqual(plan.symbol, "02/KH-SNgV")

    def test_a_plan_issued_as_a_decision_takes_the_number_of_the_decision_series(self) -> None:
        plan = actions.transition(self.submitted("QĐ"), "issue", self.leader, issued_on=date(2026, 1, 5))
        self.assertEqual(plan.symbol, "01/QĐ-SNgV")
        self.assertEqual(OutgoingDocument.objects.get(source_id=plan.pk, source_type__model="plan").series, "qd")

    def test_a_plan_in_another_series_may_hold_the_same_number(self) -> None:
        # 01/QĐ-SNgV in the "qd" series beside plan 01/KH-SNgV of 2025.
        plan = self.submitted("QĐ")
        actions.transition(plan, "issue", self.leader, issued_on=date(2025, 12, 29))
        plan.refresh_from_db()
        self.assertEqual((plan.status, plan.number, plan.symbol), (PlanStatus.ISSUED, 1, "01/QĐ-SNgV"))
        self.assertTrue(OutgoingDocument.objects.filter(series="qd", code_number=1).exists())

    def test_a_refused_step_writes_nothing_to_the_register(self) -> None:
        before = OutgoingDocument.objects.count()
        with self.assertRaises(actions.ActionError):
            actions.transition(self.draft_plan, "issue", self.leader)
        self.assertEqual(OutgoingDocument.objects.count(), before)
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2025).last_number, 1)


class DemoRegisterTestCase(TestCase):
    agency: Agency

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel("2026-05-04 09:00 +07:00"):
            call_command("load_demo", stdout=StringIO())
        cls.agency = Agency.objects.get(code="sngv-binhphuoc")

    def test_the_demo_plans_and_documents_are_in_the_register(self) -> None:
        lines = OutgoingDocument.objects.filter(agency=self.agency).order_by("register_year", "series", "code_number")
        self.assertEqual(
            [(d.register_year, d.series, d.number_symbol, d.type_name) for d in lines],
            [
                (2021, "", "41/KH-SNgV", "Kế hoạch"),
                (2022, "", "01/BC-SNgV", "Báo cáo"),
                # The consolidated reports of quarter I and of the first six months (reports.demo).
                (2022, "", "02/BC-SNgV", "Báo cáo"),
                (2022, "", "03/BC-SNgV", "Báo cáo"),
                # The reports and the decision of 2025 that back the PAR Index self-assessment (indices.demo).
                (2025, "", "01/BC-SNgV", "Báo cáo"),
                (2025, "", "02/BC-SNgV", "Báo cáo"),
                (2025, "", "03/BC-SNgV", "Báo cáo"),
                (2025, "", "04/BC-SNgV", "Báo cáo"),
                (2025, "", "05/BC-SNgV", "Báo cáo"),
                (2025, "", "06/BC-SNgV", "Báo cáo"),
                (2025, "", "07/BC-SNgV", "Báo cáo"),
                (2025, "qd", "01/QĐ-SNgV", "Quyết định"),
                (2026, "", "01/KH-SNgV", "Kế hoạch"),
                (2026, "", "02/SNgV-VP", "Công văn"),
                (2026, "", "03/BC-SNgV", "Báo cáo"),
                (2026, "qd", "01/QĐ-SNgV", "Quyết định"),
            ],
        )
        old = Plan.objects.get(agency=self.agency, year=2022)
        current = Plan.objects.get(agency=self.agency, year=2026, kind=PlanKind.REFORM)
        self.assertEqual(register.source_of(lines[0]), old)
        self.assertEqual(register.source_of(lines[12]), current)
        self.assertEqual(lines[12].number_symbol, current.symbol)
        self.assertEqual(register.source_of(lines[2]).period.year, 2022)
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2021, series="").last_number, 41)

    def test_loading_again_adds_nothing(self) -> None:
        before = OutgoingDocument.objects.count()
        with time_machine.travel("2026-05-05 09:00 +07:00"):
            call_command("load_demo", stdout=StringIO())
        self.assertEqual(OutgoingDocument.objects.count(), before)
