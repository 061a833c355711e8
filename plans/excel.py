"""The plan's appendix (Phụ lục) as an Excel workbook, both ways.

The appendix is the table of tasks printed after a plan: STT, the task, the
lead unit, the coordinating units, the deadline and the expected output.
Its column names are the document's own, the same in both languages, so they
are data here and not interface text; so are the title lines of the export.

Reading checks every row before anything is stored and names each problem
with its row number; the person fixes the file and imports it again. Rows
are read as:

- a **group row** (a heading of the plan's outline, which becomes a Section):
  nothing in the unit, deadline, output and people columns, and either its
  cells merged across the table, a Roman numeral as STT ("II") or the text in
  capitals ("CẢI CÁCH THỂ CHẾ"). "II. NHIỆM VỤ" in one merged cell gives label
  "II" and title "NHIỆM VỤ". A heading with an Arabic or letter label under a
  Roman one ("1. Công tác chỉ đạo") is nested under it.
- a **task row** otherwise. "1.2" after "1" in the same section is a sub-task
  of "1"; "-" or "+" as STT makes a sub-task of the last numbered task.

Any other merged cell in the data area is refused (the values of merged cells
are lost on reading). The optional "Lĩnh vực" column names the reform area;
without it a task takes its section's area, else the area whose keywords its
text holds, else "other". The optional "Người thực hiện" column names people
of the lead unit (full name or username), who become the task's assignees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import Membership, Unit, User
from lib import periods, xlsx
from lib.text import closest, fold
from plans.actions import ActionError
from plans.models import Plan, Recurrence, ReformArea, Section, Task

SHEET = "Phụ lục"
UNITS_SHEET = "Đơn vị"
AREAS_SHEET = "Lĩnh vực"
MAX_ROWS = 2000
# 2,000 rows of text unpack to a few megabytes; openpyxl needs many times that in memory.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 15
# A group row's label: "II", "A", "1", "7.1" followed by "." or ")" and the title.
_LABELLED = re.compile(r"^\s*((?:[IVXLC]+|[A-Za-zĐđ]|\d+(?:\.\d+)*))\s*[.)/:-]?\s+(\S.*)$", re.S)
_ROMAN = re.compile(r"^[IVXLC]+$")
_CAPITAL = re.compile(r"^[A-ZĐ]$")
_SUB_LABEL = re.compile(r"^(.+)\.(\d+)$")
_LETTER = re.compile(r"^[a-zđ]$")
_BULLETS = {"-", "+", "•", "*", "–"}
_UNIT_SEPARATORS = re.compile(r"[;\n]+")
_DATE_TEXT = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as printed in the document
    aliases: tuple[str, ...] = ()  # other headers people use, folded
    required: bool = True
    width: int = 20


COLUMNS = (
    Column("label", "STT", ("tt", "so tt", "so thu tu"), width=7),
    Column("content", "Nội dung nhiệm vụ", ("noi dung", "nhiem vu", "ten nhiem vu", "noi dung cong viec"), width=60),
    Column("lead", "Đơn vị chủ trì", ("chu tri", "co quan chu tri", "don vi chu tri thuc hien"), width=24),
    Column("coordinating", "Đơn vị phối hợp", ("phoi hop", "co quan phoi hop", "don vi phoi hop thuc hien"), width=26),
    Column(
        "due", "Thời gian hoàn thành", ("thoi gian", "thoi han", "thoi han hoan thanh", "thoi gian thuc hien"), width=16
    ),
    Column("output", "Sản phẩm", ("san pham dau ra", "san pham du kien", "ket qua", "ket qua, san pham"), width=30),
    Column("area", "Lĩnh vực", (), required=False, width=22),
    Column("people", "Người thực hiện", ("can bo thuc hien", "nguoi phu trach"), required=False, width=24),
)
BY_KEY = {column.key: column for column in COLUMNS}
# The columns printed: the optional ones are kept beside the table for the round trip.
PRINTED = [column for column in COLUMNS if column.required]
# A group row has nothing in these.
_TASK_ONLY = ("lead", "coordinating", "due", "output", "people")

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F1")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")


# Writing -------------------------------------------------------------------


def filename(plan: Plan, prefix: str = "Phu-luc") -> str:
    """ "Phu-luc-01-KH-SNgV.xlsx"; a plan not issued yet is named by its year and number in the system."""
    symbol = re.sub(r"[^\w-]+", "-", plan.symbol, flags=re.ASCII).strip("-")
    stem = symbol or f"{plan.year}-{plan.pk}"
    return f"{prefix}-{stem}.xlsx"


def due_cell(task: Task, year: int) -> str | date:
    """The deadline as printed when it still names the due date, otherwise the date itself."""
    if task.due_text and (
        task.recurrence or task.due_date is None or periods.parse_due(task.due_text, year).date == task.due_date
    ):
        return task.due_text
    return task.due_date or task.due_text


def export_appendix(plan: Plan) -> bytes:
    """The plan's tasks as its appendix, grouped by section, sub-tasks after their parent."""
    sections = list(plan.sections.select_related("area"))
    tasks = list(
        plan.tasks.order_by("order", "pk")
        .select_related("lead_unit", "area")
        .prefetch_related("coordinating_units", "assignees")
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    width = len(PRINTED)
    lines = ["PHỤ LỤC", plan.title.upper()]
    if plan.symbol:
        issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
        lines.append(f"(Kèm theo Kế hoạch số {plan.symbol}{issued} của {plan.agency.name})")
    for row, text in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text)
        cell.font = Font(bold=row < 3, italic=row == 3)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    header = len(lines) + 2
    _header(sheet, header)

    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        children.setdefault(task.parent_id, []).append(task)
    recurring = {task.pk for task in tasks if task.recurrence}
    row = header

    def write_tasks(siblings: Iterable[Task], prefix: str) -> None:
        nonlocal row
        for index, task in enumerate(siblings, start=1):
            label = task.label or (f"{prefix}.{index}" if prefix else str(index))
            row += 1
            values: list[Any] = [
                label,
                task.content,
                task.lead_unit.name,
                "; ".join(unit.name for unit in task.coordinating_units.all()),
                due_cell(task, plan.year),
                task.output,
                task.area.label if task.area else "",
                "; ".join(person.full_name for person in task.assignees.all()),
            ]
            _row(sheet, row, values)
            # The occurrences of a recurring task are made again from it on import.
            if task.pk not in recurring:
                write_tasks(children.get(task.pk, []), label)

    top = children.get(None, [])
    write_tasks([t for t in top if t.section_id is None], "")
    section_children: dict[int | None, list[Section]] = {}
    for section in sections:
        section_children.setdefault(section.parent_id, []).append(section)

    def write_sections(parent_id: int | None) -> None:
        nonlocal row
        for section in section_children.get(parent_id, []):
            row += 1
            title = f"{section.label}. {section.title}" if section.label else section.title
            _group_row(sheet, row, title, section.area.label if section.area else "")
            write_tasks([t for t in top if t.section_id == section.pk], "")
            write_sections(section.pk)

    write_sections(None)

    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    sheet.print_title_rows = f"{header}:{header}"
    sheet.print_area = f"A1:{get_column_letter(width)}{max(row, header)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return xlsx.save(workbook)


