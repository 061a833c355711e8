"""Every URL of the application, requested as every persona.

The matrix proves that nothing leaks across agencies: objects below belong to
the agency of the leader, coordinator, unit head and staff personas; the
outsider is the coordinator of another agency of the same province. A URL added
to the URLconf without a row here fails `test_it_covers_every_url`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership, Role
from files.models import Attachment
from files.tests import samples
from files.tests.base import FilesTestCase

PERSONAS = ("anonymous", "admin", "leader", "coordinator", "unit_head", "staff", "overseer", "outsider")
INSIDERS = ("admin", "leader", "coordinator", "unit_head", "staff", "overseer")


def statuses(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    result = {persona: default for persona in PERSONAS}
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


# Readable by the agency's people, the province's overseer and administrators.
READ = statuses(200, outsider=404)
# Changeable by the agency's coordinator and administrators; others who can see
# it are refused (403); whoever cannot see it gets 404 like a missing object.
MANAGE = statuses(403, admin=200, coordinator=200, outsider=404)
MANAGE_POST = statuses(403, admin=302, coordinator=302, outsider=404)
EVERYONE = statuses(200)
ADMIN_ONLY = statuses(404, admin=200)
# Coordinators read their own agency's trail; the outsider's list shows only theirs.
AUDIT = statuses(404, admin=200, coordinator=200, outsider=200)


@dataclass
class Row:
    expect: dict[str, int]
    args: Callable[[AccessMatrixTestCase], list[Any]] = lambda t: []
    method: str = "get"
    data: Callable[[AccessMatrixTestCase], dict[str, Any]] = field(default=lambda t: {})


MATRIX: dict[str, Row] = {
    "front:home": Row(EVERYONE),
    # Accounts
    "accounts:login": Row(statuses(302, anonymous=200)),
    "accounts:logout": Row(statuses(302), method="post"),
    "accounts:otp_verify": Row(statuses(302)),
    # Administrators and overseers in these tests have set up their device already.
    "accounts:otp_setup": Row(statuses(200, admin=302, overseer=302)),
    # Administrators and overseers may not turn off their second factor.
    "accounts:otp_disable": Row(statuses(302, admin=403, overseer=403)),
    "accounts:reset_2fa": Row(MANAGE_POST, args=lambda t: [t.staff.pk], method="post"),
    "accounts:profile": Row(EVERYONE),
    "accounts:lockouts": Row(ADMIN_ONLY),
    "accounts:unlock": Row(statuses(404, admin=302), method="post", data=lambda t: {"username": "staff"}),
    "accounts:password_change": Row(EVERYONE),
    "accounts:password_change_done": Row(EVERYONE),
    "accounts:password_reset": Row(statuses(200, anonymous=200)),
    "accounts:password_reset_done": Row(statuses(200, anonymous=200)),
    "accounts:password_reset_confirm": Row(statuses(200, anonymous=200), args=lambda t: ["MQ", "bad-token"]),
    "accounts:password_reset_complete": Row(statuses(200, anonymous=200)),
    # Organisation
    "org:agency_list": Row(EVERYONE),
    "org:agency_create": Row(statuses(403, admin=200)),
    "org:agency_detail": Row(READ, args=lambda t: [t.agency.pk]),
    "org:agency_edit": Row(statuses(403, admin=200, outsider=404), args=lambda t: [t.agency.pk]),
    "org:unit_create": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "org:unit_detail": Row(READ, args=lambda t: [t.unit.pk]),
    "org:unit_edit": Row(MANAGE, args=lambda t: [t.unit.pk]),
    "org:person_list": Row(READ, args=lambda t: [t.agency.pk]),
    "org:person_create": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "org:person_detail": Row(READ, args=lambda t: [t.staff.pk]),
    "org:person_edit": Row(MANAGE, args=lambda t: [t.staff.pk]),
    "org:person_deactivate": Row(MANAGE_POST, args=lambda t: [t.staff.pk], method="post"),
    "org:person_reactivate": Row(MANAGE_POST, args=lambda t: [t.staff.pk], method="post"),
    "org:membership_add": Row(MANAGE, args=lambda t: [t.staff.pk]),
    "org:membership_end": Row(MANAGE_POST, args=lambda t: [t.staff_membership.pk], method="post"),
    "org:import": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "org:import_template": Row(MANAGE, args=lambda t: [t.agency.pk]),
    # Audit trail
    "audit:list": Row(AUDIT),
    "audit:object_history": Row(
        statuses(404, admin=200, coordinator=200), args=lambda t: ["accounts.agency", t.agency.pk]
    ),
    # Files
    "files:upload": Row(
        MANAGE_POST,
        args=lambda t: ["accounts.agency", t.agency.pk],
        method="post",
        data=lambda t: {"file": samples.upload("Biên bản.pdf", samples.PDF)},
    ),
    "files:download": Row(READ, args=lambda t: [t.attachment.pk]),
    "files:delete": Row(MANAGE_POST, args=lambda t: [t.attachment.pk], method="post"),
    # Language switch
    "set_language": Row(statuses(302), method="post", data=lambda t: {"language": "en", "next": "/"}),
}

# Django's administration site has its own permission checks (tested in
# accounts/tests/test_admin_site.py): staff only, signed in through our page.
EXCLUDED_NAMESPACES = {"admin"}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in EXCLUDED_NAMESPACES:
                    continue
                walk(p.url_patterns, ns if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


class AccessMatrixTestCase(FilesTestCase):
    attachment: Attachment
    staff_membership: Membership

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.staff_membership = Membership.objects.get(user=cls.staff, role=Role.STAFF)

    def setUp(self) -> None:
        super().setUp()
        self.attachment = self.attach(self.agency, "Quyết định.pdf")

    def test_it_covers_every_url(self) -> None:
        missing = all_url_names() - set(MATRIX)
        self.assertEqual(missing, set(), "Add these URLs to the access matrix")
        self.assertEqual(set(MATRIX) - all_url_names(), set(), "These rows name URLs that no longer exist")

    def test_it_answers_every_persona_as_expected(self) -> None:
        for name, row in MATRIX.items():
            url = reverse(name, args=row.args(self))
            for persona in PERSONAS:
                with self.subTest(url=name, persona=persona):
                    self.client.logout()
                    if persona != "anonymous":
                        self.login(getattr(self, persona))
                    with transaction.atomic():
                        request = self.client.post if row.method == "post" else self.client.get
                        response = request(url, row.data(self))
                        transaction.set_rollback(True)
                    self.assertEqual(response.status_code, row.expect[persona], f"{persona} {row.method} {url}")
                    if persona == "outsider" or response.status_code == 404:
                        self.assertNotIn(self.agency.name.encode(), response.content)
                        self.assertNotIn(self.staff.full_name.encode(), response.content)
