"""Searching the task lists without accents: "cai cach" finds "cải cách", "dang" finds "Đảng"."""

from __future__ import annotations

from datetime import date

import time_machine

from plans.tests.lists_base import ListsTestCase

URL = "/plans/tasks/"


@time_machine.travel(date(2026, 5, 1), tick=False)
class TaskSearchTestCase(ListsTestCase):
    def search(self, q: str, url: str = URL) -> list[int]:
        return self.pks(self.client.get(url, {"q": q}))

    def test_it_finds_words_typed_without_accents(self) -> None:
        party = self.add("Quán triệt nghị quyết của Đảng ủy về cải cách hành chính")
        self.login(self.coordinator)
        self.assertEqual(self.search("cai cach"), [party.pk, self.draft_task.pk])
        self.assertEqual(self.search("dang"), [party.pk])
        self.assertEqual(self.search("DANG UY"), [party.pk])
        self.assertEqual(self.search("  đảng   ủy "), [party.pk])
        self.assertEqual(self.search("Đảng"), [party.pk])
        self.assertEqual(self.search("thu tuc hanh chinh"), [self.task.pk])

    def test_it_finds_the_output_label_and_printed_deadline_too(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.search("quyet dinh cong bo"), [self.task.pk])  # expected output
        self.assertEqual(self.search("quy ii/2026"), [self.task.pk])  # deadline as printed

    def test_it_narrows_the_other_lists_and_filters_too(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.search("ra soat", "/plans/tasks/mine/"), [self.task.pk])
        response = self.client.get(URL, {"q": "cai cach", "plan": str(self.plan.pk)})
        self.assertEqual(self.pks(response), [])
        self.assertEqual(response.context["counts"]["all"], 0)

    def test_it_never_finds_another_agencys_tasks(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.search("bi mat"), [])
        self.login(self.outsider)
        self.assertEqual(self.search("bi mat"), [self.foreign_task.pk])
        self.assertEqual(self.search("ra soat"), [])

    def test_it_treats_like_wildcards_as_letters(self) -> None:
        self.add("Tỷ lệ 100% hồ sơ")
        self.login(self.coordinator)
        self.assertEqual(len(self.search("%")), 1)
        self.assertEqual(self.search("_"), [])

    def test_it_keeps_the_words_in_the_search_box(self) -> None:
        self.login(self.coordinator)
        self.assertContains(self.client.get(URL, {"q": "cải cách"}), 'value="cải cách"')
