"""Decree 30 documents made from the system's data, as `lib.nd30.spec.Document`.

- `plan_document(plan)`: the plan as a Kế hoạch. Its header comes from the
  agency (parent body, name, abbreviation, place name), its preamble from the
  legal bases, its body from the plan's outline (sections with their printed
  labels, the free-text purpose, requirements, budget and organisation placed
  under the headings that name them, or under headings of their own) and its
  tasks; the signature and recipients from the plan. The tasks are listed
  again in a landscape appendix: STT, task, lead unit, coordinating units,
  deadline, output, grouped by section (or by reform area).
- `report_document(agency, …)`: a generic Báo cáo (symbol BC-<agency>) for the
  reports of later releases.

A plan not issued yet is a draft: "DỰ THẢO" at the top right, the number and
the day left blank for the register and the signature to fill.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.utils import timezone

from accounts.models import Agency, AgencyKind
from documents.models import DocumentType
from lib.nd30 import spec
from lib.text import fold
from plans.excel import due_cell
from plans.models import LegalBasis, Plan, ReformArea, Section, Task

GroupBy = Literal["section", "area"]

# Printed names of the types a legal basis may have, when the types table does not know them.
TYPE_NAMES = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "HD": "Hướng dẫn",
    "CV": "Công văn",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "CTr": "Chương trình",
    "L": "Luật",
}
# Legal normative documents are cited as grounds ("Căn cứ"), other documents are carried out ("Thực hiện").
NORMATIVE_TYPES = {"NĐ", "TT", "TTLT", "L", "Luật"}
HEAD_TITLES = {
    AgencyKind.PROVINCE: "Chủ tịch",
    AgencyKind.DISTRICT: "Chủ tịch",
    AgencyKind.COMMUNE: "Chủ tịch",
    AgencyKind.DEPARTMENT: "Giám đốc",
}
COLLEGIAL_KINDS = {AgencyKind.PROVINCE, AgencyKind.DISTRICT, AgencyKind.COMMUNE}
_PLACE_WORD = re.compile(r"\s(?=(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s)", re.IGNORECASE)
_LABELLED = re.compile(r"^(?P<label>[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+(?P<text>\S.*)$")

# The free-text fields of a plan and the words of the heading they belong under.
FREE_TEXTS = (
    ("purpose", ("muc dich", "muc tieu"), "Mục đích"),
    ("requirements", ("yeu cau",), "Yêu cầu"),
    ("budget", ("kinh phi",), "KINH PHÍ THỰC HIỆN"),
    ("organisation", ("to chuc thuc hien",), "TỔ CHỨC THỰC HIỆN"),
)
MAX_EXTRA_LETTERS = 8
HEADING_FILLERS = {"va", "thuc", "hien", "ke", "hoach", "nay"}
APPENDIX_COLUMNS = (
    spec.Column("STT", 14, "center"),
    spec.Column("Nội dung nhiệm vụ", 83),
    spec.Column("Đơn vị chủ trì", 35),
    spec.Column("Đơn vị phối hợp", 40),
    spec.Column("Thời gian hoàn thành", 30, "center"),
    spec.Column("Sản phẩm", 50),
)


# Organisation data -----------------------------------------------------------


def issuer_name(agency: Agency) -> str:
    """The issuer as printed in the header: "Sở Ngoại vụ" under its parent body;
    a body without one on two lines, "Ủy ban nhân dân" / "tỉnh Bình Phước"."""
    if agency.parent_body_name:
        return agency.short_name or agency.name
    return _PLACE_WORD.sub("\n", agency.name, count=1)


def cited_name(agency: Agency) -> str:
    """How the agency is named inside a sentence: "Sở Ngoại vụ", "UBND tỉnh Bình Phước"."""
    return agency.short_name or agency.name


def signature(agency: Agency, *, position: str = "", name: str = "", authority: str = "") -> spec.Signature:
    """The signature block, with the head's title and the collegial body taken from the agency's kind."""
    collective = ""
    if agency.kind in COLLEGIAL_KINDS:
        collective = "Ủy ban nhân dân"
    elif authority.strip().upper() == "TM.":
        collective = agency.short_name or agency.name
    return spec.Signature(
        position=position,
        name=name,
        authority=authority,
        head=HEAD_TITLES.get(AgencyKind(agency.kind), "") if authority.strip() in ("TL.", "TUQ.") else "",
        collective=collective,
    )


def recipients_with_file_copy(lines: Iterable[str], agency: Agency) -> tuple[str, ...]:
    """The recipients, ending with the file copy "Lưu: VT, VP" (the reform coordinator unit) when missing."""
    items = [line.strip() for line in lines if line.strip() and not fold(line).startswith("noi nhan")]
    if not any(fold(re.sub(r"^[-–•+\s]+", "", item)).startswith("luu") for item in items):
        office = agency.units.current().filter(is_coordinator=True).order_by("order", "pk").first()
        items.append(f"Lưu: VT, {office.abbreviation}" if office else "Lưu: VT")
    return tuple(items)


def type_names() -> dict[str, str]:
    """Type abbreviation → printed name: the types table over the built-in list."""
    names = dict(TYPE_NAMES)
    names.update(DocumentType.objects.exclude(abbreviation="").values_list("abbreviation", "name"))
    return names


def _lower_first(text: str) -> str:
    """ "Cải cách hành chính …" → "cải cách hành chính …"; acronyms ("CCHC …") stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# The plan --------------------------------------------------------------------


