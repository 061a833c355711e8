"""The PAPI / PCI pages: the table and charts, recording a year, a dimension with its linked tasks."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indices import governance
from indices.models import GovernanceIndex, GovernanceResult, ImprovementLink
from indices.tests.test_governance import EIGHT, GovernanceCase

D = Decimal


class GovernancePageTests(GovernanceCase):
    def test_everyone_of_the_province_sees_the_years(self) -> None:
        for person in (self.staff, self.overseer, self.outsider):
            self.login(person)
            response = self.client.get(reverse("par:governance"))
            self.assertContains(response, "43.12")
            # Each of the 8 dimensions' score has its cell in the year's row.
            self.assertContains(response, '<td class="num">5.39</td>', count=8, html=False)
            self.assertContains(response, "20/63")
            self.assertContains(response, "Trung bình cao")
            self.assertContains(response, 'class="chart"', count=9)  # the total and 8 dimensions
            self.assertEqual(response.context["province"], self.province)

    def test_only_keepers_get_the_record_button(self) -> None:
        self.login(self.overseer)
        self.assertContains(self.client.get(reverse("par:governance")), reverse("par:governance_record", args=["papi"]))
        self.login(self.coordinator)
        self.assertNotContains(
            self.client.get(reverse("par:governance")), reverse("par:governance_record", args=["papi"])
        )

    def test_an_index_without_results_says_so(self) -> None:
        governance.ensure_indices()
        self.login(self.staff)
        response = self.client.get(reverse("par:governance") + "?index=pci")
        self.assertContains(response, "No PCI result has been recorded for the province yet.")

    def test_the_query_count_does_not_grow_with_the_years(self) -> None:
        self.login(self.staff)
        url = reverse("par:governance")
        self.client.get(url)
        with CaptureQueriesContext(connection) as one_year:
            self.client.get(url)
        for year in (2019, 2020, 2021, 2022):
            governance.record_result(self.papi, self.province, year, scores=EIGHT, user=self.overseer)
        with self.assertNumQueries(len(one_year)):
            response = self.client.get(url)
        self.assertEqual(response.context["table"].years, [2019, 2020, 2021, 2022, 2023])


class RecordPageTests(GovernanceCase):
    def url(self, year: int = 2024) -> str:
        return reverse("par:governance_record", args=["papi"]) + f"?year={year}"

    def test_the_overseer_records_a_year(self) -> None:
        self.login(self.overseer)
        response = self.client.get(self.url())
        self.assertContains(response, "Quản trị điện tử")
        self.assertEqual(len(response.context["form"].dimensions), 8)
        data = {f"dim_{code}": value for code, value in EIGHT.items()}
        data |= {"total": "40", "rank": "24", "ranked_of": "63", "group": "Trung bình cao", "source": "papi.org.vn"}
        response = self.client.post(self.url(), data)
        self.assertRedirects(
            response,
            reverse("par:governance") + f"?index=papi&province={self.province.pk}",
            fetch_redirect_response=False,
        )
        result = GovernanceResult.objects.get(year=2024)
        self.assertEqual(
            (result.total, result.rank, result.group, result.recorded_by), (D(40), 24, "Trung bình cao", self.overseer)
        )

    def test_the_form_shows_a_years_result_to_change(self) -> None:
        self.login(self.overseer)
        response = self.client.get(self.url(2023))
        self.assertEqual(response.context["form"].initial["total"], D("43.12"))
        self.assertContains(response, 'value="5.39"')

    def test_bad_input_shows_every_message_and_saves_nothing(self) -> None:
        self.login(self.overseer)
        data = {f"dim_{code}": value for code, value in EIGHT.items()} | {
            "dim_1": "12",
            "rank": "64",
            "ranked_of": "63",
        }
        response = self.client.post(self.url(), data)
        self.assertContains(response, "1. Tham gia của người dân ở cấp cơ sở: 12.00 is above the maximum of 10.00.")
        self.assertContains(response, "The rank 64 is beyond the 63 provinces ranked.")
        self.assertFalse(GovernanceResult.objects.filter(year=2024).exists())

    def test_others_are_refused(self) -> None:
        for person in (self.coordinator, self.leader, self.staff):
            self.login(person)
            self.assertEqual(self.client.post(self.url(), {"dim_1": "5"}).status_code, 403)
        self.assertFalse(GovernanceResult.objects.filter(year=2024).exists())

    def test_the_indices_are_made_when_there_are_none(self) -> None:
        GovernanceResult.objects.all().delete()
        GovernanceIndex.objects.all().delete()
        self.login(self.overseer)
        response = self.client.get(reverse("par:governance_record", args=["pci"]) + "?year=2024")
        self.assertContains(response, "Thiết chế pháp lý và an ninh trật tự")
        self.assertEqual(GovernanceIndex.objects.count(), 2)


class DimensionPageTests(GovernanceCase):
    def url(self) -> str:
        return reverse("par:dimension_detail", args=[self.dimension.pk])

    def test_it_shows_the_scores_and_the_linked_tasks(self) -> None:
        ImprovementLink.objects.create(task=self.task, dimension=self.dimension)
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertContains(response, "5. Thủ tục hành chính công")
        self.assertContains(response, "5.39")
        self.assertContains(response, "Rà soát, công bố thủ tục hành chính")
        self.assertIsNone(response.context["form"])
        self.assertNotContains(response, "Unlink")

    def test_a_coordinator_links_and_unlinks_a_task(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        choices = [task.pk for task in response.context["form"].fields["task"].queryset]
        self.assertIn(self.task.pk, choices)
        self.assertNotIn(self.other_task.pk, choices)
        response = self.client.post(self.url(), {"action": "link", "task": self.task.pk})
        self.assertRedirects(response, self.url() + f"?province={self.province.pk}", fetch_redirect_response=False)
        link = ImprovementLink.objects.get(dimension=self.dimension)
        self.assertEqual(link.task, self.task)
        self.client.post(self.url(), {"action": "unlink", "link": link.pk})
        self.assertFalse(ImprovementLink.objects.exists())

    def test_a_task_of_another_agency_is_refused(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), {"action": "link", "task": self.other_task.pk})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ImprovementLink.objects.exists())

    def test_who_cannot_link_is_refused(self) -> None:
        link = ImprovementLink.objects.create(task=self.task, dimension=self.dimension)
        self.login(self.staff)
        self.assertEqual(self.client.post(self.url(), {"action": "unlink", "link": link.pk}).status_code, 403)
        self.login(self.outsider)
        response = self.client.post(self.url(), {"action": "unlink", "link": link.pk}, follow=True)
        self.assertContains(response, "You cannot unlink this task.")
        self.assertTrue(ImprovementLink.objects.filter(pk=link.pk).exists())
