"""The service indicators of an agency for a period: counts, rates, 766 points, and per procedure.

Readable by the agency's people, the province's overseers and administrators
(`access.access_agency`). The numbers come from `services.indicators` in a fixed
number of queries, whatever the number of dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts import access
from accounts.models import Agency, Unit
from services import calendar, periods
from services import indicators as figures  # the view below is called indicators
from services.models import Procedure

YEARS_SHOWN = 10


def part_choices() -> list[tuple[str, str]]:
    choices = [("", _("Whole year")), ("H1", _("First half")), ("H2", _("Second half"))]
    choices += [(f"Q{n}", _("Quarter %(number)s") % {"number": n}) for n in range(1, 5)]
    choices += [(f"{n:02d}", _("Month %(number)s") % {"number": n}) for n in range(1, 13)]
    return choices


class IndicatorFilter(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    part = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False)
    procedure = forms.ModelChoiceField(
        label=gettext_lazy("Procedure"), queryset=Procedure.objects.none(), required=False
    )

    def __init__(self, data: Any, *, agency: Agency, today: date) -> None:
        super().__init__(data)
        years = range(today.year, today.year - YEARS_SHOWN, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
        self.fields["part"].choices = part_choices()  # type: ignore[attr-defined]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.current().filter(agency=agency)
        unit.empty_label = _("All units")
        procedure = self.fields["procedure"]
        assert isinstance(procedure, forms.ModelChoiceField)
        procedure.queryset = Procedure.objects.filter(agency=agency).only("code", "name")
        procedure.empty_label = _("All procedures")


@dataclass
class Line:
    label: str
    value: str
    help: str = ""


def percent(value: float | None) -> str:
    return "—" if value is None else f"{formats.number_format(value * 100, 2)}%"


def dossier_link(agency: Agency, period: periods.Period, **filters: Any) -> str:
    query = {"agency": agency.pk, **{k: v for k, v in filters.items() if v is not None}}
    query |= {"received_from": period.start.isoformat(), "received_to": period.end.isoformat()}
    return f"{reverse('services:dossier_list')}?{urlencode(query)}"


def count_lines(result: dict[str, Any]) -> list[Line]:
    channels = result["received_by_channel"]
    return [
        Line(pgettext("dossiers", "Received"), str(result["received"])),
        Line(_("At the counter"), str(channels["direct"])),
        Line(_("Online"), str(channels["online"])),
        Line(_("By post"), str(channels["postal"])),
        Line(_("Withdrawn (not counted)"), str(result["withdrawn"])),
        Line(_("Counted"), str(result["counted"])),
        Line(_("Finished early"), str(result["early"])),
        Line(_("Finished on time"), str(result["on_time"])),
        Line(_("Finished late"), str(result["late"])),
        Line(_("In process, within the deadline"), str(result["in_process_within_deadline"])),
        Line(_("In process, late"), str(result["in_process_late"])),
    ]


def rate_lines(result: dict[str, Any]) -> list[Line]:
    catalogue = result["procedures_online"]
    return [
        Line(
            _("On-time rate"),
            percent(result["on_time_rate"]),
            _("(early + on time + in process within the deadline) ÷ counted"),
        ),
        Line(_("Online rate"), percent(result["online_rate"]), _("received online ÷ counted")),
        Line(
            _("Online payment rate"),
            percent(result["online_payment_rate"]),
            _("paid online ÷ counted dossiers with a fee"),
        ),
        Line(_("Digitised rate"), percent(result["digitised_rate"]), _("digitised ÷ counted")),
        Line(
            _("Electronic result rate"),
            percent(result["electronic_result_rate"]),
            _("with an electronic result ÷ finished"),
        ),
        Line(
            _("Procedures offered online"),
            percent(catalogue["online_rate"]),
            _("%(full)s fully and %(partial)s partly online of the agency's %(total)s procedures")
            % {"full": catalogue["full"], "partial": catalogue["partial"], "total": catalogue["total"]},
        ),
    ]


@login_required
def indicators(request: HttpRequest, agency_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, agency_pk)
    today = timezone.localdate()
    period = periods.quarter_of(today)
    form = IndicatorFilter(
        request.GET or {"year": period.start.year, "part": periods.part_of(period)}, agency=agency, today=today
    )
    unit = procedure = None
    if form.is_valid():
        period = periods.parse("-".join(str(v) for v in (form.cleaned_data["year"], form.cleaned_data["part"]) if v))
        unit, procedure = form.cleaned_data["unit"], form.cleaned_data["procedure"]
    result = figures.compute(agency.pk, period.start, period.end, unit=unit, procedure=procedure)
    rows = figures.by_procedure(agency.pk, period.start, period.end, calendar.current(), unit=unit, procedure=procedure)
    unit_pk = unit.pk if unit else None
    table = [
        (row, dossier_link(agency, period, procedure=row.procedure_id, unit=unit_pk), percent(row.on_time_rate))
        + (percent(row.online_rate),)
        for row in rows
    ]
    points = [
        Line(code, "—" if value is None else formats.number_format(value, 2), str(figures.FORMULAS[code]))
        for code, value in result["points_766"].items()
    ]
    return render(
        request,
        "services/indicators.html",
        {
            "agency": agency,
            "form": form,
            "period": period,
            "result": result,
            "counts": count_lines(result),
            "rates": rate_lines(result),
            "points": points,
            "rows": table,
            "all_link": dossier_link(agency, period, procedure=procedure.pk if procedure else None, unit=unit_pk),
        },
    )
