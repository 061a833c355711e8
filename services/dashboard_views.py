"""The one-stop-shop dashboard: a year's trend by month, rankings of agencies and units, the
procedures with their late dossiers, and the same as an Excel workbook.

Everyone signed in may open it; the numbers cover `access.visible_agencies(user)` only:
overseers and administrators see the province (and may rank its agencies), the others
their agency. All numbers come from the rollups (`services.dashboard`), in a constant
number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import openpyxl
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import access
from accounts.models import Agency, Unit, User
from lib import xlsx
from services import dashboard as numbers  # the view below is called dashboard
from services.deadlines import DeadlineStatus
from services.indicator_views import percent
from services.periods import FIRST_YEAR, LAST_YEAR


@dataclass
class Filters:
    year: int
    years: list[int]
    agencies: list[Agency]
    agency: Agency | None  # None: all the visible agencies (overseers and administrators)
    units: list[Unit]
    unit: Unit | None
    can_all: bool
    unreadable: bool  # a filter could not be read and was left out

    @property
    def agency_ids(self) -> list[int]:
        return [self.agency.pk] if self.agency else [a.pk for a in self.agencies]

    def query(self, **changes: Any) -> str:
        values = {"year": self.year, "agency": self.agency.pk if self.agency else "", "unit": self.unit}
        values |= changes
        return urlencode({k: getattr(v, "pk", v) for k, v in values.items() if v not in (None, "")})


def _number(data: QueryDict, name: str) -> int | None:
    """A whole number from the query string; None when absent; -1 when unreadable."""
    value = data.get(name, "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() else -1


def read_filters(user: User, data: QueryDict) -> Filters:
    """The year, agency and unit asked for. An agency or unit the person may not see is a 404."""
    agencies = list(access.visible_agencies(user).order_by("short_name", "name"))
    can_all = access.is_admin(user) or access.is_overseer(user)
    years = numbers.years(a.pk for a in agencies)
    today = timezone.localdate()
    unreadable = False

    year = _number(data, "year")
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        unreadable = year is not None
        year = years[0] if years else today.year
    years = sorted({*years, year, today.year}, reverse=True)

    agency: Agency | None = None
    wanted = _number(data, "agency")
    if wanted is not None:
        agency = next((a for a in agencies if a.pk == wanted), None)
        if agency is None:
            raise Http404
    elif not can_all and agencies:
        primary = access.primary_agency(user)
        agency = next((a for a in agencies if primary and a.pk == primary.pk), agencies[0])

    units: list[Unit] = []
    unit: Unit | None = None
    if agency is not None:
        units = list(Unit.objects.filter(agency=agency).order_by("name"))
    wanted = _number(data, "unit")
    if wanted is not None:
        unit = next((u for u in units if u.pk == wanted), None)
        if unit is None:
            raise Http404
    return Filters(year, years, agencies, agency, units, unit, can_all, unreadable)


@dataclass
class Board:
    months: list[numbers.Month]
    total: numbers.Figures
    agencies: list[numbers.Ranked] | None
    units: list[numbers.Ranked] | None
    procedures: list[numbers.ProcedureLine]


def build(filters: Filters, *, all_units: bool = False) -> Board:
    """The dashboard's numbers. Units are ranked for one agency (for all of them with `all_units`)."""
    ids = filters.agency_ids
    rows = numbers.rollups(ids, filters.year, unit_id=filters.unit.pk if filters.unit else None)
    months, total = numbers.months(rows, filters.year)
    whole = numbers.rollups(ids, filters.year)
    return Board(
        months=months,
        total=total,
        agencies=numbers.agency_ranking(numbers.rollups([a.pk for a in filters.agencies], filters.year))
        if filters.can_all and len(filters.agencies) > 1
        else None,
        units=numbers.unit_ranking(whole, _("No unit")) if filters.agency or all_units else None,
        procedures=numbers.procedures(rows),
    )


def month_label(month: Any) -> str:
    return f"{month:%m/%Y}"


def charts(board: Board) -> tuple[numbers.Chart, numbers.Chart]:
    labels = [str(m.month.month) for m in board.months]
    received = [m.figures.received for m in board.months]
    bars = numbers.bar_chart(
        labels,
        received,
        [
            _("%(month)s: %(count)s received") % {"month": month_label(m.month), "count": m.figures.received}
            for m in board.months
        ],
    )

    def titles(name: str, values: list[float | None]) -> list[str]:
        return [
            _("%(month)s: %(name)s %(rate)s") % {"month": month_label(m.month), "name": name, "rate": percent(v)}
            for m, v in zip(board.months, values, strict=True)
        ]

    on_time = [m.figures.on_time_rate for m in board.months]
    online = [m.figures.online_rate for m in board.months]
    lines = numbers.line_chart(
        labels,
        [
            (_("On-time rate"), "chart-line-ontime", on_time, titles(_("on-time rate"), on_time)),
            (_("Online rate"), "chart-line-online", online, titles(_("online rate"), online)),
        ],
    )
    return bars, lines


