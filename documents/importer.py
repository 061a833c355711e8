"""Plan import: read a document, keep what was read for review, save it as a plan.

`start_import` reads an uploaded file with `documents.reader` and keeps the
result (the structure of shared/contracts/plan-import.md) in a `PlanImport`.
A person checks and corrects it on the review screen, maps the unit names
printed in the document to the agency's units (`suggest_units` preselects
the obvious ones), and `save_plan` turns it into a plan in one transaction.

Nothing is guessed on the way: a value the reader did not find stays empty.
Two things a plan needs and a document may not say are chosen by the person:
the unit that leads tasks whose lead unit was not read or not mapped (the
agency's Office by default), and whether the document is an already issued
plan (kept with its own number and date) or the draft of a new one.

A printed unit name that was not mapped is not lost: it is written in the
task's history, as an entry of the import, so people see what the document said.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Agency, Unit, User
from documents import reader, register
from documents.models import OutgoingDocument, PlanImport
from documents.reader.parse import empty_result
from documents.reader.source import Source, Unreadable
from lib import periods
from lib.text import closest, fold
from plans.actions import ActionError, record_version
from plans.models import (
    Comparator,
    LegalBasis,
    MetricKind,
    Plan,
    PlanKind,
    PlanStatus,
    ReformArea,
    Section,
    SignerAuthority,
    Target,
    Task,
    TaskUpdate,
    UpdateKind,
)

logger = logging.getLogger(__name__)

EXTENSIONS = (".docx", ".pdf", ".txt", ".md")
YEAR_MIN, YEAR_MAX = 2000, 2100
COMPARATORS = {">=": Comparator.GTE, "<=": Comparator.LTE, "=": Comparator.EQ, "range": Comparator.RANGE}
METRICS = {"%": MetricKind.PERCENT, "count": MetricKind.COUNT}
# Fuzzy matches of unit names must be close: a wrong suggestion is worse than none.
UNIT_CUTOFF = 0.85
MAX_NUMBER = Decimal(10) ** 15


# What was read ---------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float | Decimal):
        # PostgreSQL keeps no NUL character in text or JSON.
        text = re.sub(r"\s+", " ", str(value).replace("\x00", "")).strip()
        return text or None
    return None


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (_text(item) for item in value) if text]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    # No plan counts in numbers this large; refusing them keeps arithmetic on them cheap.
    return number if number.is_finite() and abs(number) < MAX_NUMBER else None


def iso_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _sections(value: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 10:  # deeper than any real outline: flatten the rest away
        return []
    return [
        {
            "label": _text(item.get("label")) or "",
            "title": _text(item.get("title")) or "",
            "children": _sections(item.get("children"), depth + 1),
        }
        for item in _dicts(value)
    ]


def normalise(result: Any) -> dict[str, Any]:
    """The contract's structure with every key present and every value of its type.

    The review screen and `save_plan` read this, whatever the reader returned.
    """
    result = _dict(result)
    document = _dict(result.get("document"))
    signer = _dict(document.get("signer"))
    budget = _dict(result.get("budget"))
    reporting = _dict(result.get("reporting"))
    normal = empty_result()
    normal["document"] = {
        "type": _text(document.get("type")),
        "number": _text(document.get("number")),
        "symbol": _text(document.get("symbol")),
        "issuer": _text(document.get("issuer")),
        "parent_body": _text(document.get("parent_body")),
        "place": _text(document.get("place")),
        "date": _text(document.get("date")) if iso_date(document.get("date")) else None,
        "title": _text(document.get("title")),
        "year": _int(document.get("year")),
        "signer": {key: _text(signer.get(key)) for key in ("authority", "position", "name")},
        "recipients": _texts(document.get("recipients")),
        "digital_signatures": [
            {key: _text(stamp.get(key)) for key in ("signer", "email", "signed_at")}
            for stamp in _dicts(document.get("digital_signatures"))
        ],
    }
    normal["legal_bases"] = [
        {key: _text(basis.get(key)) for key in ("type", "symbol", "date", "issuer", "summary")}
        for basis in _dicts(result.get("legal_bases"))
    ]
    normal["sections"] = _sections(result.get("sections"))
    normal["tasks"] = [
        {
            "section": _texts(task.get("section")),
            "content": _text(task.get("content")) or "",
            "area": _text(task.get("area")),
            "lead_unit": _text(task.get("lead_unit")),
            "coordinating_units": _texts(task.get("coordinating_units")),
            "due": _text(task.get("due")),
            "due_date": _text(task.get("due_date")) if iso_date(task.get("due_date")) else None,
            "recurring": task.get("recurring") is True,
            "output": _text(task.get("output")),
            # Choices made on the review screen (not part of the contract).
            **({"lead_unit_id": task["lead_unit_id"]} if _int(task.get("lead_unit_id")) else {}),
        }
        for task in _dicts(result.get("tasks"))
    ]
    normal["targets"] = [
        {
            "text": _text(target.get("text")) or "",
            "comparator": target.get("comparator") if target.get("comparator") in COMPARATORS else None,
            "value": plain_number(_number(target.get("value"))),
            "value_max": plain_number(_number(target.get("value_max"))),
            "unit": target.get("unit") if target.get("unit") in METRICS else None,
            "section": _texts(target.get("section")),
        }
        for target in _dicts(result.get("targets"))
    ]
    normal["reporting"] = {"cadences": _texts(reporting.get("cadences")), "to": _text(reporting.get("to"))}
    amount = _number(budget.get("amount"))
    normal["budget"] = (
        {"amount": plain_number(amount), "currency": _text(budget.get("currency")) or "VND"}
        if amount is not None
        else None
    )
    return normal


def plain_number(number: Decimal | None) -> int | float | None:
    """A number as JSON keeps it: 95 rather than "95" or 95.0."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def printed_units(result: dict[str, Any]) -> list[str]:
    """Every unit name the tasks print (lead and coordinating), once, in document order."""
    names: dict[str, None] = {}
    for task in result.get("tasks", []):
        for name in [task.get("lead_unit"), *task.get("coordinating_units", [])]:
            if name:
                names.setdefault(name, None)
    return list(names)


