from datetime import date
from decimal import Decimal

import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import Membership, Role
from cchc.test import BaseTestCase
from plans.models import (
    Comparator,
    Mention,
    MetricKind,
    Plan,
    PlanStatus,
    Target,
    TargetStatus,
    TargetValue,
    Task,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)
from plans.tests.base import PlansTestCase


class HomeTestCase(BaseTestCase):
    def get_home(self, user, language: str = "en"):
        self.login(user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return self.client.get("/")

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get("/")
        self.assertRedirects(r, "/accounts/login/?next=/", fetch_redirect_response=False)

    def test_it_shows_admin_attention(self) -> None:
        r = self.get_home(self.admin)
        self.assertContains(r, "System administration")
        self.assertContains(r, "Administrators and overseers without two-factor authentication")
        self.assertContains(r, "Administration")  # link to the admin site

    def test_it_shows_overseer_the_province(self) -> None:
        r = self.get_home(self.overseer)
        self.assertContains(r, "Agencies of the province")
        self.assertNotContains(r, "System administration")

    def test_it_shows_coordinator_their_organisation(self) -> None:
        r = self.get_home(self.coordinator)
        self.assertContains(r, "Organisation of Sở Ngoại vụ")
        self.assertContains(r, "People who have never signed in")
        self.assertContains(r, "Audit trail")

    def test_it_shows_unit_head_their_unit(self) -> None:
        r = self.get_home(self.unit_head)
        self.assertContains(r, "Your unit: Phòng Hợp tác quốc tế")
        self.assertNotContains(r, "Audit trail")

    def test_it_tells_people_without_role(self) -> None:
        Membership.objects.filter(user=self.staff).delete()
        r = self.get_home(self.staff)
        self.assertContains(r, "You have no role in any agency yet")

    def test_it_lists_the_areas_to_come(self) -> None:
        r = self.get_home(self.staff)
        for area in ("Reports", "One-stop shop", "PAR Index", "Surveys", "Emulation"):
            self.assertContains(r, area)

    def test_it_links_plans_and_tasks(self) -> None:
        r = self.get_home(self.staff)
        links = {item.key: item.url for item in r.context["nav_items"]}
        self.assertEqual(links["plans"], "/plans/")
        self.assertEqual(links["tasks"], "/plans/tasks/mine/")
        self.assertEqual(links["reports"], "/reports/")
        self.assertEqual(links["services"], "/services/dashboard/")
        self.assertEqual(links["par"], "/par/")
        # The PAR Index comes after the one-stop shop and before the areas still to come.
        keys = [item.key for item in r.context["nav_items"]]
        self.assertEqual(keys.index("services") + 1, keys.index("par"))
        self.assertEqual(keys.index("par") + 1, keys.index("surveys"))
        self.assertIsNone(links["surveys"])

    def test_it_speaks_vietnamese_by_default(self) -> None:
        del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]
        self.login(self.staff)
        r = self.client.get("/")
        self.assertContains(r, '<html lang="vi">')
        self.assertContains(r, "Việc cần xử lý")
        self.assertContains(r, "Kế hoạch")

    def test_it_ignores_an_english_browser(self) -> None:
        del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]
        self.login(self.staff)
        r = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(r, '<html lang="vi">')

    def test_it_switches_language(self) -> None:
        del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]
        self.login(self.staff)
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        r = self.client.get("/")
        self.assertContains(r, '<html lang="en">')
        self.assertContains(r, "What needs your attention")

    def test_it_pins_the_query_count(self) -> None:
        self.login(self.coordinator)
        self.client.get("/")  # warm the session
        # 10 for the organisation and the account, 4 for plans: mentions, task counts, plans, targets at risk;
        # 1 for reports (the unit reports to review); 1 for the PAR Index (scores to give or explain).
        with self.assertNumQueries(16):
            self.client.get("/")

    def test_it_shows_each_agency_once_for_several_roles(self) -> None:
        Membership.objects.create(user=self.coordinator, agency=self.agency, role=Role.LEADER)
        r = self.get_home(self.coordinator)
        self.assertContains(r, "Organisation of Sở Ngoại vụ", count=1)


