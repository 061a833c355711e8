from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.urls import reverse

from services.models import OnlineLevel, Procedure, TimeUnit
from services.tests.base import ServicesTestCase

URL = reverse("services:procedure_list")


class ProcedureListTestCase(ServicesTestCase):
    def test_it_lists_the_catalogue_with_short_names_and_units(self) -> None:
        self.login(self.outsider)
        response = self.client.get(URL)
        self.assertContains(response, "1.001234")
        self.assertContains(response, "Cấp công hàm đề nghị cấp thị thực")
        self.assertContains(response, "5 working days")
        self.assertContains(response, "50,000")
        self.assertContains(response, "01/06/2023")
        self.assertContains(response, self.agency.short_name)
        self.assertNotContains(response, self.agency.name)

    def test_it_searches_without_accents_and_filters(self) -> None:
        self.login(self.staff)
        response = self.client.get(URL, {"q": "cong ham"})
        self.assertEqual([row.procedure for row in response.context["rows"]], [self.procedure])
        response = self.client.get(URL, {"agency": self.agency.pk})
        self.assertEqual([row.procedure for row in response.context["rows"]], [self.procedure])
        response = self.client.get(URL, {"unclassified": "1"})
        self.assertEqual([row.procedure for row in response.context["rows"]], [self.unclassified])
        response = self.client.get(URL, {"field": "Lãnh sự", "online": "partial"})
        self.assertEqual(response.context["rows"], [])
        self.assertContains(response, "No procedure matches these filters.")

    def test_it_counts_the_online_levels_of_the_filtered_procedures(self) -> None:
        Procedure.objects.create(code="7.1", name="Một phần", agency=self.agency, online_level=OnlineLevel.PARTIAL)
        self.login(self.leader)
        response = self.client.get(URL)
        self.assertEqual(
            [(level, count) for level, _label, count in response.context["online"]],
            [("full", 1), ("partial", 1), ("none", 1)],
        )
        response = self.client.get(URL, {"agency": self.agency.pk})
        self.assertEqual([count for _l, _label, count in response.context["online"]], [1, 1, 0])

    def test_it_pins_the_query_count(self) -> None:
        self.login(self.staff)
        self.client.get(URL)  # warm the session and content types
        with self.assertNumQueries(11) as first:
            self.client.get(URL)
        for index in range(30):
            Procedure.objects.create(
                code=f"8.{index:03}",
                name=f"Thủ tục {index}",
                field=f"Lĩnh vực {index % 3}",
                agency=self.other_agency,
                time_limit=Decimal(index),
                time_unit=TimeUnit.DAYS,
                published_on=date(2024, 1, 1),
            )
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(URL)
        self.assertEqual(len(response.context["rows"]), 32)

    def test_it_exports_the_filtered_list(self) -> None:
        self.login(self.staff)
        response = self.client.get(URL, {"q": "1.001234", "format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "National code")
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][:5], ("1.001234", self.procedure.name, "Lãnh sự", "Sở Ngoại vụ", "Fully online"))
        self.assertEqual(rows[1][5:7], ("5 working days", 50000))
