"""Every URL of the application, requested as every persona.

The matrix proves that nothing leaks across agencies: objects below belong to
the agency of the leader, coordinator, unit head and staff personas; the
outsider is the coordinator of another agency of the same province. A URL added
to the URLconf without a row here fails `test_it_covers_every_url`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership, Role
from files.models import Attachment
from files.tests import samples
from files.tests.base import FilesTestCase
from front.tests.matrix import ADMIN_ONLY, AUDIT, EVERYONE, MANAGE, MANAGE_POST, PERSONAS, READ, Row, statuses
from indices.tests import matrix_appraisal, matrix_assessment, matrix_criteria, matrix_governance
from indices.tests.base import PARFixtures

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
    # Plans (objects from plans/tests/base.py: `plan` is in progress, `draft_plan` a draft)
    "plans:list": Row(EVERYONE),
    "plans:create": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "plans:detail": Row(READ, args=lambda t: [t.plan.pk]),
    "plans:edit": Row(MANAGE, args=lambda t: [t.draft_plan.pk]),
    "plans:delete": Row(MANAGE_POST, args=lambda t: [t.draft_plan.pk], method="post"),
    "plans:transition": Row(MANAGE_POST, args=lambda t: [t.draft_plan.pk, "submit"], method="post"),
    "plans:versions": Row(READ, args=lambda t: [t.plan.pk]),
    "plans:version": Row(READ, args=lambda t: [t.plan.pk, 1]),
    "plans:copy": Row(MANAGE, args=lambda t: [t.plan.pk]),
    "plans:basis_create": Row(MANAGE, args=lambda t: [t.draft_plan.pk]),
    "plans:basis_edit": Row(MANAGE, args=lambda t: [t.basis.pk]),
    "plans:basis_delete": Row(MANAGE_POST, args=lambda t: [t.basis.pk], method="post"),
    "plans:section_create": Row(MANAGE, args=lambda t: [t.draft_plan.pk]),
    "plans:section_edit": Row(MANAGE, args=lambda t: [t.section.pk]),
    "plans:section_delete": Row(MANAGE_POST, args=lambda t: [t.section.pk], method="post"),
    # Tasks: the staff persona's unit leads `task`, the Office coordinates it.
    "plans:task_create": Row(MANAGE, args=lambda t: [t.plan.pk]),
    "plans:task_detail": Row(READ, args=lambda t: [t.task.pk]),
    "plans:task_edit": Row(MANAGE, args=lambda t: [t.task.pk]),
    "plans:task_delete": Row(MANAGE_POST, args=lambda t: [t.draft_task.pk], method="post"),
    "plans:task_progress": Row(
        statuses(403, admin=302, coordinator=302, unit_head=302, staff=302, outsider=404),
        args=lambda t: [t.task.pk],
        method="post",
        data=lambda t: {"text": "Đã hoàn thành một nửa", "progress": "50"},
    ),
    "plans:task_contribute": Row(
        MANAGE_POST, args=lambda t: [t.task.pk], method="post", data=lambda t: {"text": "Văn phòng đã góp ý"}
    ),
    "plans:task_comment": Row(
        statuses(302, overseer=403, outsider=404),
        args=lambda t: [t.task.pk],
        method="post",
        data=lambda t: {"text": "Đề nghị khẩn trương"},
    ),
    "plans:task_reassign": Row(
        statuses(403, admin=200, coordinator=200, unit_head=200, outsider=404), args=lambda t: [t.task.pk]
    ),
    "plans:task_extend": Row(MANAGE, args=lambda t: [t.task.pk]),
    "plans:task_cancel": Row(MANAGE, args=lambda t: [t.task.pk]),
    "plans:task_list": Row(EVERYONE),
    "plans:my_tasks": Row(EVERYONE),
    "plans:unit_tasks": Row(EVERYONE),
    "plans:overdue_tasks": Row(EVERYONE),
    "plans:timeline": Row(EVERYONE),
    "plans:task_export": Row(EVERYONE),
    "plans:bulk_assign": Row(
        MANAGE_POST, method="post", data=lambda t: {"tasks": [t.task.pk], "lead_unit": t.office.pk}
    ),
    "plans:appendix_export": Row(READ, args=lambda t: [t.plan.pk]),
    "plans:appendix_template": Row(MANAGE, args=lambda t: [t.plan.pk]),
    "plans:appendix_import": Row(MANAGE, args=lambda t: [t.draft_plan.pk]),
    # Targets: the staff persona's unit is responsible for `target`.
    "plans:target_list": Row(EVERYONE),
    "plans:target_create": Row(MANAGE, args=lambda t: [t.plan.pk]),
    "plans:target_detail": Row(READ, args=lambda t: [t.target.pk]),
    "plans:target_edit": Row(MANAGE, args=lambda t: [t.target.pk]),
    "plans:target_delete": Row(MANAGE_POST, args=lambda t: [t.draft_target.pk], method="post"),
    "plans:target_value": Row(
        statuses(403, admin=302, coordinator=302, unit_head=302, staff=302, outsider=404),
        args=lambda t: [t.target.pk],
        method="post",
        data=lambda t: {"period_label": "Quý II/2026", "period_end": "30/06/2026", "actual": "55"},
    ),
    # Reform areas are shared by every agency; administrators edit them.
    "plans:area_list": Row(EVERYONE),
    "plans:area_create": Row(statuses(403, admin=200)),
    "plans:area_edit": Row(statuses(403, admin=200), args=lambda t: [t.area.pk]),
    # Documents: the outgoing register is kept by the agency's coordinators (the Office).
    "documents:register": Row(EVERYONE),
    "documents:register_create": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "documents:outgoing_detail": Row(READ, args=lambda t: [t.outgoing.pk]),
    "documents:outgoing_edit": Row(MANAGE, args=lambda t: [t.outgoing.pk]),
    "documents:outgoing_signed": Row(MANAGE_POST, args=lambda t: [t.outgoing.pk], method="post"),
    "documents:series_list": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "documents:series_create": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "documents:series_edit": Row(MANAGE, args=lambda t: [t.series.pk]),
    "documents:series_delete": Row(MANAGE_POST, args=lambda t: [t.series.pk], method="post"),
    # Document types are shared by every agency; administrators edit them.
    "documents:type_list": Row(EVERYONE),
    "documents:type_create": Row(statuses(403, admin=200)),
    "documents:type_edit": Row(statuses(403, admin=200), args=lambda t: [t.doc_type.pk]),
    # Plan import: whoever may draft plans uploads; the review belongs to the agency's coordinators.
    "documents:import_upload": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "documents:import_review": Row(MANAGE, args=lambda t: [t.plan_import.pk]),
    "documents:import_discard": Row(MANAGE_POST, args=lambda t: [t.plan_import.pk], method="post"),
    # Generated documents: whoever may read the plan.
    "documents:plan_docx": Row(READ, args=lambda t: [t.plan.pk]),
    "documents:plan_pdf": Row(READ, args=lambda t: [t.plan.pk]),
    # Reporting: the calendar, periods and unit reports. Actions are POSTs that
    # redirect with a message whether or not the step applies to the report's status.
    "reports:index": Row(EVERYONE),
    "reports:calendar": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "reports:adhoc_create": Row(MANAGE, args=lambda t: [t.agency.pk]),
    "reports:rates": Row(READ, args=lambda t: [t.agency.pk]),
    "reports:period": Row(READ, args=lambda t: [t.period.pk]),
    "reports:period_edit": Row(MANAGE, args=lambda t: [t.period.pk]),
    "reports:unit_report": Row(READ, args=lambda t: [t.unit_report.pk]),
    "reports:unit_report_submit": Row(
        statuses(403, admin=302, unit_head=302, outsider=404), args=lambda t: [t.unit_report.pk], method="post"
    ),
    "reports:unit_report_return": Row(MANAGE_POST, args=lambda t: [t.unit_report.pk], method="post"),
    "reports:unit_report_accept": Row(MANAGE_POST, args=lambda t: [t.unit_report.pk], method="post"),
    # The consolidated report (sent to the province in the fixtures, so the overseer sees it).
    "reports:agency_report_create": Row(MANAGE_POST, args=lambda t: [t.period.pk], method="post"),
    "reports:agency_report": Row(READ, args=lambda t: [t.agency_report.pk]),
    "reports:agency_report_refresh": Row(MANAGE_POST, args=lambda t: [t.agency_report.pk], method="post"),
    "reports:agency_report_submit": Row(MANAGE_POST, args=lambda t: [t.agency_report.pk], method="post"),
    "reports:agency_report_approve": Row(
        statuses(403, admin=302, leader=302, outsider=404), args=lambda t: [t.agency_report.pk], method="post"
    ),
    "reports:agency_report_send_back": Row(
        statuses(403, admin=302, leader=302, outsider=404), args=lambda t: [t.agency_report.pk], method="post"
    ),
    "reports:agency_report_send": Row(MANAGE_POST, args=lambda t: [t.agency_report.pk], method="post"),
    "reports:agency_report_return": Row(
        statuses(403, admin=302, overseer=302, outsider=404), args=lambda t: [t.agency_report.pk], method="post"
    ),
    "reports:agency_report_receive": Row(
        statuses(403, admin=302, overseer=302, outsider=404), args=lambda t: [t.agency_report.pk], method="post"
    ),
    "reports:agency_report_docx": Row(READ, args=lambda t: [t.agency_report.pk]),
    "reports:agency_report_pdf": Row(READ, args=lambda t: [t.agency_report.pk]),
    "reports:inbox": Row(statuses(403, admin=200, overseer=200)),
    "reports:province_status": Row(statuses(403, admin=200, overseer=200)),
    # Urging by hand: the Office writes; the unit's people and the agency-wide roles read.
    "reports:urge": Row(MANAGE, args=lambda t: [t.unit.pk]),
    "reports:urging_history": Row(READ, args=lambda t: [t.agency.pk]),
    # Notifications: each person's own; the mail queue for administrators.
    "notifications:list": Row(EVERYONE),
    "notifications:badge": Row(EVERYONE),
    "notifications:read": Row(statuses(404, staff=302), args=lambda t: [t.notification.pk], method="post"),
    "notifications:read_all": Row(statuses(302), method="post"),
    "notifications:preferences": Row(EVERYONE),
    "notifications:outbox": Row(ADMIN_ONLY),
    "notifications:retry": Row(statuses(404, admin=302), args=lambda t: [t.email.pk], method="post"),
    # One-stop shop: the calendar is national (administrators edit it); the catalogue is
    # public reference data, edited by administrators and the handling agency's coordinators.
    "services:calendar": Row(EVERYONE),
    "services:exception_create": Row(statuses(403, admin=200)),
    "services:exception_edit": Row(statuses(403, admin=200), args=lambda t: [t.exception.pk]),
    "services:exception_delete": Row(statuses(403, admin=302), args=lambda t: [t.exception.pk], method="post"),
    "services:procedure_list": Row(EVERYONE),
    "services:procedure_create": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "services:procedure_detail": Row(EVERYONE, args=lambda t: [t.procedure.pk]),
    "services:procedure_edit": Row(statuses(403, admin=200, coordinator=200), args=lambda t: [t.procedure.pk]),
    "services:procedure_import": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "services:mapping_list": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "services:mapping_delete": Row(
        statuses(403, admin=302, coordinator=302, outsider=302), args=lambda t: [t.mapping.pk], method="post"
    ),
    "services:dossier_list": Row(EVERYONE),
    "services:dossier_detail": Row(READ, args=lambda t: [t.dossier.pk]),
    "services:dossier_import": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "services:dossier_import_detail": Row(MANAGE, args=lambda t: [t.dossier_import.pk]),
    # A finished import answers "reload" (204) to its page's polling.
    "services:dossier_import_progress": Row(
        statuses(403, admin=204, coordinator=204, outsider=404), args=lambda t: [t.dossier_import.pk]
    ),
    "services:indicators": Row(READ, args=lambda t: [t.agency.pk]),
    # The dashboard shows whatever agencies the person sees (the outsider: their own).
    "services:dashboard": Row(EVERYONE),
    "services:dashboard_export": Row(EVERYONE),
    # Language switch
    "set_language": Row(statuses(302), method="post", data=lambda t: {"language": "en", "next": "/"}),
}

for rows in (matrix_criteria, matrix_assessment, matrix_appraisal, matrix_governance):
    MATRIX.update(rows.ROWS)

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


class AccessMatrixTestCase(PARFixtures, FilesTestCase):
    attachment: Attachment
    staff_membership: Membership

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.staff_membership = Membership.objects.get(user=cls.staff, role=Role.STAFF)
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
        cls.create_par()

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