def attention(response) -> dict[str, tuple[int, str | None]]:
    """The home page's attention lines: text → (count, link)."""
    return {str(item.text): (item.count, item.url) for s in response.context["sections"] for item in s.items}


class HomePlansTestCase(PlansTestCase):
    """The plan fixtures: a task of the unit due 30/06/2026 at 40%, a target at 45% of ≥ 50%, a draft plan."""

    def home(self, user):
        self.login(user)
        return self.client.get("/")

    @time_machine.travel(date(2026, 5, 1))
    def test_it_shows_nothing_about_tasks_that_are_not_due_yet(self) -> None:
        lines = attention(self.home(self.staff))
        self.assertNotIn("Overdue tasks of your unit", lines)
        self.assertNotIn("Tasks of your unit due in the next 14 days", lines)

    @time_machine.travel(date(2026, 6, 20))
    def test_it_shows_the_unit_what_is_due_within_two_weeks(self) -> None:
        lines = attention(self.home(self.staff))
        count, url = lines["Tasks of your unit due in the next 14 days"]
        self.assertEqual(count, 1)
        self.assertEqual(
            url, f"/plans/tasks/?unit={self.unit.pk}&due_from=20%2F06%2F2026&due_to=04%2F07%2F2026&live=1&open=1"
        )
        self.assertNotIn("Overdue tasks of your unit", lines)

    @time_machine.travel(date(2026, 7, 5))
    def test_it_shows_the_unit_its_overdue_tasks(self) -> None:
        lines = attention(self.home(self.unit_head))
        self.assertEqual(
            lines["Overdue tasks of your unit"], (1, f"/plans/tasks/?unit={self.unit.pk}&state=overdue&live=1")
        )
        self.assertNotIn("Tasks of your unit due in the next 14 days", lines)
        # The coordinator's office does not lead it.
        self.assertNotIn("Overdue tasks of your unit", attention(self.home(self.coordinator)))

    @time_machine.travel(date(2026, 7, 5))
    def test_it_counts_only_open_tasks_of_plans_under_way(self) -> None:
        Task.objects.create(plan=self.plan, content="Đã xong", lead_unit=self.unit, due_date=date(2026, 3, 31))
        Task.objects.filter(content="Đã xong").update(status=TaskStatus.DONE, completed_on=date(2026, 3, 1))
        Task.objects.create(plan=self.draft_plan, content="Nháp", lead_unit=self.unit, due_date=date(2026, 3, 31))
        closed = Plan.objects.create(agency=self.agency, year=2025, title="Năm 2025", status=PlanStatus.CLOSED)
        Task.objects.create(plan=closed, content="Còn dở", lead_unit=self.unit, due_date=date(2025, 12, 31))
        self.assertEqual(attention(self.home(self.staff))["Overdue tasks of your unit"][0], 1)

    @time_machine.travel(date(2026, 7, 5))
    def test_it_shows_the_coordinator_the_agency(self) -> None:
        lines = attention(self.home(self.coordinator))
        self.assertEqual(
            lines["Overdue tasks of the agency"], (1, f"/plans/tasks/overdue/?agency={self.agency.pk}&live=1")
        )
        self.assertEqual(lines["Plans waiting in draft"], (1, "/plans/?status=draft"))
        self.assertEqual(lines["Targets at risk"], (1, "/plans/targets/?status=at_risk"))
        self.assertNotIn("Plans submitted for your approval", lines)
        self.assertContains(self.home(self.coordinator), "Plans and tasks of Sở Ngoại vụ")

    @time_machine.travel(date(2026, 7, 5))
    def test_it_counts_targets_at_risk_as_their_status_says(self) -> None:
        met = Target.objects.create(
            plan=self.plan, statement="Tối đa 5 ngày", metric_kind=MetricKind.COUNT, comparator=Comparator.LTE,
            value=Decimal(5), unit_of_measure="ngày",
        )  # fmt: skip
        TargetValue.objects.create(target=met, period_label="Quý I/2026", period_end=date(2026, 3, 31), actual=4)
        missed = Target.objects.create(
            plan=self.plan, statement="03-05 sáng kiến", metric_kind=MetricKind.COUNT, comparator=Comparator.RANGE,
            value=Decimal(3), value_max=Decimal(5), unit_of_measure="sáng kiến",
        )  # fmt: skip
        TargetValue.objects.create(target=missed, period_label="Quý I/2026", period_end=date(2026, 3, 31), actual=6)
        # A later period counts, not an earlier one recorded afterwards.
        TargetValue.objects.create(target=self.target, period_label="Quý II", period_end=date(2026, 6, 30), actual=55)
        TargetValue.objects.create(target=self.target, period_label="Tháng 1", period_end=date(2026, 1, 31), actual=1)
        statuses = [t.status_for(t.values.first()) for t in Target.objects.filter(plan=self.plan)]
        self.assertEqual(statuses.count(TargetStatus.AT_RISK), 1)
        self.assertEqual(attention(self.home(self.coordinator))["Targets at risk"][0], 1)

    def test_it_shows_the_leader_plans_to_approve(self) -> None:
        lines = attention(self.home(self.leader))
        self.assertNotIn("Plans submitted for your approval", lines)
        self.assertNotIn("Plans waiting in draft", lines)
        Plan.objects.filter(pk=self.draft_plan.pk).update(status=PlanStatus.SUBMITTED)
        lines = attention(self.home(self.leader))
        self.assertEqual(lines["Plans submitted for your approval"], (1, f"/plans/{self.draft_plan.pk}/"))
        Plan.objects.create(agency=self.agency, year=2027, title="Chỉ tiêu 2027", status=PlanStatus.SUBMITTED)
        lines = attention(self.home(self.leader))
        self.assertEqual(lines["Plans submitted for your approval"], (2, "/plans/?status=submitted"))

    def test_it_lists_unseen_mentions(self) -> None:
        mention = Mention.objects.create(update=self.update, person=self.coordinator)
        r = self.home(self.coordinator)
        self.assertContains(r, "Mentions for you")
        text = "You were mentioned on the task “1) Rà soát, công bố thủ tục hành chính”"
        self.assertEqual(attention(r)[text], (1, f"/plans/tasks/{self.task.pk}/"))
        mention.seen_at = timezone.now()
        mention.save()
        self.assertNotContains(self.home(self.coordinator), "Mentions for you")

    @time_machine.travel(date(2026, 7, 5))
    def test_it_never_shows_an_outsider_the_agency(self) -> None:
        Mention.objects.create(update=self.update, person=self.outsider)  # cannot happen through the app
        lines = attention(self.home(self.outsider))
        for text in ("Overdue tasks of the agency", "Plans waiting in draft", "Targets at risk"):
            self.assertNotIn(text, lines)
        self.assertFalse(any(text.startswith("You were mentioned") for text in lines))
        r = self.home(self.outsider)
        self.assertContains(r, "Plans and tasks of Sở Tư pháp")
        self.assertNotContains(r, "Plans and tasks of Sở Ngoại vụ")

    @time_machine.travel(date(2026, 7, 5))
    def test_it_keeps_the_query_count_with_more_plans(self) -> None:
        self.login(self.coordinator)
        self.client.get("/")
        with self.assertNumQueries(16):
            self.client.get("/")
        for n in range(5):
            task = Task.objects.create(
                plan=self.plan, content=f"Việc {n}", lead_unit=self.office, due_date=date(2026, 7, 1)
            )
            update = TaskUpdate.objects.create(
                task=task, kind=UpdateKind.COMMENT, author=self.staff, text="@coordinator"
            )
            Mention.objects.create(update=update, person=self.coordinator)
            target = Target.objects.create(
                plan=self.plan, statement=f"Chỉ tiêu {n}", metric_kind=MetricKind.PERCENT, value=90
            )
            TargetValue.objects.create(target=target, period_label="Quý II", period_end=date(2026, 6, 30), actual=10)
            Plan.objects.create(agency=self.agency, year=2027, title=f"Nháp {n}")
        with self.assertNumQueries(16):
            r = self.client.get("/")
        lines = attention(r)
        self.assertEqual(lines["Overdue tasks of the agency"][0], 6)
        self.assertEqual(lines["Targets at risk"][0], 6)
        self.assertEqual(lines["Plans waiting in draft"][0], 6)
