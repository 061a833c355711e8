"""A Decree 30 document as PDF: the same description as the DOCX, through HTML, CSS and WeasyPrint.

CSS paged media carries the page set-up: A4 with the margins of `spec`, the
page number top centre from page 2 (`@page :first` hides it), a landscape
named page for each appendix, whose pages are numbered from 1 again. Fonts:
Times New Roman, or Liberation Serif (the same metrics) where it is missing.
"""

from __future__ import annotations

import re
from html import escape

from lib.nd30 import spec

PDF_TYPE = "application/pdf"
FONTS = '"Times New Roman", "Liberation Serif", "Tinos", serif'
# Word's single line of Times New Roman is about 1.15 em; "1.15 lines" about 1.27 em.
SINGLE = 1.15
BODY_LINE = 1.27

CSS = f"""
@page {{
  size: A4;
  margin: {spec.MARGIN_TOP_MM}mm {spec.MARGIN_RIGHT_MM}mm {spec.MARGIN_BOTTOM_MM}mm {spec.MARGIN_LEFT_MM}mm;
  @top-center {{
    content: counter(page);
    font-family: {FONTS};
    font-size: {spec.SIZE_PAGE_NUMBER}pt;
    vertical-align: top;
    padding-top: {spec.HEADER_DISTANCE_MM}mm;
  }}
}}
@page :first {{
  @top-center {{ content: none; }}
}}
html {{ font-family: {FONTS}; font-size: {spec.SIZE_BODY}pt; line-height: {SINGLE}; color: #000; }}
body {{ margin: 0; }}
p {{ margin: 0; }}
/* As in Word, a cell's text (not its border) lines up with the margin. */
table {{ border-collapse: collapse; table-layout: fixed; margin-left: -{spec.CELL_PADDING_MM}mm; }}
td, th {{ padding: 0 {spec.CELL_PADDING_MM}mm; vertical-align: top; }}
.rule {{ border-top: 0.75pt solid #000; margin: 3pt auto 0; height: 0; }}
.draft {{
  position: absolute; top: -{spec.MARGIN_TOP_MM - spec.HEADER_DISTANCE_MM}mm; right: 0;
  font-weight: bold; font-size: {spec.SIZE_DRAFT}pt; border: 0.75pt solid #000; padding: 0 1.5mm;
}}
table.header {{ width: {spec.TEXT_WIDTH_MM}mm; text-align: center; }}
.parent {{ font-size: {spec.SIZE_PARENT}pt; }}
.issuer {{ font-size: {spec.SIZE_ISSUER}pt; font-weight: bold; }}
.national {{ font-size: {spec.SIZE_NATIONAL}pt; font-weight: bold; }}
.motto {{ font-size: {spec.SIZE_MOTTO}pt; font-weight: bold; }}
.number {{ font-size: {spec.SIZE_NUMBER}pt; margin-top: 6pt; }}
.date {{ font-size: {spec.SIZE_DATE}pt; font-style: italic; margin-top: 6pt; }}
.type {{ font-size: {spec.SIZE_TYPE}pt; font-weight: bold; text-align: center; margin-top: 18pt; }}
.summary {{ font-size: {spec.SIZE_SUMMARY}pt; font-weight: bold; text-align: center; }}
.summary-rule {{ margin-bottom: 12pt; }}
.addressee {{ margin-bottom: 3pt; }}
.body, .basis, .list, .h1, .h2, .h3 {{
  text-align: justify; text-indent: {spec.FIRST_LINE_INDENT_MM}mm; margin-bottom: 6pt; line-height: {BODY_LINE};
}}
.basis {{ font-style: italic; }}
.h1 {{ font-weight: bold; margin-top: 6pt; }}
.h2 {{ font-weight: bold; }}
.h3 {{ font-style: italic; }}
.h1, .h2, .h3 {{ break-after: avoid; }}
/* Separate borders, so that a row split by a page break is closed at the bottom of the page. */
table.grid {{
  width: 100%; margin-bottom: 6pt; border-collapse: separate; border-spacing: 0;
  border-top: 0.5pt solid #000; border-left: 0.5pt solid #000;
}}
table.grid td, table.grid th {{
  border-right: 0.5pt solid #000; border-bottom: 0.5pt solid #000; padding: 2pt {spec.CELL_PADDING_MM}mm;
  box-decoration-break: clone;
}}
table.grid th {{ font-weight: bold; text-align: center; vertical-align: middle; }}
table.grid tr.group td, table.grid tr.subgroup td {{ font-weight: bold; break-after: avoid; }}
table.grid tr.subgroup td {{ font-style: italic; }}
table.footer {{ width: {spec.TEXT_WIDTH_MM}mm; break-inside: avoid; margin-top: 12pt; }}
.recipients-label {{ font-size: {spec.SIZE_RECIPIENTS_LABEL}pt; font-weight: bold; font-style: italic; }}
.recipient {{ font-size: {spec.SIZE_RECIPIENTS}pt; }}
.signer {{ font-size: {spec.SIZE_SIGNER}pt; font-weight: bold; text-align: center; }}
.signer-name {{ font-size: {spec.SIZE_SIGNER}pt; font-weight: bold; text-align: center; margin-top: 72pt; }}
.appendix {{ break-before: page; }}
.appendix-label, .appendix-title {{ font-size: {spec.SIZE_APPENDIX}pt; font-weight: bold; text-align: center; }}
.appendix-reference {{
  font-size: {spec.SIZE_APPENDIX}pt; font-style: italic; text-align: center; margin-bottom: 12pt;
}}
"""


