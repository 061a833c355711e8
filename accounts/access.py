"""Who may see and change what. The security boundary of a multi-agency system.

Every view fetches business objects through these helpers, and every list of
business data starts from a `visible_*` queryset. "Missing" and "not yours"
both raise Http404, so a probe cannot tell them apart; a person who may see an
object but not change it gets PermissionDenied (403).

Rules:
- a system administrator sees and manages everything;
- a provincial overseer (Sở Nội vụ) sees every agency of their province and
  everything in it, and changes only what oversight needs (later issues);
- everybody else sees the agencies they are members of; coordinators (and
  administrators) manage those agencies' units and people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.models import Agency, Membership, Role, Unit, User, ValidityQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_cchc_memberships"

# Roles only system administrators may grant, change or end.
ADMIN_ONLY_ROLES = (Role.ADMIN, Role.OVERSEER)


def signed_in(request: HttpRequest) -> User:
    """The person behind a request that @login_required let through, typed as User."""
    user = request.user
    assert isinstance(user, User)
    return user


def memberships(user: AnyUser) -> list[Membership]:
    """The person's memberships in force today, loaded once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.current()
            .filter(user=user, agency__in=Agency.objects.current())
            .select_related("agency", "agency__province", "unit")
            .order_by("pk")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: AnyUser) -> None:
    """Drop the cached memberships after they changed within a request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_admin(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or any(m.role == Role.ADMIN for m in memberships(user))


def roles(user: AnyUser) -> set[str]:
    found = {m.role for m in memberships(user)}
    if user.is_authenticated and user.is_superuser:
        found.add(Role.ADMIN)
    return found


def roles_in(user: AnyUser, agency: Agency) -> set[str]:
    return {m.role for m in memberships(user) if m.agency_id == agency.pk}


def primary_agency(user: AnyUser) -> Agency | None:
    """The agency the person works in: the first membership that is not oversight."""
    ms = memberships(user)
    for m in ms:
        if m.role != Role.OVERSEER:
            return m.agency
    return ms[0].agency if ms else None


def overseen_provinces(user: AnyUser) -> set[int]:
    return {m.agency.province_root.pk for m in memberships(user) if m.role == Role.OVERSEER}


def is_overseer(user: AnyUser) -> bool:
    return bool(overseen_provinces(user))


# Agencies ---------------------------------------------------------------


def visible_agencies(user: AnyUser) -> ValidityQuerySet[Agency]:
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if is_admin(user):
        return Agency.objects.all()
    own = {m.agency_id for m in memberships(user)}
    provinces = overseen_provinces(user)
    return Agency.objects.filter(Q(pk__in=own) | Q(province__in=provinces) | Q(pk__in=provinces))


def can_manage_agencies(user: AnyUser) -> bool:
    """Create agencies and change their identity: administrators only."""
    return is_admin(user)


def can_manage_agency(user: AnyUser, agency: Agency) -> bool:
    """Manage the agency's units and people."""
    return is_admin(user) or Role.COORDINATOR in roles_in(user, agency)


def can_view_audit(user: AnyUser, agency: Agency) -> bool:
    return can_manage_agency(user, agency)


def managed_agencies(user: AnyUser) -> ValidityQuerySet[Agency]:
    if is_admin(user):
        return Agency.objects.all()
    ids = {m.agency_id for m in memberships(user) if m.role == Role.COORDINATOR}
    return Agency.objects.filter(pk__in=ids)


def access_agency(user: AnyUser, pk: Any, *, manage: bool = False) -> Agency:
    agency = _get(visible_agencies(user), pk)
    if manage and not can_manage_agency(user, agency):
        raise PermissionDenied
    return agency


# Units ------------------------------------------------------------------


def visible_units(user: AnyUser) -> ValidityQuerySet[Unit]:
    return Unit.objects.filter(agency__in=visible_agencies(user))


def access_unit(user: AnyUser, pk: Any, *, manage: bool = False) -> Unit:
    unit = _get(visible_units(user).select_related("agency"), pk)
    if manage and not can_manage_agency(user, unit.agency):
        raise PermissionDenied
    return unit


# People -----------------------------------------------------------------


