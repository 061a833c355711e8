"""The dashboard page and its Excel export: scope, filters, rankings, links, query counts."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import time_machine
from django.urls import reverse

from services import rollups
from services.models import Dossier
from services.tests.test_dashboard import DashboardFixtures


@time_machine.travel("2025-03-01 10:00 +07:00", tick=False)
class DashboardViewsTest(DashboardFixtures):
    def get(self, **query: object) -> Any:
        return self.client.get(reverse("services:dashboard"), {k: str(v) for k, v in query.items()})

    def test_it_shows_a_member_their_agency_for_the_latest_year_with_data(self) -> None:
        self.login(self.staff)
        response = self.get()
        self.assertEqual(response.status_code, 200)
        filters = response.context["filters"]
        self.assertEqual((filters.year, filters.years, filters.agency), (2024, [2025, 2024, 2023], self.agency))
        self.assertEqual(response.context["total"].received, 8)
        self.assertIsNone(response.context["agencies"])
        self.assertEqual(
            [row.name for row, *_ in response.context["units"]], ["No unit", "Phòng Hợp tác quốc tế", "Văn phòng Sở"]
        )
        self.assertContains(response, "One-stop-shop dashboard, 2024")
        self.assertContains(response, "<svg", count=2)
        self.assertContains(response, "<title>01/2024: 3 received</title>", html=False)
        self.assertContains(response, "<title>03/2024: on-time rate 33.33%</title>", html=False)
        self.assertContains(response, "57.14%")  # the year's on-time rate (4 of 7)
        self.assertNotContains(response, "style=")
        self.assertNotContains(response, "<script>")
        self.assertNotContains(response, "Sở Tư pháp")

    def test_it_shows_the_months_in_the_tables_under_the_charts(self) -> None:
        self.login(self.leader)
        response = self.get(year=2024)
        months = response.context["months"]
        self.assertEqual(
            [(label, figures.received, rates) for label, figures, rates in months[:4]],
            [
                ("01/2024", 3, ("66.67%", "33.33%", "50.00%")),
                ("02/2024", 2, ("100.00%", "100.00%", "100.00%")),
                ("03/2024", 3, ("33.33%", "66.67%", "—")),
                ("04/2024", 0, ("—", "—", "—")),
            ],
        )
        self.assertEqual(months[11][0], "12/2024")

    def test_the_outsider_sees_only_their_agency(self) -> None:
        self.login(self.outsider)
        response = self.get()
        self.assertEqual(response.context["filters"].agency, self.other_agency)
        self.assertEqual(response.context["total"].received, 3)
        self.assertIsNone(response.context["agencies"])
        self.assertEqual([line.code for line, *_ in response.context["procedures"]], ["2.000111"])
        self.assertNotContains(response, "Sở Ngoại vụ")
        self.assertNotContains(response, "1.001234")
        self.assertEqual(self.get(agency=self.agency.pk).status_code, 404)
        self.assertEqual(self.get(unit=self.unit.pk).status_code, 404)

    def test_a_unit_head_sees_their_agency_and_may_filter_by_a_unit(self) -> None:
        self.login(self.unit_head)
        response = self.get(unit=self.unit.pk)
        self.assertEqual(response.status_code, 200)
        filters = response.context["filters"]
        self.assertEqual((filters.agency, filters.unit), (self.agency, self.unit))
        self.assertEqual(response.context["total"].received, 4)
        self.assertEqual([figures.received for _label, figures, _rates in response.context["months"][:3]], [2, 0, 2])
        self.assertEqual([line.code for line, *_ in response.context["procedures"]], ["1.000555", "1.001234"])
        # The ranking of units stays whole, the chosen one marked.
        self.assertEqual(len(response.context["units"]), 3)
        self.assertContains(response, 'aria-current="true"', count=1)
        self.assertEqual(self.get(unit=self.other_unit.pk).status_code, 404)

    def test_the_overseer_sees_the_province_and_ranks_its_agencies(self) -> None:
        self.login(self.overseer)
        response = self.get()
        filters = response.context["filters"]
        self.assertIsNone(filters.agency)
        self.assertEqual(response.context["total"].received, 14)
        self.assertIsNone(response.context["units"])
        ranking = response.context["agencies"]
        self.assertEqual(
            [(row.rank, row.name, rates[0]) for row, rates, _query, _link in ranking],
            [(1, "Sở Nội vụ", "66.67%"), (1, "Sở Tư pháp", "66.67%"), (3, "Sở Ngoại vụ", "57.14%")],
        )
        row, _rates, query, indicators = ranking[2]
        self.assertEqual(parse_qs(query), {"year": ["2024"], "agency": [str(self.agency.pk)]})
        self.assertEqual(indicators, reverse("services:indicators", args=[self.agency.pk]) + "?year=2024")
        page = self.client.get(indicators)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["period"].label, "2024")
        self.assertContains(response, "Choose an agency to rank its units.")
        self.assertNotContains(response, "Sở Ngoại vụ tỉnh Bình Phước")

    def test_the_overseer_may_choose_one_agency(self) -> None:
        self.login(self.overseer)
        response = self.get(agency=self.other_agency.pk, year=2024)
        self.assertEqual(response.context["total"].received, 3)
        self.assertEqual(len(response.context["agencies"]), 3)  # the province's ranking stays
        self.assertEqual([row.name for row, *_ in response.context["units"]], ["Văn phòng Sở"])

    def test_late_counts_open_the_late_dossiers_of_the_procedure_and_year(self) -> None:
        self.login(self.leader)
        response = self.get(year=2024)
        line, _rates, late, over = response.context["procedures"][1]
        self.assertEqual((line.code, line.figures.late, line.figures.over), ("1.000555", 1, 1))
        link = urlsplit(late)
        self.assertEqual(link.path, reverse("services:dossier_list"))
        self.assertEqual(
            parse_qs(link.query),
            {
                "agency": [str(self.agency.pk)],
                "procedure": ["1.000555"],
                "received_from": ["2024-01-01"],
                "received_to": ["2024-12-31"],
                "deadline": ["late"],
            },
        )
        self.assertEqual(parse_qs(urlsplit(over).query)["deadline"], ["in_process_late"])
        dossiers = self.client.get(late)
        self.assertEqual([d.code for d in dossiers.context["page"].object_list], ["b3"])
        dossiers = self.client.get(over)
        self.assertEqual([d.code for d in dossiers.context["page"].object_list], ["a3"])

    def test_an_unreadable_year_falls_back_to_the_latest_with_data(self) -> None:
        self.login(self.staff)
        response = self.get(year="abc")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["filters"].year, 2024)
        self.assertContains(response, "The year could not be read")
        response = self.get(year=1900)
        self.assertEqual(response.context["filters"].year, 2024)
        self.assertEqual(self.get(agency="x1").status_code, 404)

    def test_a_year_without_data_shows_zeros_and_without_rollups_this_year(self) -> None:
        self.login(self.staff)
        response = self.get(year=2022)
        self.assertEqual(response.context["filters"].year, 2022)
        self.assertEqual(response.context["total"].received, 0)
        self.assertContains(response, "No dossier was received in this year.")
        Dossier.objects.all().delete()
        rollups.recompute()
        response = self.get()
        self.assertEqual((response.context["filters"].year, response.context["filters"].years), (2025, [2025]))

    def test_the_query_count_does_not_grow_with_agencies(self) -> None:
        Dossier.objects.filter(agency=self.home_affairs).delete()
        rollups.recompute()
        self.login(self.overseer)
        self.get()  # the session is saved once after signing in
        # session, user, memberships, OTP device, agencies, years, months, agency ranking, procedures,
        # and the session saved (3)
        with self.assertNumQueries(12):
            response = self.get(year=2024)
        self.assertEqual(len(response.context["agencies"]), 2)
        for number in range(3):
            self.add_agency(number)
        rollups.recompute()
        with self.assertNumQueries(12):
            response = self.get(year=2024)
        self.assertEqual(len(response.context["agencies"]), 5)
        # One agency: its units for the filter and their ranking instead of nothing.
        with self.assertNumQueries(14):
            response = self.get(year=2024, agency=self.agency.pk)
        self.assertEqual(len(response.context["units"]), 3)

    def test_the_query_count_does_not_grow_with_units_and_procedures(self) -> None:
        self.login(self.staff)
        self.get()
        # session, user, memberships, agencies, years, units, months, unit ranking, procedures,
        # and the session saved (3)
        with self.assertNumQueries(12):
            self.get()
        for number in range(3):
            self.add_agency(number)  # more units and procedures, in other agencies
            self.add(f"y{number}", self.dossier.received_at, None, None, procedure=self.second, unit=self.office)
        rollups.recompute()
        with self.assertNumQueries(12):
            response = self.get()
        self.assertEqual(response.context["total"].received, 11)


@time_machine.travel("2025-03-01 10:00 +07:00", tick=False)
class DashboardExportTest(DashboardFixtures):
    def export(self, **query: object) -> openpyxl.Workbook:
        response = self.client.get(reverse("services:dashboard_export"), {k: str(v) for k, v in query.items()})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.disposition = response["Content-Disposition"]
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def test_it_exports_the_province_for_the_overseer(self) -> None:
        self.login(self.overseer)
        book = self.export(year=2024)
        self.assertEqual(book.sheetnames, ["By month", "Agency ranking", "By unit", "By procedure"])
        self.assertIn("Bang-dieu-khien-TTHC-2024.xlsx", self.disposition)
        months = book["By month"]
        self.assertEqual(months["A1"].value, "Month")
        self.assertEqual([cell.value for cell in months[2]], ["01/2024", 7, 7, 3, 2, 2, 0, 0, 0.7143, 0.5714, 0.5])
        self.assertEqual(months.max_row, 13)
        self.assertEqual(months["I2"].number_format, "0.00%")
        ranking = book["Agency ranking"]
        self.assertEqual(
            [[cell.value for cell in row][:4] for row in ranking.iter_rows(min_row=2)],
            [[1, "Sở Nội vụ", 3, 3], [1, "Sở Tư pháp", 3, 3], [3, "Sở Ngoại vụ", 8, 7]],
        )
        units = book["By unit"]
        self.assertEqual(units.max_row, 1 + 4 + 1)  # SNgV: no unit, HTQT, VP; STP: VP; SNV: no unit
        procedures = book["By procedure"]
        self.assertEqual(
            [[cell.value for cell in row][:3] for row in procedures.iter_rows(min_row=2)],
            [
                ["1.001234", "Cấp công hàm đề nghị cấp thị thực", 5],
                ["1.000555", "Cho phép tổ chức hội nghị quốc tế", 3],
                ["2.000111", "Cấp phiếu lý lịch tư pháp", 3],
                ["2.000999", "2.000999", 3],
            ],
        )

    def test_it_exports_a_members_agency_with_the_same_filters(self) -> None:
        self.login(self.staff)
        book = self.export(unit=self.unit.pk)
        self.assertEqual(book.sheetnames, ["By month", "By unit", "By procedure"])
        self.assertIn("Bang-dieu-khien-SNgV-2024.xlsx", self.disposition)
        self.assertEqual(
            [row[1] for row in book["By month"].iter_rows(min_row=2, max_row=4, values_only=True)], [2, 0, 2]
        )
        units = list(book["By unit"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [(row[0], row[1], row[2], row[4]) for row in units],
            [
                (1, "Sở Ngoại vụ", "No unit", 1),
                (2, "Sở Ngoại vụ", "Phòng Hợp tác quốc tế", 4),
                (2, "Sở Ngoại vụ", "Văn phòng Sở", 2),
            ],
        )
        self.assertEqual(
            [row[0] for row in book["By procedure"].iter_rows(min_row=2, values_only=True)], ["1.000555", "1.001234"]
        )

    def test_the_outsider_exports_only_their_agency(self) -> None:
        self.login(self.outsider)
        book = self.export()
        self.assertEqual([row[1] for row in book["By month"].iter_rows(min_row=2, max_row=3, values_only=True)], [1, 2])
        self.assertEqual({row[1] for row in book["By unit"].iter_rows(min_row=2, values_only=True)}, {"Sở Tư pháp"})
        response = self.client.get(reverse("services:dashboard_export"), {"agency": self.agency.pk})
        self.assertEqual(response.status_code, 404)