def source_text(text: str, stamped_text: str = "") -> str:
    """The text shown beside the review: the document, then what signature stamps print."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    stamped = stamped_text.replace("\x00", "").strip()
    return f"{text.rstrip()}\n\n{stamped}" if stamped else text


def read(name: str, data: bytes) -> tuple[dict[str, Any], Source]:
    """What the reader finds in the file, in the contract's shape; `Unreadable` says why it cannot be read."""
    try:
        result, source = reader.read_document(name, data)
    except (Unreadable, DatabaseError):
        raise
    except Exception as error:
        # The reader works on anything people upload; a file it trips on is a
        # bug to fix there, and for the person just a file that cannot be read.
        logger.exception("The plan importer failed on %s", name)
        raise Unreadable(_("The file could not be read as a document. Try a DOCX or text version of it.")) from error
    return normalise(result), source


def start_import(agency: Agency, user: User | None, name: str, data: bytes) -> PlanImport:
    """Read the file and keep what was read, waiting for review; `Unreadable` says why it cannot be read."""
    result, source = read(name, data)
    return PlanImport.objects.create(
        agency=agency,
        original_name=name.replace("\x00", "")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        source_text=source_text(source.text, source.stamped_text),
        result=result,
        unit_map=suggest_units(agency, printed_units(result)),
        created_by=user,
    )


# Units -------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", fold(text)))