def visible_people(user: AnyUser) -> QuerySet[User]:
    """People with a membership in an agency the user can see (and the user)."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if is_admin(user):
        return User.objects.all()
    members = Membership.objects.filter(agency__in=visible_agencies(user)).values("user_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk=user.pk))


def can_manage_person(user: AnyUser, person: User) -> bool:
    if is_admin(user):
        return True
    managed = {m.agency_id for m in memberships(user) if m.role == Role.COORDINATOR}
    if not managed:
        return False
    if person.is_superuser or person.memberships.filter(role=Role.ADMIN).exists():
        return False  # only administrators change administrators
    return person.memberships.filter(agency_id__in=managed).exists()


def grantable_roles(is_admin: bool) -> list[tuple[str, Any]]:
    """(value, label) of the roles a coordinator, or an administrator, may hand out."""
    return [(value, label) for value, label in Role.choices if is_admin or value not in ADMIN_ONLY_ROLES]


def can_manage_membership(user: AnyUser, membership: Membership) -> bool:
    """End or change one role: administrators any; coordinators those of their agency they may grant."""
    if is_admin(user):
        return True
    return membership.role not in ADMIN_ONLY_ROLES and Role.COORDINATOR in {
        m.role for m in memberships(user) if m.agency_id == membership.agency_id
    }


def access_person(user: AnyUser, pk: Any, *, manage: bool = False) -> User:
    person = _get(visible_people(user), pk)
    if manage and not can_manage_person(user, person):
        raise PermissionDenied
    return person


# Business objects of later capabilities -----------------------------------


def scope(user: AnyUser, queryset: QuerySet[M], agency_field: str = "agency") -> QuerySet[M]:
    """Restrict any queryset of agency-owned records to what the user can see."""
    return queryset.filter(**{f"{agency_field}__in": visible_agencies(user)})


def access(user: AnyUser, queryset: QuerySet[M], pk: Any, agency_field: str = "agency") -> M:
    return _get(scope(user, queryset, agency_field), pk)


def _get(queryset: QuerySet[M], pk: Any) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Audit trail and attachments ----------------------------------------------

if TYPE_CHECKING:
    from audit.models import AuditEntry
    from files.models import Attachment


def can_view_audit_trail(user: AnyUser) -> bool:
    return is_admin(user) or Role.COORDINATOR in roles(user)


def visible_audit_entries(user: AnyUser) -> QuerySet[AuditEntry]:
    """Administrators see every entry; coordinators those of the agencies they manage."""
    from audit.models import AuditEntry

    if is_admin(user):
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(agency__in=managed_agencies(user))


def access_attachment(user: AnyUser, pk: Any, *, manage: bool = False) -> Attachment:
    """An attachment of a visible agency whose owner (agency, unit, …) the user can see."""
    from files import owners
    from files.models import Attachment

    attachment = access(user, Attachment.objects.select_related("owner_type"), pk)
    owners.access_owner(user, attachment.owner_type, attachment.owner_id, manage=manage)
    return attachment


# Plans, tasks and targets ---------------------------------------------------
#
# Coordinators (and administrators) draft and manage plans; leaders approve and
# issue them; people of a task's lead unit post its progress, people of its
# coordinating units their contributions; a unit head hands tasks out within
# the unit; overseers read. Nobody writes to a closed plan.

if TYPE_CHECKING:
    from plans.models import Plan, Target, TargetValue, Task, TaskUpdate

UNIT_ROLES = (Role.UNIT_HEAD, Role.STAFF)


def units_of(user: AnyUser, agency_id: int | None = None) -> set[int]:
    """The units the person works in (as unit head or staff), in one agency or all."""
    return {
        m.unit_id
        for m in memberships(user)
        if m.unit_id and m.role in UNIT_ROLES and (agency_id is None or m.agency_id == agency_id)
    }


def headed_units(user: AnyUser) -> set[int]:
    return {m.unit_id for m in memberships(user) if m.unit_id and m.role == Role.UNIT_HEAD}


def works_in(user: AnyUser, agency_id: int) -> bool:
    """A member of the agency other than through oversight."""
    return is_admin(user) or any(m.agency_id == agency_id and m.role != Role.OVERSEER for m in memberships(user))


def visible_plans(user: AnyUser) -> QuerySet[Plan]:
    from plans.models import Plan

    return scope(user, Plan.objects.all())


def can_edit_plan(user: AnyUser, plan: Plan) -> bool:
    """Draft the plan, its outline, tasks and targets; move it through its workflow."""
    return can_manage_agency(user, plan.agency)


def can_approve_plan(user: AnyUser, plan: Plan) -> bool:
    """Approve and issue, or send back: the agency's leaders (and administrators)."""
    return is_admin(user) or Role.LEADER in roles_in(user, plan.agency)


