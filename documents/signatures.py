"""Checking the digital signatures of a signed PDF with pyHanko.

What a check can say, and what it cannot:

- *intact*: the signed bytes still hash to the digest the signer signed, and
  nothing but further signatures or form filling was added to the file after
  signing (an incremental update that changes the text is not intact);
- *valid*: the signature over that digest verifies with the certificate's key;
- *trusted*: the certificate chains to one of the roots configured in
  settings.SIGNATURE_TRUST_ROOTS (the Government Cipher Board's CA
  certificates, for instance). With no root configured nothing is trusted,
  whatever the certificate claims; the operating system's list is never used.

Nothing is fetched from the network (government networks are closed), so
revocation (CRL, OCSP) is only checked when the file carries that information.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

ENTIRE_FILE, ENTIRE_REVISION, PARTIAL = "entire_file", "entire_revision", "partial"
# Changes after a signature that do not alter what was signed: later signatures
# (the organisation's after the person's, number and date stamps), form filling.
HARMLESS_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


class Unverifiable(Exception):
    """The file as a whole cannot be checked; the message says why, for the person."""


@dataclass
class SignatureResult:
    field_name: str = ""
    signer_name: str = ""
    signer_email: str = ""
    signing_time: datetime | None = None  # as the signer's computer reported it
    issuer: str = ""
    serial: str = ""
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    coverage: str = PARTIAL
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return " ".join(self.notes)


def coverage_label(code: str) -> str:
    return {
        ENTIRE_FILE: _("The whole file"),
        ENTIRE_REVISION: _("The whole revision signed; only signatures or form fields were added later"),
        PARTIAL: _("Partial: the file was changed after signing"),
    }.get(code, code)


# Trust roots ---------------------------------------------------------------


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """The certificates of a PEM file (one or several) or a DER file."""
    if pem.detect(data):
        return [
            x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [x509.Certificate.load(data)]


def configured_roots(paths: Iterable[str | Path] | None = None) -> list[x509.Certificate]:
    """The certificates of settings.SIGNATURE_TRUST_ROOTS; a file that cannot be read is logged and left out."""
    roots: list[x509.Certificate] = []
    for path in getattr(settings, "SIGNATURE_TRUST_ROOTS", []) if paths is None else paths:
        try:
            certificates = load_certificates(Path(path).read_bytes())
            for certificate in certificates:
                certificate.native  # noqa: B018 - parse now, so that a damaged file fails here
        except Exception:  # a missing file, a damaged certificate: asn1crypto and the OS raise many kinds
            logger.exception("Signature trust root %s cannot be read; it is left out", path)
            continue
        roots.extend(certificates)
    return roots


# Verification ----------------------------------------------------------------


def verify_pdf(data: bytes, trust_roots: Sequence[x509.Certificate] | None = None) -> list[SignatureResult]:
    """One result per signature of the PDF, in signing order; [] when it has none.

    `trust_roots` defaults to the configured ones. Raises `Unverifiable` for a
    file that is not a readable PDF or is locked by a password.
    """
    roots = configured_roots() if trust_roots is None else list(trust_roots)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            _decrypt(reader)
    except Unverifiable:
        raise
    except Exception as exc:  # a damaged PDF makes the parser raise almost anything
        raise Unverifiable(
            _("The file could not be read as a PDF: it may be damaged or incomplete. Check the file and try again.")
        ) from exc
    try:
        found = reader.embedded_regular_signatures
    except Exception as exc:  # a damaged signature dictionary or CMS structure
        raise Unverifiable(
            _("The signatures of this PDF could not be read: they are damaged or in a format that is not supported.")
        ) from exc
    return [_verify(signature, roots) for signature in found]


def _decrypt(reader: PdfFileReader) -> None:
    """An encrypted PDF that opens without a password can still be checked; one that needs a password cannot."""
    locked = Unverifiable(
        _(
            "This PDF is protected by a password, so its signatures cannot be checked. "
            "Upload the file without a password."
        )
    )
    try:
        result = reader.decrypt(b"")
    except Exception as exc:  # an unsupported security handler (certificate encryption …)
        raise locked from exc
    if result.status == AuthStatus.FAILED:
        raise locked


def _context(roots: Sequence[x509.Certificate]) -> ValidationContext:
    # An explicit (possibly empty) list: pyHanko would fall back to the system's TLS roots otherwise.
    return ValidationContext(trust_roots=list(roots), allow_fetching=False)


def _verify(signature: Any, roots: Sequence[x509.Certificate]) -> SignatureResult:
    result = SignatureResult(field_name=_text(lambda: signature.field_name))
    result.signing_time = _attempt(lambda: signature.self_reported_timestamp)
    certificate = _attempt(lambda: signature.signer_cert)
    if certificate is not None:
        _describe_certificate(result, certificate)
    try:
        status = validate_pdf_signature(signature, _context(roots))
    except Exception as exc:  # a malformed signature, an unsupported format: reported, not raised
        logger.info("Signature %s could not be validated: %s", result.field_name, exc)
        result.notes.append(_("The signature could not be checked: its format is damaged or not supported."))
        return result
    if status.signer_reported_dt is not None:
        result.signing_time = status.signer_reported_dt
    later_changes_harmless = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in HARMLESS_CHANGES
        and status.docmdp_ok is not False
    )
    result.valid = bool(status.valid)
    result.intact = bool(status.intact) and later_changes_harmless
    result.trusted = bool(roots) and bool(status.trusted) and result.intact
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        result.coverage = ENTIRE_FILE
    elif later_changes_harmless:
        result.coverage = ENTIRE_REVISION
    else:
        result.coverage = PARTIAL
    result.notes.extend(_notes(result, status, roots))
    return result


def _notes(result: SignatureResult, status: Any, roots: Sequence[x509.Certificate]) -> list[str]:
    notes: list[str] = []
    if not status.intact:
        notes.append(_("The signed content was altered after signing: its digest no longer matches."))
    elif not result.intact:
        notes.append(_("The file was changed after signing in ways other than adding signatures or filling in forms."))
    if not result.valid:
        notes.append(_("The signature does not verify with the signer's certificate."))
    if not roots:
        notes.append(_("Not checked against a trust root: none is configured."))
    elif result.trusted:
        anchor = _attempt(lambda: status.validation_path.trust_anchor.authority.name)
        name = _name(anchor, "common_name") if anchor is not None else ""
        notes.append(
            _("The certificate chains to the trust root “%(name)s”.") % {"name": name}
            if name
            else _("The certificate chains to a configured trust root.")
        )
    elif result.valid and result.intact:
        notes.append(_("The certificate does not chain to any configured trust root, or it is expired or revoked."))
    timestamp = getattr(status, "timestamp_validity", None)
    if timestamp is not None and timestamp.valid and timestamp.intact:
        notes.append(
            _("A time-stamp authority attests the signing time: %(time)s.")
            % {"time": formats.date_format(timezone.localtime(timestamp.timestamp), "d/m/Y H:i:s")}
        )
    return notes


def signer_identity(certificate: x509.Certificate) -> tuple[str, str]:
    """The signer's name (subject common name) and e-mail (subject or alternative name); "" when absent."""
    return _name(certificate.subject, "common_name"), (
        _name(certificate.subject, "email_address") or _email_from_san(certificate)
    )


def _describe_certificate(result: SignatureResult, certificate: x509.Certificate) -> None:
    result.signer_name, result.signer_email = signer_identity(certificate)
    issuer = [_name(certificate.issuer, "common_name"), _name(certificate.issuer, "organization_name")]
    result.issuer = ", ".join(dict.fromkeys(p for p in issuer if p))
    result.serial = _text(lambda: format(certificate.serial_number, "X"))


def _name(name: x509.Name, key: str) -> str:
    return _text(lambda: name.native.get(key))


def _email_from_san(certificate: x509.Certificate) -> str:
    def find() -> str:
        for general_name in certificate.subject_alt_name_value or []:
            if general_name.name == "rfc822_name":
                return str(general_name.native)
        return ""

    return _text(find)


def _attempt(get: Any) -> Any:
    try:
        return get()
    except Exception:  # a field of a damaged signature: shown as unknown
        return None


def _text(get: Any) -> str:
    value = _attempt(get)
    if isinstance(value, list):  # a name with several values of one kind
        value = ", ".join(str(v) for v in value)
    return str(value) if value else ""