def render(document: spec.Document) -> bytes:
    """The document as the bytes of a PDF file."""
    import weasyprint  # loaded on use: it pulls in Pango

    pdf = weasyprint.HTML(string=to_html(document), url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"Generated documents load nothing from outside: {url}")


def to_html(document: spec.Document) -> str:
    document = spec.cleaned(document)
    parts = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">',
        f"<title>{_text(document.title)}</title>",
        f'<meta name="author" content="{_text(document.author or document.header.issuer)}">',
        f"<style>{CSS}{_appendix_pages(document)}</style></head><body>",
    ]
    if document.header.draft:
        parts.append(f'<div class="draft">{_text(spec.DRAFT_MARK)}</div>')
    parts.append(_header(document.header))
    if document.type_name:
        parts.append(f'<p class="type">{_text(spec.upper(document.type_name))}</p>')
    if document.summary:
        width = spec.rule_width_mm([document.summary], spec.SIZE_SUMMARY, True, 1 / 3, spec.TEXT_WIDTH_MM)
        top = "" if document.type_name else ' style="margin-top: 18pt"'
        parts.append(f'<p class="summary"{top}>{_text(document.summary)}</p>')
        parts.append(f'<div class="rule summary-rule" style="width: {max(width, 30.0)}mm"></div>')
    for line, indent in document.addressee_lines:
        where = "text-align: center" if indent is None else f"margin-left: {indent}mm"
        parts.append(f'<p class="addressee" style="{where}">{_text(line)}</p>')
    preamble_class = "basis" if document.preamble_italic else "body"
    parts.extend(f'<p class="{preamble_class}">{_text(line)}</p>' for line in document.preamble)
    parts.extend(_block(block) for block in document.body_with_closing())
    parts.append(_footer(document))
    for index, appendix in enumerate(document.appendices, start=1):
        parts.append(f'<section class="appendix" style="page: appendix-{index}">')
        parts.append(f'<p class="appendix-label">{_text(appendix.label)}</p>')
        if appendix.title:
            parts.append(f'<p class="appendix-title">{_text(spec.upper(appendix.title))}</p>')
        if appendix.reference:
            parts.append(f'<p class="appendix-reference">{_text(appendix.reference)}</p>')
        parts.extend(_block(block) for block in appendix.blocks)
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def _appendix_pages(document: spec.Document) -> str:
    """One named page per appendix: its orientation, numbering from 1, no number on its first page."""
    rules = []
    for index, appendix in enumerate(document.appendices, start=1):
        size = "A4 landscape" if appendix.landscape else "A4"
        rules.append(
            f"@page appendix-{index} {{ size: {size}; }}"
            f"@page :nth(1 of appendix-{index}) {{ counter-reset: page 1; @top-center {{ content: none; }} }}"
        )
    return "".join(rules)