def plan_document(plan: Plan, *, group_by: GroupBy | None = None, today: date | None = None) -> spec.Document:
    """The plan as a Decree 30 Kế hoạch with its appendix of tasks.

    `group_by` groups the appendix by the plan's sections ("section", the
    default when the tasks sit under sections) or by reform area ("area").
    """
    agency = plan.agency
    names = type_names()
    name = names.get(plan.doc_type, plan.doc_type)
    header = plan_header(plan, today=today)
    tasks = list(
        plan.tasks.order_by("order", "pk").select_related("lead_unit", "area").prefetch_related("coordinating_units")
    )
    outline = Outline(plan, list(plan.sections.order_by("order", "pk")), tasks)
    body = outline.blocks()
    appendices: tuple[spec.Appendix, ...] = ()
    if outline.listed_tasks:
        grouping = group_by or ("section" if any(t.section_id for t in outline.listed_tasks) else "area")
        rows = outline.section_rows() if grouping == "section" else area_rows(outline)
        title = plan.title if fold(plan.title).startswith("nhiem vu") else f"Nhiệm vụ {_lower_first(plan.title)}"
        reference = f"(Kèm theo {name} {_number_words(header)} {_date_words(header)} của {cited_name(agency)})"
        table = spec.Table(columns=APPENDIX_COLUMNS, rows=tuple(rows))
        appendices = (spec.Appendix("Phụ lục", title, reference, (table,), landscape=True),)
    bases = list(plan.legal_bases.all())
    preamble = tuple(basis_line(basis, names) + ";" for basis in bases)
    if preamble:
        preamble += (f"{cited_name(agency)} ban hành {name} {_lower_first(plan.title)} như sau:",)
    return spec.Document(
        header=header,
        type_name=name,
        summary=plan.title,
        body=tuple(body),
        signature=signature(
            agency, position=plan.signer_position, name=plan.signer_name, authority=plan.signer_authority
        ),
        recipients=recipients_with_file_copy(plan.recipients.splitlines(), agency),
        preamble=preamble,
        appendices=appendices,
        author=agency.name,
    )


def plan_header(plan: Plan, *, today: date | None = None) -> spec.Header:
    agency = plan.agency
    notation = f"{plan.doc_type}-{agency.abbreviation}"
    number = ""
    if plan.symbol and not plan.is_editable and "/" in plan.symbol:
        number, notation = plan.symbol.split("/", 1)
    draft = plan.is_editable or not number
    issued_on = None if draft else plan.issued_on
    year = (plan.issued_on or today or timezone.localdate()).year
    return spec.Header(
        issuer=issuer_name(agency),
        parent_body=agency.parent_body_name,
        notation=notation,
        number=number,
        place=plan.place or agency.place_name,
        issued_on=issued_on,
        year=plan.register_year or year,
        draft=plan.is_editable,
    )


def _number_words(header: spec.Header) -> str:
    """ "số 41/KH-SNgV", or "số      /KH-SNgV" with the blank of the number line."""
    return "số" + header.number_line.removeprefix("Số:")


def _date_words(header: spec.Header) -> str:
    return spec.vietnamese_date(header.issued_on, header.year)