def can_create_plans(user: AnyUser) -> bool:
    return is_admin(user) or Role.COORDINATOR in roles(user)


def access_plan(user: AnyUser, pk: Any, *, manage: bool = False) -> Plan:
    from plans.models import Plan

    plan = _get(scope(user, Plan.objects.select_related("agency")), pk)
    if manage and not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def visible_tasks(user: AnyUser) -> QuerySet[Task]:
    from plans.models import Task

    return scope(user, Task.objects.all())


def access_task(user: AnyUser, pk: Any, *, manage: bool = False) -> Task:
    from plans.models import Task

    task = _get(scope(user, Task.objects.select_related("plan", "plan__agency", "lead_unit", "area")), pk)
    if manage and not can_manage_task(user, task):
        raise PermissionDenied
    return task


def can_manage_task(user: AnyUser, task: Task) -> bool:
    """Edit, move between units, extend or cancel: the plan's managers."""
    return can_edit_plan(user, task.plan)


def is_lead_member(user: AnyUser, task: Task) -> bool:
    return task.lead_unit_id in units_of(user, task.agency_id)


def is_coordinating_member(user: AnyUser, task: Task) -> bool:
    mine = units_of(user, task.agency_id)
    return bool(mine) and task.coordinating_units.filter(pk__in=mine).exists()


def can_post_progress(user: AnyUser, task: Task) -> bool:
    """Post progress (text, %, evidence): the lead unit's people, the assignees, the plan's managers."""
    if can_manage_task(user, task) or is_lead_member(user, task):
        return True
    return user.is_authenticated and task.assignees.filter(pk=user.pk).exists()


def can_contribute(user: AnyUser, task: Task) -> bool:
    """Post a coordinating unit's contribution (or, for the plan's managers, record one)."""
    return can_manage_task(user, task) or is_coordinating_member(user, task)


def can_comment(user: AnyUser, task: Task) -> bool:
    return works_in(user, task.agency_id)


def can_reassign_within_unit(user: AnyUser, task: Task) -> bool:
    """Change the responsible people: the lead unit's head, or the plan's managers."""
    return can_manage_task(user, task) or task.lead_unit_id in headed_units(user)


def visible_targets(user: AnyUser) -> QuerySet[Target]:
    from plans.models import Target

    return scope(user, Target.objects.all())


def access_target(user: AnyUser, pk: Any, *, manage: bool = False) -> Target:
    from plans.models import Target

    target = _get(scope(user, Target.objects.select_related("plan", "plan__agency", "responsible_unit")), pk)
    if manage and not can_edit_plan(user, target.plan):
        raise PermissionDenied
    return target


def can_record_value(user: AnyUser, target: Target) -> bool:
    """Enter actual values: the responsible unit's people, or the plan's managers."""
    if can_edit_plan(user, target.plan):
        return True
    return target.responsible_unit_id is not None and target.responsible_unit_id in units_of(user, target.agency_id)


def access_task_update(user: AnyUser, pk: Any) -> TaskUpdate:
    from plans.models import TaskUpdate

    return _get(scope(user, TaskUpdate.objects.select_related("task", "task__plan"), "task__agency"), pk)


def access_target_value(user: AnyUser, pk: Any) -> TargetValue:
    from plans.models import TargetValue

    return _get(scope(user, TargetValue.objects.select_related("target", "target__plan"), "target__agency"), pk)


def can_manage_areas(user: AnyUser) -> bool:
    """The standard reform areas are shared by every agency: administrators edit them."""
    return is_admin(user)


