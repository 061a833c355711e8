"""Checking the signatures of a signed PDF: what is reported, and never trust without a configured root."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import timedelta
from pathlib import Path

from django.test import SimpleTestCase, override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents import signatures
from documents.signatures import ENTIRE_FILE, ENTIRE_REVISION, PARTIAL, Unverifiable, verify_pdf
from documents.tests import signing
from documents.tests.signing import SIGNED_AT


class VerifyPdfTestCase(SimpleTestCase):
    def setUp(self) -> None:
        super().setUp()
        translation.activate("en")  # the messages are asserted in English, as in the base test class
        self.addCleanup(translation.deactivate)

    def test_it_reports_an_intact_valid_signature_as_not_trusted_without_roots(self) -> None:
        [result] = verify_pdf(signing.signed_by_person(), trust_roots=[])
        self.assertEqual(result.field_name, "NguoiKy")
        self.assertEqual((result.signer_name, result.signer_email), ("Nguyễn Thị Hà", "ha@sngv.gov.vn"))
        self.assertEqual(result.signing_time, SIGNED_AT)
        self.assertEqual(result.issuer, "CA thử nghiệm CCHC, Ban Cơ yếu (thử nghiệm)")
        self.assertEqual(result.serial, "1A2B")
        self.assertEqual((result.intact, result.valid, result.trusted), (True, True, False))
        self.assertEqual(result.coverage, ENTIRE_FILE)
        self.assertIn("Not checked against a trust root: none is configured.", result.summary)

    @override_settings(SIGNATURE_TRUST_ROOTS=[])
    def test_it_uses_the_configured_roots_by_default_and_none_means_none(self) -> None:
        # The test CA is not in any system list either; the point is that nothing else is consulted.
        [result] = verify_pdf(signing.signed_by_person())
        self.assertFalse(result.trusted)

    def test_it_trusts_a_certificate_that_chains_to_a_configured_root(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            pem, der = Path(folder, "ca.pem"), Path(folder, "ca.cer")
            pem.write_bytes(signing.ca().pem)
            der.write_bytes(signing.ca().der)
            for path in (pem, der):
                with self.subTest(path=path.name), override_settings(SIGNATURE_TRUST_ROOTS=[str(path)]):
                    [result] = verify_pdf(signing.signed_by_person())
                    self.assertEqual((result.intact, result.valid, result.trusted), (True, True, True))
                    self.assertIn("The certificate chains to the trust root “CA thử nghiệm CCHC”.", result.summary)

    def test_a_root_that_cannot_be_read_is_left_out(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            broken = Path(folder, "broken.pem")
            broken.write_bytes(b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
            paths = [str(broken), str(Path(folder, "missing.pem"))]
            with self.assertLogs("documents.signatures", "ERROR"):
                self.assertEqual(signatures.configured_roots(paths), [])

    def test_an_other_root_does_not_make_it_trusted(self) -> None:
        other = signing._issue("Một CA khác", "", 9, signing.person())  # not a CA of this chain
        [result] = verify_pdf(signing.signed_by_person(), trust_roots=[other.asn1])
        self.assertEqual((result.intact, result.valid, result.trusted), (True, True, False))
        self.assertIn("does not chain to any configured trust root", result.summary)

    def test_it_reports_both_signatures_of_person_and_organisation(self) -> None:
        person, organisation = verify_pdf(signing.signed_by_both(), trust_roots=[signing.ca().asn1])
        self.assertEqual((person.field_name, person.signer_name), ("NguoiKy", "Nguyễn Thị Hà"))
        self.assertEqual((organisation.field_name, organisation.signer_name), ("CoQuan", "Sở Ngoại vụ tỉnh Bình Phước"))
        self.assertEqual(organisation.signer_email, "vanthu@sngv.gov.vn")
        # The agency's signature came after the person's: the person's still holds, over its revision.
        self.assertEqual(
            (person.intact, person.valid, person.trusted, person.coverage), (True, True, True, ENTIRE_REVISION)
        )
        self.assertEqual((organisation.intact, organisation.trusted, organisation.coverage), (True, True, ENTIRE_FILE))
        self.assertEqual(
            (person.signing_time, organisation.signing_time), (SIGNED_AT, SIGNED_AT + timedelta(minutes=3))
        )

    def test_a_text_change_appended_after_signing_is_not_intact(self) -> None:
        with self.assertLogs("pyhanko", "WARNING"):  # pyHanko logs the suspicious update it found
            results = verify_pdf(signing.with_text_changed(signing.signed_by_both()), trust_roots=[signing.ca().asn1])
        for result in results:
            self.assertFalse(result.intact)
            self.assertFalse(result.trusted)
            self.assertEqual(result.coverage, PARTIAL)
            self.assertIn("changed after signing", result.summary)

    def test_a_byte_changed_inside_the_signed_range_is_not_intact(self) -> None:
        results = verify_pdf(
            signing.with_signed_byte_flipped(signing.signed_by_both()), trust_roots=[signing.ca().asn1]
        )
        self.assertEqual(len(results), 2)
        for result in results:
            self.assertFalse(result.intact)
            self.assertFalse(result.trusted)
            self.assertIn("its digest no longer matches", result.summary)

    def test_a_pdf_without_signatures_gives_no_result(self) -> None:
        self.assertEqual(verify_pdf(signing.unsigned_pdf(), trust_roots=[]), [])

    def test_a_damaged_file_is_unverifiable(self) -> None:
        for data in (
            b"",
            b"not a pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
            signing.signed_by_person()[:500],
        ):
            with self.subTest(data=data[:20]), self.assertRaisesMessage(Unverifiable, "could not be read as a PDF"):
                verify_pdf(data, trust_roots=[])

    def test_a_pdf_locked_by_a_password_is_unverifiable(self) -> None:
        with self.assertRaisesMessage(Unverifiable, "protected by a password"):
            verify_pdf(signing.encrypted(signing.signed_by_person()), trust_roots=[])

    def test_an_encrypted_pdf_that_opens_without_a_password_is_checked(self) -> None:
        locked_for_editing = signing.encrypted(signing.unsigned_pdf(), user_password="")
        data = signing.sign(locked_for_editing, signing.person(), "NguoiKy", password="")
        [result] = verify_pdf(data, trust_roots=[signing.ca().asn1])
        self.assertEqual(
            (result.signer_name, result.intact, result.valid, result.trusted), ("Nguyễn Thị Hà", True, True, True)
        )

    def test_signatures_that_cannot_be_read_are_reported(self) -> None:
        # pypdf encrypts the signature's /Contents too when it encrypts a signed file: they no longer parse.
        with self.assertRaisesMessage(Unverifiable, "signatures of this PDF could not be read"):
            verify_pdf(signing.encrypted(signing.signed_by_person(), user_password=""), trust_roots=[])

    def test_it_labels_the_coverage(self) -> None:
        self.assertEqual(signatures.coverage_label(PARTIAL), "Partial: the file was changed after signing")


class VerifyPdfFuzzTestCase(SimpleTestCase):
    """Whatever the bytes, a check reports or refuses with a message: it never raises anything else."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=4))
    def test_damaged_signed_files_never_crash(self, changes: list[tuple[int, int]]) -> None:
        data = bytearray(signing.signed_by_both())
        for position, value in changes:
            data[position % len(data)] = value
        try:
            results = verify_pdf(bytes(data), trust_roots=[signing.ca().asn1])
        except Unverifiable:
            return
        for result in results:
            self.assertIn(result.coverage, (ENTIRE_FILE, ENTIRE_REVISION, PARTIAL))
            if not result.intact:
                self.assertFalse(result.trusted)

    @settings(max_examples=40, deadline=None)
    @given(st.binary(max_size=2000))
    def test_random_bytes_never_crash(self, data: bytes) -> None:
        with contextlib.suppress(Unverifiable):
            verify_pdf(b"%PDF-1.7\n" + data, trust_roots=[])