def suggest_units(agency: Agency, printed_names: Iterable[str]) -> dict[str, int | None]:
    """The agency's unit each printed name most likely means, or None when no single one fits.

    Accent- and case-insensitive: the same name, short name or abbreviation;
    else a name whose words all appear in the other ("Văn phòng" ↔ "Văn phòng
    Sở", "Văn phòng - Thanh tra Sở" ↔ "Văn phòng Sở") when only one unit fits;
    else a near spelling. "Các phòng …" names several units: no suggestion.
    """
    units = list(Unit.objects.current().filter(agency=agency).order_by("order", "name"))
    exact: dict[str, int] = {}
    for unit in units:
        for key in (unit.name, unit.short_name, unit.abbreviation):
            if key:
                exact.setdefault(fold(key), unit.pk)
    by_spelling = {fold(unit.name): unit.pk for unit in units}
    unit_words = [(unit.pk, _words(unit.name)) for unit in units]
    suggestions: dict[str, int | None] = {}
    for printed in printed_names:
        folded = fold(printed)
        suggestions[printed] = None
        if not folded or re.match(r"(cac|nhung|moi)\s", folded):
            continue
        if folded in exact:
            suggestions[printed] = exact[folded]
            continue
        words = _words(printed)
        fits = {pk for pk, mine in unit_words if min(len(words), len(mine)) >= 2 and (mine <= words or words <= mine)}
        if len(fits) == 1:
            suggestions[printed] = fits.pop()
            continue
        near = {by_spelling[fold(name)] for name in closest(printed, by_spelling, limit=2, cutoff=UNIT_CUTOFF)}
        if len(near) == 1:
            suggestions[printed] = near.pop()
    return suggestions


def default_unit(agency: Agency) -> Unit | None:
    """The unit that leads tasks the document gives no (mapped) lead unit: the Office, else the first."""
    units = Unit.objects.current().filter(agency=agency)
    return units.order_by("-is_coordinator", "order", "name").first()


# The outline -------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineRow:
    index: int
    depth: int
    path: tuple[str, ...]
    label: str
    title: str
    parent: int | None


def flatten(sections: list[dict[str, Any]]) -> list[OutlineRow]:
    """The outline in document order, each heading with the labels from the root."""
    rows: list[OutlineRow] = []

    def walk(items: list[dict[str, Any]], parent: OutlineRow | None) -> None:
        for item in items:
            path = (*(parent.path if parent else ()), item["label"])
            row = OutlineRow(
                len(rows), len(path) - 1, path, item["label"], item["title"], parent.index if parent else None
            )
            rows.append(row)
            walk(item["children"], row)

    walk(sections, None)
    return rows


def locate(path: list[str], rows: list[OutlineRow]) -> int | None:
    """The deepest heading a task's or target's label path lies under.

    Labels may repeat (a document with two "III"): the heading that matches
    more of the path wins, then the first one.
    """
    best: OutlineRow | None = None
    for row in rows:
        under = len(row.path) <= len(path) and tuple(path[: len(row.path)]) == row.path
        if under and (best is None or len(row.path) > len(best.path)):
            best = row
    return best.index if best else None


# Choices the review screen offers ------------------------------------------------


def default_kind(title: str | None) -> str:
    folded = fold(title)
    if "thi dua" in folded:
        return PlanKind.EMULATION
    if "chi so" in folded:
        return PlanKind.INDEX
    return PlanKind.REFORM


def plan_year(document: dict[str, Any], today: date | None = None) -> int:
    """The year the plan is for: as read, else the year of its date, else this year."""
    for year in (_int(document.get("year")), (iso_date(document.get("date")) or date.min).year):
        if year and YEAR_MIN <= year <= YEAR_MAX:
            return year
    return (today or timezone.localdate()).year


def issued_symbol(number: int, symbol: str | None, doc_type: str, agency: Agency) -> str:
    """The number and symbol as printed, with the number given: "41/KH-SNgV", "/KH-UBND" → "05/KH-UBND".

    The number in front is the one given (it may have been corrected on the
    review screen); the rest is kept as printed, so "212/2025/QĐ-UBND" and the
    Party's "14-KH/TU" keep their own shape. Below 10 a number gets a leading
    zero after which a "/" follows (Decree 30, Phụ lục I, II.3).
    """
    symbol = (symbol or "").strip()
    shape = re.match(r"^\d*\s*([/-].+)$", symbol)
    if shape:
        rest = shape.group(1)
        return f"{number:02d}{rest}" if rest.startswith("/") else f"{number}{rest}"
    if symbol:
        return symbol
    return f"{number:02d}/{doc_type}-{agency.abbreviation}"


# Saving ------------------------------------------------------------------------


def _fit(value: str | None, length: int) -> str:
    text = value or ""
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass
class _Task:
    data: dict[str, Any]
    section: int | None
    lead: Unit
    coordinating: list[Unit]
    unmapped_lead: str | None
    unmapped_coordinating: list[str]