# Documents: the outgoing register, number series, plan imports -------------

if TYPE_CHECKING:
    from documents.models import OutgoingDocument, PlanImport, RegisterSeries


def can_register(user: AnyUser, document_or_agency: OutgoingDocument | Agency) -> bool:
    """Keep the agency's outgoing register (the Office's clerk, i.e. its coordinators)."""
    agency = document_or_agency if isinstance(document_or_agency, Agency) else document_or_agency.agency
    return can_manage_agency(user, agency)


def can_register_somewhere(user: AnyUser) -> bool:
    return is_admin(user) or Role.COORDINATOR in roles(user)


def visible_outgoing(user: AnyUser) -> QuerySet[OutgoingDocument]:
    from documents.models import OutgoingDocument

    return scope(user, OutgoingDocument.objects.all())


def access_outgoing(user: AnyUser, pk: Any, *, manage: bool = False) -> OutgoingDocument:
    from documents.models import OutgoingDocument

    document = _get(scope(user, OutgoingDocument.objects.select_related("agency")), pk)
    if manage and not can_register(user, document):
        raise PermissionDenied
    return document


def access_series(user: AnyUser, pk: Any) -> RegisterSeries:
    """A number series, to change it: the agency's coordinators and administrators."""
    from documents.models import RegisterSeries

    series = _get(scope(user, RegisterSeries.objects.select_related("agency")), pk)
    if not can_register(user, series.agency):
        raise PermissionDenied
    return series


def can_manage_document_types(user: AnyUser) -> bool:
    """Document types are shared by every agency: administrators edit them."""
    return is_admin(user)


def access_plan_import(user: AnyUser, pk: Any) -> PlanImport:
    """An import waiting for review: only those who may draft the agency's plans."""
    from documents.models import PlanImport

    plan_import = _get(scope(user, PlanImport.objects.select_related("agency")), pk)
    if not can_manage_agency(user, plan_import.agency):
        raise PermissionDenied
    return plan_import


# Reports: the reporting calendar, unit reports, consolidated reports, urging -----

if TYPE_CHECKING:
    from notifications.models import Notification
    from reports.models import AgencyReport, ReportingPeriod, UnitReport, UrgingNote

# Roles that see every unit's reports of their agency (unit heads and staff see their own unit's).
AGENCY_WIDE_ROLES = (Role.LEADER, Role.COORDINATOR)


def can_manage_reporting(user: AnyUser, agency: Agency) -> bool:
    """Keep the agency's reporting calendar, review unit reports, draft the consolidated report, urge."""
    return can_manage_agency(user, agency)


def visible_periods(user: AnyUser) -> QuerySet[ReportingPeriod]:
    from reports.models import ReportingPeriod

    return scope(user, ReportingPeriod.objects.all())


def access_period(user: AnyUser, pk: Any, *, manage: bool = False) -> ReportingPeriod:
    from reports.models import ReportingPeriod

    period = _get(scope(user, ReportingPeriod.objects.select_related("agency")), pk)
    if manage and not can_manage_reporting(user, period.agency):
        raise PermissionDenied
    return period


def visible_unit_reports(user: AnyUser) -> QuerySet[UnitReport]:
    """Agency-wide roles, overseers and administrators see every unit's reports; unit people their own units'."""
    from reports.models import UnitReport

    reports = scope(user, UnitReport.objects.all())
    if is_admin(user):
        return reports
    wide = {m.agency_id for m in memberships(user) if m.role in AGENCY_WIDE_ROLES}
    provinces = overseen_provinces(user)
    return reports.filter(
        Q(agency_id__in=wide)
        | Q(agency__province__in=provinces)
        | Q(agency_id__in=provinces)
        | Q(unit_id__in=units_of(user))
    )


def writes_unit_report(user: AnyUser, report: UnitReport) -> bool:
    """The unit's people write its reports (whatever the report's status)."""
    return is_admin(user) or report.unit_id in units_of(user, report.agency_id)


def submits_unit_report(user: AnyUser, report: UnitReport) -> bool:
    """The unit's head submits its reports to the Office (whatever the report's status)."""
    return is_admin(user) or report.unit_id in headed_units(user)


