"""A target's page and recording its actual values with evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from files.models import Attachment
from files.tests import samples
from files.tests.base import FilesTestCase
from plans.models import MetricKind, PlanStatus, Target, TargetValue
from plans.tests.base import PlanFixtures


class TargetTestCase(PlanFixtures, FilesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()

    def detail(self, target: Target | None = None) -> Any:
        return self.client.get(reverse("plans:target_detail", args=[(target or self.target).pk]))

    def record(self, target: Target | None = None, **data: Any) -> Any:
        data = {"period_label": "Quý II/2026", "period_end": "30/06/2026", "actual": "55", "note": "", **data}
        return self.client.post(reverse("plans:target_value", args=[(target or self.target).pk]), data)

    def new_values(self) -> list[TargetValue]:
        return list(TargetValue.objects.exclude(pk=self.value.pk))


@time_machine.travel(date(2026, 11, 15))
class DetailTestCase(TargetTestCase):
    def test_it_shows_the_goal_status_and_values(self) -> None:
        self.attach(self.value, "Báo cáo quý I.pdf", by=self.staff)
        self.login(self.leader)
        response = self.detail()
        self.assertContains(response, "Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến")
        self.assertContains(response, "≥ 50 %")
        self.assertContains(response, '<span class="badge badge-warn">At risk</span>', html=True)
        self.assertContains(response, "Phòng Hợp tác quốc tế")
        self.assertContains(response, "Quý I/2026")
        self.assertContains(response, "31/03/2026")
        self.assertContains(response, "45 %")
        self.assertContains(response, "Phạm Minh Tuấn")
        self.assertContains(response, "Báo cáo quý I.pdf")
        self.assertEqual(response.context["nav_active"], "plans")

    def test_the_responsible_unit_gets_the_form_with_this_quarter(self) -> None:
        self.login(self.staff)
        response = self.detail()
        self.assertContains(response, "Record a value")
        self.assertEqual(response.context["form"].initial["period_label"], "Quý IV/2026")
        self.assertNotContains(response, reverse("plans:target_edit", args=[self.target.pk]))

    def test_readers_get_no_form(self) -> None:
        for persona in (self.leader, self.overseer):
            with self.subTest(persona=persona.username):
                self.login(persona)
                response = self.detail()
                self.assertIsNone(response.context["form"])
                self.assertNotContains(response, "Record a value")

    def test_managers_get_edit_links_but_no_delete_once_measured(self) -> None:
        self.login(self.coordinator)
        response = self.detail()
        self.assertContains(response, reverse("plans:target_edit", args=[self.target.pk]))
        self.assertNotContains(response, reverse("plans:target_delete", args=[self.target.pk]))
        response = self.detail(self.draft_target)
        self.assertContains(response, reverse("plans:target_delete", args=[self.draft_target.pk]))

    def test_a_draft_plan_is_not_measured_yet(self) -> None:
        self.login(self.coordinator)
        response = self.detail(self.draft_target)
        self.assertIsNone(response.context["form"])
        self.assertContains(response, "Values are recorded once the plan is issued.")
        self.assertContains(response, "No value has been recorded for this target yet.")

    def test_a_closed_plan_says_so(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.staff)
        response = self.detail()
        self.assertIsNone(response.context["form"])
        self.assertContains(response, "The plan is closed: its targets can no longer be measured.")
        self.login(self.coordinator)
        self.assertNotContains(self.detail(), reverse("plans:target_edit", args=[self.target.pk]))

    def test_a_yes_no_target_asks_yes_or_no(self) -> None:
        Target.objects.filter(pk=self.target.pk).update(metric_kind=MetricKind.BOOLEAN, value=1, comparator="eq")
        self.login(self.staff)
        response = self.detail()
        self.assertContains(response, 'type="radio"', count=2)
        self.assertContains(response, "Achieved?")

    def test_the_outsider_gets_404(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.detail().status_code, 404)

    def test_the_query_count_does_not_grow_with_values_and_files(self) -> None:
        self.login(self.staff)
        with CaptureQueriesContext(connection) as one:
            self.detail()
        for month in range(1, 7):
            value = TargetValue.objects.create(
                target=self.target, period_label=f"Tháng {month}", period_end=date(2026, month, 28), actual=month
            )
            self.attach(value, f"Tháng {month}.pdf", by=self.staff)
            self.attach(value, f"Tháng {month} (2).pdf", by=self.staff)
        with self.assertNumQueries(len(one)):
            response = self.detail()
        self.assertEqual(len(response.context["values"]), 7)
        self.assertContains(response, "Tháng 6 (2).pdf")


@time_machine.travel(date(2026, 7, 5))
class RecordTestCase(TargetTestCase):
    def test_the_responsible_unit_records_a_value(self) -> None:
        self.login(self.staff)
        response = self.record(note="Theo báo cáo của Bộ phận một cửa")
        self.assertRedirects(
            response, reverse("plans:target_detail", args=[self.target.pk]), fetch_redirect_response=False
        )
        value = self.new_values()[0]
        self.assertEqual(value.target, self.target)
        self.assertEqual(value.period_label, "Quý II/2026")
        self.assertEqual(value.period_end, date(2026, 6, 30))
        self.assertEqual(value.actual, Decimal(55))
        self.assertEqual(value.note, "Theo báo cáo của Bộ phận một cửa")
        self.assertEqual(value.recorded_by, self.staff)
        response = self.detail()
        self.assertContains(response, "The value for Quý II/2026 was recorded: 55 %.")
        self.assertContains(response, '<span class="badge badge-ok">Met</span>', html=True)

    def test_the_unit_head_and_the_managers_record_too(self) -> None:
        for persona in (self.unit_head, self.coordinator, self.admin):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.record().status_code, 302)
        self.assertEqual(len(self.new_values()), 3)

    def test_others_may_not(self) -> None:
        for persona, status in ((self.leader, 403), (self.overseer, 403), (self.outsider, 404)):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.record().status_code, status)
        self.assertEqual(self.new_values(), [])

    def test_the_end_of_the_period_is_read_from_its_name(self) -> None:
        self.login(self.staff)
        self.record(period_label="6 tháng đầu năm", period_end="")
        self.assertEqual(self.new_values()[0].period_end, date(2026, 6, 30))

    def test_an_unreadable_period_needs_its_end(self) -> None:
        self.login(self.staff)
        response = self.record(period_label="Đợt kiểm tra", period_end="")
        self.assertEqual(response.status_code, 400)
        self.assertFormError(
            response.context["form"],
            "period_end",
            "Give the end date of the period: it cannot be read from “Đợt kiểm tra”.",
        )
        self.assertEqual(self.new_values(), [])

    def test_bad_input_is_refused_field_by_field(self) -> None:
        self.login(self.staff)
        response = self.record(period_label="", period_end="31/02/2026", actual="nhiều")
        form = response.context["form"]
        self.assertEqual(set(form.errors), {"period_label", "period_end", "actual"})
        self.assertFormError(form, "actual", "Enter a number, such as 50 or 12,5.")
        response = self.record(actual="120")
        self.assertFormError(response.context["form"], "actual", "A percentage is between 0 and 100.")
        self.assertContains(response, "Record a value", status_code=400)
        self.assertEqual(self.new_values(), [])

    def test_decimal_commas_and_thousands(self) -> None:
        self.login(self.staff)
        self.record(actual="55,5")
        self.assertEqual(self.new_values()[0].actual, Decimal("55.5"))
        money = Target.objects.create(
            plan=self.plan, statement="Tiết kiệm", metric_kind=MetricKind.MONEY, value=1, unit_of_measure="đồng"
        )
        self.login(self.coordinator)
        self.record(money, actual="1.500.000")
        self.assertEqual(money.values.get().actual, Decimal(1500000))

    def test_yes_or_no_is_stored_as_one_or_zero(self) -> None:
        target = Target.objects.create(
            plan=self.plan, statement="Duy trì ISO", metric_kind=MetricKind.BOOLEAN, value=1, responsible_unit=self.unit
        )
        self.login(self.staff)
        self.record(target, actual="0")
        self.assertEqual(target.values.get().actual, Decimal(0))
        response = self.detail(target)
        self.assertContains(response, '<span class="badge badge-warn">At risk</span>', html=True)
        self.record(target, actual="1", period_label="Quý III/2026", period_end="30/09/2026")
        self.assertContains(self.detail(target), '<span class="badge badge-ok">Met</span>', html=True)
        response = self.record(target, actual="2")
        self.assertIn("actual", response.context["form"].errors)

    def test_evidence_files_are_attached_to_the_value(self) -> None:
        self.login(self.staff)
        files = [samples.upload("Báo cáo.pdf", samples.PDF), samples.upload("Ảnh.png", samples.png())]
        self.record(evidence=files)
        value = self.new_values()[0]
        attachments = Attachment.objects.for_owner(value).order_by("original_name")
        self.assertEqual([a.original_name for a in attachments], ["Báo cáo.pdf", "Ảnh.png"])
        self.assertEqual({a.uploaded_by for a in attachments}, {self.staff})
        self.assertEqual({a.agency for a in attachments}, {self.agency})
        self.assertEqual(len(self.stored_files()), 2)
        self.assertContains(self.detail(), "Ảnh.png")

    def test_a_bad_file_saves_nothing(self) -> None:
        self.login(self.staff)
        files = [samples.upload("Báo cáo.pdf", samples.PDF), samples.upload("virus.pdf", samples.EXE)]
        response = self.record(evidence=files)
        self.assertEqual(response.status_code, 400)
        self.assertIn("virus.pdf", " ".join(response.context["form"].errors["evidence"]))
        self.assertEqual(self.new_values(), [])
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.stored_files(), [])

    def test_a_closed_plan_is_not_measured(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.staff)
        response = self.record(evidence=[samples.upload("Báo cáo.pdf", samples.PDF)])
        self.assertRedirects(
            response, reverse("plans:target_detail", args=[self.target.pk]), fetch_redirect_response=False
        )
        self.assertContains(self.detail(), "The plan is closed: its targets can no longer be measured.")
        self.assertEqual(self.new_values(), [])
        self.assertEqual(self.stored_files(), [])

    def test_a_draft_plan_is_not_measured(self) -> None:
        self.login(self.coordinator)
        response = self.record(self.draft_target, actual="4", period_label="Quý I/2027", period_end="31/03/2027")
        self.assertEqual(response.status_code, 302)
        self.assertContains(
            self.detail(self.draft_target),
            "The plan has not been issued yet: targets are measured once it is issued.",
        )
        self.assertFalse(self.draft_target.values.exists())

    def test_it_needs_a_post(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("plans:target_value", args=[self.target.pk]))
        self.assertEqual(response.status_code, 405)