def _agency_units(agency: Agency, ids: Iterable[int | None]) -> dict[int, Unit]:
    wanted = {pk for pk in ids if pk}
    units = {u.pk: u for u in Unit.objects.current().filter(agency=agency, pk__in=wanted)}
    if len(units) != len(wanted):
        raise ActionError(_("Some of the chosen units are no longer units of the agency. Check the units again."))
    return units


@transaction.atomic
def save_plan(
    plan_import: PlanImport,
    data: dict[str, Any],
    unit_map: dict[str, int | None],
    user: User | None,
    *,
    kind: str | None = None,
    issued: bool = False,
    fallback_unit: Unit | None = None,
) -> Plan:
    """Create the plan the reviewed data describes, with its outline, tasks and targets; all or nothing.

    A draft of a new plan by default. `issued`: the document is the agency's
    plan issued already, kept with its own number, symbol and date: no number
    is taken, the plan is written into the outgoing register with its own (or
    linked to its line carried over by hand), and the counter moves past it.
    Tasks whose lead unit the document does not give, or gives under a name
    not mapped in `unit_map`, are led by `fallback_unit` (the Office by default).
    """
    plan_import = PlanImport.objects.select_for_update().select_related("agency").get(pk=plan_import.pk)
    if plan_import.plan_id is not None:
        raise ActionError(_("This document has already been saved as a plan."))
    agency = plan_import.agency
    data = normalise(data)
    unit_map = {str(name): _int(pk) for name, pk in unit_map.items()}
    document = data["document"]
    title = document["title"]
    if not title:
        raise ActionError(_("The plan needs a title."))
    year = plan_year(document)
    doc_type = _fit(document["type"] or "KH", 10)
    signer = document["signer"]
    authority = signer["authority"] if signer["authority"] in SignerAuthority.values else ""
    budget = data["budget"]
    budget_amount = _number(budget["amount"]) if budget and budget.get("currency") in (None, "VND") else None
    if budget_amount is not None and budget_amount < 0:
        budget_amount = None

    # Units first: a unit closed since the review stops everything before anything is written.
    override_ids = [_int(t.get("lead_unit_id")) for t in data["tasks"]]
    units = _agency_units(agency, [*unit_map.values(), *override_ids])
    if fallback_unit is not None and (fallback_unit.agency_id != agency.pk or not fallback_unit.is_current):
        raise ActionError(_("Some of the chosen units are no longer units of the agency. Check the units again."))
    fallback = fallback_unit or default_unit(agency)
    outline = flatten(data["sections"])
    tasks: list[_Task] = []
    for task, override in zip(data["tasks"], override_ids, strict=True):
        if not task["content"]:
            continue
        printed = task["lead_unit"]
        mapped = units.get(override or unit_map.get(printed or "") or 0)
        lead = mapped or fallback
        if lead is None:
            raise ActionError(_("The agency has no units yet: add its units before importing a plan with tasks."))
        coordinating = [units[pk] for name in task["coordinating_units"] if (pk := unit_map.get(name)) in units]
        tasks.append(
            _Task(
                data=task,
                section=locate(task["section"], outline),
                lead=lead,
                coordinating=[u for u in dict.fromkeys(coordinating) if u.pk != lead.pk],
                unmapped_lead=printed if printed and mapped is None else None,
                unmapped_coordinating=[n for n in task["coordinating_units"] if unit_map.get(n) not in units],
            )
        )

    plan = Plan(
        agency=agency,
        kind=kind if kind in PlanKind.values else default_kind(title),
        year=year,
        title=_fit(title, 500),
        doc_type=doc_type,
        place=_fit(document["place"] or agency.place_name, 100),
        signer_authority=authority,
        signer_position=_fit(signer["position"], 150),
        signer_name=_fit(signer["name"], 150),
        recipients="\n".join(document["recipients"]),
        budget_amount=budget_amount,
        created_by=user,
    )
    line = _issue(plan, document, agency) if issued else None
    plan.save()
    if issued:
        _register(plan, line, plan_import, user)

    for order, basis in enumerate(data["legal_bases"], start=1):
        if not (basis["symbol"] or basis["summary"]):
            continue
        legal = LegalBasis(
            plan=plan,
            order=order,
            doc_type=_fit(basis["type"], 10),
            symbol=_fit(basis["symbol"], 60),
            issued_on=iso_date(basis["date"]),
            issuer=_fit(basis["issuer"], 255),
            summary=_fit(basis["summary"], 1000),
        )
        legal.linked_plan = legal.find_document()
        legal.save()

    areas = {a.code: a for a in ReformArea.objects.all()}
    sections: dict[int, Section] = {}
    for row in outline:
        under = {t.data["area"] for t in tasks if t.section is not None and _within(t.section, row.index, outline)}
        area = areas.get(under.pop()) if len(under) == 1 else None
        sections[row.index] = Section.objects.create(
            plan=plan,
            parent=sections[row.parent] if row.parent is not None else None,
            label=_fit(row.label, 20),
            title=_fit(row.title or row.label, 500),
            order=row.index + 1,
            area=area,
        )

    created: list[Task] = []
    links = []
    for order, item in enumerate(tasks, start=1):
        task = item.data
        due = periods.parse_due(task["due"], year)
        created_task = Task.objects.create(
            plan=plan,
            agency=agency,
            section=sections.get(item.section) if item.section is not None else None,
            order=order,
            label=_fit(task["section"][-1] if task["section"] else "", 20),
            content=task["content"],
            area=areas.get(task["area"] or ""),
            lead_unit=item.lead,
            due_date=due.date or iso_date(task["due_date"]),
            due_text=_fit(task["due"], 100),
            recurrence=due.recurrence,
            output=task["output"] or "",
        )
        created.append(created_task)
        links += [Task.coordinating_units.through(task=created_task, unit=unit) for unit in item.coordinating]
        _note_unmapped(created_task, item, plan_import, user)
    Task.coordinating_units.through.objects.bulk_create(links)
    for created_task in created:
        if created_task.recurrence:
            created_task.generate_occurrences()

    for order, target in enumerate(data["targets"], start=1):
        where = locate(target["section"], outline)
        _create_target(plan, target, order, sections[where] if where is not None else None)

    record_version(plan, user, _version_note(plan_import, document, issued))
    plan_import.result = data
    plan_import.unit_map = unit_map
    plan_import.plan = plan
    plan_import.save(update_fields=["result", "unit_map", "plan"])
    return plan


