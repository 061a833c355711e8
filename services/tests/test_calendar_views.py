"""The working-day calendar pages: the year view and the administrators' exceptions."""

from __future__ import annotations

from datetime import date

import time_machine

from services.calendar import DayKind
from services.models import CalendarException, ExceptionKind
from services.tests.base import ServicesTestCase

URL = "/services/calendar/"
CREATE = "/services/calendar/exceptions/new/"


def edit_url(pk: int) -> str:
    return f"/services/calendar/exceptions/{pk}/edit/"


def delete_url(pk: int) -> str:
    return f"/services/calendar/exceptions/{pk}/delete/"


class CalendarYearTestCase(ServicesTestCase):
    def days(self, r) -> dict:
        return {d.day: d for m in r.context["months"] for week in m.weeks for d in week if d is not None}

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    @time_machine.travel("2024-03-01 09:00 +07:00")
    def test_it_shows_this_year_by_default(self) -> None:
        self.login(self.staff)
        r = self.client.get(URL)
        self.assertEqual(r.context["year"], 2024)
        self.assertEqual(list(r.context["years"]), [2021, 2022, 2023, 2024, 2025, 2026, 2027])
        self.assertContains(r, "Working-day calendar 2024")

    @time_machine.travel("2024-03-01 09:00 +07:00")
    def test_it_ignores_a_year_it_does_not_know(self) -> None:
        self.login(self.staff)
        for value in ("abc", "1999", "2100", "٢٠٢٥", "99999999999999999999"):
            r = self.client.get(URL, {"year": value})
            self.assertEqual(r.context["year"], 2024, value)

    def test_it_shows_tet_2024_and_the_swapped_saturday(self) -> None:
        self.login(self.staff)
        r = self.client.get(URL, {"year": "2024"})
        days = self.days(r)
        self.assertEqual([days[date(2024, 2, n)].kind for n in range(8, 15)], [DayKind.HOLIDAY] * 7)
        self.assertEqual(days[date(2024, 5, 4)].kind, DayKind.SWAPPED)
        self.assertEqual(days[date(2024, 4, 29)].kind, DayKind.HOLIDAY)
        self.assertContains(r, '<td class="day-holiday" title="Day off (substituted from 05/04/2024)">29')
        self.assertContains(r, '<td class="day-swapped" title="Làm bù cho ngày nghỉ 29/04/2024">4')
        self.assertContains(r, '<td class="day-weekend">5</td>')
        self.assertContains(r, '<abbr title="Monday">Mo</abbr>')

    def test_it_counts_working_days_per_month_and_year(self) -> None:
        self.login(self.staff)
        r = self.client.get(URL, {"year": "2024"})
        months = r.context["months"]
        self.assertEqual(months[1].working_days, 16)  # February: Tết
        self.assertEqual(months[4].working_days, 23)  # May: 22 weekdays worked + Saturday 04/05
        self.assertEqual(r.context["working_days"], 251)
        self.assertContains(r, "16 working days")
        self.assertContains(r, "251 working days in 2024.")

    def test_it_names_holidays_in_vietnamese(self) -> None:
        self.login(self.staff)
        self.client.cookies["django_language"] = "vi"
        r = self.client.get(URL, {"year": "2024"})
        self.assertContains(r, '<td class="day-holiday" title="Quốc khánh">2')

    def test_it_lists_the_years_exceptions(self) -> None:
        CalendarException.objects.create(day=date(2025, 1, 2), kind=ExceptionKind.DAY_OFF, name="Nghỉ thêm 2025")
        self.login(self.staff)
        r = self.client.get(URL, {"year": "2024"})
        self.assertEqual(list(r.context["exceptions"]), [self.exception])
        self.assertContains(r, "Saturday, 04/05/2024")
        self.assertNotContains(r, "Nghỉ thêm 2025")
        # Only administrators see the buttons.
        self.assertNotContains(r, edit_url(self.exception.pk))
        self.assertNotContains(r, delete_url(self.exception.pk))
        self.assertNotContains(r, CREATE)

    def test_it_shows_administrators_the_buttons(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL, {"year": "2024"})
        self.assertContains(r, edit_url(self.exception.pk))
        self.assertContains(r, delete_url(self.exception.pk))
        self.assertContains(r, f"{CREATE}?year=2024")

    def test_it_says_when_a_year_has_no_exception(self) -> None:
        self.login(self.staff)
        r = self.client.get(URL, {"year": "2025"})
        self.assertContains(r, "No exception has been entered for this year.")

    def test_it_pins_the_query_count(self) -> None:
        self.login(self.admin)
        self.client.get(URL, {"year": "2024"})  # warm the session
        with self.assertNumQueries(NUM_QUERIES):
            self.client.get(URL, {"year": "2024"})
        for n in range(1, 6):
            CalendarException.objects.create(day=date(2024, 10, n), kind=ExceptionKind.DAY_OFF, name=f"Nghỉ {n}")
        with self.assertNumQueries(NUM_QUERIES):
            r = self.client.get(URL, {"year": "2024"})
        self.assertEqual(len(r.context["exceptions"]), 6)