def _header(header: spec.Header) -> str:
    room_left = spec.HEADER_LEFT_MM - 2 * spec.CELL_PADDING_MM
    room_right = spec.HEADER_RIGHT_MM - 2 * spec.CELL_PADDING_MM
    issuer_rule = spec.rule_width_mm(header.issuer_lines, spec.SIZE_ISSUER, True, 0.5, room_left)
    motto_rule = spec.rule_width_mm([spec.MOTTO], spec.SIZE_MOTTO, True, 1.0, room_right)
    left = "".join(f'<p class="parent">{_text(line)}</p>' for line in header.parent_lines)
    left += "".join(f'<p class="issuer">{_text(line)}</p>' for line in header.issuer_lines)
    left += f'<div class="rule" style="width: {issuer_rule}mm"></div>'
    right = (
        f'<p class="national">{_text(spec.NATIONAL_TITLE)}</p><p class="motto">{_text(spec.MOTTO)}</p>'
        f'<div class="rule" style="width: {motto_rule}mm"></div>'
    )
    return (
        f'<table class="header"><colgroup><col style="width: {spec.HEADER_LEFT_MM}mm">'
        f'<col style="width: {spec.HEADER_RIGHT_MM}mm"></colgroup>'
        f"<tr><td>{left}</td><td>{right}</td></tr>"
        f'<tr><td><p class="number">{_text(header.number_line)}</p></td>'
        f'<td><p class="date">{_text(header.date_line)}</p></td></tr></table>'
    )


def _block(block: spec.Block) -> str:
    if isinstance(block, spec.Heading):
        return f'<p class="h{min(max(block.level, 1), 3)}">{_text(block.text)}</p>'
    if isinstance(block, spec.Paragraph):
        text = _text(block.full_text)
        if block.bold:
            text = f"<b>{text}</b>"
        if block.italic:
            text = f"<i>{text}</i>"
        return f'<p class="body">{text}</p>'
    if isinstance(block, spec.BulletList):
        return "".join(f'<p class="list">{_text(f"{block.marker} {item}")}</p>' for item in block.items)
    return _table(block)


def _table(table: spec.Table) -> str:
    columns = len(table.columns)
    total = sum(c.width for c in table.columns) or 1
    cols = "".join(f'<col style="width: {100 * c.width / total:.2f}%">' for c in table.columns)
    head = "".join(
        "<tr>"
        + "".join(
            f'<th colspan="{cell.colspan}" rowspan="{cell.rowspan}">{_lines(cell.text)}</th>' for cell in header_row
        )
        + "</tr>"
        for header_row in table.headers
    )
    body = []
    for row in table.rows:
        if row.kind in ("group", "subgroup"):
            label, title = (row.cells + ("", ""))[:2]
            span = max(columns - 1, 1)
            body.append(
                f'<tr class="{row.kind}"><td style="text-align: center">{_lines(label)}</td>'
                f'<td colspan="{span}">{_lines(title)}</td></tr>'
            )
            continue
        cells = []
        for index, text in enumerate(row.cells[:columns]):
            style = f"text-align: {table.columns[index].align};"
            if index == 1 and row.level:
                style += f" padding-left: {spec.CELL_PADDING_MM + 5 * row.level}mm;"
            cells.append(f'<td style="{style}">{_lines(text)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="grid" style="font-size: {table.size}pt"><colgroup>{cols}</colgroup>'
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _footer(document: spec.Document) -> str:
    recipients = document.recipient_lines
    left = ""
    if recipients:
        left = f'<p class="recipients-label">{_text(spec.RECIPIENTS_LABEL)}</p>'
        left += "".join(f'<p class="recipient">{_text(line)}</p>' for line in recipients)
    right = "".join(f'<p class="signer">{_text(line)}</p>' for line in document.signature.lines)
    right += f'<p class="signer-name">{_text(document.signature.name) or "&nbsp;"}</p>'
    return (
        f'<table class="footer"><colgroup><col style="width: {spec.FOOTER_LEFT_MM}mm">'
        f'<col style="width: {spec.FOOTER_RIGHT_MM}mm"></colgroup>'
        f"<tr><td>{left}</td><td>{right}</td></tr></table>"
    )


def _text(text: str) -> str:
    """Escaped, with runs of spaces kept (the blanks left for the number and the day)."""
    return re.sub(r" {2,}", lambda m: "\u00a0" * len(m.group()), escape(text))


def _lines(text: str) -> str:
    return "<br>".join(_text(line) for line in text.split("\n"))
