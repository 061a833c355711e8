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
