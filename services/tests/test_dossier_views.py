from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from services import deadlines, dossier_queries
from services.models import Channel, ColumnMapping, Dossier, DossierImport, DossierStatus, ImportStatus, MappingTarget
from services.tests.base import ServicesTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status"


def moment(day: int, month: int = 2, hour: int = 9) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=ZONE)


class DossierViewsTestCase(ServicesTestCase):
    def make(self, code: str, **fields: object) -> Dossier:
        values: dict[str, object] = {
            "agency": self.agency,
            "procedure": self.procedure,
            "channel": Channel.DIRECT,
            "received_at": moment(1),
            "due_date": date(2024, 2, 20),
            "status": DossierStatus.IN_PROCESS,
        }
        values.update(fields)
        return Dossier.objects.create(code=code, **values)

    def upload(self, name: str, content: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")

    # The list ------------------------------------------------------------------

    @time_machine.travel("2024-02-21 10:00 +07:00")
    def test_it_lists_visible_dossiers_with_their_deadline_status(self) -> None:
        self.make("LATE-1")
        Dossier.objects.create(
            agency=self.other_agency,
            code="OTHER-1",
            procedure=self.procedure,
            channel=Channel.ONLINE,
            received_at=moment(1),
            status=DossierStatus.RECEIVED,
        )
        self.login(self.staff)
        response = self.client.get(reverse("services:dossier_list"))
        self.assertContains(response, "LATE-1")
        self.assertContains(response, self.dossier.code)
        self.assertNotContains(response, "OTHER-1")
        self.assertContains(response, "In process, late")
        self.assertContains(response, "Early")
        self.assertContains(response, "07/02/2024 09:30")
        self.login(self.outsider)
        response = self.client.get(reverse("services:dossier_list"))
        self.assertContains(response, "OTHER-1")
        self.assertNotContains(response, "LATE-1")

    @time_machine.travel("2024-02-21 10:00 +07:00")
    def test_it_filters_the_list(self) -> None:
        self.make("LATE-1", received_at=moment(1))
        self.make("WITHIN-1", received_at=moment(10), due_date=date(2024, 2, 28), channel=Channel.POSTAL)
        url = reverse("services:dossier_list")
        self.login(self.coordinator)
        cases = {
            "deadline=in_process_late": {"LATE-1"},
            "deadline=in_process_within": {"WITHIN-1"},
            "deadline=early": {self.dossier.code},
            "channel=postal": {"WITHIN-1"},
            "status=processed": {self.dossier.code},
            "received_from=05/02/2024&received_to=08/02/2024": {self.dossier.code},
            f"agency={self.agency.pk}&procedure=1.001234": {"LATE-1", "WITHIN-1", self.dossier.code},
            "procedure=2.000999": set(),
        }
        for query, codes in cases.items():
            with self.subTest(query=query):
                response = self.client.get(f"{url}?{query}")
                self.assertEqual({d.code for d in response.context["page"].object_list}, codes)
        response = self.client.get(f"{url}?procedure=2.000999")
        self.assertContains(response, "No dossier matches these filters.")

    @time_machine.travel("2024-02-21 10:00 +07:00")
    def test_it_reads_the_list_in_a_fixed_number_of_queries(self) -> None:
        for n in range(30):
            self.make(f"Q-{n}")
        self.login(self.coordinator)
        self.client.get(reverse("services:dossier_list"))
        # session, user, memberships, count, page, import rights, agencies of the filter, session saved (3)
        with self.assertNumQueries(10):
            response = self.client.get(reverse("services:dossier_list") + "?deadline=in_process_late")
        self.assertEqual(len(response.context["page"].object_list), 30)

    def test_it_paginates(self) -> None:
        for n in range(55):
            self.make(f"P-{n:02}")
        self.login(self.leader)
        response = self.client.get(reverse("services:dossier_list") + "?page=2")
        self.assertEqual(len(response.context["page"].object_list), 6)
        self.assertContains(response, "Page 2 of 2")

    # The SQL version of the deadline rules ------------------------------------------

    def test_it_filters_by_deadline_status_in_sql_as_in_python(self) -> None:
        due = date(2024, 2, 20)
        cases = [
            self.make("E", finished_at=moment(19), status=DossierStatus.PROCESSED),
            self.make("O", finished_at=moment(20, hour=23), status=DossierStatus.PROCESSED),
            self.make("L", finished_at=moment(21), status=DossierStatus.PROCESSED),
            self.make("R", returned_at=moment(22), status=DossierStatus.RETURNED),
            self.make("S", finished_at=moment(19), supplement_requests=2, status=DossierStatus.PROCESSED),
            self.make("S2", supplement_requests=3),
            self.make("W", status=DossierStatus.WITHDRAWN),
            self.make("N", due_date=None),
            self.make("NF", due_date=None, finished_at=moment(25), status=DossierStatus.PROCESSED),
            self.make("F", finished_at=moment(2, month=3), status=DossierStatus.PROCESSED),
            self.make("P"),
        ]
        self.assertEqual(cases[0].due_date, due)
        for reference in (date(2024, 2, 18), due, date(2024, 2, 21), date(2024, 2, 23), date(2024, 3, 31)):
            for name in deadlines.DeadlineStatus.values:
                with self.subTest(reference=reference, status=name):
                    expected = {d.code for d in cases if deadlines.status(d, reference) == name}
                    found = set(
                        dossier_queries.with_status(
                            Dossier.objects.filter(pk__in=[d.pk for d in cases]), name, reference
                        ).values_list("code", flat=True)
                    )
                    self.assertEqual(found, expected)

    # One dossier -------------------------------------------------------------------

    @time_machine.travel("2024-02-21 10:00 +07:00")
    def test_it_shows_a_dossier_with_its_deadline_status_today(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("services:dossier_detail", args=[self.dossier.pk]))
        self.assertContains(response, self.dossier.code)
        self.assertContains(response, "19/02/2024")
        self.assertContains(response, "16/02/2024 15:00")
        self.assertContains(response, "Deadline status on 21/02/2024")
        self.assertContains(response, "Early")
        self.assertContains(response, "Sở Ngoại vụ")
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("services:dossier_detail", args=[self.dossier.pk])).status_code, 404)

    # The import page ----------------------------------------------------------------

    def test_it_imports_an_upload_and_shows_the_run(self) -> None:
        self.login(self.coordinator)
        content = "\n".join(
            [
                HEADER,
                "U1,1.001234,sngv-bp,online,07/02/2024 09:30,,,received",
                "U2,8.000001,sngv-bp,online,07/02/2024 09:30,,,received",
                "U3,1.001234,sngv-bp,online,07/02/2024 09:30,,01/02/2024,processed",
            ]
        )
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.agency.pk, "file": self.upload("thang-2.csv", content)}
        )
        run = DossierImport.objects.latest("pk")
        self.assertRedirects(response, reverse("services:dossier_import_detail", args=[run.pk]))
        self.assertEqual((run.status, run.created_count, run.rejected_count), (ImportStatus.DONE, 2, 1))
        self.assertEqual(run.created_by, self.coordinator)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)],
            ["2 dossiers stored; 1 row was rejected (see the list below)."],
        )
        response = self.client.get(reverse("services:dossier_import_detail", args=[run.pk]))
        self.assertContains(response, "thang-2.csv")
        self.assertContains(response, "8.000001")
        self.assertContains(response, "finished (finished_at) before it was received")
        self.assertContains(response, '<td class="num">4</td>', html=False)
        self.assertTrue(Dossier.objects.filter(code="U2", agency=self.agency).exists())

    def test_it_lets_admins_choose_the_agency_and_coordinators_only_theirs(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("services:dossier_import"))
        self.assertEqual(list(response.context["form"].fields["agency"].queryset), [self.agency])
        content = HEADER + "\nV1,1.001234,stp-bp,online,07/02/2024,,,received"
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.other_agency.pk, "file": self.upload("a.csv", content)}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(DossierImport.objects.filter(agency=self.other_agency).exists())
        self.login(self.admin)
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.other_agency.pk, "file": self.upload("a.csv", content)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Dossier.objects.filter(agency=self.other_agency, code="V1").exists())
        for persona in (self.leader, self.staff, self.overseer):
            self.login(persona)
            self.assertEqual(self.client.get(reverse("services:dossier_import")).status_code, 403)

    @override_settings(DOSSIER_UPLOAD_MAX_BYTES=1024 * 1024)
    def test_it_refuses_wrong_and_too_large_uploads(self) -> None:
        self.login(self.coordinator)
        big = SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1))
        response = self.client.post(reverse("services:dossier_import"), {"agency": self.agency.pk, "file": big})
        self.assertContains(response, "The file is larger than 1 MB. Import it with the import_dossiers command.")
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.agency.pk, "file": self.upload("a.pdf", "x")}
        )
        self.assertContains(response, "Choose a CSV file (.csv) or an Excel workbook (.xlsx).")
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.agency.pk, "file": self.upload("a.csv", "")}
        )
        self.assertContains(response, "The submitted file is empty.")
        self.assertFalse(DossierImport.objects.exclude(pk=self.dossier_import.pk).exists())

    def test_it_reports_a_failed_import(self) -> None:
        self.login(self.coordinator)
        mapping = ColumnMapping.objects.create(name="Sai", target=MappingTarget.DOSSIERS, columns={"code": "SoHoSo"})
        response = self.client.post(
            reverse("services:dossier_import"),
            {"agency": self.agency.pk, "mapping": mapping.pk, "file": self.upload("a.csv", HEADER)},
        )
        run = DossierImport.objects.latest("pk")
        self.assertEqual(run.status, ImportStatus.FAILED)
        response = self.client.get(response["Location"])
        self.assertContains(response, "Nothing was imported: The mapping “Sai” names headers that are not in the file")

    def test_it_maps_unknown_headers_saves_the_mapping_then_imports_with_it(self) -> None:
        self.login(self.coordinator)
        headers = "MaHoSo,MaTTHC,MaCoQuan,KenhThucHien,NgayTiepNhan,NgayHenTra,TrangThai"
        content = headers + "\nMH1,1.001234,SNgV,2,07/02/2024 09:30,19/02/2024,Đã tiếp nhận"
        response = self.client.post(
            reverse("services:dossier_import"), {"agency": self.agency.pk, "file": self.upload("export.csv", content)}
        )
        self.assertContains(response, "Required columns are missing: code, procedure_code")
        mapping_form = response.context["mapping_form"]
        self.assertEqual(mapping_form["col_code"].initial, "MaHoSo")
        self.assertEqual(mapping_form["col_due_at"].initial, "NgayHenTra")
        self.assertFalse(DossierImport.objects.exclude(pk=self.dossier_import.pk).exists())
        data = {"save_mapping": "1", "name": "Cổng DVC Bình Phước"}
        data |= {f"col_{name}": mapping_form[f"col_{name}"].initial for name in ("code", "procedure_code",
                 "agency_code", "channel", "received_at", "due_at", "status")}  # fmt: skip
        response = self.client.post(reverse("services:dossier_import"), data)
        mapping = ColumnMapping.objects.get(name="Cổng DVC Bình Phước")
        self.assertEqual(mapping.target, MappingTarget.DOSSIERS)
        self.assertEqual(mapping.columns["received_at"], "NgayTiepNhan")
        self.assertEqual(mapping.created_by, self.coordinator)
        self.assertRedirects(response, reverse("services:dossier_import") + f"?mapping={mapping.pk}")
        response = self.client.get(response["Location"])
        self.assertEqual(response.context["form"]["mapping"].initial, mapping)
        response = self.client.post(
            reverse("services:dossier_import"),
            {"agency": self.agency.pk, "mapping": mapping.pk, "file": self.upload("export.csv", content)},
        )
        dossier = Dossier.objects.get(code="MH1")
        self.assertEqual((dossier.channel, dossier.status), (Channel.ONLINE, DossierStatus.RECEIVED))
        self.assertEqual(dossier.due_date, date(2024, 2, 19))

    def test_it_refuses_a_mapping_with_a_taken_name_or_a_header_used_twice(self) -> None:
        self.login(self.coordinator)
        session = self.client.session
        session["dossier_import_headers"] = ["A", "B", "C", "D", "E", "F"]
        session.save()
        ColumnMapping.objects.create(name="Cũ", target=MappingTarget.DOSSIERS, columns={})
        data = {"save_mapping": "1", "name": "Cũ", "col_code": "A", "col_procedure_code": "A", "col_agency_code": "C",
                "col_channel": "D", "col_received_at": "E", "col_status": "F"}  # fmt: skip
        response = self.client.post(reverse("services:dossier_import"), data)
        self.assertContains(response, "A mapping with this name exists already")
        self.assertContains(response, "Each header of the file can hold only one column.")
        self.assertEqual(ColumnMapping.objects.filter(target=MappingTarget.DOSSIERS).count(), 1)

    def test_it_shows_an_import_run_only_to_those_who_import(self) -> None:
        url = reverse("services:dossier_import_detail", args=[self.dossier_import.pk])
        self.login(self.coordinator)
        self.assertContains(self.client.get(url), "ho-so-thang-02.csv")
        self.login(self.staff)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