def _within(index: int, ancestor: int, outline: list[OutlineRow]) -> bool:
    current: int | None = index
    while current is not None:
        if current == ancestor:
            return True
        current = outline[current].parent
    return False


def _issue(plan: Plan, document: dict[str, Any], agency: Agency) -> OutgoingDocument | None:
    """Keep the document's own number, symbol and date, checked against the agency's registers.

    Returns the line of the outgoing register already holding this document
    (carried over by hand), if any; otherwise `_register` writes one.
    """
    number = _int(document["number"])
    issued_on = iso_date(document["date"])
    if not number or issued_on is None:
        raise ActionError(_("An issued plan needs its number and its date as printed."))
    taken = _("Number %(number)s of %(year)s is already taken in the agency's register by “%(document)s”.")
    plan.number = number
    plan.register_year = issued_on.year
    plan.issued_on = issued_on
    plan.symbol = _fit(issued_symbol(number, document["symbol"], plan.doc_type, agency), 60)
    plan.status = PlanStatus.ISSUED
    # A number and symbol are given once a year (two series may each give a number 5).
    clash = Plan.objects.filter(
        agency=agency, register_year=issued_on.year, symbol__iexact=plan.symbol, number__isnull=False
    ).first()
    if clash is not None:
        raise ActionError(taken % {"number": plan.symbol, "year": issued_on.year, "document": clash})
    line = OutgoingDocument.objects.filter(
        agency=agency,
        register_year=issued_on.year,
        series=register.series_for(agency, plan.doc_type),
        code_number=number,
    ).first()
    if line is None:
        return None
    if line.source_id is None and line.code_notation.casefold() == _notation(plan, agency).casefold():
        return line
    raise ActionError(taken % {"number": plan.symbol, "year": issued_on.year, "document": line})


