"""The reporting calendar, its periods, the units' reports and the submission tracking.

Every object is fetched through accounts.access; the unit report workflow lives
in reports.actions, which refuses what the report's status does not allow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Agency, Role
from lib import xlsx
from plans.models import TargetStatus, TaskState
from reports import actions, prefill, tracking
from reports import calendar as cal
from reports.actions import ReportError
from reports.forms import NarrativeForm, PeriodForm, PolicyForm, ReturnForm, ScheduleFormSet
from reports.models import (
    Frequency,
    ReportingPeriod,
    ReportingSchedule,
    ReportStatus,
    UnitReport,
)

FIRST_YEAR = 2000


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_active": "reports", **context}, status=status)


def _year(request: HttpRequest, today: date) -> int:
    """?year= when it is a sensible year, else the current one."""
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= today.year + 5:
        return int(value)
    return today.year


def _years(today: date) -> list[int]:
    return list(range(today.year + 1, max(FIRST_YEAR, today.year - 5) - 1, -1))


# The index ---------------------------------------------------------------------


def _ensure_year(agencies: list[Agency], year: int, today: date) -> None:
    """Make the year's missing periods of the agencies and open those whose day has come.

    Cheap when nothing is missing: one query for the schedules, one for the periods, one for the opening.
    """
    if not agencies or year > today.year + 1:
        return
    ids = [a.pk for a in agencies]
    schedules: dict[int, list[ReportingSchedule]] = defaultdict(list)
    for schedule in ReportingSchedule.objects.filter(agency_id__in=ids):
        schedules[schedule.agency_id].append(schedule)
    have = set(
        ReportingPeriod.objects.filter(agency_id__in=ids, year=year).values_list("agency_id", "frequency", "number")
    )
    for agency in agencies:
        wanted = {(agency.pk, s.frequency, n) for s in schedules[agency.pk] for n in cal.wanted(s, year, today)}
        if len(schedules[agency.pk]) < len(cal.DEFAULT_SCHEDULES) or not wanted <= have:
            cal.ensure_periods(agency, year, since=today)
    cal.open_due_periods(agencies=ids)


@dataclass
class AgencyBlock:
    agency: Agency
    periods: list[ReportingPeriod]
    can_manage: bool


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    today = timezone.localdate()
    year = _year(request, today)
    working = {m.agency_id: m.agency for m in access.memberships(user) if m.role != Role.OVERSEER}
    chosen = request.GET.get("agency", "")
    visible = access.visible_agencies(user).current().order_by("name")
    if chosen.isascii() and chosen.isdigit():
        shown = list(visible.filter(pk=int(chosen)))
    else:
        shown = sorted(working.values(), key=lambda a: a.name)
    # Periods appear by themselves for the agencies the person works in.
    _ensure_year([a for a in shown if a.pk in working], year, today)
    periods = list(
        ReportingPeriod.objects.filter(agency__in=[a.pk for a in shown], year=year).order_by(
            "agency_id", "cutoff", "frequency", "number"
        )
    )
    counts = tracking.period_counts([p.pk for p in periods], today)
    mine: dict[int, UnitReport] = {}
    units = access.units_of(user)
    if units:
        for report in UnitReport.objects.filter(period__in=[p.pk for p in periods], unit_id__in=units).select_related(
            "unit"
        ):
            mine[report.period_id] = report
    by_agency: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in periods:
        period.counts = counts.get(period.pk, tracking.PeriodCounts())  # type: ignore[attr-defined]
        period.current_state = period.state(today)  # type: ignore[attr-defined]
        period.my_report = mine.get(period.pk)  # type: ignore[attr-defined]
        by_agency[period.agency_id].append(period)
    blocks = [AgencyBlock(a, by_agency[a.pk], access.can_manage_reporting(user, a)) for a in shown]
    choosable = list(visible[:200]) if access.is_admin(user) or access.is_overseer(user) else []
    return _page(
        request,
        "reports/index.html",
        {
            "blocks": blocks,
            "year": year,
            "years": _years(today),
            "choosable": choosable,
            "chosen": chosen,
            "can_see_province": access.can_see_province_status(user),
        },
    )


# The calendar settings ----------------------------------------------------------


def _schedules(agency: Agency) -> Any:
    cal.ensure_schedules(agency)
    order = Case(
        *[When(frequency=f, then=Value(i)) for i, f in enumerate(cal.DEFAULT_SCHEDULES)],
        output_field=IntegerField(),
    )
    return ReportingSchedule.objects.filter(agency=agency).order_by(order)


@login_required
def calendar(request: HttpRequest, agency_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, agency_pk, manage=True)
    policy = cal.ensure_policy(agency)
    data = request.POST if request.method == "POST" else None
    formset = ScheduleFormSet(data, queryset=_schedules(agency), prefix="schedule")
    policy_form = PolicyForm(data, instance=policy, prefix="policy")
    if data is not None and formset.is_valid() and policy_form.is_valid():
        with transaction.atomic():
            formset.save()
            policy_form.save()
        messages.success(request, _("The reporting calendar was saved. Periods already made keep their dates."))
        if "recompute" in request.POST:
            updated, removed = actions.recompute_periods(agency, timezone.localdate())
            messages.info(
                request,
                _("Periods not yet open: %(updated)s given new dates, %(removed)s removed.")
                % {"updated": updated, "removed": removed},
            )
        return redirect("reports:calendar", agency.pk)
    return _page(
        request,
        "reports/calendar.html",
        {"agency": agency, "formset": formset, "policy_form": policy_form},
    )


@login_required
def adhoc_create(request: HttpRequest, agency_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, agency_pk, manage=True)
    today = timezone.localdate()
    instance = ReportingPeriod(agency=agency, frequency=Frequency.AD_HOC, year=today.year, number=0)
    form = PeriodForm(request.POST or None, instance=instance, initial={"opens_on": today})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one ad-hoc number at a time
            period = form.save(commit=False)
            period.year = period.cutoff.year
            period.number = cal.next_ad_hoc_number(agency, period.year)
            if period.opens_on <= today:
                period.opened_at = timezone.now()
            period.save()
            if period.opened_at:
                cal.create_reports(period)
        messages.success(request, _("The ad-hoc report request was created."))
        return redirect("reports:period", period.pk)
    return _page(request, "reports/adhoc_form.html", {"agency": agency, "form": form})


# On-time rates -------------------------------------------------------------------


@login_required
def rates(request: HttpRequest, agency_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, agency_pk)
    today = timezone.localdate()
    year = _year(request, today)
    rows = tracking.unit_rates(agency, year, today)
    total = tracking.total(rows)
    if request.GET.get("format") == "xlsx":
        headers = [
            _("Unit"),
            _("Expected"),
            _("Submitted"),
            _("On time"),
            _("Late"),
            _("Missing"),
            _("On-time rate (%)"),
        ]
        lines = [
            [r.unit.name if r.unit else _("The whole agency"), r.expected, r.submitted, r.on_time, r.late, r.missing]
            + [float(r.rate) if r.rate is not None else None]
            for r in [*rows, total]
        ]
        content = xlsx.table_workbook(str(year), headers, lines, widths=[40, 10, 10, 10, 10, 10, 14])
        return xlsx.response(content, _("On-time reporting %(year)s.xlsx") % {"year": year})
    return _page(
        request,
        "reports/rates.html",
        {"agency": agency, "year": year, "years": _years(today), "rows": rows, "total": total, "today": today},
    )


# A period ------------------------------------------------------------------------


@login_required
def period(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    period = access.access_period(user, pk)
    can_manage = access.can_manage_reporting(user, period.agency)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "refresh" in request.POST:
            made = cal.create_reports(period)
            messages.success(request, _("Expected units refreshed: %(count)s report(s) added.") % {"count": len(made)})
        return redirect("reports:period", period.pk)
    today = timezone.localdate()
    reports = list(
        access.visible_unit_reports(user)
        .filter(period=period)
        .select_related("unit", "submitted_by", "reviewed_by")
        .order_by("unit__order", "unit__name", "pk")
    )
    for report in reports:
        report.period = period
        report.late = report.submitted_late()  # type: ignore[attr-defined]
        report.missing = report.is_missing(today)  # type: ignore[attr-defined]
    agency_report = access.visible_agency_reports(user).filter(period=period).first()
    return _page(
        request,
        "reports/period.html",
        {
            "period": period,
            "state": period.state(today),
            "reports": reports,
            "counts": tracking.period_counts([period.pk], today).get(period.pk, tracking.PeriodCounts()),
            "agency_report": agency_report,
            "can_manage": can_manage,
        },
    )


@login_required
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    period = access.access_period(user, pk, manage=True)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The period's dates were saved."))
        return redirect("reports:period", period.pk)
    return _page(request, "reports/period_form.html", {"period": period, "form": form})


# A unit's report -----------------------------------------------------------------


def _link(text: str) -> tuple[str, str | None]:
    """A link is clickable only when it is a web address; document numbers stay text."""
    parts = urlsplit(text)
    return (text, text) if parts.scheme in ("http", "https") and parts.netloc and " " not in text else (text, None)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class StateGroup:
    state: str
    label: str
    tasks: list[dict[str, Any]]


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The pre-filled data as the page shows it: dates as dates, tasks grouped by state, labels."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in data.get("tasks", []):
        task = {**row, "due_date": _day(row.get("due_date")), "completed_on": _day(row.get("completed_on"))}
        task["updates"] = [
            {**u, "date": _day(u.get("date")), "links": [_link(link) for link in u.get("links", [])]}
            for u in row.get("updates", [])
        ]
        groups[row["state"]].append(task)
    order = [s.value for s in prefill.COUNTED_STATES]
    states = sorted(groups, key=lambda s: order.index(s) if s in order else len(order))
    counts = data.get("counts", {})
    return {
        "as_of": _day(data.get("as_of")),
        "start": _day(data.get("start")),
        "cutoff": _day(data.get("cutoff")),
        "groups": [StateGroup(s, _label(TaskState, s), groups[s]) for s in states],
        "targets": [{**t, "status_label": _label(TargetStatus, t.get("status", ""))} for t in data.get("targets", [])],
        "counts": [(_label(TaskState, s), counts.get(s, 0)) for s in order if counts.get(s)],
        "total": counts.get("total", 0),
    }


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def suggestion(data: dict[str, Any]) -> str:
    """A first draft of "results achieved": one line per task with progress reported in the period."""
    lines = []
    for row in data.get("tasks", []):
        updates = [u for u in row.get("updates", []) if u.get("text")]
        if updates:
            text = " ".join(updates[-1]["text"].split())
            lines.append(f"- {row['content'][:200]}: {text} ({row['progress']}%)")
    return "\n".join(lines)


def _report_page(request: HttpRequest, report: UnitReport, **forms: Any) -> HttpResponse:
    user = access.signed_in(request)
    live = report.is_editable or report.snapshot is None
    data = prefill.unit_data(report.period, report.unit_id) if live else report.snapshot or {}
    can_edit = access.can_edit_unit_report(user, report)
    narrative_form = forms.get("narrative_form")
    if narrative_form is None and can_edit:
        initial = {}
        if report.status == ReportStatus.NOT_STARTED and not report.results:
            initial["results"] = suggestion(data)
        narrative_form = NarrativeForm(instance=report, initial=initial)
    can_review = report.status == ReportStatus.SUBMITTED and access.can_review_unit_report(user, report)
    versions = list(report.versions.select_related("by"))
    for version in versions:
        content = version.content or {}
        version.data = present(content["data"]) if content.get("data") else None  # type: ignore[attr-defined]
    return _page(
        request,
        "reports/unit_report.html",
        {
            "report": report,
            "period": report.period,
            "data": present(data),
            "live": live,
            "narrative_form": narrative_form,
            "can_submit": access.can_submit_unit_report(user, report),
            "can_review": can_review,
            "return_form": forms.get("return_form") or (ReturnForm() if can_review else None),
            "versions": versions,
            "late": report.submitted_late(),
            "missing": report.is_missing(),
        },
    )


@login_required
def unit_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    report = access.access_unit_report(user, pk)
    if request.method != "POST":
        return _report_page(request, report)
    if not access.writes_unit_report(user, report):
        raise PermissionDenied
    form = NarrativeForm(request.POST, instance=UnitReport(pk=report.pk))
    if not form.is_valid():
        return _report_page(request, report, narrative_form=form)
    try:
        actions.save_draft(report, user, {k: form.cleaned_data[k] for k in actions.NARRATIVE})
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report was saved as a draft."))
    return redirect("reports:unit_report", report.pk)


@login_required
@require_POST
def unit_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    report = access.access_unit_report(user, pk)
    if not access.submits_unit_report(user, report):
        raise PermissionDenied
    try:
        actions.submit(report, user)
    except ReportError as error:
        messages.error(request, str(error))
    else:
        if report.submitted_late():
            messages.warning(request, _("The report was submitted to the Office after the due date."))
        else:
            messages.success(request, _("The report was submitted to the Office."))
    return redirect("reports:unit_report", report.pk)


@login_required
@require_POST
def unit_report_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    report = access.access_unit_report(user, pk)
    if not access.can_review_unit_report(user, report):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the unit should change before returning the report."))
        return redirect("reports:unit_report", report.pk)
    try:
        actions.return_report(report, user, form.cleaned_data["comment"])
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report was returned to the unit with your comments."))
    return redirect("reports:unit_report", report.pk)


@login_required
@require_POST
def unit_report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    report = access.access_unit_report(user, pk)
    if not access.can_review_unit_report(user, report):
        raise PermissionDenied
    try:
        actions.accept(report, user)
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report was accepted."))
    return redirect("reports:unit_report", report.pk)