def basis_line(basis: LegalBasis, names: dict[str, str] | None = None) -> str:
    """ "Thực hiện Quyết định số 3223/QĐ-UBND ngày 27/12/2021 của UBND tỉnh ban hành …"."""
    abbreviation = basis.doc_type or (basis.symbol.split("/")[-1].split("-")[0] if basis.symbol else "")
    normative = abbreviation in NORMATIVE_TYPES or bool(re.search(r"/\d{4}/", basis.symbol))
    parts = ["Căn cứ" if normative else "Thực hiện"]
    names = TYPE_NAMES if names is None else names
    name = names.get(abbreviation, abbreviation) if abbreviation else ""
    if basis.symbol:
        parts.append(f"{name} số {basis.symbol}".strip())
    elif name:
        parts.append(name)
    if basis.issued_on:
        parts.append(f"ngày {spec.short_date(basis.issued_on)}")
    if basis.issuer:
        parts.append(f"của {basis.issuer}")
    summary = spec.strip_end(basis.summary)
    if summary:
        folded = fold(summary)
        if folded.startswith(("ve ", "v/v")):
            parts.append(summary)
        elif folded.startswith("ban hanh"):
            parts.append(_lower_first(summary))
        else:
            parts.append(f"về {summary}")
    return " ".join(parts)


@dataclass
class Node:
    """A heading of the printed outline: a section of the plan or one the document adds."""

    label: str
    title: str
    section: Section | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (field, text) placed under this heading
    tasks: list[Task] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def has_tasks(self) -> bool:
        return bool(self.tasks) or any(child.has_tasks() for child in self.children)


