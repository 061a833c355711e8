"""The indicators page: period and filters, the contract's numbers, 766 points, per procedure, links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import time_machine
from django.urls import reverse

from services.tests.test_indicators import EXAMPLE, IndicatorFixtures


@time_machine.travel("2024-02-15 10:00 +07:00", tick=False)
class IndicatorViewsTest(IndicatorFixtures):
    def url(self, **query: str) -> str:
        base = reverse("services:indicators", args=[self.agency.pk])
        return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_it_opens_on_the_current_quarter(self) -> None:
        self.login(self.staff)
        self.client.get(self.url())  # the session is saved once after signing in
        # session, user, memberships, agency, dossiers, catalogue, calendar, procedures,
        # averages, the unit and procedure selects, and the session saved (3)
        with self.assertNumQueries(14):
            response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["period"].label, "2024-Q1")
        self.assertEqual(response.context["result"], EXAMPLE)
        self.assertContains(response, "Service indicators, 2024-Q1")
        self.assertContains(response, "received from 01/01/2024 to 31/03/2024")
        self.assertContains(response, "54.55%")
        self.assertContains(response, "10.91")
        self.assertContains(response, "points = 20 × on-time rate")
        self.assertContains(response, "1 fully and 1 partly online of the agency&#x27;s 3 procedures")
        self.assertNotContains(response, "style=")

    def test_it_keeps_the_query_count_with_more_dossiers(self) -> None:
        for dossier in list(self.example.values())[:6]:
            dossier.pk, dossier.code = None, dossier.code + "-copy"
            dossier.save()
        self.login(self.staff)
        self.client.get(self.url())
        with self.assertNumQueries(14):
            response = self.client.get(self.url())
        self.assertEqual(response.context["result"]["received"], 18)

    def test_it_lists_procedures_by_received_with_links_to_their_dossiers(self) -> None:
        self.login(self.leader)
        response = self.client.get(self.url(year="2024", part="Q1"))
        rows = response.context["rows"]
        self.assertEqual(
            [(row.code, row.received, on_time, online, row.average_days) for row, _link, on_time, online in rows],
            [("1.001234", 9, "75.00%", "25.00%", 2.5), ("1.000555", 3, "0.00%", "0.00%", 6.5)],
        )
        link = urlsplit(rows[1][1])
        self.assertEqual(link.path, reverse("services:dossier_list"))
        self.assertEqual(
            parse_qs(link.query),
            {
                "agency": [str(self.agency.pk)],
                "procedure": [str(self.second.pk)],
                "received_from": ["2024-01-01"],
                "received_to": ["2024-03-31"],
            },
        )
        self.assertContains(response, f'href="{rows[1][1].replace("&", "&amp;")}"')

    def test_it_reads_each_part_of_the_year(self) -> None:
        self.login(self.coordinator)
        # The year and its first half hold X2 (01/04); March: L1–L3, P1–P3 and W.
        cases = {"": ("2024", 13), "H1": ("2024-H1", 13), "Q2": ("2024-Q2", 1), "03": ("2024-03", 7)}
        for part, (label, received) in cases.items():
            response = self.client.get(self.url(year="2024", part=part))
            context = response.context
            self.assertEqual((context["period"].label, context["result"]["received"]), (label, received), part)

    def test_it_filters_by_unit_and_procedure(self) -> None:
        self.example["L1"].unit = self.unit
        self.example["L1"].save()
        self.login(self.unit_head)
        response = self.client.get(self.url(year="2024", part="Q1", unit=str(self.unit.pk)))
        self.assertEqual((response.context["result"]["received"], response.context["result"]["late"]), (1, 1))
        self.assertIn(f"unit={self.unit.pk}", response.context["all_link"])
        response = self.client.get(self.url(year="2024", part="Q1", procedure=str(self.second.pk)))
        self.assertEqual(response.context["result"]["received"], 3)
        self.assertEqual([row.code for row, *_ in response.context["rows"]], ["1.000555"])

    def test_it_falls_back_to_the_quarter_on_bad_filters(self) -> None:
        self.login(self.coordinator)
        other_unit = self.other_unit.pk
        for query in ({"year": "abc"}, {"year": "2024", "part": "Q9"}, {"year": "2024", "unit": str(other_unit)}):
            response = self.client.get(self.url(**query))
            self.assertEqual(response.status_code, 200, query)
            self.assertEqual(response.context["period"].label, "2024-Q1", query)
            self.assertEqual(response.context["result"]["received"], 12, query)
            self.assertContains(response, "Some filters could not be read")

    def test_it_shows_an_empty_period(self) -> None:
        self.login(self.overseer)
        response = self.client.get(self.url(year="2020", part=""))
        self.assertEqual(response.context["result"]["counted"], 0)
        self.assertContains(response, "No dossier was received in this period.")
        self.assertEqual(response.context["points"][0].value, "—")

    def test_it_hides_the_agency_from_another_agency(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
