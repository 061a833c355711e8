"""The plan import pages: upload, review beside the source text, save; discard."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import CheckboxInput
from django.test import override_settings
from django.urls import reverse

from accounts.models import Unit
from documents.import_forms import Review
from documents.import_views import SourceLines
from documents.models import PlanImport
from documents.reader.source import Source, Unreadable
from documents.tests.base import DocumentsTestCase
from plans.models import Comparator, Plan, PlanStatus, Task

DATA = Path(__file__).parent / "data"
SEED = "002_b069dd2d47730896"


def example(stem: str = SEED) -> dict[str, Any]:
    return json.loads((DATA / f"{stem}.json").read_text(encoding="utf-8"))


def seed_text(stem: str = SEED) -> str:
    return (DATA / f"{stem}.txt").read_text(encoding="utf-8")


def form_data(review: Review) -> dict[str, Any]:
    """What the browser posts back when nothing on the page is changed."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
                continue
            shown = field.widget.format_value(value)
            if isinstance(shown, list):
                shown = shown[0] if shown else ""
            data[bound.html_name] = "" if shown is None else shown

    add(review.document)
    add(review.units_form)
    for formset in review.formsets():
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


class ImportViewsTestCase(DocumentsTestCase):
    def new_import(self, stem: str = SEED, **fields: Any) -> PlanImport:
        data = example(stem)
        defaults: dict[str, Any] = {
            "agency": self.agency,
            "original_name": f"{stem}.txt",
            "sha256": "2" * 64,
            "source_text": seed_text(stem),
            "result": data,
            "unit_map": {"Văn phòng Sở": self.office.pk, "Các phòng Nghiệp vụ": None, "Phòng Quản lý Biên giới": None},
            "created_by": self.coordinator,
        }
        return PlanImport.objects.create(**{**defaults, **fields})

    def review_url(self, plan_import: PlanImport) -> str:
        return reverse("documents:import_review", args=[plan_import.pk])


