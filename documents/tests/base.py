"""Document fixtures shared by the documents tests and the access matrix.

On top of the plan fixtures: the plan 01/KH-SNgV is line 1 of the agency's
2025 outgoing register; the agency keeps decisions in their own number series;
and the coordinator has a plan import waiting for review.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType

from cchc.test import BaseTestCase
from documents.models import DocumentType, NumberCounter, OutgoingDocument, PlanImport, RegisterSeries
from plans.tests.base import PlanFixtures


class DocumentFixtures(PlanFixtures):
    outgoing: OutgoingDocument
    series: RegisterSeries
    doc_type: DocumentType
    plan_import: PlanImport

    @classmethod
    def create_documents(cls) -> None:
        cls.doc_type = DocumentType.objects.get(abbreviation="KH")
        cls.series = RegisterSeries.objects.create(agency=cls.agency, code="qd", name="Quyết định")
        cls.series.doc_types.set([DocumentType.objects.get(abbreviation="QĐ")])
        NumberCounter.objects.create(agency=cls.agency, year=2025, series="", last_number=1)
        cls.outgoing = OutgoingDocument.objects.create(
            agency=cls.agency,
            register_year=2025,
            code_number=1,
            code_notation="KH-SNgV",
            type_code="KH",
            type_name="Kế hoạch",
            issued_date=date(2025, 12, 20),
            subject=cls.plan.title,
            signer_position="Giám đốc",
            signer_full_name="Nguyễn Thị Hà",
            to_places="UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLưu: VT, VP",
            source_type=ContentType.objects.get_for_model(cls.plan),
            source_id=cls.plan.pk,
        )
        cls.plan_import = PlanImport.objects.create(
            agency=cls.agency,
            original_name="Kế hoạch CCHC 2027.docx",
            sha256="0" * 64,
            source_text="KẾ HOẠCH\nCải cách hành chính năm 2027",
            result={"document": {"type": "KH", "title": "Cải cách hành chính năm 2027", "year": 2027}},
            created_by=cls.coordinator,
        )


class DocumentsTestCase(DocumentFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