def _header(sheet: Any, row: int) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row, index, column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _row(sheet: Any, row: int, values: Sequence[Any]) -> None:
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(row, index, value)
        cell.border = BORDER
        centred = COLUMNS[index - 1].key in ("label", "due")
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center" if centred else None)
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"


def _group_row(sheet: Any, row: int, title: str, area: str) -> None:
    width = len(PRINTED)
    for index in range(1, len(COLUMNS) + 1):
        cell = sheet.cell(row, index)
        cell.border = BORDER
        if index <= width:
            cell.fill = GROUP_FILL
    cell = sheet.cell(row, 1, title)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.cell(row, len(PRINTED) + 1, area or None)


def _examples(plan: Plan, units: Sequence[Unit], area: ReformArea | None) -> list[list[Any]]:
    lead = units[0].name if units else ""
    coordinating = units[1].name if len(units) > 1 else ""
    return [
        ["I", _("Example: Administrative procedure reform"), "", "", "", "", area.label if area else "", ""],
        [
            "1",
            _("Example: Review and publish the agency's administrative procedures"),
            lead,
            coordinating,
            f"Quý II/{plan.year}",
            _("Example: Decision publishing the procedures"),
            "",
            "",
        ],
    ]


def _example_contents() -> set[str]:
    """The example rows' text in every language: rows left unchanged are skipped."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(fold(_("Example: Administrative procedure reform")))
            found.add(fold("I. " + _("Example: Administrative procedure reform")))
            found.add(fold(_("Example: Review and publish the agency's administrative procedures")))
    return found


def build_template(plan: Plan) -> bytes:
    """The header, two example rows, and sheets listing the agency's units and the reform areas."""
    units = list(Unit.objects.current().filter(agency_id=plan.agency_id).order_by("order", "name"))
    areas = list(ReformArea.objects.filter(is_active=True))
    procedures = next((a for a in areas if a.code == "procedures"), None)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    _header(sheet, 1)
    notes = {
        "label": _("The number as printed: 1, 2, 1.1 … A Roman numeral (I, II) marks a heading row."),
        "content": _(
            "Required. A heading row (a section of the plan) has only STT and this column, "
            "in capitals or merged across the table."
        ),
        "lead": _("Required: one unit of the agency, by name, short name or abbreviation (see the “Đơn vị” sheet)."),
        "coordinating": _("Units separated by “;” or on separate lines."),
        "due": _("A date (dd/mm/yyyy) or a period: “Quý II/%(year)s”, “Tháng 6”, “6 tháng đầu năm”, “Thường xuyên”.")
        % {"year": plan.year},
        "output": _("The expected output, e.g. a decision or a report."),
        "area": _(
            "Optional: a reform area of the “Lĩnh vực” sheet. When empty, the area comes from the heading "
            "or from keywords of the task."
        ),
        "people": _("Optional: people of the lead unit (full name or username), separated by “;”."),
    }
    for index, column in enumerate(COLUMNS, start=1):
        note = notes[column.key]
        if index == 1:
            note += "\n" + _("Rows 2 and 3 are examples: they are skipped while they stay unchanged.")
        sheet.cell(1, index).comment = Comment(note, "CCHC", width=320, height=140)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    group, task = _examples(plan, units, procedures)
    _group_row(sheet, 2, f"{group[0]}. {group[1]}", group[6])
    _row(sheet, 3, task)
    for row in (2, 3):
        for cell in sheet[row]:
            cell.font = Font(italic=True, bold=row == 2, color="566173")
    sheet.freeze_panes = "A2"

    unit_sheet = workbook.create_sheet(UNITS_SHEET)
    xlsx_rows = [[u.name, u.short_name, u.abbreviation] for u in units]
    _list_sheet(unit_sheet, [_("Name"), _("Short name"), _("Abbreviation")], xlsx_rows, [44, 24, 14])
    area_sheet = workbook.create_sheet(AREAS_SHEET)
    _list_sheet(
        area_sheet,
        [_("Short name"), _("Name"), _("Code")],
        [[a.label, a.name, a.code] for a in areas],
        [26, 56, 20],
    )

    last = MAX_ROWS + 1
    if units:
        # A drop-down to pick from; typing an abbreviation stays allowed.
        choose_unit = DataValidation(
            type="list", formula1=f"'{UNITS_SHEET}'!$A$2:$A${len(units) + 1}", allow_blank=True, showErrorMessage=False
        )
        choose_unit.add(f"C2:C{last}")
        sheet.add_data_validation(choose_unit)
    if areas:
        choose_area = DataValidation(
            type="list", formula1=f"'{AREAS_SHEET}'!$A$2:$A${len(areas) + 1}", allow_blank=True, showErrorMessage=False
        )
        choose_area.add(f"G2:G{last}")
        sheet.add_data_validation(choose_area)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    return xlsx.save(workbook)


