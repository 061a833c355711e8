"""The consolidated agency report (drafting, editing, its steps, its documents) and the province's side.

Every report is fetched through accounts.access; the steps live in
reports.agency_actions, which refuse what the report's status does not allow.
Steps are POSTs that answer with a message and a redirect to the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import User
from documents.generate_views import _download
from lib.filenames import display_name
from lib.nd30 import docx, pdf
from plans.models import TargetStatus
from reports import agency_actions, calendar, consolidate, province
from reports.agency_actions import AgencyReportError
from reports.agency_forms import (
    AgencyReportForm,
    CommentForm,
    InboxForm,
    PeriodForm,
    RefreshForm,
    period_choices,
    split_period,
)
from reports.models import AgencyReport, AgencyReportStatus, Frequency, ReportingPeriod, ReportStatus

INBOX_PER_PAGE = 50


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_active": "reports", **context}, status=status)


def _back(report: AgencyReport) -> HttpResponse:
    return redirect("reports:agency_report", report.pk)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _comment(request: HttpRequest) -> str:
    form = CommentForm(request.POST)
    return form.cleaned_data["comment"] if form.is_valid() else ""


# Drafting and the page ---------------------------------------------------------


@login_required
@require_POST
def agency_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    period = access.access_period(user, pk, manage=True)
    report, created = agency_actions.create(period, user)
    if created:
        messages.success(request, _("The consolidated report was drafted from the units' reports and the task data."))
    else:
        messages.info(request, _("The period already has its consolidated report."))
    return _back(report)


def steps(user: User, report: AgencyReport) -> list[str]:
    """The steps this person may take on the report now."""
    found = []
    manage = access.can_manage_reporting(user, report.agency)
    status = report.status
    if manage and report.is_editable:
        found += ["refresh", "submit"]
    if access.can_approve_agency_report(user, report) and status == AgencyReportStatus.PENDING_APPROVAL:
        found += ["approve", "send_back"]
    if manage and status == AgencyReportStatus.APPROVED:
        found.append("send")
    if access.can_review_agency_report(user, report) and status == AgencyReportStatus.SENT:
        found += ["receive", "return"]
    return found


@login_required
def agency_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    report = access.access_agency_report(user, pk)
    can_edit = access.can_edit_agency_report(user, report)
    form = AgencyReportForm(request.POST or None, instance=report) if can_edit else None
    if request.method == "POST":
        if not access.can_manage_reporting(user, report.agency):
            raise PermissionDenied
        if form is None:
            messages.error(request, _("An approved report can be edited only after the province returns it."))
            return _back(report)
        if form.is_valid():
            try:
                agency_actions.save_text(report, user, form.cleaned_data)
            except AgencyReportError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The report was saved."))
            return _back(report)
    figures = report.figures or {}
    report_labels = dict(ReportStatus.choices)
    submissions = [
        {
            **row,
            "status_label": report_labels.get(row.get("status"), ""),
            "submitted_at": _datetime(row.get("submitted_at")),
        }
        for row in figures.get("submissions", [])
    ]
    return _page(
        request,
        "reports/agency_report.html",
        {
            "report": report,
            "period": report.period,
            "agency": report.agency,
            "form": form,
            "steps": steps(user, report),
            "events": report.events.select_related("by").order_by("-at", "-pk"),
            "figures": figures,
            "figures_start": _date(figures.get("start")),
            "figures_as_of": _date(figures.get("as_of")),
            "submissions": submissions,
            "target_labels": dict(TargetStatus.choices),
            "refresh_form": RefreshForm(),
            "recipients": [line for line in report.recipients.splitlines() if line.strip()],
            "sent_late": report.sent_late(),
        },
        status=200 if form is None or form.is_bound is False or form.is_valid() else 400,
    )


# Steps ---------------------------------------------------------------------------


def _step(
    request: HttpRequest,
    pk: int,
    allowed: Callable[[User, AgencyReport], bool],
    run: Callable[[AgencyReport, User], AgencyReport],
    done: str,
) -> HttpResponse:
    user = access.signed_in(request)
    report = access.access_agency_report(user, pk)
    if not allowed(user, report):
        raise PermissionDenied
    try:
        report = run(report, user)
    except AgencyReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(report)


def _manages(user: User, report: AgencyReport) -> bool:
    return access.can_manage_reporting(user, report.agency)


@login_required
@require_POST
def agency_report_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    form = RefreshForm(request.POST)
    replace = form.is_valid() and form.cleaned_data["replace_text"]

    def run(report: AgencyReport, user: User) -> AgencyReport:
        return agency_actions.refresh(report, user, replace_text=replace)

    done = _("The figures and the text were drafted again.") if replace else _("The figures were refreshed.")
    return _step(request, pk, _manages, run, done)


@login_required
@require_POST
def agency_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, _manages, agency_actions.submit, _("The report was submitted to the leader."))


@login_required
@require_POST
def agency_report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        access.can_approve_agency_report,
        agency_actions.approve,
        _("The report was approved and numbered in the outgoing register."),
    )


@login_required
@require_POST
def agency_report_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request)

    def run(report: AgencyReport, user: User) -> AgencyReport:
        return agency_actions.send_back(report, user, comment)

    return _step(request, pk, access.can_approve_agency_report, run, _("The report was sent back to the Office."))


@login_required
@require_POST
def agency_report_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, _manages, agency_actions.send, _("The report was sent to the province."))


@login_required
@require_POST
def agency_report_return(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request)

    def run(report: AgencyReport, user: User) -> AgencyReport:
        return agency_actions.return_report(report, user, comment)

    return _step(
        request, pk, access.can_review_agency_report, run, _("The report was returned to the agency with comments.")
    )


@login_required
@require_POST
def agency_report_receive(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, access.can_review_agency_report, agency_actions.receive, _("The report was marked received.")
    )


# Documents -------------------------------------------------------------------------


def filename(report: AgencyReport, extension: str) -> str:
    """ "BC-03-SNgV-2026.docx"; a report not numbered yet: "BC-SNgV-quý-I-năm-2026-Dự-thảo.docx"."""
    abbreviation = re.sub(r"[\s/\\]+", "-", report.agency.abbreviation)
    if report.outgoing is not None:
        stem = f"BC-{report.outgoing.code_number:02d}-{abbreviation}-{report.outgoing.register_year}"
    else:
        phrase = "-".join(calendar.period_phrase(report.period).replace("/", " ").split())
        stem = f"BC-{abbreviation}-{phrase}-Dự-thảo"
    return display_name(f"{stem}.{extension}")


@login_required
def agency_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.access_agency_report(access.signed_in(request), pk)
    content = docx.render(consolidate.document(report))
    return _download(content, filename(report, "docx"), docx.DOCX_TYPE)


@login_required
def agency_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.access_agency_report(access.signed_in(request), pk)
    content = pdf.render(consolidate.document(report))
    return _download(content, filename(report, "pdf"), pdf.PDF_TYPE)


# The province's side -----------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_see_province_status(user):
        raise PermissionDenied
    reports = province.inbox(user)
    today = timezone.localdate()
    years = sorted(set(reports.values_list("period__year", flat=True)), reverse=True)
    form = InboxForm(request.GET or None, years=years, year=years[0] if years else today.year)
    if form.is_valid():
        if form.cleaned_data["status"]:
            reports = reports.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["year"]:
            reports = reports.filter(period__year=form.cleaned_data["year"])
        chosen = split_period(form.cleaned_data["period"] or "")
        if chosen:
            reports = reports.filter(period__frequency=chosen[0], period__number=chosen[1])
    page = Paginator(reports, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "reports/inbox.html", {"form": form, "page": page, "nav_active": "inbox"})


@login_required
def province_status(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_see_province_status(user):
        raise PermissionDenied
    today = timezone.localdate()
    roots = province.provinces(user)
    chosen_root = next((p for p in roots if str(p.pk) == request.GET.get("province")), roots[0] if roots else None)
    if chosen_root is None:
        return _page(request, "reports/province_status.html", {"rows": [], "form": None})
    years = province.years(chosen_root)
    key = province.default_period(chosen_root, today)
    year, frequency, number = key or (today.year, Frequency.QUARTERLY.value, (today.month - 1) // 3 + 1)
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        year = int(asked)
    picked = split_period(request.GET.get("period", ""))
    if picked and f"{picked[0]}-{picked[1]}" in dict(period_choices(year)):
        frequency, number = picked
    form = PeriodForm(initial={"year": year, "period": f"{frequency}-{number}"}, years=years or [year], year=year)
    rows = province.status_rows(user, chosen_root, year, frequency, number, today)
    label = ReportingPeriod(frequency=frequency, year=year, number=number).label
    return _page(
        request,
        "reports/province_status.html",
        {
            "form": form,
            "rows": rows,
            "label": label,
            "provinces": roots,
            "province": chosen_root,
            "today": today,
            "nav_active": "province_status",
        },
    )