def dossier_link(filters: Filters, code: str, deadline: str) -> str:
    query: dict[str, Any] = {"agency": filters.agency.pk} if filters.agency else {}
    query |= {
        "procedure": code,
        "received_from": f"{filters.year}-01-01",
        "received_to": f"{filters.year}-12-31",
        "deadline": deadline,
    }
    return f"{reverse('services:dossier_list')}?{urlencode(query)}"


def rates(figures: numbers.Figures) -> tuple[str, str, str]:
    return percent(figures.on_time_rate), percent(figures.online_rate), percent(figures.payment_rate)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    filters = read_filters(user, request.GET)
    board = build(filters)
    bars, lines = charts(board)
    agencies = [
        (
            row,
            rates(row.figures),
            filters.query(agency=row.pk, unit=None),
            f"{reverse('services:indicators', args=[row.pk])}?year={filters.year}",
        )
        for row in board.agencies or []
    ]
    units = [(row, rates(row.figures), filters.query(unit=row.pk) if row.pk else "", "") for row in board.units or []]
    procedures = [
        (
            line,
            rates(line.figures),
            dossier_link(filters, line.code, DeadlineStatus.LATE),
            dossier_link(filters, line.code, DeadlineStatus.IN_PROCESS_LATE),
        )
        for line in board.procedures
    ]
    return render(
        request,
        "services/dashboard.html",
        {
            "filters": filters,
            "total": board.total,
            "total_rates": rates(board.total),
            "months": [(month_label(m.month), m.figures, rates(m.figures)) for m in board.months],
            "bars": bars,
            "lines": lines,
            "agencies": agencies if board.agencies is not None else None,
            "units": units if board.units is not None else None,
            "procedures": procedures,
            "query": filters.query(),
            "all_units_query": filters.query(unit=None),
            "nav_active": "services",
        },
    )


# Excel -------------------------------------------------------------------


def figure_cells(figures: numbers.Figures) -> list[Any]:
    return [
        figures.received,
        figures.counted,
        figures.early,
        figures.on_time,
        figures.late,
        figures.within,
        figures.over,
        figures.on_time_rate,
        figures.online_rate,
        figures.payment_rate,
    ]


def figure_headers() -> list[str]:
    return [
        pgettext("dossiers", "Received"),
        _("Counted"),
        _("Early"),
        _("On time"),
        _("Late"),
        _("In process, within the deadline"),
        _("In process, late"),
        _("On-time rate"),
        _("Online rate"),
        _("Online payment rate"),
    ]


RATE_FORMAT = "0.00%"


def _rates_as_percent(sheet: Any, columns: int) -> None:
    """The last three columns hold fractions: show them as percentages."""
    for row in sheet.iter_rows(min_row=2, min_col=columns - 2, max_col=columns):
        for cell in row:
            cell.number_format = RATE_FORMAT


def workbook(filters: Filters, board: Board) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    figures = figure_headers()
    widths = [10] * len(figures)
    sheets: list[tuple[str, list[str], list[list[Any]], list[int]]] = [
        (
            _("By month"),
            [_("Month"), *figures],
            [[month_label(m.month), *figure_cells(m.figures)] for m in board.months],
            [10, *widths],
        )
    ]
    if board.agencies is not None:
        sheets.append(
            (
                _("Agency ranking"),
                [_("Rank"), _("Agency"), *figures],
                [[row.rank, row.name, *figure_cells(row.figures)] for row in board.agencies],
                [8, 30, *widths],
            )
        )
    sheets.append(
        (
            _("By unit"),
            [_("Rank"), _("Agency"), _("Unit"), *figures],
            [[row.rank, row.extra["agency"], row.name, *figure_cells(row.figures)] for row in board.units or []],
            [8, 24, 30, *widths],
        )
    )
    sheets.append(
        (
            _("By procedure"),
            [_("Procedure code"), _("Procedure"), *figures],
            [[line.code, line.name, *figure_cells(line.figures)] for line in board.procedures],
            [14, 50, *widths],
        )
    )
    for title, headers, rows, column_widths in sheets:
        sheet = xlsx.add_table_sheet(book, title, headers, rows, column_widths)
        _rates_as_percent(sheet, len(headers))
    return xlsx.save(book)


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    filters = read_filters(user, request.GET)
    board = build(filters, all_units=True)
    name = filters.agency.abbreviation if filters.agency and filters.agency.abbreviation else "TTHC"
    return xlsx.response(workbook(filters, board), f"Bang-dieu-khien-{name}-{filters.year}.xlsx")