def _list_sheet(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for values in rows:
        sheet.append(list(values))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


# Reading -------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None  # the sheet's row number; None for the file as a whole
    column: str
    message: str  # the whole sentence, row number included

    def __str__(self) -> str:
        return self.message


AREA_FROM_COLUMN, AREA_FROM_SECTION, AREA_FROM_KEYWORDS, AREA_OTHER = "column", "section", "keywords", "other"


@dataclass
class SectionRow:
    row: int
    label: str
    title: str
    area_id: int | None
    area_name: str
    parent_row: int | None = None  # the Roman-numbered heading above
    existing_id: int | None = None  # the plan already has this heading

    is_section = True


@dataclass
class TaskRow:
    row: int
    label: str
    content: str
    lead_unit_id: int
    lead_unit_name: str
    coordinating_ids: list[int]
    coordinating_names: list[str]
    due_text: str
    due_date: date | None
    recurrence: str
    output: str
    area_id: int | None
    area_name: str
    area_source: str  # where the area comes from, for the review page
    assignee_ids: list[int]
    assignee_names: list[str]
    section_row: int | None = None
    parent_row: int | None = None

    is_section = False

    @property
    def recurrence_label(self) -> str:
        return str(Recurrence(self.recurrence).label) if self.recurrence else ""

    @property
    def due_note(self) -> str:
        """The deadline as written, when it says more than the date shown beside it."""
        return "" if _DATE_TEXT.match(self.due_text) else self.due_text

    @property
    def is_sub_task(self) -> bool:
        return self.parent_row is not None

    @property
    def area_note(self) -> str:
        if self.area_source == AREA_FROM_SECTION:
            return _("from the heading")
        if self.area_source == AREA_FROM_KEYWORDS:
            return _("guessed from keywords")
        if self.area_source == AREA_OTHER:
            return _("no keyword found")
        return ""


@dataclass
class Appendix:
    sections: list[SectionRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_sections(self) -> int:
        return sum(1 for section in self.sections if not section.existing_id)

    @property
    def recurring(self) -> int:
        return sum(1 for task in self.tasks if task.recurrence)

    def rows(self) -> list[SectionRow | TaskRow]:
        """Headings and tasks in the order of the sheet."""
        return sorted([*self.sections, *self.tasks], key=lambda item: item.row)

    def to_json(self) -> dict[str, Any]:
        tasks = []
        for task in self.tasks:
            data = asdict(task)
            data["due_date"] = task.due_date.isoformat() if task.due_date else None
            tasks.append(data)
        return {"sections": [asdict(s) for s in self.sections], "tasks": tasks}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Appendix:
        tasks = []
        for item in data["tasks"]:
            item = dict(item)
            item["due_date"] = date.fromisoformat(item["due_date"]) if item["due_date"] else None
            tasks.append(TaskRow(**item))
        return cls(sections=[SectionRow(**item) for item in data["sections"]], tasks=tasks)


def _cell_text(value: Any) -> str:
    """A cell as text: lines trimmed, spaces collapsed, NFC (Windows and macOS send either form)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _header_key(value: Any) -> str | None:
    folded = fold(_cell_text(value)).strip(" *:.")
    if not folded:
        return None
    for column in COLUMNS:
        if folded == fold(column.header) or folded in column.aliases:
            return column.key
    return ""  # a header we do not know


def _all_headers() -> str:
    return ", ".join(f"“{column.header}”" for column in COLUMNS if column.required)


class Reader:
    """Checks the rows of one appendix sheet against one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.problems: list[Problem] = []
        units = list(Unit.objects.current().filter(agency_id=plan.agency_id).order_by("order", "name"))
        self.units: dict[str, Unit] = {}
        for unit in units:
            for key in (unit.name, unit.short_name, unit.abbreviation):
                self.units.setdefault(fold(key), unit)
        self.unit_names = {key: unit.name for key, unit in self.units.items()}
        self.areas: dict[str, ReformArea] = {}
        areas = list(ReformArea.objects.filter(is_active=True))
        for area in areas:
            for key in (area.name, area.short_name, area.code):
                self.areas.setdefault(fold(key), area)
        self.area_by_pk = {area.pk: area for area in areas}
        self.keywords = [
            (
                area,
                [
                    (len(k), re.compile(rf"(?<!\w){re.escape(k)}(?!\w)"))
                    for k in map(fold, area.keywords.splitlines())
                    if k
                ],
            )
            for area in areas
        ]
        self.other = ReformArea.objects.filter(code="other").first()
        self.people: dict[int, dict[str, User]] = {}
        memberships = (
            Membership.objects.current()
            .filter(agency_id=plan.agency_id, unit__isnull=False, user__is_active=True)
            .select_related("user")
        )
        for membership in memberships:
            assert membership.unit_id is not None
            found = self.people.setdefault(membership.unit_id, {})
            found.setdefault(fold(membership.user.full_name), membership.user)
            found.setdefault(fold(membership.user.username), membership.user)
        self.sections = {(fold(s.label), fold(s.title)): s for s in plan.sections.all()}
        self.examples = _example_contents()

    def problem(self, row: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    # The sheet

    def read(self, sheet: Any) -> Appendix:
        header_row, columns = self.find_header(sheet)
        if self.problems:
            return Appendix(problems=self.problems)
        merged = self.merged(sheet, header_row, max(columns.values()))
        appendix = Appendix()
        rows = sheet.iter_rows(min_row=header_row + 1, max_col=max(columns.values()) + 1, values_only=True)
        count = 0
        section: SectionRow | None = None
        roman: SectionRow | None = None
        labels: dict[str, TaskRow] = {}  # numbered tasks of the current section
        last_numbered: TaskRow | None = None
        for number, cells in enumerate(rows, start=header_row + 1):
            raw = {key: cells[index] if index < len(cells) else None for key, index in columns.items()}
            raw.update({column.key: None for column in COLUMNS if column.key not in columns})
            values = {key: _cell_text(value) for key, value in raw.items()}
            if not any(values.values()):
                continue
            if fold(_one_line(values["content"] or values["label"])) in self.examples:
                merged.pop(number, None)
                continue
            if number == header_row + 1 and _is_numbering(values, columns):
                continue
            count += 1
            if count > MAX_ROWS:
                raise xlsx.Rejected(
                    _("The appendix has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": number_format(MAX_ROWS, force_grouping=True)}
                )
            spans = merged.get(number, [])
            empty_rest = not any(values.get(key) for key in _TASK_ONLY)
            if spans and not (empty_rest and _heading_span(spans, columns)):
                continue  # reported below
            merged.pop(number, None)
            content, label = values["content"], values["label"].strip()
            if empty_rest and (spans or self.looks_like_heading(values) or (not content and " " in label)):
                section = self.heading(number, values, roman)
                if section is None:
                    continue
                appendix.sections.append(section)
                if _ROMAN.match(section.label):
                    roman = section
                labels, last_numbered = {}, None
                continue
            if empty_rest and not content and not values["area"]:
                continue  # only a number: a row prepared and left empty
            task = self.task(number, values, raw, section)
            if task is None:
                continue
            label = task.label
            match = _SUB_LABEL.match(label)
            if label in _BULLETS or _LETTER.match(label):
                # "-", "+" or "a", "b" under a numbered task are its parts.
                task.label = "" if label in _BULLETS else label
                if last_numbered is not None:
                    task.parent_row = last_numbered.row
            elif match and fold(match.group(1)) in labels:
                task.parent_row = labels[fold(match.group(1))].row
            if task.label:
                labels[fold(task.label)] = task
                if task.parent_row is None:
                    last_numbered = task
            appendix.tasks.append(task)
        reported = set()
        for spans in merged.values():
            for span in spans:
                if span.coord not in reported:
                    reported.add(span.coord)
                    self.merged_problem(span)
        if not self.problems and not appendix.tasks:
            self.problem(None, "", _("The appendix has no tasks to import."))
        appendix.problems = sorted(self.problems, key=lambda p: p.row or 0)
        return appendix

    def find_header(self, sheet: Any) -> tuple[int, dict[str, int]]:
        """The header row and the position (0-based) of each column found in it."""
        for number, cells in enumerate(
            sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
        ):
            keys = [_header_key(value) for value in cells]
            if sum(1 for key in keys if key) < 3:
                continue
            columns: dict[str, int] = {}
            for index, key in enumerate(keys):
                letter = get_column_letter(index + 1)
                if key == "":
                    self.problem(
                        None,
                        _cell_text(cells[index]),
                        _(
                            "Column %(letter)s is headed “%(found)s”, which is not a column of the appendix. "
                            "The columns are %(columns)s, and optionally “Lĩnh vực” and “Người thực hiện”."
                        )
                        % {"letter": letter, "found": _one_line(_cell_text(cells[index])), "columns": _all_headers()},
                    )
                elif key in columns:
                    self.problem(
                        None,
                        BY_KEY[key].header,
                        _("The column “%(column)s” appears twice, in columns %(first)s and %(second)s.")
                        % {
                            "column": BY_KEY[key].header,
                            "first": get_column_letter(columns[key] + 1),
                            "second": letter,
                        },
                    )
                elif key:
                    columns[key] = index
            for column in COLUMNS:
                if column.required and column.key not in columns:
                    self.problem(
                        None,
                        column.header,
                        _("The column “%(column)s” is missing. The appendix needs the columns %(columns)s.")
                        % {"column": column.header, "columns": _all_headers()},
                    )
            return number, columns
        raise xlsx.Rejected(
            _(
                "No header row was found in the first %(limit)s rows of the sheet “%(sheet)s”. "
                "The appendix needs the columns %(columns)s. Start from the template."
            )
            % {"limit": HEADER_SEARCH_ROWS, "sheet": sheet.title, "columns": _all_headers()}
        )

    def merged(self, sheet: Any, header_row: int, last_index: int) -> dict[int, list[Any]]:
        """Merged ranges below the header that touch the table, by each row they cover."""
        found: dict[int, list[Any]] = {}
        for span in sheet.merged_cells.ranges:
            if span.min_row <= header_row or span.min_col > last_index + 1:
                continue
            for number in range(span.min_row, span.max_row + 1):
                found.setdefault(number, []).append(span)
        return found

    def merged_problem(self, span: Any) -> None:
        first, last = span.min_row, span.max_row
        if first == last:
            message = _("Row %(row)s: merged cells; unmerge them.") % {"row": first}
        else:
            message = _("Rows %(first)s–%(last)s: merged cells; unmerge them.") % {"first": first, "last": last}
        if not any(p.row == first and p.message == message for p in self.problems):
            self.problem(first, "", message)

    # Headings

    def looks_like_heading(self, values: dict[str, str]) -> bool:
        label, content = values["label"].strip().rstrip(".)"), values["content"]
        if _ROMAN.match(label) or _CAPITAL.match(label):
            return True
        text = content or (label if _LABELLED.match(label) else "")
        letters = [c for c in text if c.isalpha()]
        return bool(letters) and text.upper() == text

    def heading(self, number: int, values: dict[str, str], roman: SectionRow | None) -> SectionRow | None:
        label, title = values["label"], _one_line(values["content"])
        if not title:
            match = _LABELLED.match(_one_line(label))
            label, title = (match.group(1), match.group(2)) if match else ("", _one_line(label))
        label = label.strip().rstrip(".)")
        good = self.length(number, BY_KEY["label"].header, label, 20)
        good = self.length(number, BY_KEY["content"].header, title, 500) and good
        area = self.area(number, values["area"]) if values["area"] else self.guess_area(title)
        if not good or (values["area"] and area is None):
            return None
        parent = roman if roman is not None and label and not _ROMAN.match(label) else None
        existing = self.sections.get((fold(label), fold(title)))
        return SectionRow(
            row=number,
            label=label,
            title=title,
            area_id=area.pk if area else None,
            area_name=area.name if area else "",
            parent_row=parent.row if parent else None,
            existing_id=existing.pk if existing else None,
        )

    # Tasks

    def task(
        self, number: int, values: dict[str, str], raw: dict[str, Any], section: SectionRow | None
    ) -> TaskRow | None:
        good = True
        label = _one_line(values["label"])
        label = label.rstrip(".)") or label  # "1." and "a)" as printed
        good = self.length(number, BY_KEY["label"].header, label, 20) and good
        content = values["content"]
        if not content:
            self.problem(
                number, BY_KEY["content"].header, _("Row %(row)s: the content of the task is empty.") % {"row": number}
            )
            good = False
        lead = self.lead_unit(number, values["lead"])
        coordinating = self.coordinating(number, values["coordinating"])
        due = self.due(number, raw["due"], values["due"])
        area: ReformArea | None = None
        if values["area"]:
            area, source = self.area(number, values["area"]), AREA_FROM_COLUMN
        elif section is not None and section.area_id in self.area_by_pk:
            area, source = self.area_by_pk[section.area_id], AREA_FROM_SECTION
        else:
            area, source = self.guess_area(content), AREA_FROM_KEYWORDS
            if area is None:
                area, source = self.other, AREA_OTHER
        people: list[User] | None = []
        if values["people"] and lead:
            people = self.assignees(number, values["people"], lead)
        if (
            not good
            or lead is None
            or coordinating is None
            or due is None
            or (values["area"] and area is None)
            or people is None
        ):
            return None
        due_text, due_date, recurrence = due
        others = [unit for unit in coordinating if unit.pk != lead.pk]
        return TaskRow(
            row=number,
            label=label,
            content=content,
            lead_unit_id=lead.pk,
            lead_unit_name=lead.name,
            coordinating_ids=[unit.pk for unit in others],
            coordinating_names=[unit.name for unit in others],
            due_text=due_text,
            due_date=due_date,
            recurrence=recurrence,
            output=values["output"],
            area_id=area.pk if area else None,
            area_name=area.name if area else "",
            area_source=source,
            assignee_ids=[person.pk for person in people],
            assignee_names=[person.full_name for person in people],
            section_row=section.row if section else None,
        )

    def length(self, number: int, column: str, text: str, limit: int) -> bool:
        if len(text) <= limit:
            return True
        self.problem(
            number,
            column,
            _("Row %(row)s, %(column)s: the text has %(length)s characters; at most %(limit)s are allowed.")
            % {"row": number, "column": column, "length": len(text), "limit": limit},
        )
        return False

    def unknown_unit(self, number: int, column: str, text: str) -> None:
        suggestions = closest(text, self.unit_names, limit=5)
        names = list(dict.fromkeys(self.unit_names[fold(s)] for s in suggestions))
        if names:
            message = _(
                "Row %(row)s, %(column)s: “%(value)s” is not a unit of this agency. Did you mean “%(suggestion)s”?"
            ) % {"row": number, "column": column, "value": text, "suggestion": names[0]}
        else:
            message = _(
                "Row %(row)s, %(column)s: “%(value)s” is not a unit of this agency. "
                "The units are listed in the “Đơn vị” sheet of the template."
            ) % {"row": number, "column": column, "value": text}
        self.problem(number, column, message)

    def units_in(self, number: int, column: str, text: str) -> list[Unit] | None:
        """The units a cell names, separated by ";", "," or new lines; None after reporting an unknown one."""
        found: list[Unit] = []
        good = True
        for part in _UNIT_SEPARATORS.split(text):
            part = _one_line(part).strip(" .,")
            if not part:
                continue
            unit = self.units.get(fold(part))
            if unit is not None:
                found.append(unit)
                continue
            # "Văn phòng, Phòng HTQT": several units; a name holding a comma matched whole above.
            pieces = [piece.strip(" .") for piece in part.split(",") if piece.strip(" .")]
            matched = [self.units.get(fold(piece)) for piece in pieces]
            if len(pieces) > 1 and any(matched):
                for piece, unit in zip(pieces, matched, strict=True):
                    if unit is None:
                        self.unknown_unit(number, column, piece)
                        good = False
                    else:
                        found.append(unit)
            else:
                self.unknown_unit(number, column, part)
                good = False
        return list(dict.fromkeys(found)) if good else None

    def lead_unit(self, number: int, text: str) -> Unit | None:
        column = BY_KEY["lead"].header
        if not text:
            self.problem(number, column, _("Row %(row)s: the lead unit is missing.") % {"row": number})
            return None
        units = self.units_in(number, column, text)
        if units is None:
            return None
        if len(units) > 1:
            self.problem(
                number,
                column,
                _("Row %(row)s, %(column)s: give one lead unit and put the others under “%(other)s”.")
                % {"row": number, "column": column, "other": BY_KEY["coordinating"].header},
            )
            return None
        return units[0]

    def coordinating(self, number: int, text: str) -> list[Unit] | None:
        return self.units_in(number, BY_KEY["coordinating"].header, text) if text else []

    def due(self, number: int, raw: Any, text: str) -> tuple[str, date | None, str] | None:
        """(deadline as printed, due date, recurrence); None after reporting an unreadable one."""
        if isinstance(raw, datetime):
            return "", raw.date(), ""
        if isinstance(raw, date):
            return "", raw, ""
        text = _one_line(text)
        if not text:
            return "", None, ""
        parsed = periods.parse_due(text, self.plan.year)
        column = BY_KEY["due"].header
        if parsed.date is None and not parsed.recurrence:
            self.problem(
                number,
                column,
                _(
                    "Row %(row)s, %(column)s: “%(value)s” is not a date (dd/mm/yyyy) or a period such as "
                    "“Quý II/%(year)s”, “Tháng 6” or “Thường xuyên”."
                )
                % {"row": number, "column": column, "value": text, "year": self.plan.year},
            )
            return None
        if not self.length(number, column, text, 100):
            return None
        return text, parsed.date, parsed.recurrence

    def area(self, number: int, text: str) -> ReformArea | None:
        """The area a cell names; None after reporting an unknown one."""
        text = _one_line(text)
        area = self.areas.get(fold(text))
        if area is not None:
            return area
        column = BY_KEY["area"].header
        names = {key: value.name for key, value in self.areas.items()}
        suggestions = closest(text, names, limit=1)
        if suggestions:
            message = _("Row %(row)s, %(column)s: “%(value)s” is not a reform area. Did you mean “%(suggestion)s”?") % {
                "row": number,
                "column": column,
                "value": text,
                "suggestion": names[fold(suggestions[0])],
            }
        else:
            message = _(
                "Row %(row)s, %(column)s: “%(value)s” is not a reform area. "
                "The areas are listed in the “Lĩnh vực” sheet of the template."
            ) % {"row": number, "column": column, "value": text}
        self.problem(number, column, message)
        return None

    def guess_area(self, text: str) -> ReformArea | None:
        """The area with the most keywords in the text (then the longest keyword, then the first)."""
        folded = fold(text)
        best: ReformArea | None = None
        best_score = (0, 0)
        for area, keywords in self.keywords:
            hits = [length for length, pattern in keywords if pattern.search(folded)]
            score = (len(hits), max(hits, default=0))
            if score > best_score:
                best, best_score = area, score
        return best

    def assignees(self, number: int, text: str, lead: Unit) -> list[User] | None:
        column = BY_KEY["people"].header
        members = self.people.get(lead.pk, {})
        found: list[User] = []
        good = True
        for part in re.split(r"[;,\n]+", text):
            part = _one_line(part)
            if not part:
                continue
            person = members.get(fold(part))
            if person is not None:
                found.append(person)
                continue
            good = False
            names = {key: user.full_name for key, user in members.items()}
            suggestions = closest(part, names, limit=1)
            if suggestions:
                message = _(
                    "Row %(row)s, %(column)s: “%(value)s” does not work in %(unit)s. Did you mean “%(suggestion)s”?"
                ) % {
                    "row": number,
                    "column": column,
                    "value": part,
                    "unit": lead.name,
                    "suggestion": names[fold(suggestions[0])],
                }
            else:
                message = _("Row %(row)s, %(column)s: “%(value)s” does not work in %(unit)s.") % {
                    "row": number,
                    "column": column,
                    "value": part,
                    "unit": lead.name,
                }
            self.problem(number, column, message)
        return list(dict.fromkeys(found)) if good else None


def _is_numbering(values: dict[str, str], columns: dict[str, int]) -> bool:
    """The row under the header that numbers the columns: (1), (2), (3) …"""
    order = sorted(columns, key=lambda key: columns[key])
    found = [values[key].strip("()") for key in order if values[key]]
    return len(found) >= 3 and found == [str(i) for i in range(1, len(found) + 1)]


def _heading_span(spans: list[Any], columns: dict[str, int]) -> bool:
    """One merged range over a single row, from the STT or content column across the table: a heading."""
    if len(spans) != 1:
        return False
    span = spans[0]
    starts = {columns["label"] + 1, columns["content"] + 1}
    last = max(columns[column.key] for column in PRINTED) + 1
    return span.min_row == span.max_row and span.min_col in starts and span.max_col >= last


def read_appendix(file: IO[bytes], plan: Plan, *, name: str, size: int | None = None) -> Appendix:
    """Check every row of the uploaded appendix; problems name their rows and nothing is stored."""
    try:
        workbook = xlsx.open_workbook(file, name, size, read_only=False, max_unpacked_bytes=MAX_UNPACKED_BYTES)
        try:
            sheets = workbook.worksheets
            if not sheets:
                raise xlsx.Rejected(_("The workbook has no sheet to import."))
            sheet = workbook[SHEET] if SHEET in workbook.sheetnames else sheets[0]
            return Reader(plan).read(sheet)
        finally:
            workbook.close()
    except xlsx.Rejected as rejected:
        return Appendix(problems=[Problem(None, "", str(rejected))])


# Storing -------------------------------------------------------------------


@dataclass
class Imported:
    tasks: int
    sections: int
    occurrences: int


@transaction.atomic
def save_appendix(plan: Plan, appendix: Appendix) -> Imported:
    """Create the headings and tasks of a checked appendix, all or nothing.

    The rows were checked when the file was read; what they point to (units,
    areas, people) is checked again, as time may have passed since.
    """
    plan = Plan.objects.select_for_update(of=("self",)).select_related("agency").get(pk=plan.pk)
    if plan.is_closed:
        raise ActionError(_("The plan is closed: reopen it to import tasks."))
    changed = ActionError(
        _("Units, reform areas or people named in the file changed since it was checked. Import the file again.")
    )
    unit_ids = {t.lead_unit_id for t in appendix.tasks} | {u for t in appendix.tasks for u in t.coordinating_ids}
    units = {u.pk: u for u in Unit.objects.current().filter(agency_id=plan.agency_id, pk__in=unit_ids)}
    area_ids = {t.area_id for t in appendix.tasks if t.area_id} | {s.area_id for s in appendix.sections if s.area_id}
    areas = {a.pk: a for a in ReformArea.objects.filter(pk__in=area_ids)}
    people_ids = {p for t in appendix.tasks for p in t.assignee_ids}
    people = {p.pk: p for p in User.objects.filter(pk__in=people_ids, is_active=True)}
    if len(units) != len(unit_ids) or len(areas) != len(area_ids) or len(people) != len(people_ids):
        raise changed
    existing = {s.pk: s for s in plan.sections.all()}
    if any(s.existing_id and s.existing_id not in existing for s in appendix.sections):
        raise changed

    section_order = (plan.sections.aggregate(n=Max("order"))["n"] or 0) + 1
    sections: dict[int, Section] = {}
    created_sections = 0
    for heading in appendix.sections:
        if heading.existing_id:
            sections[heading.row] = existing[heading.existing_id]
            continue
        sections[heading.row] = Section.objects.create(
            plan=plan,
            parent=sections.get(heading.parent_row) if heading.parent_row else None,
            label=heading.label,
            title=heading.title,
            order=section_order,
            area=areas.get(heading.area_id) if heading.area_id else None,
        )
        section_order += 1
        created_sections += 1

    order = (plan.tasks.aggregate(n=Max("order"))["n"] or 0) + 1
    tasks: dict[int, Task] = {}
    coordinating = []
    assignees = []
    for row in appendix.tasks:
        task = Task.objects.create(
            plan=plan,
            agency=plan.agency,  # given, not looked up again for each task's audit entry
            section=sections.get(row.section_row) if row.section_row else None,
            parent=tasks.get(row.parent_row) if row.parent_row else None,
            order=order,
            label=row.label,
            content=row.content,
            area=areas.get(row.area_id) if row.area_id else None,
            lead_unit=units[row.lead_unit_id],
            due_date=row.due_date,
            due_text=row.due_text,
            recurrence=row.recurrence,
            output=row.output,
        )
        order += 1
        tasks[row.row] = task
        coordinating += [Task.coordinating_units.through(task=task, unit_id=pk) for pk in row.coordinating_ids]
        assignees += [Task.assignees.through(task=task, user_id=pk) for pk in row.assignee_ids]
    Task.coordinating_units.through.objects.bulk_create(coordinating)
    Task.assignees.through.objects.bulk_create(assignees)
    occurrences = sum(len(task.generate_occurrences()) for task in tasks.values() if task.recurrence)
    return Imported(tasks=len(tasks), sections=created_sections, occurrences=occurrences)