def can_edit_unit_report(user: AnyUser, report: UnitReport) -> bool:
    """Write the narrative of a report not yet submitted (or returned)."""
    return report.is_editable and writes_unit_report(user, report)


def can_submit_unit_report(user: AnyUser, report: UnitReport) -> bool:
    return report.is_editable and submits_unit_report(user, report)


def can_review_unit_report(user: AnyUser, report: UnitReport) -> bool:
    """Return with comments or accept: the Office (the agency's coordinators)."""
    return can_manage_reporting(user, report.period.agency)


def access_unit_report(user: AnyUser, pk: Any, *, manage: bool = False) -> UnitReport:
    """A unit report; `manage`: the person may change it now (edit, submit or review)."""

    report = _get(visible_unit_reports(user).select_related("period", "period__agency", "unit", "agency"), pk)
    if manage and not (
        can_edit_unit_report(user, report)
        or can_submit_unit_report(user, report)
        or can_review_unit_report(user, report)
    ):
        raise PermissionDenied
    return report


def visible_agency_reports(user: AnyUser) -> QuerySet[AgencyReport]:
    """The agency's people see their consolidated reports; overseers see those sent to the province."""
    from reports.models import AgencyReport

    reports = scope(user, AgencyReport.objects.all())
    if is_admin(user):
        return reports
    own = {m.agency_id for m in memberships(user) if m.role != Role.OVERSEER}
    return reports.filter(Q(agency_id__in=own) | Q(first_sent_at__isnull=False))


def can_edit_agency_report(user: AnyUser, report: AgencyReport) -> bool:
    return report.is_editable and can_manage_reporting(user, report.agency)


def can_approve_agency_report(user: AnyUser, report: AgencyReport) -> bool:
    """Approve (and have it numbered) or send back: the agency's leaders."""
    return is_admin(user) or Role.LEADER in roles_in(user, report.agency)


def can_review_agency_report(user: AnyUser, report: AgencyReport) -> bool:
    """Receive or return a report sent to the province: its overseers (and administrators)."""
    return is_admin(user) or report.agency.province_root.pk in overseen_provinces(user)


def access_agency_report(user: AnyUser, pk: Any, *, manage: bool = False) -> AgencyReport:
    """A consolidated report; `manage`: the person has a step to take on it (edit, approve or review)."""

    report = _get(visible_agency_reports(user).select_related("period", "agency", "agency__province", "outgoing"), pk)
    if manage and not (
        can_manage_reporting(user, report.agency)
        or can_approve_agency_report(user, report)
        or can_review_agency_report(user, report)
    ):
        raise PermissionDenied
    return report


def can_see_province_status(user: AnyUser) -> bool:
    """The period status of every agency of a province: overseers and administrators."""
    return is_admin(user) or is_overseer(user)


def visible_urging_notes(user: AnyUser) -> QuerySet[UrgingNote]:
    from reports.models import UrgingNote

    notes = scope(user, UrgingNote.objects.all())
    if is_admin(user):
        return notes
    wide = {m.agency_id for m in memberships(user) if m.role in AGENCY_WIDE_ROLES}
    provinces = overseen_provinces(user)
    return notes.filter(
        Q(agency_id__in=wide)
        | Q(agency__province__in=provinces)
        | Q(agency_id__in=provinces)
        | Q(unit_id__in=units_of(user))
    )


# Notifications: each person's own -------------------------------------------


def visible_notifications(user: AnyUser) -> QuerySet[Notification]:
    from notifications.models import Notification

    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def access_notification(user: AnyUser, pk: Any) -> Notification:
    return _get(visible_notifications(user), pk)


def can_see_mail_queue(user: AnyUser) -> bool:
    return is_admin(user)


# One-stop shop: the working-day calendar and the procedure catalogue ----------

if TYPE_CHECKING:
    from services.models import ColumnMapping, Procedure


def can_manage_calendar(user: AnyUser) -> bool:
    """The working-day calendar is national: administrators edit its exceptions."""
    return is_admin(user)


def can_import_procedures(user: AnyUser) -> bool:
    """Administrators (any agency's procedures) and coordinators (their agency's)."""
    return is_admin(user) or Role.COORDINATOR in roles(user)


