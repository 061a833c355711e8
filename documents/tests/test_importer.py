"""The plan importer's logic: what is kept of a read document, unit suggestions, saving a plan."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import django as hypothesis_django

from accounts.models import Agency, AgencyKind
from documents import importer
from documents.models import NumberCounter, OutgoingDocument, PlanImport
from documents.reader.source import Source, Unreadable
from documents.tests.base import DocumentsTestCase
from plans.actions import ActionError
from plans.models import Comparator, MetricKind, Plan, PlanKind, PlanStatus, Recurrence, Section, UpdateKind

DATA = Path(__file__).parent / "data"
SEEDS = sorted(p.stem for p in DATA.glob("*.json"))


def example(stem: str) -> dict[str, Any]:
    return json.loads((DATA / f"{stem}.json").read_text(encoding="utf-8"))


def task(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "section": ["II", "1"],
        "content": "Rà soát thủ tục hành chính",
        "area": "procedures",
        "lead_unit": None,
        "coordinating_units": [],
        "due": None,
        "due_date": None,
        "recurring": False,
        "output": None,
    }
    return {**base, **fields}


def result(**fields: Any) -> dict[str, Any]:
    data = importer.empty_result()
    data["document"].update(type="KH", title="Cải cách hành chính năm 2027", year=2027)
    data["sections"] = [
        {"label": "II", "title": "NHIỆM VỤ", "children": [{"label": "1", "title": "Cải cách TTHC", "children": []}]}
    ]
    data.update(fields)
    return data


class ImporterTestCase(DocumentsTestCase):
    def new_import(self, data: dict[str, Any] | None = None, name: str = "Kế hoạch.txt") -> PlanImport:
        return PlanImport.objects.create(
            agency=self.agency,
            original_name=name,
            sha256="1" * 64,
            source_text="KẾ HOẠCH",
            result=data or result(),
            created_by=self.coordinator,
        )


class NormaliseTestCase(ImporterTestCase):
    def test_it_fills_in_every_key_of_the_contract(self) -> None:
        data = importer.normalise({"document": {"title": "  Cải cách\nhành chính ", "year": "2027"}})
        self.assertEqual(data["document"]["title"], "Cải cách hành chính")
        self.assertEqual(data["document"]["year"], 2027)
        self.assertEqual(data["document"]["signer"], {"authority": None, "position": None, "name": None})
        self.assertEqual(data["tasks"], [])
        self.assertEqual(data["reporting"], {"cadences": [], "to": None})
        self.assertIsNone(data["budget"])

    def test_it_survives_values_of_the_wrong_type(self) -> None:
        junk: Any = {
            "document": {"title": ["x"], "date": "not a date", "signer": "Giám đốc", "recipients": "UBND tỉnh"},
            "legal_bases": "none",
            "sections": [{"label": 1, "title": None, "children": "x"}, "junk"],
            "tasks": [{"content": 5, "section": "II", "due_date": "2026-13-40", "recurring": "yes"}, None],
            "targets": [{"text": "95%", "comparator": "≥", "value": "abc", "unit": "percent"}],
            "budget": {"amount": "NaN"},
        }
        data = importer.normalise(junk)
        self.assertIsNone(data["document"]["title"])
        self.assertIsNone(data["document"]["date"])
        self.assertEqual(data["document"]["recipients"], [])
        self.assertEqual(data["sections"], [{"label": "1", "title": "", "children": []}])
        self.assertEqual(data["tasks"][0]["content"], "5")
        self.assertIsNone(data["tasks"][0]["due_date"])
        self.assertFalse(data["tasks"][0]["recurring"])
        self.assertEqual(data["targets"][0]["comparator"], None)
        self.assertIsNone(data["budget"])
        self.assertEqual(importer.normalise(None), importer.empty_result())

    def test_it_keeps_the_worked_examples_as_they_are(self) -> None:
        for stem in SEEDS:
            with self.subTest(stem):
                self.assertEqual(importer.normalise(example(stem)), example(stem))

    def test_it_lists_each_printed_unit_once(self) -> None:
        names = importer.printed_units(example("002_b069dd2d47730896"))
        self.assertEqual(names, ["Văn phòng Sở", "Các phòng Nghiệp vụ", "Phòng Quản lý Biên giới"])


class SuggestUnitsTestCase(ImporterTestCase):
    def test_it_suggests_units_by_name_short_name_or_abbreviation_without_accents(self) -> None:
        self.unit.short_name = "Phòng HTQT"
        self.unit.save()
        suggested = importer.suggest_units(
            self.agency, ["Văn phòng Sở", "van phong so", "VP", "Phòng HTQT", "PHÒNG HỢP TÁC QUỐC TẾ"]
        )
        self.assertEqual(
            suggested,
            {
                "Văn phòng Sở": self.office.pk,
                "van phong so": self.office.pk,
                "VP": self.office.pk,
                "Phòng HTQT": self.unit.pk,
                "PHÒNG HỢP TÁC QUỐC TẾ": self.unit.pk,
            },
        )

    def test_it_suggests_a_unit_whose_words_fit_when_only_one_does(self) -> None:
        suggested = importer.suggest_units(
            self.agency, ["Văn phòng", "Văn phòng - Thanh tra Sở", "Phòng Hợp tác Quốc tê", "Phòng"]
        )
        self.assertEqual(suggested["Văn phòng"], self.office.pk)
        self.assertEqual(suggested["Văn phòng - Thanh tra Sở"], self.office.pk)
        self.assertEqual(suggested["Phòng Hợp tác Quốc tê"], self.unit.pk)  # a typo
        self.assertIsNone(suggested["Phòng"])  # every "Phòng …" fits: no guess

    def test_it_suggests_nothing_for_several_units_or_units_elsewhere(self) -> None:
        suggested = importer.suggest_units(
            self.agency,
            ["Các phòng chuyên môn thuộc Sở", "các phòng nghiệp vụ", "Sở Khoa học và Công nghệ", "Phòng Lãnh sự"],
        )
        self.assertEqual(set(suggested.values()), {None})

    def test_it_suggests_only_units_in_force_of_the_agency(self) -> None:
        self.office.valid_to = date(2020, 1, 1)
        self.office.save()
        self.assertEqual(importer.suggest_units(self.agency, ["Văn phòng Sở"]), {"Văn phòng Sở": None})
        self.assertEqual(
            importer.suggest_units(self.other_agency, ["Văn phòng Sở"]), {"Văn phòng Sở": self.other_unit.pk}
        )


class StartImportTestCase(ImporterTestCase):
    def test_it_keeps_what_was_read_with_the_source_text_and_suggestions(self) -> None:
        data = example("002_b069dd2d47730896")
        source = Source(text="KẾ HOẠCH\r\nCải cách", kind="pdf", stamped_text="Số: 41/KH-SNgV")
        with patch("documents.reader.read_document", return_value=(data, source)) as read:
            plan_import = importer.start_import(self.agency, self.coordinator, "Kế hoạch 41.pdf", b"%PDF-1.7")
        read.assert_called_once_with("Kế hoạch 41.pdf", b"%PDF-1.7")
        plan_import.refresh_from_db()
        self.assertEqual(plan_import.agency, self.agency)
        self.assertEqual(plan_import.created_by, self.coordinator)
        self.assertEqual(plan_import.original_name, "Kế hoạch 41.pdf")
        self.assertEqual(plan_import.result, data)
        self.assertEqual(plan_import.source_text, "KẾ HOẠCH\nCải cách\n\nSố: 41/KH-SNgV")
        self.assertEqual(len(plan_import.sha256), 64)
        self.assertEqual(
            plan_import.unit_map,
            {"Văn phòng Sở": self.office.pk, "Các phòng Nghiệp vụ": None, "Phòng Quản lý Biên giới": None},
        )
        self.assertIsNone(plan_import.plan)

    def test_it_passes_on_an_unreadable_file_and_keeps_nothing(self) -> None:
        before = PlanImport.objects.count()
        with (
            patch("documents.reader.read_document", side_effect=Unreadable("PDF này không có lớp văn bản")),
            self.assertRaisesMessage(Unreadable, "PDF này không có lớp văn bản"),
        ):
            importer.start_import(self.agency, self.coordinator, "scan.pdf", b"%PDF")
        self.assertEqual(PlanImport.objects.count(), before)

    def test_it_turns_a_failure_of_the_reader_into_a_message(self) -> None:
        before = PlanImport.objects.count()
        with (
            patch("documents.reader.read_document", side_effect=IndexError("boom")),
            self.assertLogs("documents.importer", "ERROR"),
            self.assertRaisesMessage(Unreadable, "could not be read"),
        ):
            importer.start_import(self.agency, self.coordinator, "odd.docx", b"PK")
        self.assertEqual(PlanImport.objects.count(), before)


class SavePlanTestCase(ImporterTestCase):
    def test_it_saves_the_worked_example_as_a_draft_plan(self) -> None:
        plan_import = self.new_import(example("002_b069dd2d47730896"), name="KH 41.docx")
        unit_map = {
            "Văn phòng Sở": self.office.pk,
            "Các phòng Nghiệp vụ": None,
            "Phòng Quản lý Biên giới": self.unit.pk,
        }
        plan = importer.save_plan(plan_import, plan_import.result, unit_map, self.coordinator)

        plan.refresh_from_db()
        self.assertEqual(plan.agency, self.agency)
        self.assertEqual(plan.status, PlanStatus.DRAFT)
        self.assertEqual(plan.kind, PlanKind.REFORM)
        self.assertEqual(plan.year, 2022)
        self.assertEqual(plan.title, "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022")
        self.assertEqual((plan.doc_type, plan.place), ("KH", "Bình Phước"))
        self.assertEqual(
            (plan.signer_authority, plan.signer_position, plan.signer_name), ("", "Giám đốc", "Phạm Thị Anh Thư")
        )
        self.assertEqual(plan.recipients.splitlines()[0], "UBND tỉnh (b/c)")
        self.assertEqual(len(plan.recipients.splitlines()), 5)
        # The source's number is information, not this draft's register number.
        self.assertIsNone(plan.number)
        self.assertEqual(plan.symbol, "")
        self.assertIsNone(plan.issued_on)
        self.assertEqual(plan.created_by, self.coordinator)

        basis = plan.legal_bases.get()
        self.assertEqual((basis.doc_type, basis.symbol, basis.issued_on), ("QĐ", "3223/QĐ-UBND", date(2021, 12, 27)))
        self.assertEqual(basis.issuer, "UBND tỉnh")

        sections = {(s.parent.label if s.parent else None, s.label): s for s in plan.sections.select_related("parent")}
        self.assertEqual(len(sections), 20)
        digital = sections[("II", "6")]
        self.assertEqual(digital.title, "Xây dựng và phát triển Chính phủ điện tử, Chính quyền số")
        self.assertEqual(digital.area and digital.area.code, "digital_government")
        self.assertEqual(sections[("6", "c")].parent, digital)
        self.assertIsNone(sections[(None, "II")].area)  # its tasks span several areas

        tasks = list(plan.tasks.order_by("order").select_related("section", "lead_unit", "area"))
        self.assertEqual(len(tasks), 39)
        first = tasks[0]
        self.assertEqual((first.section, first.label), (sections[("II", "1")], "a"))
        self.assertEqual(first.area and first.area.code, "institutional")
        self.assertEqual(first.lead_unit, self.office)  # no lead unit printed: the Office leads
        self.assertFalse(first.updates.exists())
        self.assertEqual(tasks[-3].lead_unit, self.office)
        border = tasks[-1]
        self.assertEqual(border.lead_unit, self.unit)
        self.assertEqual(list(border.coordinating_units.all()), [self.office])
        nghiep_vu = tasks[-2]
        self.assertEqual(nghiep_vu.lead_unit, self.office)
        self.assertEqual(list(nghiep_vu.coordinating_units.all()), [])  # the lead is not its own partner
        note = nghiep_vu.updates.get()
        self.assertEqual(note.kind, UpdateKind.COMMENT)
        self.assertIn("“Các phòng Nghiệp vụ”", note.text)
        self.assertIn("KH 41.docx", note.text)
        self.assertEqual(note.details["imported"]["lead_unit"], "Các phòng Nghiệp vụ")

        targets = list(plan.targets.order_by("order"))
        self.assertEqual(len(targets), 3)
        self.assertEqual(
            (targets[0].comparator, targets[0].value, targets[0].metric_kind), (Comparator.GTE, 95, MetricKind.PERCENT)
        )
        self.assertEqual(targets[0].section, sections[(None, "I")].children.get(label="1"))
        self.assertEqual((targets[2].comparator, targets[2].unit_of_measure), (Comparator.EQ, "%"))

        version = plan.versions.get()
        self.assertEqual(version.note, "Imported from “KH 41.docx” (41/KH-SNgV, dated 28/12/2021)")
        plan_import.refresh_from_db()
        self.assertEqual(plan_import.plan, plan)
        self.assertEqual(plan_import.unit_map["Phòng Quản lý Biên giới"], self.unit.pk)

    def test_it_saves_the_budget_repeated_headings_and_ranges(self) -> None:
        plan_import = self.new_import(example("004_162e35224b198d12"))
        plan = importer.save_plan(plan_import, plan_import.result, {}, self.coordinator)
        self.assertEqual(plan.budget_amount, Decimal(450_000_000))
        thirds = plan.sections.filter(label="III", parent=None).order_by("order")
        self.assertEqual(thirds.count(), 2)
        # "III.7.7.1" lies under the first III, the one with the sub-headings.
        task = plan.tasks.select_related("section__parent").filter(label="7.1")[0]
        self.assertEqual(task.section and task.section.parent and task.section.parent.parent, thirds[0])
        initiatives = plan.targets.get(comparator=Comparator.RANGE)
        self.assertEqual((initiatives.value, initiatives.value_max), (3, 5))
        self.assertEqual(initiatives.metric_kind, MetricKind.COUNT)
        self.assertEqual(plan.tasks.count(), 46)

    def test_it_saves_every_worked_example(self) -> None:
        for stem in SEEDS:
            with self.subTest(stem):
                data = example(stem)
                plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator)
                self.assertEqual(plan.tasks.count(), len(data["tasks"]))
                self.assertEqual(plan.targets.count(), len(data["targets"]))
        emulation = Plan.objects.get(title__startswith="Phát động phong trào thi đua")
        self.assertEqual((emulation.kind, emulation.year), (PlanKind.EMULATION, 2020))

    def test_it_reads_deadlines_and_repeats_them(self) -> None:
        data = result(
            tasks=[
                task(content="Báo cáo quý", due="Quý IV/2027"),
                task(content="Tuyên truyền", due="Thường xuyên", recurring=True),
                task(content="Hội nghị", due="Đầu năm", due_date="2027-03-31"),
            ]
        )
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator)
        quarterly, continuous, meeting = plan.tasks.filter(parent=None).order_by("order")
        self.assertEqual((quarterly.due_date, quarterly.due_text), (date(2027, 12, 31), "Quý IV/2027"))
        self.assertEqual(continuous.recurrence, Recurrence.CONTINUOUS)
        self.assertEqual(continuous.children.count(), 4)
        self.assertEqual(meeting.due_date, date(2027, 3, 31))

    def test_it_uses_the_lead_unit_chosen_for_one_task(self) -> None:
        data = result(tasks=[task(lead_unit="Các phòng chuyên môn", lead_unit_id=self.unit.pk)])
        plan = importer.save_plan(self.new_import(data), data, {"Các phòng chuyên môn": None}, self.coordinator)
        saved = plan.tasks.get()
        self.assertEqual(saved.lead_unit, self.unit)
        self.assertFalse(saved.updates.exists())

    def test_it_uses_the_chosen_unit_for_tasks_without_one(self) -> None:
        data = result(tasks=[task(), task(lead_unit="Văn phòng Sở")])
        plan_import = self.new_import(data)
        plan = importer.save_plan(plan_import, data, {"Văn phòng Sở": self.office.pk}, None, fallback_unit=self.unit)
        self.assertEqual([t.lead_unit for t in plan.tasks.order_by("order")], [self.unit, self.office])

    def test_it_refuses_units_of_another_agency_and_writes_nothing(self) -> None:
        data = result(tasks=[task(lead_unit="Văn phòng Sở")])
        before = Plan.objects.count()
        with self.assertRaisesMessage(ActionError, "no longer units of the agency"):
            importer.save_plan(self.new_import(data), data, {"Văn phòng Sở": self.other_unit.pk}, self.coordinator)
        with self.assertRaisesMessage(ActionError, "no longer units of the agency"):
            importer.save_plan(self.new_import(data), data, {}, self.coordinator, fallback_unit=self.other_unit)
        self.assertEqual(Plan.objects.count(), before)

    def test_it_needs_a_unit_to_lead_tasks(self) -> None:
        empty = Agency.objects.create(
            code="new", kind=AgencyKind.DEPARTMENT, name="Sở mới", short_name="Sở mới", abbreviation="SM"
        )
        data = result(tasks=[task()])
        plan_import = PlanImport.objects.create(
            agency=empty, original_name="x.txt", sha256="", source_text="", result=data
        )
        with self.assertRaisesMessage(ActionError, "no units yet"):
            importer.save_plan(plan_import, data, {}, self.admin)
        self.assertFalse(Plan.objects.filter(agency=empty).exists())
        self.assertFalse(Section.objects.filter(plan__agency=empty).exists())

    def test_it_needs_a_title(self) -> None:
        data = result()
        data["document"]["title"] = None
        with self.assertRaisesMessage(ActionError, "needs a title"):
            importer.save_plan(self.new_import(data), data, {}, self.coordinator)

    def test_it_saves_a_document_once(self) -> None:
        plan_import = self.new_import()
        before = Plan.objects.count()
        importer.save_plan(plan_import, plan_import.result, {}, self.coordinator)
        with self.assertRaisesMessage(ActionError, "already been saved"):
            importer.save_plan(plan_import, plan_import.result, {}, self.coordinator)
        self.assertEqual(Plan.objects.count(), before + 1)

    def test_it_keeps_an_issued_plan_with_its_own_number(self) -> None:
        data = example("002_b069dd2d47730896")
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.ISSUED)
        self.assertEqual((plan.number, plan.register_year, plan.symbol), (41, 2021, "41/KH-SNgV"))
        self.assertEqual(plan.issued_on, date(2021, 12, 28))
        self.assertEqual(plan.versions.get().note, "Imported from “Kế hoạch.txt”")
        # It is in the outgoing register with its own number, which the register will not give again.
        line = OutgoingDocument.objects.get(agency=self.agency, register_year=2021, code_number=41)
        self.assertEqual(
            (line.number_symbol, line.type_code, line.issued_date), ("41/KH-SNgV", "KH", date(2021, 12, 28))
        )
        self.assertEqual((line.source, line.signer_full_name, line.archive_holder), (plan, "Phạm Thị Anh Thư", "VT"))
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2021, series="").last_number, 41)

        before = Plan.objects.count()
        with self.assertRaisesMessage(ActionError, "Number 41/KH-SNgV of 2021 is already taken"):
            importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        self.assertEqual(Plan.objects.count(), before)

    def test_it_links_an_issued_plan_to_its_line_carried_over_by_hand(self) -> None:
        line = OutgoingDocument.objects.create(
            agency=self.agency,
            register_year=2021,
            code_number=41,
            code_notation="KH-SNgV",
            type_name="Kế hoạch",
            issued_date=date(2021, 12, 28),
            subject="Cải cách hành chính năm 2022",
        )
        data = example("002_b069dd2d47730896")
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        line.refresh_from_db()
        self.assertEqual(line.source, plan)
        self.assertEqual(OutgoingDocument.objects.filter(agency=self.agency, register_year=2021).count(), 1)

    def test_it_refuses_a_number_the_register_gave_another_document(self) -> None:
        data = result()
        data["document"].update(number="01", symbol="01/KH-SNgV", date="2025-03-01")
        Plan.objects.filter(pk=self.plan.pk).update(number=None)  # only the register holds number 01 of 2025 now
        before = Plan.objects.count()
        with self.assertRaisesMessage(
            ActionError, "Number 01/KH-SNgV of 2025 is already taken in the agency's register"
        ):
            importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        self.assertEqual(Plan.objects.count(), before)

    def test_it_writes_a_type_with_its_own_series_there(self) -> None:
        data = result()
        data["document"].update(type="QĐ", number="3", symbol="03/QĐ-SNgV", date="2024-05-02")
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        line = OutgoingDocument.objects.get(source_id=plan.pk)
        self.assertEqual((line.series, line.number_symbol), ("qd", "03/QĐ-SNgV"))
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2024, series="qd").last_number, 3)

    def test_it_does_not_lower_the_register_counter(self) -> None:
        data = result()
        data["document"].update(number="01", symbol="/KH-SNgV", date="2024-03-02")
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        self.assertEqual(plan.symbol, "01/KH-SNgV")
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2024, series="").last_number, 1)
        data["document"].update(number="07")
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        self.assertEqual(plan.symbol, "07/KH-SNgV")
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2024, series="").last_number, 7)
        data["document"].update(number="3")
        importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2024, series="").last_number, 7)

    def test_it_needs_the_number_and_date_of_an_issued_plan(self) -> None:
        data = example("004_162e35224b198d12")  # the number is blank
        with self.assertRaisesMessage(ActionError, "needs its number and its date"):
            importer.save_plan(self.new_import(data), data, {}, self.coordinator, issued=True)

    def test_it_keeps_targets_it_cannot_compare_as_they_are_said(self) -> None:
        data = result(
            targets=[
                {
                    "text": "Phấn đấu 05-03 sáng kiến",
                    "comparator": "range",
                    "value": 5,
                    "value_max": 3,
                    "unit": "count",
                    "section": ["II"],
                },
                {"text": "Tăng 150%", "comparator": ">=", "value": 150, "value_max": None, "unit": "%", "section": []},
                {"text": "", "comparator": "=", "value": 100, "value_max": None, "unit": "%", "section": []},
            ]
        )
        plan = importer.save_plan(self.new_import(data), data, {}, self.coordinator)
        upside_down, growth = plan.targets.order_by("order")
        self.assertEqual((upside_down.comparator, upside_down.value_max), (Comparator.GTE, None))
        self.assertEqual(upside_down.section and upside_down.section.label, "II")
        self.assertEqual((growth.metric_kind, growth.value, growth.section), (MetricKind.COUNT, 150, None))


class ChoicesTestCase(ImporterTestCase):
    def test_it_takes_the_year_as_read_else_from_the_date_else_this_year(self) -> None:
        self.assertEqual(importer.plan_year({"year": 2022, "date": "2021-12-28"}), 2022)
        self.assertEqual(importer.plan_year({"year": None, "date": "2021-12-28"}), 2021)
        self.assertEqual(importer.plan_year({"year": 1800, "date": None}, today=date(2026, 5, 1)), 2026)

    def test_it_locates_the_deepest_heading_of_a_path(self) -> None:
        outline = importer.flatten(example("004_162e35224b198d12")["sections"])
        where = importer.locate(["III", "7", "7.2", "a"], outline)
        assert where is not None
        self.assertEqual(outline[where].path, ("III", "7", "7.2"))
        self.assertEqual(outline[importer.locate(["V", "1"], outline) or 0].path, ("V",))
        self.assertIsNone(importer.locate(["IX"], outline))
        self.assertIsNone(importer.locate([], outline))

    def test_it_proposes_the_kind_of_plan_from_its_title(self) -> None:
        self.assertEqual(importer.default_kind("Phát động phong trào thi đua"), PlanKind.EMULATION)
        self.assertEqual(importer.default_kind("Nâng cao Chỉ số CCHC"), PlanKind.INDEX)
        self.assertEqual(importer.default_kind(None), PlanKind.REFORM)


# Whatever the reader returns, the importer neither crashes nor half-writes ----------

ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
LABELS = st.lists(st.sampled_from(["I", "II", "1", "2", "a", "đ", "7.1", "", "x" * 30]), max_size=4)
TEXT = st.none() | st.text(max_size=40) | st.sampled_from(["Văn phòng Sở", "Các phòng", "Quý IV/2025", "Thường xuyên"])


def _section(children: Any) -> Any:
    return st.fixed_dictionaries(
        {"label": st.sampled_from(["I", "II", "1", "a", ""]) | ANY, "title": TEXT | ANY, "children": children}
    )


RESULTS = st.fixed_dictionaries(
    {
        "document": st.fixed_dictionaries(
            {
                "type": TEXT,
                "number": st.none() | st.sampled_from(["41", "05", "0", "x"]) | ANY,
                "symbol": TEXT,
                "date": st.none() | st.dates().map(str) | st.text(max_size=12),
                "title": TEXT,
                "year": st.none() | st.integers(-5, 5000) | ANY,
                "place": TEXT,
                "signer": st.fixed_dictionaries(
                    {"authority": st.sampled_from(["KT.", "TM.", None, "?"]), "position": TEXT, "name": TEXT}
                )
                | ANY,
                "recipients": st.lists(TEXT, max_size=3) | ANY,
                "digital_signatures": st.lists(st.fixed_dictionaries({"signer": TEXT, "signed_at": TEXT}), max_size=2)
                | ANY,
            }
        )
        | ANY,
        "legal_bases": st.lists(
            st.fixed_dictionaries({"type": TEXT, "symbol": TEXT, "date": TEXT, "summary": TEXT}), max_size=3
        )
        | ANY,
        "sections": st.lists(
            st.recursive(_section(st.just([])), lambda inner: _section(st.lists(inner, max_size=3)), max_leaves=6),
            max_size=3,
        )
        | ANY,
        "tasks": st.lists(
            st.fixed_dictionaries(
                {
                    "section": LABELS | ANY,
                    "content": TEXT,
                    "area": st.sampled_from(["procedures", "direction", "nope", None]),
                    "lead_unit": TEXT,
                    "coordinating_units": st.lists(TEXT, max_size=2) | ANY,
                    "due": TEXT,
                    "due_date": st.none() | st.dates().map(str) | st.text(max_size=12),
                    "recurring": ANY,
                    "output": TEXT,
                }
            ),
            max_size=4,
        )
        | ANY,
        "targets": st.lists(
            st.fixed_dictionaries(
                {
                    "text": TEXT,
                    "comparator": st.sampled_from([">=", "<=", "=", "range", "?"]),
                    "value": ANY,
                    "value_max": ANY,
                    "unit": st.sampled_from(["%", "count", None]),
                    "section": LABELS,
                }
            ),
            max_size=3,
        )
        | ANY,
        "budget": st.none() | st.fixed_dictionaries({"amount": ANY, "currency": TEXT}) | ANY,
    }
)


class FuzzTestCase(ImporterTestCase, hypothesis_django.TestCase):
    def setUp(self) -> None:
        # Hypothesis sets up Django's per-test state for each example, after setUp.
        self.client = self.client_class()
        super().setUp()

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(RESULTS, ANY))
    def test_it_makes_the_contract_shape_of_anything(self, anything: Any) -> None:
        data = importer.normalise(anything)
        self.assertEqual(set(data), set(importer.empty_result()))
        self.assertEqual(importer.normalise(data), data)
        json.dumps(data, allow_nan=False)
        importer.printed_units(data)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(RESULTS, st.booleans())
    def test_it_saves_all_or_nothing(self, result: Any, issued: bool) -> None:
        with transaction.atomic():
            plan_import = self.new_import(importer.normalise(result))
            plans = Plan.objects.count()
            try:
                plan = importer.save_plan(plan_import, plan_import.result, {}, self.coordinator, issued=issued)
            except ActionError:
                self.assertEqual(Plan.objects.count(), plans)
                plan_import.refresh_from_db()
                self.assertIsNone(plan_import.plan)
            else:
                self.assertEqual(Plan.objects.count(), plans + 1)
                self.assertEqual(
                    plan.tasks.filter(parent=None).count(),
                    len([t for t in plan_import.result["tasks"] if t["content"]]),
                )
            transaction.set_rollback(True)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(RESULTS)
    def test_it_shows_the_review_of_anything(self, result: Any) -> None:
        with transaction.atomic():
            plan_import = self.new_import(importer.normalise(result))
            try:  # as stored by an older reader, when the database can keep it
                encoded = json.dumps(result, allow_nan=False)
            except ValueError:
                encoded = None
            if encoded is not None and "\\u0000" not in encoded:  # PostgreSQL keeps no NUL in JSON
                plan_import.result = result
                plan_import.save()
            self.login(self.coordinator)
            response = self.client.get(reverse("documents:import_review", args=[plan_import.pk]))
            self.assertEqual(response.status_code, 200)
            transaction.set_rollback(True)


class SymbolTestCase(ImporterTestCase):
    def test_it_puts_the_number_given_in_front_of_the_symbol_as_printed(self) -> None:
        cases = [
            (41, "41/KH-SNgV", "41/KH-SNgV"),
            (5, "/KH-UBND", "05/KH-UBND"),
            (1, "41/KH-SNgV", "01/KH-SNgV"),  # the number was corrected on the review screen
            (212, "212/2025/QĐ-UBND", "212/2025/QĐ-UBND"),
            (14, "14-KH/TU", "14-KH/TU"),
            (7, "Kế hoạch số bảy", "Kế hoạch số bảy"),
            (3, None, "03/KH-SNgV"),
        ]
        for number, printed, expected in cases:
            with self.subTest(printed):
                self.assertEqual(importer.issued_symbol(number, printed, "KH", self.agency), expected)
