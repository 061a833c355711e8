"""Sample DOCX and PDF files built in memory for the reader's tests and the accuracy bench.

The seeds (data/*.txt) are plain text; these builders turn them into the documents
agencies actually send: a Word file with one paragraph per paragraph, the header as
a borderless two-column table and the signature block as a two-column table, and a
PDF printed from the same paragraphs. Signed, encrypted and image-only PDFs too.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from django.test import SimpleTestCase
from django.utils import translation

DATA = Path(__file__).resolve().parent / "data"
SEEDS = sorted(path.stem for path in DATA.glob("*.txt"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def seed_text(stem: str) -> str:
    return (DATA / f"{stem}.txt").read_text(encoding="utf-8")


# Seeds as documents -----------------------------------------------------------


@dataclass
class Layout:
    """A document as a writer lays it out: header rows, paragraphs, signature columns."""

    header: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)  # indexes of bold (heading) paragraphs
    receivers: list[str] = field(default_factory=list)  # left column of the signature table
    signer: list[str] = field(default_factory=list)  # right column, one paragraph each
    tail: list[str] = field(default_factory=list)  # paragraphs after the signature


_MD_HEADING = re.compile(r"^#+\s*")
_MD_MARKS = re.compile(r"\*{1,3}")


def paragraphs_of(text: str, markdown: bool = False) -> tuple[list[str], set[int]]:
    """Paragraphs of a plain-text document: blank-line separated blocks, wrapped lines joined.

    Inside a block a line starting with "- " or with indentation starts a new paragraph
    (a list item, or the indented first line the seeds show where a PDF had no gap).
    """
    paragraphs: list[str] = []
    bold: set[int] = set()
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        previous_indented = False
        filled = [line for line in block.split("\n") if line.strip()]
        if len(filled) > 1 and all(line[:1].isspace() for line in filled):
            # an indented block of short lines (a stamp, a flattened header): lines kept, one paragraph
            paragraphs.append("\n".join(_squeeze(line) for line in filled))
            continue
        for raw in block.split("\n"):
            line = raw.rstrip()
            if markdown:
                heading = bool(_MD_HEADING.match(line)) or line.strip().startswith("**")
                line = _MD_MARKS.sub("", _MD_HEADING.sub("", line))
                if heading and line.strip():
                    bold.add(len(paragraphs) + (1 if current else 0))
            if not line.strip():
                continue
            indented = line[:1].isspace() and not previous_indented
            starts = line.lstrip().startswith(("- ", "+ ")) or indented or _after_type_line(current)
            previous_indented = line[:1].isspace()
            if starts and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(_squeeze(line))
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs, bold


def _squeeze(line: str) -> str:
    """Spaces collapsed, except a run of three or more (two columns on one line) kept as three."""
    return "   ".join(" ".join(part.split()) for part in re.split(r"\s{3,}", line.strip()))


_TYPE_LINES = {"KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "BÁO CÁO", "CHƯƠNG TRÌNH", "THÔNG BÁO", "HƯỚNG DẪN"}


def _after_type_line(current: list[str]) -> bool:
    """The document type line ("KẾ HOẠCH") is a paragraph of its own, the title follows."""
    return bool(current) and current[-1].strip() in _TYPE_LINES


def text_layout(text: str, *, markdown: bool = False) -> Layout:
    """A plain-text document as a Word author would have typed it.

    Header lines printed in two columns before the type line ("KẾ HOẠCH") become a
    two-column table; a "Nơi nhận:" line alone, its "- " lines and the signer's lines
    after them become the two-column signature table; the rest is paragraphs.
    """
    lines = text.split("\n")
    plain = [_MD_MARKS.sub("", _MD_HEADING.sub("", line)).strip() if markdown else line.strip() for line in lines]
    type_at = next((i for i, line in enumerate(plain[:30]) if line in _TYPE_LINES), None)
    header: list[tuple[str, str]] = []
    start = 0
    if type_at is not None and any(re.search(r"\S\s{3,}\S", line) for line in plain[:type_at]):
        for line in plain[:type_at]:
            if line:
                left, _, right = line.partition("   ")
                header.append((left.strip(), right.strip()))
        start = type_at
    receivers_at = next((i for i, line in enumerate(plain) if re.fullmatch(r"Nơi nhận\s*:?", line)), None)
    end = receivers_at if receivers_at is not None else len(lines)
    paragraphs, bold = paragraphs_of("\n".join(lines[start:end]), markdown)
    layout = Layout(header=header, paragraphs=paragraphs, bold=bold)
    if receivers_at is not None:
        rest = [line for line in plain[receivers_at:] if line]
        layout.receivers = [rest[0]] + [line for line in rest[1:] if line.startswith("- ")]
        layout.signer = [line for line in rest[len(layout.receivers) :]]
    return layout


def seed_layout(stem: str) -> Layout:
    return text_layout(seed_text(stem), markdown=stem.startswith("001"))


@cache
def seed_docx(stem: str) -> bytes:
    return layout_docx(seed_layout(stem))


@cache
def seed_pdf(stem: str) -> bytes:
    return layout_pdf(seed_layout(stem))


# DOCX -------------------------------------------------------------------------


class DocxBuilder:
    """A python-docx document with the few things the reader must understand."""

    def __init__(self) -> None:
        import docx
        from docx.shared import Pt

        self.document: Any = docx.Document()
        style = self.document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
        self._next_abstract = 100
        self._next_num = 100

    def paragraph(self, text: str, *, bold: bool = False, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = bold
            if index < len(lines) - 1:
                run.add_break()
        return paragraph

    def numbered(self, text: str, num_id: int, level: int = 0) -> Any:
        """A list paragraph numbered by Word (w:numPr), the label not typed in the text."""
        paragraph = self.document.add_paragraph(text)
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.append(
            _element("w:numPr", f'<w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'),
        )
        return paragraph

    def list_definition(self, levels: Sequence[tuple[str, str]], start: int = 1) -> int:
        """A new list (w:num) with (numFmt, lvlText) per level; returns its numId."""
        numbering = self.document.part.numbering_part.element
        abstract_id, num_id = self._next_abstract, self._next_num
        self._next_abstract += 1
        self._next_num += 1
        body = "".join(
            f'<w:lvl w:ilvl="{index}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{html.escape(text)}"/><w:lvlJc w:val="left"/></w:lvl>'
            for index, (fmt, text) in enumerate(levels)
        )
        abstract = _element("w:abstractNum", body)
        abstract.set(f"{{{W_NS}}}abstractNumId", str(abstract_id))
        first_num = numbering.find(f"{{{W_NS}}}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = _element("w:num", f'<w:abstractNumId w:val="{abstract_id}"/>')
        num.set(f"{{{W_NS}}}numId", str(num_id))
        numbering.append(num)
        return num_id

    def restart(self, num_id: int, level: int = 0, start: int = 1) -> int:
        """Another w:num on the same list definition that restarts numbering (Word's "Restart at 1")."""
        numbering = self.document.part.numbering_part.element
        abstract_id = next(
            n.find(f"{{{W_NS}}}abstractNumId").get(f"{{{W_NS}}}val")
            for n in numbering.iterchildren(f"{{{W_NS}}}num")
            if n.get(f"{{{W_NS}}}numId") == str(num_id)
        )
        new_id = self._next_num
        self._next_num += 1
        num = _element(
            "w:num",
            f'<w:abstractNumId w:val="{abstract_id}"/><w:lvlOverride w:ilvl="{level}">'
            f'<w:startOverride w:val="{start}"/></w:lvlOverride>',
        )
        num.set(f"{{{W_NS}}}numId", str(new_id))
        numbering.append(num)
        return new_id

    def table(self, rows: Sequence[Sequence[str]], *, borders: bool = True, size: float | None = None) -> Any:
        """A table with one paragraph per line of each cell text (`size` in points)."""
        from docx.shared import Pt

        width = max(len(row) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        if borders:
            table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                for index, line in enumerate(text.split("\n")):
                    paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                    run = paragraph.add_run(line)
                    if size:
                        run.font.size = Pt(size)
        return table

    def landscape(self) -> None:
        """Start a new page in landscape, as appendices are printed."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width

    def merge(self, table: Any, first: tuple[int, int], last: tuple[int, int]) -> None:
        """Merge a rectangle of cells (gridSpan across, vMerge down), keeping the first cell's text."""
        text = table.cell(*first).text
        merged = table.cell(*first).merge(table.cell(*last))
        for paragraph in merged.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        merged.paragraphs[0].text = text

    def raw_body(self, xml: str) -> None:
        """Append raw WordprocessingML (w:p or w:tbl) to the body, before the section properties."""
        body = self.document.element.body
        if body.sectPr is not None:
            body.sectPr.addprevious(_parse(xml))
        else:
            body.append(_parse(xml))

    def save(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _parse(xml: str) -> Any:
    from lxml import etree

    return etree.fromstring(f'<root xmlns:w="{W_NS}">{xml}</root>')[0]


def _element(tag: str, inner: str) -> Any:
    return _parse(f"<{tag}>{inner}</{tag}>")


def layout_docx(layout: Layout, *, appendix: Sequence[Sequence[str]] | None = None) -> bytes:
    builder = DocxBuilder()
    if layout.header:
        rows = [(left, right) for left, right in layout.header]
        # Word authors put the agency lines and the motto in the first row, number and date in the second.
        first = [row for row in rows if not row[0].startswith("Số")]
        second = [row for row in rows if row[0].startswith("Số")]
        table_rows = [["\n".join(r[0] for r in first), "\n".join(r[1] for r in first)]]
        table_rows += [[left, right] for left, right in second]
        builder.table(table_rows, borders=False)
    for index, paragraph in enumerate(layout.paragraphs):
        builder.paragraph(paragraph, bold=index in layout.bold)
    if layout.receivers or layout.signer:
        builder.table([["\n".join(layout.receivers), "\n\n\n".join(layout.signer)]], borders=False)
    for paragraph in layout.tail:
        builder.paragraph(paragraph)
    if appendix:
        builder.landscape()
        builder.paragraph("PHỤ LỤC", bold=True)
        builder.paragraph("KẾ HOẠCH TRIỂN KHAI CÁC NHIỆM VỤ", bold=True)
        appendix_table(builder, appendix)
    return builder.save()


def appendix_table(builder: DocxBuilder, rows: Sequence[Sequence[str]]) -> Any:
    """An appendix table; a row with the same text in every cell is one merged group row."""
    table = builder.table([[row[0], *([""] * (len(row) - 1))] if _group_row(row) else row for row in rows], size=12)
    for index, row in enumerate(rows):
        if _group_row(row):
            builder.merge(table, (index, 0), (index, len(row) - 1))
    return table


def _group_row(row: Sequence[str]) -> bool:
    return len(row) > 1 and len(set(row)) == 1


# PDF --------------------------------------------------------------------------

PDF_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
@page :first { @top-center { content: none; } }
@page { @top-center { content: counter(page); font-family: 'Liberation Serif'; font-size: 13pt; } }
body { font-family: 'Liberation Serif'; font-size: 14pt; line-height: 1.25; text-align: justify; }
p { margin: 0 0 6pt 0; text-indent: 10mm; }
p.center { text-align: center; text-indent: 0; font-weight: bold; }
table { width: 100%; border-collapse: collapse; }
table.plain { margin-bottom: 6pt; table-layout: fixed; }
table.sign { margin-top: 12pt; }
table.plain td { vertical-align: top; text-align: center; font-size: 13pt; padding: 0; }
@page appendix { size: A4 landscape; margin: 20mm; }
div.appendix { page: appendix; break-before: page; }
table.grid td, table.grid th { border: 0.5pt solid black; font-size: 12pt; padding: 2pt 4pt; vertical-align: top; }
table.grid td { text-align: left; }
table.grid th { text-align: center; }
td.left { text-align: left !important; font-size: 11pt !important; }
span.gap { display: inline-block; width: 30mm; }
p.lines { text-indent: 0; font-size: 11pt; white-space: nowrap; text-align: left; }
"""


def layout_pdf(layout: Layout, *, appendix: Sequence[Sequence[str]] | None = None, extra_html: str = "") -> bytes:
    parts = [f"<html><head><meta charset='utf-8'><style>{PDF_CSS}</style></head><body>"]
    if layout.header:
        rows = "".join(
            f"<tr><td style='width: 40%'>{html.escape(left)}</td><td>{html.escape(right)}</td></tr>"
            for left, right in layout.header
        )
        parts.append(f"<table class='plain'>{rows}</table>")
    for index, paragraph in enumerate(layout.paragraphs):
        centred = index in layout.bold or paragraph in _TYPE_LINES
        css = " class='center'" if centred else ""
        if "\n" in paragraph:  # lines kept as printed
            css = " class='lines'"
        parts.append(f"<p{css}>{_gaps(html.escape(paragraph)).replace(chr(10), '<br>')}</p>")
    if layout.receivers or layout.signer:
        left = "<br>".join(html.escape(line) for line in layout.receivers)
        right = "<br><br><br>".join(html.escape(line) for line in layout.signer)
        parts.append(f"<table class='plain sign'><tr><td class='left'>{left}</td><td><b>{right}</b></td></tr></table>")
    for paragraph in layout.tail:
        parts.append(f"<p>{html.escape(paragraph)}</p>")
    if appendix:
        parts.append("<div class='appendix'><p class='center'>PHỤ LỤC</p>")
        parts.append("<p class='center'>KẾ HOẠCH TRIỂN KHAI CÁC NHIỆM VỤ</p>")
        parts.append(appendix_html(appendix) + "</div>")
    parts.append(extra_html)
    parts.append("</body></html>")
    return html_pdf("".join(parts))


def _gaps(markup: str) -> str:
    """Three spaces (two columns on one line) as a wide gap, as a PDF printer draws them."""
    return markup.replace("   ", "<span class='gap'></span>")


def appendix_html(rows: Sequence[Sequence[str]]) -> str:
    """The appendix on landscape pages: header cells centred, the rest left-aligned, group rows merged."""
    out = ["<table class='grid'>"]
    for index, row in enumerate(rows):
        if index == 0:
            out.append("<thead><tr>" + "".join(f"<th>{html.escape(cell)}</th>" for cell in row) + "</tr></thead>")
        elif _group_row(row):
            out.append(f"<tr><td colspan='{len(row)}'><b>{html.escape(row[0])}</b></td></tr>")
        else:
            out.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
    out.append("</table>")
    return "".join(out)


def html_pdf(markup: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=markup).write_pdf())


def text_pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF with these lines of text."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return html_pdf(f"<html><head><style>{PDF_CSS}</style></head><body>{body}</body></html>")


def image_pdf() -> bytes:
    """A scanned page: text drawn into a picture, no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for line in range(40):
        draw.text((100, 100 + line * 36), "KE HOACH cai cach hanh chinh nam 2026 " * 2, fill="black")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150)
    return out.getvalue()


def encrypted_pdf(data: bytes, user_password: str, owner_password: str = "owner-secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Signed PDF -------------------------------------------------------------------


@dataclass
class Certificate:
    cert: Any  # asn1crypto x509.Certificate
    key: Any  # asn1crypto keys.PrivateKeyInfo


def self_signed(common_name: str, email: str | None, *, email_in_san: bool = False) -> Certificate:
    """A throwaway certificate like the Government Cipher Board's, for signing tests."""
    from asn1crypto import keys, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attributes = [
        cx509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Ngoại vụ"),
        cx509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if email and not email_in_san:
        attributes.append(cx509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    name = cx509.Name(attributes)
    builder = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1))
        .not_valid_after(datetime(2040, 1, 1))
        .add_extension(cx509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
    )
    if email and email_in_san:
        builder = builder.add_extension(cx509.SubjectAlternativeName([cx509.RFC822Name(email)]), critical=False)
    certificate = builder.sign(key, hashes.SHA256())
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Certificate(
        cert=x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        key=keys.PrivateKeyInfo.load(der_key),
    )


VN = timezone(timedelta(hours=7))


def signed_pdf(
    data: bytes,
    certificate: Certificate,
    signed_at: datetime,
    *,
    field_name: str = "Signature1",
) -> bytes:
    """The PDF signed with pyHanko at a fixed time, in an invisible signature field."""
    from unittest import mock

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers import pdf_signer
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class FixedClock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return signed_at if tz is None else signed_at.astimezone(tz)

    signer = signers.SimpleSigner(
        signing_cert=certificate.cert,
        signing_key=certificate.key,
        cert_registry=SimpleCertificateStore.from_certs([certificate.cert]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(field_name, on_page=0))
    meta = signers.PdfSignatureMetadata(field_name=field_name)
    out = io.BytesIO()
    with mock.patch.object(pdf_signer, "datetime", FixedClock):
        signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()


def stamped_pdf(
    data: bytes, stamp: Sequence[str], *, box: tuple[float, float, float, float] = (330, 700, 560, 780)
) -> bytes:
    """The PDF with a signature field whose appearance prints these lines, as Vietnamese signing tools stamp
    the number and date on a document signed with its number blank. The field itself is not signed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    width, height = box[2] - box[0], box[3] - box[1]
    body = "".join(f"<div>{html.escape(line)}</div>" for line in stamp)
    css = f"@page {{ size: {width}pt {height}pt; margin: 2pt; }} body {{ font: 9pt 'Liberation Serif'; margin: 0; }}"
    stamp_page = PdfReader(io.BytesIO(html_pdf(f"<html><head><style>{css}</style></head><body>{body}</body></html>")))
    page = stamp_page.pages[0]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    appearance = StreamObject()
    contents = page.get_contents()
    assert contents is not None
    appearance.set_data(contents.get_data())
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Stamp"),
            NameObject("/F"): NumberObject(4),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in box]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
            NameObject("/P"): writer.pages[0].indirect_reference,
        }
    )
    reference = writer._add_object(widget)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference]), NameObject("/SigFlags"): NumberObject(1)}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Appendix table ---------------------------------------------------------------

APPENDIX_HEADER = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
    "Ghi chú",
]


def appendix_rows(count: int, groups: int = 4) -> list[list[str]]:
    """A long appendix: group rows in Roman numerals and numbered task rows."""
    areas = ["CẢI CÁCH THỂ CHẾ", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "CHUYỂN ĐỔI SỐ"]
    quarters = ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026", "Thường xuyên", "Trước 30/6/2026"]
    rows = [APPENDIX_HEADER]
    per_group = max(count // groups, 1)
    for number in range(count):
        if number % per_group == 0 and number // per_group < groups:
            group = number // per_group
            label = ["I", "II", "III", "IV", "V", "VI"][group % 6]
            rows.append([f"{label}. {areas[group % 4]}"] * len(APPENDIX_HEADER))
        rows.append(
            [
                str(number % per_group + 1),
                f"Rà soát, cập nhật quy trình nội bộ số {number + 1} theo quy định",
                "Văn phòng Sở",
                "Phòng Hợp tác quốc tế; Sở Khoa học và Công nghệ",
                quarters[number % len(quarters)],
                "Báo cáo kết quả",
                "",
            ]
        )
    return rows


class ReaderTestCase(SimpleTestCase):
    """The reader needs no database; assertions read the English messages."""

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(translation.override("en"))
