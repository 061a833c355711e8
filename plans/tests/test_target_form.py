"""Adding, editing and deleting targets: the goal form, reading the statement, who and when."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from accounts.models import Unit
from plans.models import Comparator, Measurement, MetricKind, PlanStatus, ReformArea, Target, TargetValue
from plans.tests.base import PlansTestCase


class TargetFormTestCase(PlansTestCase):
    def data(self, **fields: Any) -> dict[str, Any]:
        return {
            "statement": "Tối thiểu 60% hồ sơ được giải quyết trực tuyến",
            "metric_kind": MetricKind.PERCENT,
            "comparator": Comparator.GTE,
            "value": "60",
            "value_max": "",
            "unit_of_measure": "",
            "responsible_unit": self.unit.pk,
            "measurement": Measurement.MANUAL,
            "indicator_code": "",
            **fields,
        }

    def create(self, **fields: Any) -> Any:
        self.login(self.coordinator)
        return self.client.post(reverse("plans:target_create", args=[self.plan.pk]), self.data(**fields))

    def created(self) -> Target:
        return Target.objects.exclude(pk__in=[self.target.pk, self.draft_target.pk]).get()

    def assert_nothing_created(self) -> None:
        self.assertEqual(Target.objects.count(), 2)


class CreateTestCase(TargetFormTestCase):
    def test_it_shows_the_form(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("plans:target_create", args=[self.plan.pk]))
        self.assertContains(response, "New target of 01/KH-SNgV")
        self.assertContains(response, "Read the goal from the statement")
        self.assertEqual(response.context["nav_active"], "plans")

    def test_it_adds_a_target(self) -> None:
        procedures = ReformArea.objects.get(code="procedures")
        response = self.create(section=self.section.pk, area=procedures.pk)
        target = self.created()
        self.assertRedirects(response, reverse("plans:target_detail", args=[target.pk]), fetch_redirect_response=False)
        self.assertEqual(target.plan, self.plan)
        self.assertEqual(target.agency, self.agency)
        self.assertEqual(target.section, self.section)
        self.assertEqual(target.area, procedures)
        self.assertEqual((target.metric_kind, target.comparator, target.value), ("percent", "gte", Decimal(60)))
        self.assertEqual(target.unit_of_measure, "%")
        self.assertEqual(target.responsible_unit, self.unit)
        self.assertEqual(target.order, 1)
        self.assertEqual(target.search_text, "toi thieu 60% ho so duoc giai quyet truc tuyen %")

    def test_new_targets_come_after_the_others(self) -> None:
        Target.objects.filter(pk=self.target.pk).update(order=4)
        self.create()
        self.assertEqual(self.created().order, 5)

    def test_it_reads_the_goal_from_the_statement_when_the_value_is_empty(self) -> None:
        self.create(statement="Phấn đấu 03-05 sáng kiến được công nhận", metric_kind="", value="", comparator="gte")
        target = self.created()
        self.assertEqual(target.metric_kind, MetricKind.COUNT)
        self.assertEqual(target.comparator, Comparator.RANGE)
        self.assertEqual((target.value, target.value_max), (Decimal(3), Decimal(5)))
        self.assertEqual(target.unit_of_measure, "sáng kiến")
        self.assertEqual(target.display_goal(), "3–5 sáng kiến")

    def test_a_hundred_percent_is_exact_and_or_more_is_a_floor(self) -> None:
        self.create(statement="100% hồ sơ TTHC được giải quyết đúng hạn", metric_kind="", value="")
        self.assertEqual(self.created().display_goal(), "= 100 %")
        Target.objects.filter(statement__startswith="100%").delete()
        self.create(statement="Thanh toán trực tuyến đạt từ 30% trở lên", metric_kind="", value="")
        self.assertEqual(self.created().display_goal(), "≥ 30 %")

    def test_the_chosen_kind_and_unit_are_kept_when_reading_the_statement(self) -> None:
        self.create(statement="Tối thiểu 50 hồ sơ", metric_kind=MetricKind.COUNT, value="", unit_of_measure="bộ hồ sơ")
        target = self.created()
        self.assertEqual((target.metric_kind, target.value, target.unit_of_measure), ("count", Decimal(50), "bộ hồ sơ"))

    def test_a_statement_without_a_figure_needs_a_value_and_a_kind(self) -> None:
        response = self.create(statement="Nâng cao chất lượng phục vụ", metric_kind="", value="")
        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"],
            "metric_kind",
            "Choose the kind of measure, or write the goal in the statement.",
        )
        response = self.create(statement="Nâng cao chất lượng phục vụ", value="")
        self.assertFormError(response.context["form"], "value", "Give the target value.")
        self.assert_nothing_created()

    def test_a_range_must_be_ordered(self) -> None:
        response = self.create(comparator=Comparator.RANGE, value="80", value_max="60")
        self.assertFormError(
            response.context["form"], "value_max", "The lower value must not be greater than the upper value."
        )
        response = self.create(comparator=Comparator.RANGE, value="60", value_max="")
        self.assertFormError(response.context["form"], "value_max", "A range needs an upper value.")
        self.assert_nothing_created()

    def test_a_range_keeps_its_upper_value_and_others_drop_it(self) -> None:
        self.create(comparator=Comparator.RANGE, value="60", value_max="80")
        self.assertEqual(self.created().value_max, Decimal(80))
        Target.objects.filter(value_max=80).delete()
        self.create(comparator=Comparator.GTE, value="60", value_max="80")
        self.assertIsNone(self.created().value_max)

    def test_a_percentage_is_between_0_and_100(self) -> None:
        response = self.create(value="150")
        self.assertFormError(response.context["form"], "value", "A percentage is between 0 and 100.")
        response = self.create(value="-5")
        self.assertFalse(response.context["form"].is_valid())
        self.assert_nothing_created()

    def test_numbers_may_be_typed_the_vietnamese_way(self) -> None:
        self.create(value="62,5")
        self.assertEqual(self.created().value, Decimal("62.5"))
        Target.objects.filter(value=Decimal("62.5")).delete()
        self.create(metric_kind=MetricKind.MONEY, value="1.500.000", unit_of_measure="")
        target = self.created()
        self.assertEqual((target.value, target.unit_of_measure), (Decimal(1500000), "đồng"))

    def test_a_value_that_is_not_a_number_is_refused(self) -> None:
        response = self.create(value="năm mươi")
        self.assertFormError(response.context["form"], "value", "Enter a number, such as 50 or 12,5.")
        self.assert_nothing_created()

    def test_a_yes_no_target_needs_no_value(self) -> None:
        self.create(statement="Duy trì ISO 9001:2015", metric_kind=MetricKind.BOOLEAN, value="", comparator="gte")
        target = self.created()
        self.assertEqual((target.comparator, target.value), (Comparator.EQ, Decimal(1)))
        self.assertEqual(target.display_goal(), "Yes")

    def test_the_responsible_unit_is_one_of_the_plan_agency_in_force(self) -> None:
        response = self.create(responsible_unit=self.other_unit.pk)
        self.assertIn("responsible_unit", response.context["form"].errors)
        closed = Unit.objects.create(agency=self.agency, name="Phòng cũ", abbreviation="PC", valid_to=date(2020, 1, 1))
        response = self.create(responsible_unit=closed.pk)
        self.assertIn("responsible_unit", response.context["form"].errors)
        self.assert_nothing_created()
        self.assertNotIn(closed, response.context["form"].fields["responsible_unit"].queryset)

    def test_an_indicator_needs_its_code(self) -> None:
        response = self.create(measurement=Measurement.INDICATOR, indicator_code="")
        self.assertFormError(
            response.context["form"], "indicator_code", "Choose the indicator that computes this target."
        )
        self.assert_nothing_created()
        self.create(measurement=Measurement.INDICATOR, indicator_code="online_rate")
        self.assertEqual(self.created().indicator_code, "online_rate")
        response = self.client.get(reverse("plans:target_detail", args=[self.created().pk]))
        self.assertContains(
            response, "Computed from the one-stop dossiers (Dossiers received online, The whole agency)."
        )

    def test_the_read_button_fills_the_form_and_saves_nothing(self) -> None:
        response = self.create(statement="Tối thiểu 50% hồ sơ", metric_kind="", value="", prefill="1")
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertFalse(form.is_bound)
        self.assertEqual(form.initial["metric_kind"], "percent")
        self.assertEqual(form.initial["value"], "50")
        self.assertEqual(form.initial["unit_of_measure"], "%")
        self.assertContains(response, 'value="50"')
        self.assert_nothing_created()

    def test_the_read_button_says_when_it_finds_nothing(self) -> None:
        response = self.create(statement="Nâng cao chất lượng", value="", prefill="1")
        self.assertContains(response, "No figure was found in the statement: enter the goal yourself.")
        self.assert_nothing_created()

    def test_not_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        response = self.create()
        self.assertRedirects(response, reverse("plans:detail", args=[self.plan.pk]), fetch_redirect_response=False)
        self.assert_nothing_created()

    def test_only_the_plan_managers(self) -> None:
        url = reverse("plans:target_create", args=[self.plan.pk])
        for persona, status in ((self.staff, 403), (self.leader, 403), (self.overseer, 403), (self.outsider, 404)):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.client.post(url, self.data()).status_code, status)
        self.assert_nothing_created()


class EditTestCase(TargetFormTestCase):
    def url(self, target: Target | None = None) -> str:
        return reverse("plans:target_edit", args=[(target or self.target).pk])

    def test_it_shows_the_target(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertContains(response, "Edit target")
        self.assertContains(response, "Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến")

    def test_it_changes_the_goal(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(value="70", unit_of_measure="%"))
        self.assertRedirects(
            response, reverse("plans:target_detail", args=[self.target.pk]), fetch_redirect_response=False
        )
        self.target.refresh_from_db()
        self.assertEqual(self.target.value, Decimal(70))
        self.assertEqual(self.target.statement, "Tối thiểu 60% hồ sơ được giải quyết trực tuyến")
        self.assertEqual(self.target.values.count(), 1)

    def test_a_responsible_unit_closed_since_may_stay(self) -> None:
        Unit.objects.filter(pk=self.unit.pk).update(valid_to=date(2020, 1, 1))
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(value="70"))
        self.assertEqual(response.status_code, 302)

    def test_invalid_data_changes_nothing(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(value="120"))
        self.assertEqual(response.status_code, 200)
        self.target.refresh_from_db()
        self.assertEqual(self.target.value, Decimal(50))

    def test_not_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(value="70"))
        self.assertRedirects(
            response, reverse("plans:target_detail", args=[self.target.pk]), fetch_redirect_response=False
        )
        self.target.refresh_from_db()
        self.assertEqual(self.target.value, Decimal(50))

    def test_only_the_plan_managers(self) -> None:
        for persona, status in ((self.staff, 403), (self.unit_head, 403), (self.outsider, 404)):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.client.post(self.url(), self.data(value="70")).status_code, status)
        self.target.refresh_from_db()
        self.assertEqual(self.target.value, Decimal(50))


class DeleteTestCase(TargetFormTestCase):
    def delete(self, target: Target) -> Any:
        self.login(self.coordinator)
        return self.client.post(reverse("plans:target_delete", args=[target.pk]))

    def test_a_target_of_a_draft_plan_is_deleted(self) -> None:
        response = self.delete(self.draft_target)
        self.assertRedirects(
            response, f"{reverse('plans:target_list')}?plan={self.draft_plan.pk}", fetch_redirect_response=False
        )
        self.assertFalse(Target.objects.filter(pk=self.draft_target.pk).exists())

    def test_a_target_of_an_issued_plan_without_values_is_deleted(self) -> None:
        TargetValue.objects.all().delete()
        self.delete(self.target)
        self.assertFalse(Target.objects.filter(pk=self.target.pk).exists())

    def test_a_measured_target_of_an_issued_plan_stays(self) -> None:
        response = self.delete(self.target)
        self.assertRedirects(
            response, reverse("plans:target_detail", args=[self.target.pk]), fetch_redirect_response=False
        )
        self.assertTrue(Target.objects.filter(pk=self.target.pk).exists())
        response = self.client.get(reverse("plans:target_detail", args=[self.target.pk]))
        self.assertContains(response, "This target already has actual values: it can no longer be deleted.")
        self.assertNotContains(response, reverse("plans:target_delete", args=[self.target.pk]))

    def test_nothing_is_deleted_from_a_closed_plan(self) -> None:
        TargetValue.objects.all().delete()
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.delete(self.target)
        self.assertTrue(Target.objects.filter(pk=self.target.pk).exists())

    def test_only_the_plan_managers(self) -> None:
        for persona, status in ((self.staff, 403), (self.leader, 403), (self.outsider, 404)):
            with self.subTest(persona=persona.username):
                self.login(persona)
                response = self.client.post(reverse("plans:target_delete", args=[self.draft_target.pk]))
                self.assertEqual(response.status_code, status)
        self.assertTrue(Target.objects.filter(pk=self.draft_target.pk).exists())

    def test_it_needs_a_post(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("plans:target_delete", args=[self.draft_target.pk]))
        self.assertEqual(response.status_code, 405)
        self.assertTrue(Target.objects.filter(pk=self.draft_target.pk).exists())
