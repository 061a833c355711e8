"""Signed PDFs for tests: a throwaway CA, a person's and an organisation's certificates, pyHanko's signer.

Everything is made in memory with `cryptography` (EC keys: fast); the signing
time is fixed with time-machine so results do not depend on the day.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

import time_machine
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

VN = dt.timezone(dt.timedelta(hours=7))
SIGNED_AT = dt.datetime(2025, 12, 20, 8, 35, 12, tzinfo=VN)
VALID_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
VALID_TO = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Identity:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)


def _name(common_name: str, organisation: str = "", email: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@cache
def ca() -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("CA thử nghiệm CCHC", "Ban Cơ yếu (thử nghiệm)")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_TO)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, certificate)


def _issue(common_name: str, email: str, serial: int, issuer: Identity) -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, email=email))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_TO)
        .add_extension(_usage(ca=False), critical=True)
        .sign(issuer.key, hashes.SHA256())
    )
    return Identity(key, certificate)


@cache
def person() -> Identity:
    return _issue("Nguyễn Thị Hà", "ha@sngv.gov.vn", 0x1A2B, ca())


@cache
def organisation() -> Identity:
    return _issue("Sở Ngoại vụ tỉnh Bình Phước", "vanthu@sngv.gov.vn", 0x3C4D, ca())


@cache
def unsigned_pdf() -> bytes:
    from weasyprint import HTML

    html = "<h1>KẾ HOẠCH</h1><p>Cải cách hành chính năm 2026 của Sở Ngoại vụ.</p>"
    return bytes(HTML(string=html).write_pdf())


def sign(
    data: bytes, who: Identity, field_name: str, at: dt.datetime = SIGNED_AT, password: str | None = None
) -> bytes:
    """The PDF with one more signature (an incremental update), made at `at`; `password` opens an encrypted one."""
    signer = signers.SimpleSigner(
        signing_cert=who.asn1,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            who.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([ca().asn1]),
    )
    with time_machine.travel(at, tick=False):
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if password is not None:
            writer.encrypt(password)
        output = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field_name), signer=signer)
    return bytes(output.getvalue())


@cache
def signed_by_person() -> bytes:
    return sign(unsigned_pdf(), person(), "NguoiKy")


@cache
def signed_by_both() -> bytes:
    """As Decree 30 wants: the signer's signature, then the agency's (the seal)."""
    return sign(signed_by_person(), organisation(), "CoQuan", SIGNED_AT + dt.timedelta(minutes=3))


def with_text_changed(data: bytes) -> bytes:
    """An incremental update after signing that replaces the first page's text."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page = writer.root["/Pages"]["/Kids"][0]
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td (Sua doi) Tj ET"))
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def with_signed_byte_flipped(data: bytes) -> bytes:
    """One bit changed inside the first page's compressed content, which every signature covers."""
    position = data.index(b"stream\n") + 40
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def encrypted(data: bytes, user_password: str = "matkhau") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