# Session (read, then saved in a savepoint: 4), user, OTP device, memberships (roles and navigation),
# the exceptions in force (services.calendar.current), the year's list.
NUM_QUERIES = 9


class ExceptionCreateTestCase(ServicesTestCase):
    def post(self, **data: str):
        return self.client.post(CREATE, {"day": "", "kind": "", "name": "", **data})

    def test_it_shows_the_form_to_administrators(self) -> None:
        self.login(self.admin)
        r = self.client.get(CREATE, {"year": "2024"})
        self.assertContains(r, "Add an exception")
        self.assertContains(r, 'href="/services/calendar/?year=2024"')

    def test_it_refuses_everyone_else(self) -> None:
        for persona in (self.leader, self.coordinator, self.staff, self.overseer, self.outsider):
            self.login(persona)
            r = self.client.post(CREATE, {"day": "02/01/2025", "kind": "dayoff", "name": "Nghỉ"})
            self.assertEqual(r.status_code, 403)
        self.assertEqual(CalendarException.objects.count(), 1)

    def test_it_adds_an_extra_day_off(self) -> None:
        self.login(self.admin)
        r = self.post(day="02/01/2025", kind=ExceptionKind.DAY_OFF, name="Nghỉ thêm sau Tết Dương lịch")
        self.assertRedirects(r, "/services/calendar/?year=2025", fetch_redirect_response=False)
        exception = CalendarException.objects.get(day=date(2025, 1, 2))
        self.assertEqual(exception.kind, ExceptionKind.DAY_OFF)
        self.assertEqual(exception.name, "Nghỉ thêm sau Tết Dương lịch")
        self.assertEqual(exception.created_by, self.admin)
        r = self.client.get(r["Location"])
        self.assertContains(r, "The exception on 02/01/2025 (Extra day off) was saved.")
        self.assertContains(r, '<td class="day-dayoff" title="Nghỉ thêm sau Tết Dương lịch">2')

    def test_it_adds_a_swapped_working_saturday(self) -> None:
        self.login(self.admin)
        r = self.post(day="26/04/2025", kind=ExceptionKind.WORKING, name="Làm bù")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(CalendarException.objects.get(day=date(2025, 4, 26)).kind, ExceptionKind.WORKING)

    def test_it_refuses_a_working_day_on_a_working_day(self) -> None:
        self.login(self.admin)
        r = self.post(day="03/05/2024", kind=ExceptionKind.WORKING, name="Làm bù")  # a Friday
        self.assertContains(r, "This day is already a working day.")
        self.assertFalse(CalendarException.objects.filter(day=date(2024, 5, 3)).exists())

    def test_it_refuses_a_day_off_on_a_day_off(self) -> None:
        self.login(self.admin)
        for day in ("11/05/2024", "12/02/2024"):  # a Saturday; a Tết day
            r = self.post(day=day, kind=ExceptionKind.DAY_OFF, name="Nghỉ")
            self.assertContains(r, "This day is already a day off.")
        self.assertEqual(CalendarException.objects.count(), 1)

    def test_it_refuses_a_second_exception_on_the_same_day(self) -> None:
        self.login(self.admin)
        r = self.post(day="04/05/2024", kind=ExceptionKind.WORKING, name="Làm bù lần hai")
        self.assertContains(r, "This day already has an exception; edit that one instead.")
        self.assertEqual(CalendarException.objects.get().name, "Làm bù cho ngày nghỉ 29/04/2024")

    def test_it_answers_bad_input_with_messages(self) -> None:
        self.login(self.admin)
        r = self.post(day="31/02/2024", kind="holiday", name="")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Enter a valid date.")
        self.assertContains(r, "Select a valid choice.")
        self.assertContains(r, "This field is required.")
        r = self.post(day="01/01/1990", kind=ExceptionKind.DAY_OFF, name="Nghỉ")
        self.assertContains(r, "Enter a day between 2000 and 2099.")
        self.assertEqual(CalendarException.objects.count(), 1)