class UploadTestCase(ImportViewsTestCase):
    url = reverse("documents:import_upload")

    def upload(self, name: str = "Kế hoạch 41.txt", content: bytes = b"KE HOACH", **extra: Any) -> Any:
        return self.client.post(self.url, {"file": SimpleUploadedFile(name, content), **extra})

    def test_it_shows_the_form_and_the_imports_waiting(self) -> None:
        for number in range(3):
            self.new_import(original_name=f"Kế hoạch {number}.docx")
        self.login(self.coordinator)
        with self.assertNumQueries(8):
            response = self.client.get(self.url)
        self.assertContains(response, "Import a plan from a document")
        self.assertContains(response, "Kế hoạch 2.docx")
        self.assertContains(response, 'accept=".docx,.pdf,.txt,.md"')
        self.assertNotContains(response, 'name="agency"')  # one agency: no choice to make
        self.assertContains(response, "Kế hoạch CCHC 2027.docx")
        self.assertContains(response, self.review_url(self.plan_import))

    def test_it_lets_an_administrator_choose_the_agency(self) -> None:
        self.login(self.admin)
        self.assertContains(self.client.get(self.url), 'name="agency"')
        source = Source(text="KẾ HOẠCH", kind="txt")
        with patch("documents.reader.read_document", return_value=(example(), source)):
            response = self.upload(agency=self.other_agency.pk)
        plan_import = PlanImport.objects.latest("pk")
        self.assertRedirects(response, self.review_url(plan_import), fetch_redirect_response=False)
        self.assertEqual((plan_import.agency, plan_import.created_by), (self.other_agency, self.admin))

    def test_it_refuses_people_who_do_not_draft_plans(self) -> None:
        for person in (self.leader, self.staff, self.unit_head):
            self.login(person)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.upload().status_code, 403)
        self.assertEqual(PlanImport.objects.count(), 1)

    def test_it_hides_imports_of_other_agencies(self) -> None:
        self.login(self.outsider)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Kế hoạch CCHC 2027.docx")

    def test_it_reads_the_file_and_opens_the_review(self) -> None:
        self.login(self.coordinator)
        source = Source(text=seed_text(), kind="txt")
        with patch("documents.reader.read_document", return_value=(example(), source)) as read:
            response = self.upload(content=seed_text().encode())
        plan_import = PlanImport.objects.latest("pk")
        self.assertRedirects(response, self.review_url(plan_import), fetch_redirect_response=False)
        read.assert_called_once_with("Kế hoạch 41.txt", seed_text().encode())
        self.assertEqual(plan_import.agency, self.agency)
        self.assertEqual(plan_import.original_name, "Kế hoạch 41.txt")
        self.assertEqual(plan_import.result, example())
        self.assertEqual(plan_import.unit_map["Văn phòng Sở"], self.office.pk)
        self.assertFalse(Plan.objects.filter(title=example()["document"]["title"]).exists())

    def test_it_says_why_a_file_cannot_be_read(self) -> None:
        self.login(self.coordinator)
        message = "PDF này không có lớp văn bản; hãy tải bản DOCX hoặc bản PDF có thể chọn chữ"
        with patch("documents.reader.read_document", side_effect=Unreadable(message)):
            response = self.upload("scan.pdf", b"%PDF-1.7")
        self.assertContains(response, message)
        self.assertEqual(PlanImport.objects.count(), 1)

    def test_it_refuses_other_kinds_of_file_unread(self) -> None:
        self.login(self.coordinator)
        with patch("documents.reader.read_document") as read:
            response = self.upload("Phụ lục.xlsx", b"PK\x03\x04")
        self.assertContains(response, "Upload a .docx, .pdf, .txt or .md file")
        read.assert_not_called()
        self.assertEqual(PlanImport.objects.count(), 1)

    @override_settings(PLAN_IMPORT_MAX_BYTES=1024 * 1024)
    def test_it_refuses_a_file_too_large_unread(self) -> None:
        self.login(self.coordinator)
        with patch("documents.reader.read_document") as read:
            response = self.upload("big.txt", b"x" * (1024 * 1024 + 1))
            with override_settings(PLAN_IMPORT_MAX_BYTES=2 * 1024 * 1024, FILE_UPLOAD_MAX_MB=1):
                site_limit = self.upload("big.txt", b"x" * (1024 * 1024 + 1))
        self.assertContains(response, "larger than 1 MB")
        self.assertContains(site_limit, "larger than 1 MB")
        read.assert_not_called()
        self.assertEqual(PlanImport.objects.count(), 1)

    def test_it_refuses_an_agency_the_person_does_not_draft_for(self) -> None:
        self.login(self.admin)
        with patch("documents.reader.read_document") as read:
            response = self.upload(agency=999999)
        self.assertContains(response, "Select a valid choice")
        read.assert_not_called()


class ReviewPageTestCase(ImportViewsTestCase):
    def test_it_shows_what_was_read_beside_the_source(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        with self.assertNumQueries(10):
            response = self.client.get(self.review_url(plan_import))
        self.assertContains(response, "Review the imported plan")
        self.assertContains(response, '<li id="L1">')
        self.assertContains(response, "Phạm Thị Anh Thư")
        self.assertContains(response, "3223/QĐ-UBND")
        self.assertContains(response, "Xây dựng và phát triển Chính phủ điện tử, Chính quyền số")
        self.assertContains(response, 'name="task-TOTAL_FORMS" value="39"')
        self.assertContains(response, 'name="target-TOTAL_FORMS" value="3"')
        # A task points to the line of the source where it starts.
        self.assertContains(response, 'href="#L')
        # Unit names as printed, with the suggestion preselected.
        self.assertContains(response, "Các phòng Nghiệp vụ")
        self.assertContains(response, f'<option value="{self.office.pk}" selected>Văn phòng Sở</option>', html=True)
        self.assertContains(response, "Văn phòng Sở (as in the unit table)")
        self.assertContains(response, "Văn phòng Sở (lead unit of tasks without one)")

    def test_it_reads_the_database_as_often_for_any_number_of_rows(self) -> None:
        self.login(self.coordinator)
        for stem in ("000_0955a9e2998042ed", "004_162e35224b198d12"):
            plan_import = self.new_import(stem)
            with self.subTest(stem), self.assertNumQueries(10):
                self.client.get(self.review_url(plan_import))

    def test_it_marks_what_was_not_found_and_invents_nothing(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.review_url(self.plan_import))  # only a type, a title and a year were read
        self.assertEqual(response.status_code, 200)
        review = response.context["review"]
        self.assertEqual(
            review.missing,
            {
                "number",
                "symbol",
                "date",
                "place",
                "signer_authority",
                "signer_position",
                "signer_name",
                "recipients",
                "budget_amount",
            },
        )
        self.assertContains(response, "not found", count=len(review.missing) + 4)  # + issuer, parent body, reporting
        self.assertContains(response, "No task was found.")
        # The agency's place name is used only when the plan is saved with the place left empty.
        self.assertIsNone(response.context["doc_form"]["place"].value())
        self.assertIsNone(response.context["doc_form"]["signer_name"].value())

    def test_it_is_for_the_agency_coordinators(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get(self.review_url(self.plan_import)).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.review_url(self.plan_import)).status_code, 404)