def _notation(plan: Plan, agency: Agency) -> str:
    """ "KH-SNgV" of "41/KH-SNgV"."""
    prefix = f"{plan.number}/"
    symbol = plan.symbol.lstrip("0")
    if plan.number and symbol.startswith(prefix):
        return symbol[len(prefix) :]
    return register.notation(agency, plan.doc_type)


def _register(plan: Plan, line: OutgoingDocument | None, plan_import: PlanImport, user: User | None) -> None:
    """The issued plan's line of the outgoing register: the one carried over, linked, or a new one.

    The register's counter moves past the number, so that the next one given follows it.
    """
    if line is not None:
        line.source_type = ContentType.objects.get_for_model(plan)
        line.source_id = plan.pk
        line.save(update_fields=["source_type", "source_id"])
        return
    assert plan.number is not None and plan.issued_on is not None
    register.record_outgoing(
        plan.agency,
        code_number=plan.number,
        series=register.series_for(plan.agency, plan.doc_type),
        code_notation=_fit(_notation(plan, plan.agency), 30),
        type_code=plan.doc_type,
        issued_date=plan.issued_on,
        subject=_fit(plan.title, 500),
        signer_position=_fit(plan.signer_position, 100),
        signer_full_name=plan.signer_name,
        to_places=plan.recipients,
        note=_fit(_("Imported from “%(name)s”") % {"name": plan_import.original_name}, 1000),
        source=plan,
        created_by=user,
    )


def _create_target(plan: Plan, target: dict[str, Any], order: int, section: Section | None) -> None:
    value = _number(target["value"])
    value_max = _number(target["value_max"])
    comparator = COMPARATORS.get(target["comparator"] or "", Comparator.GTE)
    if comparator == Comparator.RANGE and (value_max is None or value is None or value_max < value):
        comparator = Comparator.GTE
    if comparator != Comparator.RANGE:
        value_max = None
    kind = METRICS.get(target["unit"] or "", MetricKind.COUNT)
    if kind == MetricKind.PERCENT and value is not None and not 0 <= value <= 100:
        kind = MetricKind.COUNT
    if not target["text"]:
        return
    Target.objects.create(
        plan=plan,
        agency=plan.agency,
        section=section,
        order=order,
        statement=target["text"],
        area=section.area if section is not None else None,
        metric_kind=kind,
        comparator=comparator,
        value=value,
        value_max=value_max,
        unit_of_measure="%" if kind == MetricKind.PERCENT else "",
    )


def _note_unmapped(task: Task, item: _Task, plan_import: PlanImport, user: User | None) -> None:
    """What the document printed and no unit was chosen for stays in the task's history."""
    lines = []
    if item.unmapped_lead:
        lines.append(
            _("The document names “%(name)s” as the lead unit; it was not matched to a unit of the agency.")
            % {"name": item.unmapped_lead}
        )
    if item.unmapped_coordinating:
        lines.append(
            _("The document names these coordinating units, not matched to units of the agency: %(names)s.")
            % {"names": "; ".join(item.unmapped_coordinating)}
        )
    if lines:
        TaskUpdate.objects.create(
            task=task,
            kind=UpdateKind.COMMENT,
            author=user,
            text=" ".join([_("Imported from “%(name)s”.") % {"name": plan_import.original_name}, *lines]),
            details={"imported": {"lead_unit": item.unmapped_lead, "coordinating_units": item.unmapped_coordinating}},
        )


def _version_note(plan_import: PlanImport, document: dict[str, Any], issued: bool) -> str:
    note = _("Imported from “%(name)s”") % {"name": plan_import.original_name}
    issued_on = iso_date(document["date"])
    facts = [
        document["symbol"] or "",
        _("dated %(date)s") % {"date": date_format(issued_on, "SHORT_DATE_FORMAT")} if issued_on else "",
    ]
    facts = [fact for fact in facts if fact]
    if facts and not issued:
        note += " (" + ", ".join(facts) + ")"
    return _fit(note, 500)


def copy_result(plan_import: PlanImport) -> dict[str, Any]:
    """What was read, in full shape, to edit without touching the stored copy."""
    return normalise(copy.deepcopy(plan_import.result))