class Outline:
    """The body of a plan: its sections in order, with free texts and tasks placed under them."""

    def __init__(self, plan: Plan, sections: list[Section], tasks: list[Task]) -> None:
        self.plan = plan
        recurring = {task.pk for task in tasks if task.recurrence}
        # Occurrences of a recurring task are made from it; the documents list the task once.
        self.listed_tasks = [task for task in tasks if task.parent_id not in recurring]
        self.subtasks: dict[int, list[Task]] = {}
        for task in self.listed_tasks:
            if task.parent_id is not None:
                self.subtasks.setdefault(task.parent_id, []).append(task)
        top_tasks = [task for task in self.listed_tasks if task.parent_id is None]
        nodes = {section.pk: Node(section.label, section.title, section) for section in sections}
        self.roots: list[Node] = []
        for section in sections:
            parent = nodes.get(section.parent_id) if section.parent_id else None
            (parent.children if parent else self.roots).append(nodes[section.pk])
        loose: list[Task] = []
        for task in top_tasks:
            node = nodes.get(task.section_id) if task.section_id else None
            (node.tasks if node else loose).append(task)
        self._place_texts(sections, nodes)
        self._add_generated(loose)

    def _place_texts(self, sections: list[Section], nodes: dict[int, Node]) -> None:
        """Each free text under the heading that names it and as few other texts as possible."""
        self.unplaced: list[tuple[str, str]] = []
        for name, words, _title in FREE_TEXTS:
            text = str(getattr(self.plan, name) or "").strip()
            if name == "budget" and self.plan.budget_amount is not None:
                amount = f"{self.plan.budget_amount:,.0f}".replace(",", ".")
                text = f"{text}\nTổng kinh phí dự kiến: {amount} đồng.".strip()
            if not text:
                continue
            candidates = []
            for section in sections:
                folded = " ".join(re.sub(r"[^\w ]+", " ", fold(section.title)).split())
                if not any(word in folded for word in words):
                    continue
                found = [w for _n, other, _t in FREE_TEXTS for w in other if w in folded]
                rest = folded
                for word in found:
                    rest = rest.replace(word, " ")
                # A heading that is little more than the words: "KINH PHÍ THỰC HIỆN", not
                # "Tổ chức thực hiện cơ chế một cửa" (a task heading whose tasks must stay in the body).
                extra = sum(len(w) for w in rest.split() if w not in HEADING_FILLERS)
                if extra <= MAX_EXTRA_LETTERS:
                    candidates.append((len(found), extra, section.order, section.pk))
            if candidates:
                nodes[min(candidates)[3]].texts.append((name, text))
            else:
                self.unplaced.append((name, text))

    def _add_generated(self, loose: list[Task]) -> None:
        """Headings of their own for what no section holds; top-level labels renumbered when any is added."""
        unplaced = dict(self.unplaced)
        before: list[Node] = []
        after: list[Node] = []
        aims = [(n, t) for n, t in self.unplaced if n in ("purpose", "requirements")]
        if aims:
            before.append(Node("", "MỤC ĐÍCH, YÊU CẦU", texts=aims))
        if loose:
            tasks_node = next((n for n in self.roots if fold(n.title).startswith("nhiem vu")), None)
            if tasks_node is not None:
                tasks_node.tasks.extend(loose)
            else:
                before.append(Node("", "NHIỆM VỤ", tasks=loose))
        for name, _words, title in FREE_TEXTS[2:]:
            if name in unplaced:
                after.append(Node("", title, texts=[(name, unplaced[name])]))
        self.roots = [*before, *self.roots, *after]
        if before or after or any(not node.label for node in self.roots):
            for index, node in enumerate(self.roots, start=1):
                node.label = roman(index)

    # The body ---------------------------------------------------------------

    def blocks(self) -> list[spec.Block]:
        blocks: list[spec.Block] = []
        refers = any("phu luc" in fold(n.title) for n in self._walk(self.roots)) or any(
            "phu luc" in fold(text) for n in self._walk(self.roots) for _f, text in n.texts
        )
        last_with_tasks = max((i for i, node in enumerate(self.roots) if node.has_tasks()), default=None)
        for index, node in enumerate(self.roots):
            blocks.extend(self._node_blocks(node, 1))
            if index == last_with_tasks and not refers:
                blocks.append(
                    spec.Paragraph(
                        "Nhiệm vụ cụ thể, đơn vị chủ trì, đơn vị phối hợp và thời gian hoàn thành tại Phụ lục "
                        "kèm theo Kế hoạch này."
                    )
                )
        return blocks

    def _walk(self, nodes: list[Node]) -> Iterable[Node]:
        for node in nodes:
            yield node
            yield from self._walk(node.children)

    def _node_blocks(self, node: Node, level: int) -> list[spec.Block]:
        blocks: list[spec.Block] = [spec.Heading(node.label, node.title, min(level, 3))]
        if node.texts:
            # The text is what the drafter wrote for this heading; what lies below it is in the appendix.
            several = len(node.texts) > 1 and not node.children
            for index, (name, text) in enumerate(node.texts, start=1):
                if several:
                    title = next(t for n, _w, t in FREE_TEXTS if n == name)
                    blocks.append(spec.Heading(str(index), title, min(level + 1, 3)))
                blocks.extend(text_blocks(text, level + (2 if several else 1)))
            return blocks
        label = None
        for task in node.tasks:
            # A paragraph that goes on with the item above carries its label too; print it once.
            blocks.extend(self._task_blocks(task, "" if task.label == label else task.label))
            label = task.label
        for child in node.children:
            blocks.extend(self._node_blocks(child, level + 1))
        return blocks

    def _task_blocks(self, task: Task, label: str) -> list[spec.Block]:
        blocks: list[spec.Block] = [spec.Paragraph(_sentence(task.content), label=label)]
        subtasks = self.subtasks.get(task.pk, [])
        if subtasks:
            blocks.append(spec.BulletList(tuple(_sentence(sub.content) for sub in subtasks)))
        return blocks

    # The appendix -------------------------------------------------------------

    def section_rows(self) -> list[spec.Row]:
        rows: list[spec.Row] = []
        groups = [node for node in self.roots if node.has_tasks()]
        for index, node in enumerate(groups, start=1):
            rows.append(spec.Row((roman(index), spec.upper(node.title)), kind="group"))
            number = 0
            for task in node.tasks:
                number += 1
                rows.extend(self.task_rows(task, str(number)))
            for child in node.children:
                if not child.has_tasks():
                    continue
                number += 1
                rows.append(spec.Row((str(number), child.title), kind="subgroup"))
                for position, task in enumerate(self._tasks_below(child), start=1):
                    rows.extend(self.task_rows(task, f"{number}.{position}"))
        return rows

    def _tasks_below(self, node: Node) -> list[Task]:
        return [task for n in self._walk([node]) for task in n.tasks]

    def task_rows(self, task: Task, number: str, level: int = 0) -> list[spec.Row]:
        due = due_cell(task, self.plan.year)
        rows = [
            spec.Row(
                (
                    number,
                    spec.strip_end(task.content),
                    task.lead_unit.name,
                    "; ".join(unit.name for unit in task.coordinating_units.all()),
                    spec.short_date(due) if isinstance(due, date) else due,
                    spec.strip_end(task.output),
                ),
                level=level,
            )
        ]
        for position, sub in enumerate(self.subtasks.get(task.pk, []), start=1):
            rows.extend(self.task_rows(sub, f"{number}.{position}", level + 1))
        return rows