class ReviewSaveTestCase(ImportViewsTestCase):
    def post(self, plan_import: PlanImport, changes: dict[str, Any] | None = None) -> Any:
        data = form_data(Review(plan_import))
        data.update(changes or {})
        return self.client.post(self.review_url(plan_import), data)

    def test_it_saves_what_was_read_as_a_draft_plan(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        response = self.post(plan_import)
        plan_import.refresh_from_db()
        plan = plan_import.plan
        assert plan is not None
        self.assertRedirects(response, reverse("plans:detail", args=[plan.pk]), fetch_redirect_response=False)
        self.assertEqual(plan.status, PlanStatus.DRAFT)
        self.assertEqual(plan.title, example()["document"]["title"])
        self.assertEqual((plan.year, plan.created_by), (2022, self.coordinator))
        self.assertEqual(plan.tasks.count(), 39)
        self.assertEqual(plan.targets.count(), 3)
        self.assertEqual(plan.sections.count(), 20)
        self.assertEqual(plan.legal_bases.count(), 1)
        self.assertEqual(plan_import.result["document"]["date"], "2021-12-28")
        response = self.client.get(reverse("plans:detail", args=[plan.pk]))
        self.assertContains(response, "was saved with 39 tasks")

    def test_it_saves_the_corrections(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        response = self.post(
            plan_import,
            {
                "doc-title": "Cải cách hành chính năm 2022 (đã sửa)",
                "doc-recipients": "UBND tỉnh (b/c)\r\nLưu: VT",
                "doc-budget_amount": "120000000",
                "basis-0-DELETE": "on",
                "section-5-title": "Cải cách TTHC",
                "task-0-content": "Đổi mới tư duy xây dựng thể chế",
                "task-0-due": "Quý IV/2022",
                "task-0-lead_unit": str(self.unit.pk),
                "task-1-DELETE": "on",
                "task-2-due": "Thường xuyên",
                "task-2-area": "direction",
                "units-unit_1": str(self.unit.pk),  # Các phòng Nghiệp vụ
                "target-0-DELETE": "on",
                "target-1-comparator": "range",
                "target-1-value": "90",
                "target-1-value_max": "95",
            },
        )
        self.assertEqual(response.status_code, 302)
        plan = Plan.objects.get(title="Cải cách hành chính năm 2022 (đã sửa)")
        self.assertEqual(plan.recipients, "UBND tỉnh (b/c)\nLưu: VT")
        self.assertEqual(plan.budget_amount, 120_000_000)
        self.assertFalse(plan.legal_bases.exists())
        self.assertEqual(plan.sections.get(label="2", parent__label="II").title, "Cải cách TTHC")
        tasks = list(plan.tasks.filter(parent=None).order_by("order"))
        self.assertEqual(len(tasks), 38)
        first = tasks[0]
        self.assertEqual(
            (first.content, first.lead_unit, first.due_text),
            ("Đổi mới tư duy xây dựng thể chế", self.unit, "Quý IV/2022"),
        )
        self.assertEqual(str(first.due_date), "2022-12-31")
        continuous = tasks[1]
        self.assertEqual((continuous.recurrence, continuous.area and continuous.area.code), ("continuous", "direction"))
        self.assertEqual(continuous.children.count(), 4)
        self.assertEqual(Task.objects.get(plan=plan, content__startswith="Phối hợp Văn phòng Sở").lead_unit, self.unit)
        targets = list(plan.targets.order_by("order"))
        self.assertEqual(len(targets), 2)
        self.assertEqual((targets[0].comparator, targets[0].value, targets[0].value_max), (Comparator.RANGE, 90, 95))
        plan_import.refresh_from_db()
        self.assertEqual(plan_import.unit_map["Các phòng Nghiệp vụ"], self.unit.pk)
        self.assertEqual(len(plan_import.result["tasks"]), 38)

    def test_it_shows_the_mistakes_and_saves_nothing(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        before = Plan.objects.count()
        response = self.post(
            plan_import,
            {
                "doc-title": "",
                "doc-year": "1999",
                "task-3-content": "",
                "target-2-value": "150",
                "basis-0-symbol": "",
                "basis-0-summary": "",
                "units-unit_0": str(self.other_unit.pk),
                "task-4-content": "",
                "task-4-DELETE": "on",  # left out: its mistakes do not count
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some values need correcting")
        self.assertContains(response, "This field is required.", count=2)
        self.assertContains(response, "The year must be between 2000 and 2100.")
        self.assertContains(response, "A percentage is between 0 and 100.")
        self.assertContains(response, "Give at least the number and symbol or the summary of the document.")
        self.assertContains(response, "Select a valid choice.")
        self.assertEqual(response.context["review"].error_count, 6)
        self.assertEqual(Plan.objects.count(), before)
        plan_import.refresh_from_db()
        self.assertIsNone(plan_import.plan)
        self.assertEqual(plan_import.result, example())

    def test_it_keeps_an_issued_plan_with_its_number(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        self.post(plan_import, {"doc-mode": "issued"})
        plan = Plan.objects.get(title=example()["document"]["title"])
        self.assertEqual(
            (plan.status, plan.symbol, plan.number, plan.register_year), (PlanStatus.ISSUED, "41/KH-SNgV", 41, 2021)
        )

    def test_it_says_when_the_number_is_taken_and_saves_nothing(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        before = Plan.objects.count()
        response = self.post(
            plan_import, {"doc-mode": "issued", "doc-number": "01", "doc-date": "20/12/2025", "doc-title": "Khác"}
        )
        self.assertContains(response, "Number 01/KH-SNgV of 2025 is already taken in the agency&#x27;s register")
        self.assertEqual(Plan.objects.count(), before)
        plan_import.refresh_from_db()
        self.assertEqual(plan_import.result["document"]["title"], example()["document"]["title"])

    def test_it_needs_the_number_and_date_of_an_issued_plan(self) -> None:
        plan_import = self.new_import("004_162e35224b198d12")
        self.login(self.coordinator)
        response = self.post(plan_import, {"doc-mode": "issued"})
        self.assertContains(response, "An issued plan keeps its number: give it as printed.")
        self.assertContains(response, "An issued plan keeps its date: give it as printed.")
        self.assertFalse(Plan.objects.filter(title=example("004_162e35224b198d12")["document"]["title"]).exists())

    def test_it_starts_again_from_a_page_out_of_date(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        response = self.post(plan_import, {"task-TOTAL_FORMS": "38"})
        self.assertRedirects(response, self.review_url(plan_import))
        response = self.post(plan_import, {"task-TOTAL_FORMS": "x"})
        self.assertRedirects(response, self.review_url(plan_import))
        plan_import.refresh_from_db()
        self.assertIsNone(plan_import.plan)

    def test_it_saves_a_document_once(self) -> None:
        plan_import = self.new_import()
        self.login(self.coordinator)
        data = form_data(Review(plan_import))
        self.client.post(self.review_url(plan_import), data)
        before = Plan.objects.count()
        response = self.client.post(self.review_url(plan_import), data)
        self.assertRedirects(response, self.review_url(plan_import), fetch_redirect_response=False)
        self.assertEqual(Plan.objects.count(), before)
        response = self.client.get(self.review_url(plan_import))
        self.assertContains(response, "Open the plan")
        self.assertNotContains(response, "Save the plan")


class DiscardTestCase(ImportViewsTestCase):
    def test_it_discards_the_import(self) -> None:
        self.login(self.coordinator)
        url = reverse("documents:import_discard", args=[self.plan_import.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url)
        self.assertRedirects(response, reverse("plans:list"), fetch_redirect_response=False)
        self.assertFalse(PlanImport.objects.filter(pk=self.plan_import.pk).exists())

    def test_it_lets_only_the_coordinators_discard(self) -> None:
        url = reverse("documents:import_discard", args=[self.plan_import.pk])
        self.login(self.staff)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(PlanImport.objects.filter(pk=self.plan_import.pk).exists())


class PlanListButtonTestCase(ImportViewsTestCase):
    def test_it_offers_the_import_to_those_who_draft_plans(self) -> None:
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("plans:list")), reverse("documents:import_upload"))
        self.login(self.staff)
        self.assertNotContains(self.client.get(reverse("plans:list")), reverse("documents:import_upload"))


class SourceLinesTestCase(ImportViewsTestCase):
    def test_it_finds_where_rows_start_in_document_order(self) -> None:
        source = SourceLines(
            "I. MỤC ĐÍCH\n- Ứng dụng công nghệ thông tin trong hoạt động\n**7.1. Ứng dụng công nghệ thông tin**\n"
            "d) Phát triển ứng dụng, dịch vụ nội bộ\nđ) Phát triển ứng dụng, dịch vụ người dân\n"
            "50% hồ sơ trực tuyến; 30% thanh toán trực tuyến"
        )
        self.assertEqual(source.find("7.1 Ứng dụng công nghệ thông tin"), 3)
        self.assertEqual(source.find("d Phát triển ứng dụng, dịch vụ nội bộ"), 4)
        self.assertEqual(source.find("đ Phát triển ứng dụng, dịch vụ người dân"), 5)
        self.assertEqual(source.restart().find("Ứng dụng công nghệ thông tin"), 2)
        self.assertEqual(source.find("50% hồ sơ trực tuyến"), 6)
        self.assertEqual(source.find("30% thanh toán trực tuyến"), 6)  # two targets on one line
        self.assertIsNone(source.find("Không có trong văn bản này"))
        self.assertIsNone(source.find(None))

    def test_it_shows_signing_times_the_local_way(self) -> None:
        data = example()
        data["document"]["digital_signatures"] = [
            {"signer": "Phạm Thị Anh Thư", "email": "thu@example.org", "signed_at": "2021-12-15T08:35:36+07:00"},
            {"signer": None, "email": None, "signed_at": "not a time"},
        ]
        plan_import = self.new_import(result=data)
        self.login(self.coordinator)
        response = self.client.get(self.review_url(plan_import))
        self.assertContains(response, "Phạm Thị Anh Thư &lt;thu@example.org&gt; · 08:35 15/12/2021")


class NoUnitsTestCase(ImportViewsTestCase):
    def test_it_saves_a_plan_without_tasks_for_an_agency_without_units(self) -> None:
        Unit.objects.filter(agency=self.agency).update(valid_to=date(2020, 1, 1))
        data = example()
        tasks_free = {**data, "tasks": []}
        plan_import = self.new_import(result=tasks_free, unit_map={})
        self.login(self.coordinator)
        response = self.client.get(self.review_url(plan_import))
        self.assertContains(response, "The agency has no units yet")
        self.assertNotContains(response, 'name="units-fallback"')
        response = self.client.post(self.review_url(plan_import), form_data(Review(plan_import)))
        plan_import.refresh_from_db()
        self.assertIsNotNone(plan_import.plan)

        with_tasks = self.new_import()
        response = self.client.post(self.review_url(with_tasks), form_data(Review(with_tasks)))
        self.assertContains(
            response, "The agency has no units yet: add its units before importing a plan with tasks.", count=2
        )
        with_tasks.refresh_from_db()
        self.assertIsNone(with_tasks.plan)
