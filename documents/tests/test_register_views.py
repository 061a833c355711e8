"""The register pages: the list with its filters, export and print; registering, a line, editing it, signed PDFs."""

from __future__ import annotations

import io
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from documents import register
from documents.models import NumberCounter, OutgoingDocument, SignatureCheck
from documents.tests import signing
from documents.tests.base import DocumentsTestCase
from files.models import Attachment
from files.tests import samples

TODAY = "2025-12-28 10:00 +07:00"


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@time_machine.travel(TODAY, tick=False)
class RegisterListTestCase(DocumentsTestCase):
    def line(self, type_code: str = "BC", subject: str = "Báo cáo", **fields: Any) -> OutgoingDocument:
        fields.setdefault("issued_date", date(2025, 12, 22))
        return register.register_outgoing(self.agency, type_code=type_code, subject=subject, **fields)

    def test_it_lists_the_lines_of_the_year_with_the_decree_columns(self) -> None:
        self.line(subject="Kết quả CCHC năm 2025", signer_full_name="Nguyễn Thị Hà", to_places="UBND tỉnh\nLưu: VT")
        register.register_outgoing(self.agency, type_code="BC", issued_date=date(2024, 12, 1), subject="Năm ngoái")
        self.login(self.staff)
        response = self.client.get("/documents/register/")
        self.assertEqual(response.status_code, 200)
        for column in (
            "Number and symbol",
            "Type and summary",
            "Signer",
            "Recipients",
            "Unit or person keeping the file copy",
            "Copies",
            "Date sent",
            "Note",
        ):
            self.assertContains(response, column)
        self.assertContains(response, "02/BC-SNgV")
        self.assertContains(response, "Kết quả CCHC năm 2025")
        self.assertContains(response, "22/12/2025")
        self.assertContains(response, "01/KH-SNgV")
        self.assertNotContains(response, "Năm ngoái")
        response = self.client.get("/documents/register/?year=2024")
        self.assertContains(response, "Năm ngoái")
        self.assertNotContains(response, "Kết quả CCHC năm 2025")
        self.assertContains(self.client.get("/documents/register/?year="), "Năm ngoái")

    def test_it_shows_only_the_agencies_the_person_sees(self) -> None:
        register.register_outgoing(
            self.other_agency, type_code="KH", issued_date=date(2025, 3, 1), subject="Của Sở Tư pháp"
        )
        self.login(self.coordinator)
        self.assertNotContains(self.client.get("/documents/register/"), "Của Sở Tư pháp")
        self.login(self.outsider)
        response = self.client.get("/documents/register/")
        self.assertContains(response, "Của Sở Tư pháp")
        self.assertNotContains(response, "01/KH-SNgV")
        self.login(self.overseer)
        response = self.client.get("/documents/register/")
        self.assertContains(response, "Của Sở Tư pháp")
        self.assertContains(response, "01/KH-SNgV")
        response = self.client.get(f"/documents/register/?agency={self.other_agency.pk}")
        self.assertContains(response, "Của Sở Tư pháp")
        self.assertNotContains(response, "01/KH-SNgV")

    def test_it_filters_by_type_series_and_search(self) -> None:
        self.line("QĐ", "Kiện toàn Tổ giúp việc")
        self.line("BC", "Báo cáo quý IV")
        self.login(self.coordinator)
        response = self.client.get("/documents/register/?type=Quyết định")
        self.assertContains(response, "Kiện toàn Tổ giúp việc")
        self.assertNotContains(response, "Báo cáo quý IV")
        response = self.client.get("/documents/register/?series=qd")
        self.assertContains(response, "01/QĐ-SNgV")
        self.assertNotContains(response, "02/BC-SNgV")
        response = self.client.get("/documents/register/?series=*")
        self.assertContains(response, "02/BC-SNgV")
        self.assertNotContains(response, "01/QĐ-SNgV")
        for q in ("2/bc-sngv", "02/BC-SNgV", "quý iv", "BC-SNgV"):
            with self.subTest(q=q):
                response = self.client.get("/documents/register/", {"q": q})
                self.assertContains(response, "Báo cáo quý IV")
                self.assertNotContains(response, "Kiện toàn Tổ giúp việc")
        response = self.client.get("/documents/register/", {"q": "không có"})
        self.assertContains(response, "No document matches these filters.")

    def test_the_list_takes_the_same_queries_however_many_lines(self) -> None:
        self.login(self.coordinator)
        for n in range(3):
            self.line(subject=f"Báo cáo {n}", to_places="UBND tỉnh")
        self.client.get("/documents/register/")  # session and language settle
        with self.assertNumQueries(14):
            self.client.get("/documents/register/")
        for n in range(30):
            self.line(subject=f"Báo cáo thêm {n}")
        with self.assertNumQueries(14):
            response = self.client.get("/documents/register/")
        self.assertEqual(len(response.context["page"].object_list), 34)

    def test_it_exports_the_register_with_the_decree_columns(self) -> None:
        sent = self.line("BC", "Báo cáo quý IV", signer_full_name="Nguyễn Thị Hà", signer_position="Giám đốc")
        OutgoingDocument.objects.filter(pk=sent.pk).update(sent_date=date(2025, 12, 23), note="Gửi qua trục liên thông")
        self.login(self.coordinator)
        response = self.client.get("/documents/register/?format=xlsx")
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="Outgoing register 2025.xlsx"')
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0],
            (
                "Number and symbol",
                "Date",
                "Type and summary",
                "Signer",
                "Recipients",
                "Unit or person keeping the file copy",
                "Copies",
                "Date sent",
                "Received by (signature)",
                "Note",
            ),
        )
        first, second = rows[1], rows[2]  # in number order
        self.assertEqual(first[0], "01/KH-SNgV")
        self.assertEqual(first[4], "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLưu: VT, VP")
        self.assertEqual(second[0], "02/BC-SNgV")
        self.assertEqual(second[1].date(), date(2025, 12, 22))
        self.assertEqual(second[2], "Báo cáo\nBáo cáo quý IV")
        self.assertEqual(second[3], "Nguyễn Thị Hà\nGiám đốc")
        self.assertEqual(
            (second[6], second[7].date(), second[8], second[9]),
            (1, date(2025, 12, 23), None, "Gửi qua trục liên thông"),
        )

    def test_an_overseer_exports_with_the_agency_column(self) -> None:
        register.register_outgoing(
            self.other_agency, type_code="KH", issued_date=date(2025, 3, 1), subject="Của Sở Tư pháp"
        )
        self.login(self.overseer)
        sheet = openpyxl.load_workbook(io.BytesIO(self.client.get("/documents/register/?format=xlsx").content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual((rows[0][0], rows[0][1]), ("Agency", "Number and symbol"))
        self.assertEqual({(r[0], r[1]) for r in rows[1:]}, {("Sở Ngoại vụ", "01/KH-SNgV"), ("Sở Tư pháp", "01/KH-STP")})

    def test_it_prints_the_register_in_number_order(self) -> None:
        self.line("BC", "Báo cáo quý IV")
        self.login(self.staff)
        response = self.client.get("/documents/register/?format=print")
        self.assertContains(response, "OUTGOING DOCUMENT REGISTER")
        self.assertContains(response, "SỞ NGOẠI VỤ TỈNH BÌNH PHƯỚC")
        self.assertContains(response, "Received by (signature)")
        content = response.content.decode()
        self.assertLess(content.index("01/KH-SNgV"), content.index("02/BC-SNgV"))
        self.assertContains(response, "data-print")


@time_machine.travel(TODAY, tick=False)
class RegisterCreateTestCase(DocumentsTestCase):
    def post(self, **data: Any) -> Any:
        form = {
            "agency": self.agency.pk,
            "doc_type": self.doc_type_pk("BC"),
            "issued_date": "27/12/2025",
            "subject": "Kết quả thực hiện công tác CCHC năm 2025",
            "signer_position": "Giám đốc",
            "signer_full_name": "Nguyễn Thị Hà",
            "to_places": "UBND tỉnh (b/c)\nLưu: VT, VP",
            "issued_amount": "3",
        }
        form.update(data)
        return self.client.post("/documents/register/new/", form)

    def doc_type_pk(self, abbreviation: str, name: str = "") -> int:
        from documents.models import DocumentType

        if name:
            return DocumentType.objects.get(name=name).pk
        return DocumentType.objects.get(abbreviation=abbreviation).pk

    def test_the_form_offers_the_agencys_leader_as_signer(self) -> None:
        self.login(self.coordinator)
        form = self.client.get("/documents/register/new/").context["form"]
        self.assertEqual(form.initial["signer_full_name"], "Nguyễn Thị Hà")
        self.assertEqual(form.initial["issued_date"], date(2025, 12, 28))

    def test_the_system_gives_the_number(self) -> None:
        self.login(self.coordinator)
        response = self.post(code_number="99", register_year="2030")
        document = OutgoingDocument.objects.get(subject="Kết quả thực hiện công tác CCHC năm 2025")
        self.assertRedirects(response, f"/documents/register/{document.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            (document.number_symbol, document.register_year, document.type_name), ("02/BC-SNgV", 2025, "Báo cáo")
        )
        self.assertEqual(
            (document.issued_amount, document.archive_holder, document.created_by), (3, "VT, VP", self.coordinator)
        )
        self.assertIsNone(document.sent_date)
        self.assertEqual(messages_of(response), ["The document was registered as number 02/BC-SNgV."])

    def test_a_decision_takes_its_series_and_a_cong_van_its_drafting_unit(self) -> None:
        self.login(self.coordinator)
        self.post(doc_type=self.doc_type_pk("QĐ"), subject="Quyết định kiện toàn", sent_date="27/12/2025")
        decision = OutgoingDocument.objects.get(subject="Quyết định kiện toàn")
        self.assertEqual(
            (decision.series, decision.number_symbol, decision.sent_date), ("qd", "01/QĐ-SNgV", date(2025, 12, 27))
        )
        self.post(doc_type=self.doc_type_pk("", "Công văn"), subject="V/v góp ý", drafting_unit="VP")
        self.assertEqual(OutgoingDocument.objects.get(subject="V/v góp ý").number_symbol, "02/SNgV-VP")
        self.post(doc_type=self.doc_type_pk("KH"), subject="Kế hoạch", drafting_unit="VP")
        self.assertEqual(OutgoingDocument.objects.get(subject="Kế hoạch").number_symbol, "03/KH-SNgV")

    def test_it_refuses_bad_input_and_writes_nothing(self) -> None:
        self.login(self.coordinator)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"issued_date": "29/12/2025"}, "The date of the document cannot be in the future."),
            ({"issued_date": "31/02/2025"}, "Enter a valid date."),
            ({"subject": ""}, "This field is required."),
            ({"sent_date": "26/12/2025"}, "The date sent cannot be before the date of the document."),
            ({"issued_amount": "0"}, "Ensure this value is greater than or equal to 1."),
            ({"drafting_unit": "V/P"}, "Use letters and digits only"),
            ({"agency": self.other_agency.pk}, "Select a valid choice."),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(OutgoingDocument.objects.count(), 1)
        self.assertEqual(NumberCounter.objects.get(agency=self.agency, year=2025, series="").last_number, 1)

    def test_only_the_registers_keepers_may_register(self) -> None:
        for persona in (self.leader, self.staff, self.overseer):
            self.login(persona)
            self.assertEqual(self.post().status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.post().status_code, 200)  # their own agency only
        self.post(agency=self.other_agency.pk)
        self.assertEqual(OutgoingDocument.objects.get(agency=self.other_agency).number_symbol, "01/BC-STP")
        self.assertEqual(OutgoingDocument.objects.filter(agency=self.agency).count(), 1)

    def test_it_warns_about_a_number_and_symbol_given_twice(self) -> None:
        # Decisions numbered in an earlier series before the "qd" series took them over.
        register.record_outgoing(
            self.agency,
            code_number=1,
            series="cu",
            code_notation="QĐ-SNgV",
            type_code="QĐ",
            issued_date=date(2025, 2, 1),
            subject="Cũ",
        )
        self.login(self.coordinator)
        response = self.post(doc_type=self.doc_type_pk("QĐ"), subject="Quyết định mới")
        self.assertIn(
            "Another document of the register of 2025 has the same number and symbol 01/QĐ-SNgV (dated 01/02/2025). "
            "Check the register: a number and symbol must be unique within the year.",
            messages_of(response),
        )


