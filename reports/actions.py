"""The unit report workflow: save a draft, submit, return, accept; and who is told.

Every step is one plain function in `transaction.atomic` that locks the report row
(`select_for_update`), checks the status, writes the report and a
`UnitReportVersion` row, and notifies the people concerned. Refusals raise
`ReportError` with a message for the user.
"""

from __future__ import annotations

from accounts.models import Agency, Membership, Role, Unit, User


def _people(**filters: object) -> list[User]:
    ids = Membership.objects.current().filter(**filters).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def unit_heads(unit: Unit) -> list[User]:
    """The active people who head the unit today."""
    return _people(unit=unit, role=Role.UNIT_HEAD)


def coordinators(agency: Agency) -> list[User]:
    """The active reform coordinators (the Office) of the agency today."""
    return _people(agency=agency, role=Role.COORDINATOR)


def leaders(agency: Agency) -> list[User]:
    """The active leaders of the agency today."""
    return _people(agency=agency, role=Role.LEADER)
