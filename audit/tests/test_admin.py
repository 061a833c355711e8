from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from audit.models import AuditEntry
from cchc.test import BaseTestCase


class AuditAdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.root = User.objects.create_superuser("root", "root@example.org", "password", full_name="Root")
        self.login(self.root)
        self.entry = AuditEntry.objects.earliest("pk")

    def test_it_lists_entries(self) -> None:
        r = self.client.get(reverse("admin:audit_auditentry_changelist"))
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, reverse("admin:audit_auditentry_add"))

    def test_it_refuses_to_add_change_or_delete(self) -> None:
        count = AuditEntry.objects.count()
        self.assertEqual(self.client.get(reverse("admin:audit_auditentry_add")).status_code, 403)
        change = reverse("admin:audit_auditentry_change", args=[self.entry.pk])
        self.assertEqual(self.client.post(change, {"object_repr": "forged"}).status_code, 403)
        delete = reverse("admin:audit_auditentry_delete", args=[self.entry.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertEqual(AuditEntry.objects.count(), count)
        self.entry.refresh_from_db()
        self.assertNotEqual(self.entry.object_repr, "forged")

    def test_it_offers_no_bulk_delete(self) -> None:
        r = self.client.get(reverse("admin:audit_auditentry_changelist"))
        self.assertNotContains(r, "delete_selected")