class ExceptionEditTestCase(ServicesTestCase):
    def test_it_changes_the_reason(self) -> None:
        self.login(self.admin)
        r = self.client.get(edit_url(self.exception.pk))
        self.assertContains(r, "Edit the exception on 04/05/2024")
        self.assertContains(r, 'value="04/05/2024"')
        r = self.client.post(
            edit_url(self.exception.pk), {"day": "04/05/2024", "kind": ExceptionKind.WORKING, "name": "Làm bù 29/04"}
        )
        self.assertRedirects(r, "/services/calendar/?year=2024", fetch_redirect_response=False)
        self.exception.refresh_from_db()
        self.assertEqual(self.exception.name, "Làm bù 29/04")
        self.assertIsNone(self.exception.created_by)  # who first entered it is kept

    def test_it_links_the_history_of_changes(self) -> None:
        self.login(self.admin)
        r = self.client.get(edit_url(self.exception.pk))
        history = f"/audit/history/services.calendarexception/{self.exception.pk}/"
        self.assertContains(r, f'href="{history}"')
        r = self.client.get(history)
        self.assertContains(r, "Làm bù cho ngày nghỉ 29/04/2024")

    def test_it_refuses_to_turn_it_into_a_day_off(self) -> None:
        self.login(self.admin)
        r = self.client.post(
            edit_url(self.exception.pk), {"day": "04/05/2024", "kind": ExceptionKind.DAY_OFF, "name": "Nghỉ"}
        )
        self.assertContains(r, "This day is already a day off.")
        self.exception.refresh_from_db()
        self.assertEqual(self.exception.kind, ExceptionKind.WORKING)

    def test_it_refuses_everyone_else(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(
            edit_url(self.exception.pk), {"day": "04/05/2024", "kind": ExceptionKind.WORKING, "name": "Đổi"}
        )
        self.assertEqual(r.status_code, 403)
        self.exception.refresh_from_db()
        self.assertEqual(self.exception.name, "Làm bù cho ngày nghỉ 29/04/2024")

    def test_it_answers_404_for_a_missing_exception(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.get(edit_url(self.exception.pk + 100)).status_code, 404)


class ExceptionDeleteTestCase(ServicesTestCase):
    def test_it_deletes(self) -> None:
        self.login(self.admin)
        r = self.client.post(delete_url(self.exception.pk))
        self.assertRedirects(r, "/services/calendar/?year=2024", fetch_redirect_response=False)
        self.assertFalse(CalendarException.objects.exists())
        r = self.client.get(r["Location"])
        self.assertContains(r, "The exception on 04/05/2024 (Working day (swapped)) was deleted.")
        self.assertContains(r, '<td class="day-weekend">4</td>')

    def test_it_refuses_a_coordinator(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(delete_url(self.exception.pk))
        self.assertEqual(r.status_code, 403)
        self.assertTrue(CalendarException.objects.filter(pk=self.exception.pk).exists())

    def test_it_is_post_only(self) -> None:
        self.login(self.admin)
        r = self.client.get(delete_url(self.exception.pk))
        self.assertEqual(r.status_code, 405)
        self.assertTrue(CalendarException.objects.exists())

    def test_it_answers_404_for_a_missing_exception(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.post(delete_url(self.exception.pk + 100)).status_code, 404)
        self.assertEqual(CalendarException.objects.count(), 1)
