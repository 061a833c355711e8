from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.middleware import has_totp
from accounts.models import Agency, Membership, Role, Unit, User
from accounts.views import locked_accounts
from plans.models import OPEN_STATUSES, OPEN_TASK_STATUSES, Mention, PlanStatus, TargetQuerySet, TargetStatus

# "Due soon" on the home page: the next two weeks.
DUE_SOON_DAYS = 14


@dataclass
class Attention:
    """One line of "what needs my attention" on the home page."""

    text: str | Promise
    count: int
    url: str | None = None
    level: str = "warning"


@dataclass
class HomeSection:
    title: str | Promise
    items: list[Attention] = field(default_factory=list)


def _has_device() -> Exists:
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


def _admin_section() -> HomeSection:
    locked = len(locked_accounts())
    no_coordinator = (
        Agency.objects.current()
        .exclude(Exists(Membership.objects.current().filter(agency=OuterRef("pk"), role=Role.COORDINATOR)))
        .count()
    )
    without_role = User.objects.filter(is_active=True).exclude(Exists(Membership.objects.filter(user=OuterRef("pk"))))
    admins_without_2fa = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role__in=[Role.ADMIN, Role.OVERSEER]))
        .exclude(_has_device())
        .distinct()
        .count()
    )
    return HomeSection(
        _("System administration"),
        [
            Attention(_("Accounts locked after failed sign-ins"), locked, reverse("accounts:lockouts"), "danger"),
            Attention(_("Agencies without a reform coordinator"), no_coordinator, reverse("org:agency_list")),
            Attention(_("Active people without any role"), without_role.exclude(is_superuser=True).count()),
            Attention(_("Administrators and overseers without two-factor authentication"), admins_without_2fa),
        ],
    )


def _coordinator_section(agency: Agency) -> HomeSection:
    units = Unit.objects.current().filter(agency=agency)
    without_head = units.exclude(
        Exists(Membership.objects.current().filter(unit=OuterRef("pk"), role=Role.UNIT_HEAD))
    ).count()
    people = User.objects.filter(
        is_active=True, memberships__in=Membership.objects.current().filter(agency=agency)
    ).distinct()
    url = reverse("org:agency_detail", args=[agency.pk])
    no_email = people.filter(email="").count()
    never_signed_in = people.filter(last_login__isnull=True).count()
    return HomeSection(
        _("Organisation of %(agency)s") % {"agency": agency.short_name},
        [
            Attention(_("Units without a head"), without_head, url),
            Attention(_("People without an e-mail address (they will miss reminders)"), no_email, url),
            Attention(_("People who have never signed in"), never_signed_in, url, "info"),
        ],
    )


def _overseer_section(user: User) -> HomeSection:
    agencies = (
        access.visible_agencies(user)
        .current()
        .filter(Q(province__in=access.overseen_provinces(user)) | Q(pk__in=access.overseen_provinces(user)))
    )
    no_coordinator = agencies.exclude(
        Exists(Membership.objects.current().filter(agency=OuterRef("pk"), role=Role.COORDINATOR))
    ).count()
    return HomeSection(
        _("Agencies of the province"),
        [
            Attention(_("Agencies you oversee"), agencies.count(), reverse("org:agency_list"), "info"),
            Attention(_("Agencies without a reform coordinator"), no_coordinator, reverse("org:agency_list")),
        ],
    )


def _unit_section(unit: Unit) -> HomeSection:
    members = User.objects.filter(
        is_active=True, memberships__in=Membership.objects.current().filter(unit=unit)
    ).distinct()
    return HomeSection(
        _("Your unit: %(unit)s") % {"unit": unit.name},
        [
            Attention(_("Members of the unit"), members.count(), reverse("org:unit_detail", args=[unit.pk]), "info"),
            Attention(_("Members without an e-mail address"), members.filter(email="").count()),
        ],
    )


# Plans, tasks and targets -------------------------------------------------
#
# Each kind of count is one query whatever the number of agencies and units:
# conditional counts in one aggregate, or one grouped query. Only tasks of
# issued plans in progress count: draft tasks are not commitments yet, and
# nobody can act any more on the tasks of a closed plan.


def _task_list_url(**params: object) -> str:
    return reverse("plans:task_list") + "?" + urlencode(params)