@time_machine.travel(TODAY, tick=False)
class OutgoingDetailTestCase(DocumentsTestCase):
    def test_it_shows_the_line_and_its_source(self) -> None:
        self.login(self.staff)
        response = self.client.get(f"/documents/register/{self.outgoing.pk}/")
        self.assertContains(response, "No. 01/KH-SNgV")
        self.assertContains(response, f'href="/plans/{self.plan.pk}/"')
        self.assertContains(response, "Sở Nội vụ (b/c)")
        self.assertContains(response, "No signed PDF has been uploaded yet.")
        self.assertNotContains(response, "Upload and check the signatures")
        self.assertNotContains(response, f"/documents/register/{self.outgoing.pk}/edit/")
        self.login(self.coordinator)
        response = self.client.get(f"/documents/register/{self.outgoing.pk}/")
        self.assertContains(response, "Upload and check the signatures")
        self.assertContains(response, "Signatures are not checked against a trust root: none is configured.")

    def test_it_warns_about_a_repeated_number_and_symbol(self) -> None:
        register.record_outgoing(
            self.agency,
            code_number=1,
            series="kh",
            code_notation="KH-SNgV",
            type_code="KH",
            issued_date=date(2025, 3, 1),
            subject="Trùng",
        )
        self.login(self.coordinator)
        response = self.client.get(f"/documents/register/{self.outgoing.pk}/")
        self.assertContains(response, "has the same number and symbol 01/KH-SNgV (dated 01/03/2025)")

    def test_an_outsider_gets_404(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/documents/register/{self.outgoing.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/documents/register/999999/").status_code, 404)


@time_machine.travel(TODAY, tick=False)
class OutgoingEditTestCase(DocumentsTestCase):
    def test_only_what_follows_numbering_changes(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(
            f"/documents/register/{self.outgoing.pk}/edit/",
            {
                "to_places": "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nCác phòng thuộc Sở\nLưu: VT, VP",
                "archive_holder": "Văn phòng Sở",
                "issued_amount": "5",
                "sent_date": "21/12/2025",
                "note": "Gửi bản điện tử",
                "code_number": "7",
                "subject": "Sửa trích yếu",
                "issued_date": "01/01/2025",
            },
        )
        self.assertRedirects(response, f"/documents/register/{self.outgoing.pk}/", fetch_redirect_response=False)
        line = OutgoingDocument.objects.get(pk=self.outgoing.pk)
        self.assertEqual(
            (line.number_symbol, line.subject, line.issued_date), ("01/KH-SNgV", self.plan.title, date(2025, 12, 20))
        )
        self.assertEqual(
            (line.archive_holder, line.issued_amount, line.sent_date), ("Văn phòng Sở", 5, date(2025, 12, 21))
        )
        self.assertEqual(line.note, "Gửi bản điện tử")
        self.assertIn("Các phòng thuộc Sở", line.to_places)

    def test_it_refuses_a_date_sent_before_the_document(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(
            f"/documents/register/{self.outgoing.pk}/edit/", {"issued_amount": "1", "sent_date": "19/12/2025"}
        )
        self.assertContains(response, "The date sent cannot be before the date of the document.")
        self.assertIsNone(OutgoingDocument.objects.get(pk=self.outgoing.pk).sent_date)

    def test_people_who_do_not_keep_the_register_cannot_edit(self) -> None:
        for persona, status in ((self.leader, 403), (self.staff, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(persona)
            response = self.client.post(f"/documents/register/{self.outgoing.pk}/edit/", {"issued_amount": "9"})
            self.assertEqual(response.status_code, status)
        self.assertEqual(OutgoingDocument.objects.get(pk=self.outgoing.pk).issued_amount, 1)


@time_machine.travel(TODAY, tick=False)
class SignedUploadTestCase(DocumentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = Path(tempfile.mkdtemp(prefix="cchc-media-"))
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.enterContext(override_settings(MEDIA_ROOT=str(media)))
        self.media = media
        self.login(self.coordinator)

    def upload(self, content: bytes, name: str = "01-KH-SNgV đã ký.pdf") -> Any:
        return self.client.post(
            f"/documents/register/{self.outgoing.pk}/signed/", {"file": SimpleUploadedFile(name, content)}
        )

    def stored(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()]

    def assert_nothing_saved(self) -> None:
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(SignatureCheck.objects.exists())
        self.assertEqual(self.stored(), [])

    def test_it_stores_the_pdf_and_one_check_per_signature(self) -> None:
        response = self.upload(signing.signed_by_both())
        self.assertRedirects(response, f"/documents/register/{self.outgoing.pk}/", fetch_redirect_response=False)
        self.assertEqual(messages_of(response), ["“01-KH-SNgV đã ký.pdf” was attached and its 2 signatures checked."])
        attachment = Attachment.objects.get()
        self.assertEqual(
            (attachment.owner, attachment.mime_type, attachment.uploaded_by),
            (self.outgoing, "application/pdf", self.coordinator),
        )
        self.assertEqual(len(self.stored()), 1)
        checks = list(attachment.signature_checks.order_by("signing_time"))
        self.assertEqual([c.signer_name for c in checks], ["Nguyễn Thị Hà", "Sở Ngoại vụ tỉnh Bình Phước"])
        person = checks[0]
        self.assertEqual(
            (person.agency, person.field_name, person.signer_email), (self.agency, "NguoiKy", "ha@sngv.gov.vn")
        )
        self.assertEqual(
            (person.intact, person.valid, person.trusted, person.coverage), (True, True, False, "entire_revision")
        )
        self.assertEqual(person.signing_time, signing.SIGNED_AT)
        self.assertEqual(person.issuer, "CA thử nghiệm CCHC, Ban Cơ yếu (thử nghiệm)")
        response = self.client.get(f"/documents/register/{self.outgoing.pk}/")
        self.assertContains(response, "Signatures hold")
        self.assertContains(response, "20/12/2025 08:35:12")
        self.assertContains(response, "Not checked")
        self.assertContains(response, "Not checked against a trust root: none is configured.")

    def test_with_a_configured_root_the_signatures_are_trusted(self) -> None:
        with tempfile.NamedTemporaryFile(suffix=".pem") as root:
            root.write(signing.ca().pem)
            root.flush()
            with override_settings(SIGNATURE_TRUST_ROOTS=[root.name]):
                self.upload(signing.signed_by_both())
                response = self.client.get(f"/documents/register/{self.outgoing.pk}/")
        self.assertEqual(list(SignatureCheck.objects.values_list("trusted", flat=True)), [True, True])
        self.assertNotContains(response, "none is configured")

    def test_a_tampered_file_is_kept_with_its_failed_checks(self) -> None:
        response = self.upload(signing.with_signed_byte_flipped(signing.signed_by_both()))
        self.assertEqual(
            messages_of(response),
            ["“01-KH-SNgV đã ký.pdf” was attached; 2 of its 2 signatures do not hold: see the checks below."],
        )
        self.assertEqual(list(SignatureCheck.objects.values_list("intact", flat=True)), [False, False])
        self.assertContains(self.client.get(f"/documents/register/{self.outgoing.pk}/"), "A signature does not hold")

    def test_without_a_file_it_says_so(self) -> None:
        response = self.client.post(f"/documents/register/{self.outgoing.pk}/signed/")
        self.assertRedirects(response, f"/documents/register/{self.outgoing.pk}/", fetch_redirect_response=False)
        self.assertEqual(messages_of(response), ["Choose a file to attach."])
        self.assert_nothing_saved()

    def test_bad_files_are_refused_with_a_message_and_nothing_saved(self) -> None:
        cases = [
            (
                signing.unsigned_pdf(),
                "Kế hoạch.pdf",
                "“Kế hoạch.pdf” has no digital signature, so nothing was checked or saved.",
            ),
            (samples.PDF, "Hỏng.pdf", "could not be read as a PDF"),
            (signing.encrypted(signing.signed_by_person()), "Mật khẩu.pdf", "protected by a password"),
            (samples.png(), "Ảnh.png", "“Ảnh.png” is not a PDF: choose the signed PDF of the document."),
            (samples.EXE, "Kế hoạch.pdf", "whatever its name says, its content is not"),
            (b"", "Rỗng.pdf", "is empty"),
        ]
        for content, name, message in cases:
            with self.subTest(name=name):
                response = self.upload(content, name)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(any(message in m for m in messages_of(response)), messages_of(response))
                self.assert_nothing_saved()

    def test_a_failure_while_saving_leaves_no_file_behind(self) -> None:
        from unittest import mock

        failing = mock.patch.object(SignatureCheck.objects, "bulk_create", side_effect=RuntimeError("disk full"))
        with failing, self.assertRaises(RuntimeError):
            self.upload(signing.signed_by_person())
        self.assert_nothing_saved()

    def test_only_the_registers_keepers_upload(self) -> None:
        for persona, status in ((self.leader, 403), (self.staff, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.upload(signing.signed_by_person()).status_code, status)
        self.assert_nothing_saved()
