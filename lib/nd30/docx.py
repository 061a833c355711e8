"""A Decree 30 document as a Word file (python-docx), with named styles a clerk can restyle.

Every element has its own paragraph style ("ND30 Issuer", "ND30 Place Date",
"ND30 Recipients" …) on top of Normal = Times New Roman 14; fonts are set for
all scripts (ascii, hAnsi, eastAsia, cs) with no theme fonts, so Word keeps
Times New Roman for Vietnamese. The header block and the footer (recipients
and signature) are borderless two-column tables. The rules under the issuer
and the motto are top borders of empty paragraphs narrowed by indents: Word
and LibreOffice draw them the same way. Page numbers are a PAGE field in the
header, top centre, hidden on the first page; an appendix starts a landscape
section whose pages are numbered from 1 again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from lib.nd30 import spec

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


@dataclass(frozen=True)
class Style:
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "left"
    first_indent_mm: float = 0.0
    before: float = 0.0
    after: float = 0.0
    line: float = 1.0  # multiple of single spacing
    keep_next: bool = False
    outline: int | None = None  # level in Word's navigation pane


BODY = Style(spec.SIZE_BODY, align="justify", first_indent_mm=spec.FIRST_LINE_INDENT_MM, after=6, line=1.15)
STYLES: dict[str, Style] = {
    "ND30 Parent Body": Style(spec.SIZE_PARENT, align="center"),
    "ND30 Issuer": Style(spec.SIZE_ISSUER, bold=True, align="center"),
    "ND30 National Title": Style(spec.SIZE_NATIONAL, bold=True, align="center"),
    "ND30 Motto": Style(spec.SIZE_MOTTO, bold=True, align="center"),
    "ND30 Rule": Style(1, align="center", before=3),
    "ND30 Number": Style(spec.SIZE_NUMBER, align="center", before=6),
    "ND30 Place Date": Style(spec.SIZE_DATE, italic=True, align="center", before=6),
    "ND30 Type Name": Style(spec.SIZE_TYPE, bold=True, align="center", before=18, keep_next=True),
    "ND30 Summary": Style(spec.SIZE_SUMMARY, bold=True, align="center", keep_next=True),
    "ND30 Addressee": Style(spec.SIZE_BODY, align="left", after=3),
    "ND30 Basis": replace(BODY, italic=True),
    "ND30 Body Text": BODY,
    "ND30 Heading 1": replace(BODY, bold=True, before=6, keep_next=True, outline=0),
    "ND30 Heading 2": replace(BODY, bold=True, keep_next=True, outline=1),
    "ND30 Heading 3": replace(BODY, italic=True, keep_next=True, outline=2),
    "ND30 List": BODY,
    "ND30 Recipients Label": Style(spec.SIZE_RECIPIENTS_LABEL, bold=True, italic=True, before=12),
    "ND30 Recipients": Style(spec.SIZE_RECIPIENTS),
    "ND30 Signer": Style(spec.SIZE_SIGNER, bold=True, align="center"),
    "ND30 Signer Name": Style(spec.SIZE_SIGNER, bold=True, align="center", before=72),
    "ND30 Table Text": Style(spec.SIZE_TABLE, before=2, after=2),
    "ND30 Table Heading": Style(spec.SIZE_TABLE, bold=True, align="center", before=2, after=2),
    "ND30 Appendix Label": Style(spec.SIZE_APPENDIX, bold=True, align="center", keep_next=True),
    "ND30 Appendix Title": Style(spec.SIZE_APPENDIX, bold=True, align="center", keep_next=True),
    "ND30 Appendix Reference": Style(spec.SIZE_APPENDIX, italic=True, align="center", after=12, keep_next=True),
    "ND30 Page Number": Style(spec.SIZE_PAGE_NUMBER, align="center"),
    "ND30 Draft Mark": Style(spec.SIZE_DRAFT, bold=True, align="right"),
}
HEADING_STYLES = {1: "ND30 Heading 1", 2: "ND30 Heading 2", 3: "ND30 Heading 3"}
RULE_POINTS = 0.75


def _schema_order(tags: str) -> tuple[str, ...]:
    return tuple(f"w:{tag}" for tag in tags.split())


# Child order of w:pPr, w:tblPr and w:sectPr in the WordprocessingML schema.
PPR_SEQUENCE = _schema_order(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
TBLPR_SEQUENCE = _schema_order(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
)
SECTPR_SEQUENCE = _schema_order(
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
    "sectPrChange"
)


def render(document: spec.Document) -> bytes:
    """The document as the bytes of a .docx file."""
    document = spec.cleaned(document)
    word = docx.Document()
    _set_defaults(word, document.language)
    for name, style in STYLES.items():
        _add_style(word, name, style)
    section = word.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])
    first = section.first_page_header.paragraphs[0]
    if document.header.draft:
        _draft_mark(first)

    _header_block(word, document.header)
    _title_block(word, document)
    for line, indent in document.addressee_lines:
        paragraph = word.add_paragraph(line, style="ND30 Addressee")
        if indent is None:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.paragraph_format.left_indent = Mm(indent)
    preamble_style = "ND30 Basis" if document.preamble_italic else "ND30 Body Text"
    for line in document.preamble:
        word.add_paragraph(line, style=preamble_style)
    for block in document.body_with_closing():
        _block(word, block, spec.TEXT_WIDTH_MM)
    _footer_block(word, document)
    for appendix in document.appendices:
        _appendix(word, appendix)

    props = word.core_properties
    props.title = document.title
    props.subject = document.summary
    props.author = document.author or document.header.issuer
    props.last_modified_by = props.author
    props.comments = ""
    props.keywords = ""
    props.language = document.language
    props.revision = 1
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = now
    props.modified = now
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# Styles ------------------------------------------------------------------


def _fonts(rpr: object) -> None:
    """Times New Roman for every script, with the theme fonts removed (they would win in Word)."""
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # type: ignore[attr-defined]
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), spec.FONT_FAMILY)


def _set_defaults(word: docx.document.Document, language: str) -> None:
    styles = word.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(spec.SIZE_BODY * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = word.styles["Normal"]
    normal.font.name = spec.FONT_FAMILY
    normal.font.size = Pt(spec.SIZE_BODY)
    _fonts(normal.element.get_or_add_rPr())
    for name in ("Header", "Footer"):
        # The template's tab stops are for Letter paper; page numbers are centred by alignment.
        tabs = word.styles[name].element.find(qn("w:pPr"))
        if tabs is not None and tabs.find(qn("w:tabs")) is not None:
            tabs.remove(tabs.find(qn("w:tabs")))


def _add_style(word: docx.document.Document, name: str, style: Style) -> None:
    paragraph_style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    paragraph_style.base_style = word.styles["Normal"]
    paragraph_style.quick_style = True
    font = paragraph_style.font
    font.name = spec.FONT_FAMILY
    font.size = Pt(style.size)
    font.bold = style.bold or None
    font.italic = style.italic or None
    _fonts(paragraph_style.element.get_or_add_rPr())
    fmt = paragraph_style.paragraph_format
    fmt.alignment = _ALIGN[style.align]
    fmt.first_line_indent = Mm(style.first_indent_mm) if style.first_indent_mm else None
    fmt.space_before = Pt(style.before)
    fmt.space_after = Pt(style.after)
    fmt.line_spacing = style.line
    fmt.keep_with_next = style.keep_next
    fmt.widow_control = True
    if style.outline is not None:
        paragraph_style.element.get_or_add_pPr().get_or_add_outlineLvl().val = style.outline
    if name.startswith("ND30 Heading"):
        paragraph_style.next_paragraph_style = word.styles["ND30 Body Text"]


# Page set-up -----------------------------------------------------------------


def _page(section: docx.section.Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = Mm(spec.PAGE_WIDTH_MM), Mm(spec.PAGE_HEIGHT_MM)
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = Mm(spec.MARGIN_TOP_MM)
    section.bottom_margin = Mm(spec.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(spec.MARGIN_LEFT_MM)
    section.right_margin = Mm(spec.MARGIN_RIGHT_MM)
    section.header_distance = Mm(spec.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(spec.HEADER_DISTANCE_MM)
    section.gutter = Mm(0)


def _page_number(paragraph: DocxParagraph) -> None:
    """A PAGE field, top centre (the first page shows the empty first-page header instead)."""
    paragraph.style = "ND30 Page Number"
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""


def _draft_mark(paragraph: DocxParagraph) -> None:
    """ "DỰ THẢO" in a box, top right of the first page (Decree 30 allows the label on drafts)."""
    paragraph.style = "ND30 Draft Mark"
    paragraph.add_run(spec.DRAFT_MARK)
    # Centred in a box a little wider than the words, its right edge just inside the margin.
    width = spec.text_width_mm(spec.DRAFT_MARK, spec.SIZE_DRAFT, bold=True) + 6
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.left_indent = Mm(spec.TEXT_WIDTH_MM - width - 1)
    paragraph.paragraph_format.right_indent = Mm(1)
    _borders(paragraph, ("top", "left", "bottom", "right"), space=1)


def _restart_numbering(section: docx.section.Section) -> None:
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    _put(section._sectPr, numbering, SECTPR_SEQUENCE)


# The first page ------------------------------------------------------------


def _header_block(word: docx.document.Document, header: spec.Header) -> None:
    table = word.add_table(rows=2, cols=2)
    _table_layout(table, [spec.HEADER_LEFT_MM, spec.HEADER_RIGHT_MM], borders=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    room_left = spec.HEADER_LEFT_MM - 2 * spec.CELL_PADDING_MM
    room_right = spec.HEADER_RIGHT_MM - 2 * spec.CELL_PADDING_MM

    lines = [(line, "ND30 Parent Body") for line in header.parent_lines]
    lines += [(line, "ND30 Issuer") for line in header.issuer_lines]
    _cell_lines(left, lines)
    issuer_rule = spec.rule_width_mm(header.issuer_lines, spec.SIZE_ISSUER, True, 0.5, room_left)
    _rule(left.add_paragraph(), issuer_rule, room_left)

    _cell_lines(right, [(spec.NATIONAL_TITLE, "ND30 National Title"), (spec.MOTTO, "ND30 Motto")])
    motto_rule = spec.rule_width_mm([spec.MOTTO], spec.SIZE_MOTTO, True, 1.0, room_right)
    _rule(right.add_paragraph(), motto_rule, room_right)

    _cell_lines(table.cell(1, 0), [(header.number_line, "ND30 Number")])
    _cell_lines(table.cell(1, 1), [(header.date_line, "ND30 Place Date")])


def _title_block(word: docx.document.Document, document: spec.Document) -> None:
    if document.type_name:
        word.add_paragraph(spec.upper(document.type_name), style="ND30 Type Name")
    if document.summary:
        summary = word.add_paragraph(document.summary, style="ND30 Summary")
        if not document.type_name:
            summary.paragraph_format.space_before = Pt(18)
        room = spec.TEXT_WIDTH_MM
        width = spec.rule_width_mm([document.summary], spec.SIZE_SUMMARY, True, 1 / 3, room)
        rule = word.add_paragraph()
        _rule(rule, max(width, 30.0), room)
        rule.paragraph_format.space_after = Pt(12)


# The body --------------------------------------------------------------------


def _block(word: docx.document.Document | _Cell, block: spec.Block, width_mm: float) -> None:
    if isinstance(block, spec.Heading):
        word.add_paragraph(block.text, style=HEADING_STYLES.get(block.level, "ND30 Heading 3"))
    elif isinstance(block, spec.Paragraph):
        paragraph = word.add_paragraph(style="ND30 Body Text")
        run = paragraph.add_run(block.full_text)
        run.italic = block.italic or None
        run.bold = block.bold or None
    elif isinstance(block, spec.BulletList):
        for item in block.items:
            word.add_paragraph(f"{block.marker} {item}", style="ND30 List")
    elif isinstance(block, spec.Table):
        _table(word, block, width_mm)


def _table(word: docx.document.Document | _Cell, table_spec: spec.Table, width_mm: float) -> None:
    columns = len(table_spec.columns)
    headers = table_spec.headers
    table = word.add_table(rows=len(headers) + len(table_spec.rows), cols=columns)
    widths = table_spec.widths_mm(width_mm)
    _table_layout(table, widths, borders=True)
    size = Pt(table_spec.size)

    taken: set[tuple[int, int]] = set()
    for r, header_row in enumerate(headers):
        c = 0
        for cell_spec in header_row:
            while (r, c) in taken and c < columns:
                c += 1
            if c >= columns:
                break
            last_row = min(r + cell_spec.rowspan, len(headers)) - 1
            last_col = min(c + cell_spec.colspan, columns) - 1
            cell = table.cell(r, c)
            if (last_row, last_col) != (r, c):
                cell = cell.merge(table.cell(last_row, last_col))
            _cell_text(cell, cell_spec.text, "ND30 Table Heading", size)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            taken.update((rr, cc) for rr in range(r, last_row + 1) for cc in range(c, last_col + 1))
            c = last_col + 1
        _repeat_header(table.rows[r]._tr)

    for offset, row in enumerate(table_spec.rows, start=len(headers)):
        cells = table.rows[offset].cells
        if row.kind in ("group", "subgroup"):
            label, title = (row.cells + ("", ""))[:2]
            _cell_text(cells[0], label, "ND30 Table Text", size, bold=True, align="center", keep=True)
            target = cells[1].merge(cells[-1]) if columns > 2 else cells[-1]
            _cell_text(target, title, "ND30 Table Text", size, bold=True, italic=row.kind == "subgroup", keep=True)
            _cant_split(table.rows[offset]._tr)
            continue
        for index, text in enumerate(row.cells[:columns]):
            align = table_spec.columns[index].align
            indent = row.level * 5.0 if index == 1 else 0.0
            _cell_text(cells[index], text, "ND30 Table Text", size, align=align, indent_mm=indent)


def _cell_text(
    cell: _Cell,
    text: str,
    style: str,
    size: Pt,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str | None = None,
    indent_mm: float = 0.0,
    keep: bool = False,
) -> None:
    lines = text.split("\n") if text else [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.style = style
        run = paragraph.add_run(line)
        if size != Pt(spec.SIZE_TABLE):
            run.font.size = size
        run.bold = bold or None
        run.italic = italic or None
        if align:
            paragraph.alignment = _ALIGN[align]
        if indent_mm:
            paragraph.paragraph_format.left_indent = Mm(indent_mm)
        if keep:
            paragraph.paragraph_format.keep_with_next = True


# Signature and recipients ----------------------------------------------------


def _footer_block(word: docx.document.Document, document: spec.Document) -> None:
    table = word.add_table(rows=1, cols=2)
    _table_layout(table, [spec.FOOTER_LEFT_MM, spec.FOOTER_RIGHT_MM], borders=False)
    _cant_split(table.rows[0]._tr)
    left, right = table.cell(0, 0), table.cell(0, 1)
    recipients = document.recipient_lines
    if recipients:
        _cell_lines(left, [(spec.RECIPIENTS_LABEL, "ND30 Recipients Label")])
        for line in recipients:
            left.add_paragraph(line, style="ND30 Recipients")
    lines = [(line, "ND30 Signer") for line in document.signature.lines]
    _cell_lines(right, lines or [("", "ND30 Signer")])
    right.paragraphs[0].paragraph_format.space_before = Pt(12)
    right.add_paragraph(document.signature.name, style="ND30 Signer Name")


# Appendices ------------------------------------------------------------------


def _appendix(word: docx.document.Document, appendix: spec.Appendix) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=appendix.landscape)
    section.different_first_page_header_footer = True
    _restart_numbering(section)
    width = spec.LANDSCAPE_TEXT_WIDTH_MM if appendix.landscape else spec.TEXT_WIDTH_MM
    word.add_paragraph(appendix.label, style="ND30 Appendix Label")
    if appendix.title:
        word.add_paragraph(spec.upper(appendix.title), style="ND30 Appendix Title")
    if appendix.reference:
        word.add_paragraph(appendix.reference, style="ND30 Appendix Reference")
    for block in appendix.blocks:
        _block(word, block, width)


# Low-level helpers -------------------------------------------------------------


def _cell_lines(cell: _Cell, lines: list[tuple[str, str]]) -> None:
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.style = style
        if text:
            paragraph.add_run(text)


def _rule(paragraph: DocxParagraph, width_mm: float, room_mm: float) -> None:
    """A solid rule `width_mm` long, centred in `room_mm`: the top border of an empty, narrowed paragraph."""
    paragraph.style = "ND30 Rule"
    side = max((room_mm - width_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.first_line_indent = Mm(0)
    _borders(paragraph, ("top",), space=0)


def _borders(paragraph: DocxParagraph, sides: tuple[str, ...], space: int) -> None:
    borders = OxmlElement("w:pBdr")
    for side in sides:
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), str(int(RULE_POINTS * 8)))
        border.set(qn("w:space"), str(space))
        border.set(qn("w:color"), "000000")
        borders.append(border)
    _put(paragraph._p.get_or_add_pPr(), borders, PPR_SEQUENCE)


def _table_layout(table: DocxTable, widths_mm: list[float], *, borders: bool) -> None:
    """Fixed column widths and either no borders at all or single 0.5 pt lines."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(_twips(sum(widths_mm))))
    width.set(qn("w:type"), "dxa")
    _put(tbl_pr, width, TBLPR_SEQUENCE)
    edges = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        edges.append(edge)
    _put(tbl_pr, edges, TBLPR_SEQUENCE)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _put(tbl_pr, layout, TBLPR_SEQUENCE)
    grid = table._tbl.tblGrid
    for column, mm in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        column.set(qn("w:w"), str(_twips(mm)))
    for row in table.rows:
        for cell, mm in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(mm)


def _repeat_header(tr: object) -> None:
    tr_pr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:tblHeader"))
    _cant_split(tr)


def _cant_split(tr: object) -> None:
    tr_pr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _put(parent: object, child: object, sequence: tuple[str, ...]) -> None:
    """Put `child` in `parent` in the order the schema requires (Word refuses other orders)."""
    tag = child.tag  # type: ignore[attr-defined]
    for old in parent.findall(tag):  # type: ignore[attr-defined]
        parent.remove(old)  # type: ignore[attr-defined]
    name = "w:" + tag.split("}")[1]
    successors = sequence[sequence.index(name) + 1 :]
    parent.insert_element_before(child, *successors)  # type: ignore[attr-defined]


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)