def can_manage_procedure(user: AnyUser, procedure: Procedure) -> bool:
    """Administrators, and the coordinators of the agency that handles it."""
    if is_admin(user):
        return True
    return procedure.agency is not None and can_manage_agency(user, procedure.agency)


def access_procedure(user: AnyUser, pk: Any, *, manage: bool = False) -> Procedure:
    """A procedure of the catalogue: public reference data, read by everyone signed in."""
    from services.models import Procedure

    if not user.is_authenticated:
        raise Http404
    procedure = _get(Procedure.objects.select_related("agency"), pk)
    if manage and not can_manage_procedure(user, procedure):
        raise PermissionDenied
    return procedure


def access_mapping(user: AnyUser, pk: Any) -> ColumnMapping:
    """A saved column mapping, to change or delete: those who may import."""
    from services.models import ColumnMapping

    if not user.is_authenticated:
        raise Http404
    mapping = _get(ColumnMapping.objects.all(), pk)
    if not can_import_procedures(user):
        raise PermissionDenied
    return mapping


if TYPE_CHECKING:
    from services.models import Dossier, DossierImport


def visible_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    from services.models import Dossier

    return scope(user, Dossier.objects.all())


def access_dossier(user: AnyUser, pk: Any) -> Dossier:
    from services.models import Dossier

    return _get(scope(user, Dossier.objects.select_related("agency", "procedure", "unit")), pk)


def can_import_dossiers(user: AnyUser, agency: Agency) -> bool:
    """Import an agency's dossiers: its coordinators and administrators."""
    return can_manage_agency(user, agency)


def access_dossier_import(user: AnyUser, pk: Any) -> DossierImport:
    """An import's report: those who may import the agency's dossiers."""
    from services.models import DossierImport

    run = _get(scope(user, DossierImport.objects.select_related("agency")), pk)
    if not can_import_dossiers(user, run.agency):
        raise PermissionDenied
    return run


# The PAR Index and the province's governance indices -------------------------
#
# Criteria sets are the province's rules: everybody in the province reads them;
# the province's overseers (Sở Nội vụ) and administrators keep them (national
# sets: administrators). An agency's coordinators and unit heads self-assess
# (scores, evidence, explanations) while the assessment is open; its leaders
# approve and submit; the province's overseers appraise (two rounds), enter the
# survey points and finalise; after submission the agency's scores are read-only
# except for its answers on disputed items while explanations are asked for.

if TYPE_CHECKING:
    from indices.models import Assessment, CriteriaSet, Criterion, Evidence, GovernanceResult, Score


def provinces_of(user: AnyUser) -> set[int]:
    """The provinces of the agencies the person belongs to (root agencies of their trees)."""
    return {m.agency.province_id or m.agency_id for m in memberships(user)}


def visible_criteria_sets(user: AnyUser) -> QuerySet[CriteriaSet]:
    from indices.models import CriteriaSet

    if not user.is_authenticated or not user.is_active:
        return CriteriaSet.objects.none()
    if is_admin(user):
        return CriteriaSet.objects.all()
    return CriteriaSet.objects.filter(Q(province__isnull=True) | Q(province__in=provinces_of(user)))


def can_manage_criteria(user: AnyUser, province: Agency | None = None) -> bool:
    """Keep criteria sets: administrators; overseers for their province's sets."""
    if is_admin(user):
        return True
    if province is None:
        return is_overseer(user)
    return province.pk in overseen_provinces(user)


def can_manage_criteria_set(user: AnyUser, criteria_set: CriteriaSet) -> bool:
    if criteria_set.province_id is None:
        return is_admin(user)
    return is_admin(user) or criteria_set.province_id in overseen_provinces(user)


def access_criteria_set(user: AnyUser, pk: Any, *, manage: bool = False) -> CriteriaSet:
    criteria_set = _get(visible_criteria_sets(user).select_related("province", "previous"), pk)
    if manage and not can_manage_criteria_set(user, criteria_set):
        raise PermissionDenied
    return criteria_set