def _task_counts(user: User, today: date, unit_ids: list[int], agency_ids: list[int]) -> dict[str, int]:
    if not (unit_ids or agency_ids):
        return {}
    overdue = Q(due_date__lt=today)
    soon = Q(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
    counts: dict[str, Count] = {}
    # A unit's tasks are those it leads or coordinates, as on the task lists the counts link to.
    for pk in unit_ids:
        ours = Q(lead_unit_id=pk) | Q(coordinating_units=pk)
        counts[f"unit_overdue_{pk}"] = Count("pk", filter=overdue & ours, distinct=True)
        counts[f"unit_soon_{pk}"] = Count("pk", filter=soon & ours, distinct=True)
    for pk in agency_ids:
        counts[f"agency_overdue_{pk}"] = Count("pk", filter=overdue & Q(agency_id=pk), distinct=True)
    live = access.visible_tasks(user).filter(status__in=OPEN_TASK_STATUSES, plan__status__in=OPEN_STATUSES)
    return live.order_by().aggregate(**counts)


def _unit_task_items(unit: Unit, counts: dict[str, int], today: date) -> list[Attention]:
    soon_until = today + timedelta(days=DUE_SOON_DAYS)
    return [
        Attention(
            _("Overdue tasks of your unit"),
            counts.get(f"unit_overdue_{unit.pk}", 0),
            _task_list_url(unit=unit.pk, state="overdue", live=1),
            "danger",
        ),
        Attention(
            _("Tasks of your unit due in the next 14 days"),
            counts.get(f"unit_soon_{unit.pk}", 0),
            _task_list_url(unit=unit.pk, due_from=f"{today:%d/%m/%Y}", due_to=f"{soon_until:%d/%m/%Y}", live=1, open=1),
        ),
    ]


def _mentions_section(user: User) -> HomeSection | None:
    """Unseen @mentions, one line per task (the task page marks them seen)."""
    rows = (
        Mention.objects.filter(person=user, seen_at__isnull=True, update__task__in=access.visible_tasks(user))
        .values("update__task_id", "update__task__label", "update__task__content")
        .annotate(n=Count("pk"), last=Max("update__created"))
        .order_by("-last")[:10]
    )
    items = []
    for row in rows:
        content = Truncator(row["update__task__content"]).chars(80)
        task = f"{row['update__task__label']}) {content}" if row["update__task__label"] else content
        items.append(
            Attention(
                _("You were mentioned on the task “%(task)s”") % {"task": task},
                row["n"],
                reverse("plans:task_detail", args=[row["update__task_id"]]),
                "info",
            )
        )
    return HomeSection(_("Mentions for you"), items) if items else None


def _plan_sections(
    user: User, today: date, coordinated: dict[int, Agency], led: dict[int, Agency], task_counts: dict[str, int]
) -> list[HomeSection]:
    """Per agency: overdue tasks, drafts and targets at risk (coordinators); plans to approve (leaders)."""
    agencies = {**coordinated, **led}
    if not agencies:
        return []
    plans: dict[tuple[int, str], dict[str, int]] = {
        (row["agency_id"], row["status"]): row
        for row in access.visible_plans(user)
        .filter(agency_id__in=agencies, status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED])
        .values("agency_id", "status")
        .annotate(n=Count("pk"), first=Min("pk"))
        .order_by()
    }
    at_risk: dict[int, int] = {}
    if coordinated:
        targets = cast(TargetQuerySet, access.visible_targets(user))
        at_risk = dict(
            targets.filter(agency_id__in=coordinated, plan__status__in=OPEN_STATUSES)
            .with_status(today)
            .filter(Q(status_code=TargetStatus.AT_RISK))
            .values_list("agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    plans_url = reverse("plans:list")
    sections = []
    for pk, agency in agencies.items():
        items = []
        if pk in led:
            submitted = plans.get((pk, PlanStatus.SUBMITTED), {"n": 0, "first": 0})
            url = (
                reverse("plans:detail", args=[submitted["first"]])
                if submitted["n"] == 1
                else f"{plans_url}?{urlencode({'status': PlanStatus.SUBMITTED})}"
            )
            items.append(Attention(_("Plans submitted for your approval"), submitted["n"], url, "danger"))
        if pk in coordinated:
            items += [
                Attention(
                    _("Overdue tasks of the agency"),
                    task_counts.get(f"agency_overdue_{pk}", 0),
                    f"{reverse('plans:overdue_tasks')}?{urlencode({'agency': pk, 'live': 1})}",
                    "danger",
                ),
                Attention(
                    _("Plans waiting in draft"),
                    plans.get((pk, PlanStatus.DRAFT), {"n": 0})["n"],
                    f"{plans_url}?{urlencode({'status': PlanStatus.DRAFT})}",
                ),
                Attention(
                    _("Targets at risk"),
                    at_risk.get(pk, 0),
                    reverse("plans:target_list") + "?" + urlencode({"status": TargetStatus.AT_RISK}),
                ),
            ]
        sections.append(HomeSection(_("Plans and tasks of %(agency)s") % {"agency": agency.short_name}, items))
    return sections


# Reports ----------------------------------------------------------------------
#
# Two queries whatever the number of units and agencies: one aggregate over the
# unit reports the person sees, one over the consolidated reports.


def _report_counts(
    user: User, today: date, unit_ids: list[int], coordinated: list[int], led: list[int]
) -> dict[str, int]:
    from reports.models import AgencyReportStatus, ReportStatus

    counts: dict[str, int] = {}
    unsubmitted = Q(first_submitted_at__isnull=True, period__opened_at__isnull=False) & ~Q(status=ReportStatus.ACCEPTED)
    aggregates: dict[str, Count] = {}
    for pk in unit_ids:
        ours = Q(unit_id=pk)
        aggregates[f"unit_todo_{pk}"] = Count("pk", filter=ours & unsubmitted & Q(period__unit_due__gte=today))
        aggregates[f"unit_late_{pk}"] = Count("pk", filter=ours & unsubmitted & Q(period__unit_due__lt=today))
        aggregates[f"unit_returned_{pk}"] = Count("pk", filter=ours & Q(status=ReportStatus.RETURNED))
    for pk in coordinated:
        aggregates[f"agency_review_{pk}"] = Count("pk", filter=Q(agency_id=pk, status=ReportStatus.SUBMITTED))
    if aggregates:
        counts.update(access.visible_unit_reports(user).order_by().aggregate(**aggregates))
    wanted: dict[str, Count] = {}
    for pk in led:
        wanted[f"approve_{pk}"] = Count("pk", filter=Q(agency_id=pk, status=AgencyReportStatus.PENDING_APPROVAL))
    if access.is_overseer(user):
        wanted["inbox"] = Count(
            "pk",
            filter=Q(status=AgencyReportStatus.SENT)
            & (
                Q(agency__province__in=access.overseen_provinces(user))
                | Q(agency_id__in=access.overseen_provinces(user))
            ),
        )
    if wanted:
        counts.update(access.visible_agency_reports(user).order_by().aggregate(**wanted))
    return counts


def _report_items(counts: dict[str, int], key: str, pk: int | None = None) -> list[Attention]:
    index = reverse("reports:index")
    suffix = f"_{pk}" if pk is not None else ""
    lines = {
        "unit": [
            (_("Reports of your unit to submit"), "unit_todo", "warning"),
            (_("Reports of your unit that are late"), "unit_late", "danger"),
            (_("Reports of your unit returned for changes"), "unit_returned", "danger"),
        ],
        "agency": [(_("Unit reports waiting for your review"), "agency_review", "warning")],
        "leader": [(_("Consolidated reports awaiting your approval"), "approve", "danger")],
        "overseer": [(_("Agency reports waiting for your review"), "inbox", "warning")],
    }[key]
    url = reverse("reports:inbox") if key == "overseer" else index
    return [Attention(text, counts.get(f"{name}{suffix}", 0) or 0, url, level) for text, name, level in lines]


# PAR Index -----------------------------------------------------------------------
#
# Two queries whatever the number of agencies: one aggregate over the scores of
# the assessments the person sees, one over the assessments themselves.


def _par_items(user: User, self_assessing: list[int], explaining: list[int], leading: list[int]) -> list[Attention]:
    from indices.models import AssessmentStatus, CriterionKind, Method, Score

    items: list[Attention] = []
    index = reverse("par:index")
    aggregates: dict[str, Count] = {}
    open_self = Q(assessment__status=AssessmentStatus.SELF)
    for pk in self_assessing:
        aggregates[f"unscored_{pk}"] = Count(
            "pk",
            filter=Q(assessment__agency_id=pk, applicable=True, self_score__isnull=True)
            & open_self
            & Q(criterion__method=Method.SELF, criterion__kind=CriterionKind.SCORED),
        )
    for pk in explaining:
        aggregates[f"explain_{pk}"] = Count(
            "pk",
            filter=Q(assessment__agency_id=pk, assessment__status=AssessmentStatus.EXPLAINING, answer="")
            & Q(round1_score__isnull=False)
            & ~Q(round1_score=F("self_score")),
        )
    if aggregates:
        counts = Score.objects.filter(assessment__in=access.visible_assessments(user)).aggregate(**aggregates)
        for pk in self_assessing:
            items.append(Attention(_("PAR Index items still to self-score"), counts[f"unscored_{pk}"], index))
        for pk in explaining:
            items.append(Attention(_("Disputed PAR Index items to explain"), counts[f"explain_{pk}"], index, "danger"))
    wanted: dict[str, Count] = {}
    for pk in leading:
        wanted[f"leader_{pk}"] = Count("pk", filter=Q(agency_id=pk, status=AssessmentStatus.SELF))
    provinces = access.overseen_provinces(user)
    if provinces:
        ours = Q(agency__province__in=provinces) | Q(agency_id__in=provinces)
        wanted["appraise"] = Count(
            "pk",
            filter=ours & Q(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ROUND1, AssessmentStatus.ROUND2]),
        )
    if wanted:
        counts = access.visible_assessments(user).order_by().aggregate(**wanted)
        for pk in leading:
            items.append(
                Attention(_("PAR self-assessments to approve and submit"), counts[f"leader_{pk}"], index, "info")
            )
        if provinces:
            items.append(
                Attention(_("PAR Index assessments to appraise"), counts["appraise"], reverse("par:appraisal_list"))
            )
    return items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    ms = access.memberships(user)
    today = timezone.localdate()
    sections: list[HomeSection] = []
    mentions = _mentions_section(user)
    if mentions is not None:
        sections.append(mentions)
    if access.is_admin(user):
        sections.append(_admin_section())
    if access.is_overseer(user):
        sections.append(_overseer_section(user))
    # One section per agency and per unit, whatever the number of roles held there.
    led = {m.agency_id: m.agency for m in ms if m.role in (Role.COORDINATOR, Role.LEADER)}
    coordinating = {m.agency_id: m.agency for m in ms if m.role == Role.COORDINATOR}
    leading = {m.agency_id: m.agency for m in ms if m.role == Role.LEADER}
    units = {m.unit.pk: m.unit for m in ms if m.role in (Role.UNIT_HEAD, Role.STAFF) and m.unit is not None}
    task_counts = _task_counts(user, today, list(units), list(coordinating))
    sections += _plan_sections(user, today, coordinating, leading, task_counts)
    report_counts = _report_counts(user, today, list(units), list(coordinating), list(leading))
    reports = HomeSection(_("Reports"), _report_items(report_counts, "overseer") if access.is_overseer(user) else [])
    for pk in leading:
        reports.items += _report_items(report_counts, "leader", pk)
    for pk in coordinating:
        reports.items += _report_items(report_counts, "agency", pk)
    for pk in units:
        reports.items += _report_items(report_counts, "unit", pk)
    sections.append(reports)
    unit_heads = [m.agency_id for m in ms if m.role == Role.UNIT_HEAD]
    self_assessing = list(dict.fromkeys([*coordinating, *unit_heads]))
    explaining = list(dict.fromkeys([*coordinating, *leading]))
    sections.append(HomeSection(_("PAR Index"), _par_items(user, self_assessing, explaining, list(leading))))
    sections += [_coordinator_section(agency) for agency in led.values()]
    for unit in units.values():
        section = _unit_section(unit)
        section.items[:0] = _unit_task_items(unit, task_counts, today)
        sections.append(section)
    own: list[Attention] = []
    if not user.email:
        own.append(Attention(_("Add an e-mail address so that reminders and password resets reach you"), 1))
    if not has_totp(user):
        own.append(
            Attention(
                _("Protect your account with two-factor authentication"), 1, reverse("accounts:otp_setup"), "info"
            )
        )
    sections.append(HomeSection(_("Your account"), own))
    for section in sections:
        section.items = [item for item in section.items if item.count]
    return render(
        request,
        "front/home.html",
        {"memberships": ms, "sections": sections, "nav_active": "home"},
    )


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# Error pages: our own templates in both languages, never a stack trace.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever broke must not break the error page too.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({"request": request}), status=500)