def area_rows(outline: Outline) -> list[spec.Row]:
    """The appendix grouped by reform area (in the areas' order), tasks without one last."""
    groups: dict[int | None, list[Task]] = {}
    for task in outline.listed_tasks:
        if task.parent_id is None:
            groups.setdefault(task.area_id, []).append(task)
    known = [k for k in groups if k is not None]
    areas = {area.pk: area for area in ReformArea.objects.filter(pk__in=known)}
    keys: list[int | None] = [*sorted(known, key=lambda k: (areas[k].order, k))]
    if None in groups:
        keys.append(None)
    rows: list[spec.Row] = []
    for index, key in enumerate(keys, start=1):
        area = areas.get(key) if key is not None else None
        title = area.name if area else "Nhiệm vụ khác"
        rows.append(spec.Row((roman(index), spec.upper(title)), kind="group"))
        for number, task in enumerate(groups[key], start=1):
            rows.extend(outline.task_rows(task, str(number)))
    return rows


def _sentence(text: str) -> str:
    text = spec.strip_end(text)
    return text if text.endswith("...") else f"{text}."


def text_blocks(text: str, level: int = 2) -> list[spec.Block]:
    """A free text as body blocks: "a) …" items, "- …" lists, short labelled lines as headings."""
    blocks: list[spec.Block] = []
    lines = spec.paragraph_text(text)
    dashes: list[str] = []
    for index, line in enumerate(lines):
        if re.match(r"^[-–•+]\s*", line):
            dashes.append(re.sub(r"^[-–•+]\s*", "", line))
            continue
        if dashes:
            blocks.append(spec.BulletList(tuple(dashes)))
            dashes = []
        match = _LABELLED.match(line)
        if match is None:
            blocks.append(spec.Paragraph(line))
            continue
        label, rest = match["label"], match["text"]
        is_heading = len(rest) <= 100 and not re.search(r"[.;:,]$", rest) and index + 1 < len(lines) and level <= 3
        if is_heading:
            blocks.append(spec.Heading(label, rest, min(level, 3)))
        else:
            blocks.append(spec.Paragraph(rest, label=label))
    if dashes:
        blocks.append(spec.BulletList(tuple(dashes)))
    return blocks


def roman(number: int) -> str:
    result = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while number >= value:
            result += numeral
            number -= value
    return result


# A report ----------------------------------------------------------------------


def report_document(
    agency: Agency,
    *,
    title: str,
    body: Sequence[spec.Block | str],
    number: int | None = None,
    issued_on: date | None = None,
    signer: spec.Signature | None = None,
    recipients: Sequence[str] = (),
    tables: Sequence[tuple[str, spec.Table]] = (),
    addressees: Sequence[str] = (),
    today: date | None = None,
) -> spec.Document:
    """A Báo cáo of `agency` (Mẫu 1.4, symbol "BC-<agency abbreviation>").

    - `title`: the summary under "BÁO CÁO", e.g. "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026".
    - `body`: blocks in order; a string is a free text whose lines become paragraphs,
      "a) …" items and "- …" lists (see `text_blocks`).
    - `number`: its number in the agency's register; None leaves the number and the
      day blank and marks the document "DỰ THẢO".
    - `issued_on`: the date of the document (printed only with a number).
    - `signer`: from `signature(agency, position=…, name=…, authority=…)`; None leaves the block empty.
    - `recipients`: "Nơi nhận" lines; the file copy "Lưu: VT, <office>" is added when missing.
    - `tables`: (title, table) pairs, each printed as an appendix (landscape from five columns on),
      "Phụ lục" or, from two on, "Phụ lục I", "Phụ lục II" ….
    - `addressees`: "Kính gửi" lines, for a report sent to a superior body.
    """
    year = (issued_on or today or timezone.localdate()).year
    header = spec.Header(
        issuer=issuer_name(agency),
        parent_body=agency.parent_body_name,
        notation=f"BC-{agency.abbreviation}",
        number=spec.number_text(number) if number else "",
        place=agency.place_name,
        issued_on=issued_on if number else None,
        year=year,
        draft=number is None,
    )
    blocks: list[spec.Block] = []
    for item in body:
        blocks.extend(text_blocks(item) if isinstance(item, str) else [item])
    appendices = []
    for index, (table_title, table) in enumerate(tables, start=1):
        label = "Phụ lục" if len(tables) == 1 else f"Phụ lục {roman(index)}"
        reference = f"(Kèm theo Báo cáo {_number_words(header)} {_date_words(header)} của {cited_name(agency)})"
        appendices.append(spec.Appendix(label, table_title, reference, (table,), landscape=len(table.columns) >= 5))
    return spec.Document(
        header=header,
        type_name="Báo cáo",
        summary=title,
        body=tuple(blocks),
        signature=signer or spec.Signature(),
        recipients=recipients_with_file_copy(recipients, agency),
        addressees=tuple(addressees),
        appendices=tuple(appendices),
        author=agency.name,
    )