def access_criterion(user: AnyUser, pk: Any, *, manage: bool = False) -> Criterion:
    from indices.models import Criterion

    criterion = _get(
        Criterion.objects.filter(criteria_set__in=visible_criteria_sets(user)).select_related("criteria_set", "parent"),
        pk,
    )
    if manage and not can_manage_criteria_set(user, criterion.criteria_set):
        raise PermissionDenied
    return criterion


def visible_assessments(user: AnyUser) -> QuerySet[Assessment]:
    from indices.models import Assessment

    return scope(user, Assessment.objects.all())


def can_open_assessment(user: AnyUser, agency: Agency) -> bool:
    """Open the year's self-assessment: the agency's coordinators (the Office) and administrators."""
    return can_manage_agency(user, agency)


def is_self_assessor(user: AnyUser, assessment: Assessment) -> bool:
    """Who self-assesses the agency (coordinators, unit heads, administrators), whatever the status now."""
    if can_manage_agency(user, assessment.agency):
        return True
    return any(m.agency_id == assessment.agency_id and m.role == Role.UNIT_HEAD for m in memberships(user))


def is_assessment_signer(user: AnyUser, assessment: Assessment) -> bool:
    """Who approves and submits the agency's self-assessment (its leaders), whatever the status now."""
    return is_admin(user) or Role.LEADER in roles_in(user, assessment.agency)


def can_self_assess(user: AnyUser, assessment: Assessment) -> bool:
    """Score, explain and attach evidence while the self-assessment is open."""
    return assessment.self_editable and is_self_assessor(user, assessment)


def can_submit_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """Approve and submit the self-assessment while it is open."""
    return assessment.self_editable and is_assessment_signer(user, assessment)


def can_appraise(user: AnyUser, assessment: Assessment) -> bool:
    """Appraise, enter survey points and finalise: the province's overseers and administrators."""
    return is_admin(user) or assessment.agency.province_root.pk in overseen_provinces(user)


def can_answer_appraisal(user: AnyUser, assessment: Assessment) -> bool:
    """Explain disputed items while the agency is asked to: its coordinators and leaders."""
    from indices.models import AssessmentStatus

    if assessment.status != AssessmentStatus.EXPLAINING:
        return False
    return can_manage_agency(user, assessment.agency) or Role.LEADER in roles_in(user, assessment.agency)


def access_assessment(user: AnyUser, pk: Any, *, manage: bool = False) -> Assessment:
    """An assessment; `manage`: the person may change something of it now (self, answer or appraise)."""
    assessment = _get(
        visible_assessments(user).select_related("agency", "agency__province", "criteria_set", "report"), pk
    )
    if manage and not (
        can_self_assess(user, assessment)
        or can_submit_assessment(user, assessment)
        or can_answer_appraisal(user, assessment)
        or can_appraise(user, assessment)
    ):
        raise PermissionDenied
    return assessment


def access_score(user: AnyUser, pk: Any) -> Score:
    from indices.models import Score

    return _get(
        Score.objects.filter(assessment__in=visible_assessments(user)).select_related(
            "assessment", "assessment__agency", "assessment__agency__province", "assessment__criteria_set", "criterion"
        ),
        pk,
    )


def can_add_evidence(user: AnyUser, score: Score) -> bool:
    return can_self_assess(user, score.assessment)


def access_evidence(user: AnyUser, pk: Any, *, manage: bool = False) -> Evidence:
    from indices.models import Evidence

    evidence = _get(
        Evidence.objects.filter(score__assessment__in=visible_assessments(user)).select_related(
            "score", "score__assessment", "score__assessment__agency"
        ),
        pk,
    )
    if manage and not can_add_evidence(user, evidence.score):
        raise PermissionDenied
    return evidence


def visible_governance_results(user: AnyUser) -> QuerySet[GovernanceResult]:
    from indices.models import GovernanceResult

    if not user.is_authenticated or not user.is_active:
        return GovernanceResult.objects.none()
    if is_admin(user):
        return GovernanceResult.objects.all()
    return GovernanceResult.objects.filter(province__in=provinces_of(user))


def can_record_governance(user: AnyUser, province: Agency) -> bool:
    """Record PAPI / PCI results: the province's overseers and administrators."""
    return is_admin(user) or province.pk in overseen_provinces(user)
