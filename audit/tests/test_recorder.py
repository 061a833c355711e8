from __future__ import annotations

from datetime import date

from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
from audit.context import bind
from audit.models import AuditEntry
from cchc.test import BaseTestCase


class RecorderTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))
        AuditEntry.objects.all().delete()  # start from what each test does, not from the personas' creation

    def entries(self, model: str = "") -> list[AuditEntry]:
        found = AuditEntry.objects.order_by("pk")
        return list(found.filter(content_type__model=model) if model else found)

    def test_it_records_a_creation(self) -> None:
        unit = Unit.objects.create(agency=self.agency, name="Thanh tra Sở", abbreviation="TTr")
        [entry] = self.entries()
        self.assertEqual(entry.action, "create")
        self.assertEqual(entry.object_id, str(unit.pk))
        self.assertEqual(entry.object_repr, "Thanh tra Sở")
        self.assertEqual(entry.agency, self.agency)
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.actor_name, "system")
        self.assertEqual(entry.actor_display, "System")
        self.assertEqual(entry.changes["abbreviation"], [None, "TTr"])
        self.assertEqual(entry.changes["agency"], [None, {"id": self.agency.pk, "str": self.agency.name}])
        self.assertNotIn("created", entry.changes)
        self.assertNotIn("short_name", entry.changes)  # empty values are left out

    def test_it_records_old_and_new_values_of_an_update(self) -> None:
        self.unit.name = "Phòng Hợp tác quốc tế và Lãnh sự"
        self.unit.valid_to = date(2025, 6, 30)
        self.unit.save()
        [entry] = self.entries()
        self.assertEqual(entry.action, "update")
        self.assertEqual(
            entry.changes,
            {
                "name": ["Phòng Hợp tác quốc tế", "Phòng Hợp tác quốc tế và Lãnh sự"],
                "valid_to": [None, "2025-06-30"],
            },
        )
        rows = {row.label: (row.old, row.new) for row in entry.change_rows()}
        self.assertEqual(rows["Valid to"], ("—", "30/06/2025"))

    def test_it_records_nothing_when_nothing_changed(self) -> None:
        self.unit.save()
        self.unit.order = "0"  # the same number, as a form might set it
        self.unit.save()
        self.assertEqual(self.entries(), [])

    def test_it_names_both_sides_of_a_changed_link(self) -> None:
        membership = Membership.objects.get(user=self.staff)
        membership.unit = self.office
        membership.save()
        [entry] = self.entries()
        self.assertEqual(
            entry.changes["unit"],
            [{"id": self.unit.pk, "str": self.unit.name}, {"id": self.office.pk, "str": self.office.name}],
        )
        self.assertEqual(entry.agency, self.agency)

    def test_it_shows_choices_by_their_label(self) -> None:
        membership = Membership.objects.get(user=self.staff)
        membership.role = Role.UNIT_HEAD
        membership.save()
        [row] = self.entries()[0].change_rows()
        self.assertEqual((row.old, row.new), ("Civil servant", "Unit head"))

    def test_it_only_compares_the_fields_saved(self) -> None:
        self.unit.name = "Đổi tên chưa lưu"
        self.unit.order = 7
        self.unit.save(update_fields=["order"])
        [entry] = self.entries()
        self.assertEqual(entry.changes, {"order": [0, 7]})

    def test_it_never_records_passwords(self) -> None:
        self.staff.set_password("a-new-password-123")
        self.staff.save()
        self.assertEqual(self.entries(), [])
        self.staff.set_password("another-password-456")
        self.staff.full_name = "Phạm Minh Tuấn Anh"
        self.staff.save()
        [entry] = self.entries()
        self.assertEqual(list(entry.changes), ["full_name"])

    def test_it_leaves_out_secret_fields_at_creation(self) -> None:
        person = self._person("moi", "Người Mới", self.agency, Role.STAFF, self.unit)
        entry = self.entries("user")[0]
        self.assertEqual(entry.object_id, str(person.pk))
        self.assertNotIn("password", entry.changes)
        self.assertNotIn("last_login", entry.changes)
        self.assertEqual(entry.changes["username"], [None, "moi"])
        self.assertNotIn(person.password, str(entry.changes))

    def test_it_ignores_sign_ins(self) -> None:
        update_last_login(User, self.staff)
        self.assertEqual(self.entries(), [])

    def test_it_records_a_deleted_person_under_their_agency(self) -> None:
        person = self._person("tam", "Nhân Viên Tạm", self.agency, Role.STAFF, self.unit)
        AuditEntry.objects.all().delete()
        person.delete()
        membership_entry, user_entry = self.entries()
        self.assertEqual((membership_entry.action, user_entry.action), ("delete", "delete"))
        self.assertEqual(user_entry.agency, self.agency)
        self.assertEqual(user_entry.object_repr, "Nhân Viên Tạm")
        self.assertEqual(user_entry.changes["full_name"], ["Nhân Viên Tạm", None])

    def test_it_records_a_deleted_agency_without_pointing_at_it(self) -> None:
        agency = Agency.objects.create(
            code="tmp", kind=AgencyKind.OTHER, name="Cơ quan tạm", short_name="Tạm", abbreviation="T", place_name="X"
        )
        pk = agency.pk
        agency.delete()
        entries = self.entries()
        self.assertEqual([e.action for e in entries], ["create", "delete"])
        self.assertIsNone(entries[1].agency)
        self.assertEqual(entries[1].object_id, str(pk))

    def test_it_rolls_back_with_the_change(self) -> None:
        try:
            with transaction.atomic():
                self.unit.name = "Tên sẽ mất"
                self.unit.save()
                raise RuntimeError
        except RuntimeError:
            pass
        self.assertEqual(self.entries(), [])

    def test_it_records_who_did_it_from_where(self) -> None:
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox " + "x" * 400)
        request.user = self.coordinator
        with bind(request):
            self.unit.name = "Phòng mới"
            self.unit.save()
        [entry] = self.entries()
        self.assertEqual(entry.actor, self.coordinator)
        self.assertEqual(entry.actor_name, "Trần Văn Bình (coordinator)")
        self.assertEqual(entry.ip_address, "203.0.113.7")
        self.assertEqual(len(entry.user_agent), 255)
        self.assertTrue(entry.user_agent.startswith("Firefox"))

    def test_it_keeps_the_name_of_a_person_who_deletes_themselves(self) -> None:
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
        request.user = self.staff
        with bind(request):
            self.staff.delete()
        user_entry = self.entries("user")[0]
        self.assertIsNone(user_entry.actor)
        self.assertEqual(user_entry.actor_name, "Phạm Minh Tuấn (staff)")

    def test_it_records_anonymous_requests(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().post("/")
        request.user = AnonymousUser()
        with bind(request):
            self.unit.save(update_fields=None)
            self.unit.order = 2
            self.unit.save()
        [entry] = self.entries()
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.actor_display, "Anonymous visitor")

    def test_the_middleware_binds_each_request(self) -> None:
        from files.tests import samples

        self.login(self.coordinator)
        # A view that writes an audited row: the upload records its actor and address.
        with self.settings(MEDIA_ROOT=self._tmp()):
            self.client.post(
                f"/files/upload/accounts.agency/{self.agency.pk}/",
                {"file": samples.upload("a.pdf", samples.PDF)},
                REMOTE_ADDR="198.51.100.4",
                HTTP_USER_AGENT="Chrome",
            )
        [entry] = self.entries("attachment")
        self.assertEqual(entry.actor, self.coordinator)
        self.assertEqual((entry.ip_address, entry.user_agent), ("198.51.100.4", "Chrome"))
        # Outside a request again: the system acts.
        self.unit.order = 5
        self.unit.save()
        self.assertEqual(self.entries("unit")[0].actor_name, "system")

    def _tmp(self) -> str:
        import shutil
        import tempfile

        path = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, path, ignore_errors=True)
        return path
