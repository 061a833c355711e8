"""The criteria set pages: list, tree, forms, copies, publishing, Excel, and who may do what."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Agency, AgencyKind, Role
from indices import criteria
from indices.models import CriteriaSet, Criterion, SetStatus
from indices.tests.test_criteria import CriteriaTestCase
from indices.tests.test_criteria_import import GOOD, workbook
from lib.xlsx import XLSX_TYPE


def upload(buffer: io.BytesIO, name: str = "Bộ tiêu chí.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


class SetListTestCase(CriteriaTestCase):
    def test_it_lists_the_sets_of_the_province_with_filters(self) -> None:
        criteria.load_example(self.province, 2026)
        self.login(self.staff)
        response = self.client.get(reverse("par:set_list"))
        self.assertEqual([s.pk for s in response.context["sets"]][:1], [CriteriaSet.objects.get(year=2026).pk])
        self.assertContains(response, "Example")
        self.assertContains(response, "Bộ tiêu chí Chỉ số CCHC các sở năm 2024")
        self.assertNotContains(response, "New set")
        counts = {s.year: s.criteria_count for s in response.context["sets"]}
        self.assertEqual(counts[2024], 12)
        response = self.client.get(reverse("par:set_list"), {"year": "2025", "status": "draft"})
        self.assertEqual([s.pk for s in response.context["sets"]], [self.draft_set.pk])
        response = self.client.get(reverse("par:set_list"), {"kind": "commune"})
        self.assertEqual(list(response.context["sets"]), [])
        self.assertContains(response, "No set matches these filters.")

    def test_another_provinces_sets_are_not_listed(self) -> None:
        other = Agency.objects.create(
            code="ubnd-hn",
            kind=AgencyKind.PROVINCE,
            name="UBND thành phố Hà Nội",
            short_name="UBND TP",
            abbreviation="UBND",
            place_name="Hà Nội",
        )
        hidden = CriteriaSet.objects.create(name="Bộ tiêu chí Hà Nội", year=2024, province=other)
        national = CriteriaSet.objects.create(name="Bộ tiêu chí quốc gia", year=2024, province=None)
        self.login(self.overseer)
        response = self.client.get(reverse("par:set_list"))
        listed = {s.pk for s in response.context["sets"]}
        self.assertNotIn(hidden.pk, listed)
        self.assertIn(national.pk, listed)
        self.assertContains(response, "New set")
        self.assertEqual(self.client.get(reverse("par:set_detail", args=[hidden.pk])).status_code, 404)

    def test_the_list_takes_the_same_queries_for_more_sets(self) -> None:
        self.login(self.overseer)
        self.client.get(reverse("par:set_list"))  # sessions, caches
        with self.assertNumQueries(10):
            self.client.get(reverse("par:set_list"))
        for year in (2026, 2027, 2028):
            criteria.copy_set(self.criteria_set, None, year=year)
        with self.assertNumQueries(10):
            response = self.client.get(reverse("par:set_list"))
        self.assertEqual(len(response.context["sets"]), 5)


class SetDetailTestCase(CriteriaTestCase):
    def test_it_shows_the_tree_and_its_totals(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("par:set_detail", args=[self.criteria_set.pk]))
        totals = response.context["totals"]
        self.assertEqual(
            (totals.scored, totals.self_points, totals.survey_points, totals.bonus_cap, totals.penalty_cap),
            (Decimal(40), Decimal(20), Decimal(20), Decimal(2), Decimal(3)),
        )
        lines = response.context["lines"]
        self.assertEqual([(line.criterion.code, line.depth) for line in lines][:3], [("1", 1), ("1.1", 2), ("1.2", 2)])
        self.assertEqual(lines[2].options, "Không đủ (0); Đủ, có báo cáo trễ (3); Đủ, đúng hạn (6)")
        self.assertContains(response, "steps of 0.50")
        self.assertContains(response, "Only agencies that handle administrative procedures")
        self.assertContains(response, "Sociological survey")
        self.assertContains(response, "This set is in use and cannot be changed.")
        # Readers get no actions.
        self.assertNotContains(response, "Make a new version</button>")
        self.assertNotContains(response, "Edit the set")
        self.assertNotContains(response, reverse("par:criterion_edit", args=[self.criterion.pk]))
        self.assertContains(response, reverse("par:set_export", args=[self.criteria_set.pk]))
        self.assertEqual(response.context["warnings"], [])
        # The next year's draft made from it is in its history.
        self.assertEqual(list(response.context["versions"]), [self.draft_set])
        self.assertContains(response, "made from this set")

    def test_keepers_see_the_actions_their_set_allows(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:set_detail", args=[self.criteria_set.pk]))
        self.assertContains(response, "Make a new version</button>")
        self.assertNotContains(response, "Edit the set")
        self.assertNotContains(response, "Publish (put in use)")
        response = self.client.get(reverse("par:set_detail", args=[self.draft_set.pk]))
        self.assertContains(response, "Edit the set")
        self.assertContains(response, "Publish (put in use)")
        self.assertNotContains(response, "Make a new version</button>")
        self.assertContains(
            response, reverse("par:criterion_delete", args=[self.draft_set.criteria.get(code="1.1").pk])
        )

    def test_it_warns_when_the_tree_does_not_add_up(self) -> None:
        Criterion.objects.filter(criteria_set=self.draft_set, code="1.2").update(max_points=Decimal(5))
        self.login(self.overseer)
        response = self.client.get(reverse("par:set_detail", args=[self.draft_set.pk]))
        self.assertEqual(response.context["warnings"], ["1 has 10 points but its items add up to 9."])
        self.assertContains(response, "1 has 10 points but its items add up to 9.")

    def test_the_detail_takes_the_same_queries_for_a_bigger_set(self) -> None:
        self.login(self.overseer)
        url = reverse("par:set_detail", args=[self.draft_set.pk])
        self.client.get(url)
        with self.assertNumQueries(11):
            self.client.get(url)
        example = criteria.load_example(self.province, 2026, publish_it=False)
        self.client.get(reverse("par:set_detail", args=[example.pk]))
        with self.assertNumQueries(11):
            response = self.client.get(reverse("par:set_detail", args=[example.pk]))
        self.assertEqual(len(response.context["lines"]), 91)
        self.assertContains(response, "This is an example set shipped with the demo")


class LockedSetTestCase(CriteriaTestCase):
    def test_a_set_in_use_is_not_edited_but_versioned(self) -> None:
        self.login(self.overseer)
        detail = reverse("par:set_detail", args=[self.criteria_set.pk])
        message = "This set is in use and cannot be changed. Make a new version to change it."
        for url in (
            reverse("par:set_edit", args=[self.criteria_set.pk]),
            reverse("par:criterion_create", args=[self.criteria_set.pk]),
            reverse("par:criterion_edit", args=[self.criterion.pk]),
            reverse("par:criterion_delete", args=[self.criterion.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.post(url, {"name": "Đổi tên", "code": "9", "max_points": "1"}, follow=True)
                self.assertRedirects(response, detail)
                self.assertEqual(texts(response), [message])
                self.assertContains(response, "Make a new version</button>")
        self.criterion.refresh_from_db()
        self.criteria_set.refresh_from_db()
        self.assertEqual(
            (self.criterion.name, self.criteria_set.name),
            ("Ban hành kế hoạch CCHC năm", "Bộ tiêu chí Chỉ số CCHC các sở năm 2024"),
        )
        self.assertEqual(self.criteria_set.criteria.count(), 12)

    def test_a_draft_with_assessments_is_locked_too(self) -> None:
        from indices.models import Assessment

        Assessment.objects.create(criteria_set=self.draft_set, agency=self.agency, year=2025)
        self.login(self.overseer)
        response = self.client.get(reverse("par:set_edit", args=[self.draft_set.pk]), follow=True)
        self.assertEqual(
            texts(response),
            ["Assessments already use this set, so it cannot be changed. Make a new version to change it."],
        )

    def test_make_a_new_version(self) -> None:
        self.login(self.overseer)
        response = self.client.post(reverse("par:set_copy", args=[self.criteria_set.pk]), follow=True)
        version = CriteriaSet.objects.get(year=2024, version=2)
        self.assertRedirects(response, reverse("par:set_detail", args=[version.pk]))
        self.assertEqual(texts(response), ["Version 2 was made as a draft: change it, then publish it."])
        self.assertEqual(
            (version.status, version.previous, version.criteria.count()), (SetStatus.DRAFT, self.criteria_set, 12)
        )
        # Published, it replaces version 1.
        response = self.client.post(reverse("par:set_publish", args=[version.pk]), follow=True)
        self.assertEqual(texts(response), ["The set is now in use; any earlier version in use is marked replaced."])
        self.criteria_set.refresh_from_db()
        self.assertEqual(self.criteria_set.status, SetStatus.RETIRED)
        response = self.client.get(reverse("par:set_detail", args=[self.criteria_set.pk]))
        self.assertContains(response, "This set was replaced by a newer version and cannot be changed.")
        self.assertNotContains(response, "Make a new version</button>")

    def test_copy_to_another_year(self) -> None:
        self.login(self.admin)
        response = self.client.post(reverse("par:set_copy", args=[self.criteria_set.pk]), {"year": "2026"}, follow=True)
        copy = CriteriaSet.objects.get(year=2026)
        self.assertRedirects(response, reverse("par:set_detail", args=[copy.pk]))
        self.assertEqual(texts(response), ["The set was copied to 2026 as a draft."])
        response = self.client.post(reverse("par:set_copy", args=[self.criteria_set.pk]), {"year": "sau"}, follow=True)
        self.assertEqual(texts(response), ["The year must be between 2000 and 2100."])
        response = self.client.post(reverse("par:set_copy", args=[self.draft_set.pk]), follow=True)
        self.assertEqual(texts(response), ["This set is a draft: edit it instead of making a new version."])
        self.assertEqual(CriteriaSet.objects.count(), 3)

    def test_publish_refused_with_the_reasons(self) -> None:
        Criterion.objects.filter(criteria_set=self.draft_set, code="2.1").update(max_points=Decimal(8))
        self.login(self.overseer)
        response = self.client.post(reverse("par:set_publish", args=[self.draft_set.pk]), follow=True)
        self.assertEqual(texts(response), ["The set was not published:", "2 has 10 points but its items add up to 8."])
        self.draft_set.refresh_from_db()
        self.assertEqual(self.draft_set.status, SetStatus.DRAFT)


class SetFormTestCase(CriteriaTestCase):
    def data(self, **extra: str) -> dict[str, str]:
        return {
            "name": "Bộ tiêu chí các xã năm 2025",
            "year": "2025",
            "agency_kind": "commune",
            "decision": "Quyết định số 5/QĐ-UBND",
            "decision_date": "10/01/2025",
            "decimals": "2",
            "bands_text": "A=90; B=80; C=70; D=0",
            "cap_at_100": "on",
            **extra,
        }

    def test_an_overseer_creates_a_set_of_their_province(self) -> None:
        self.login(self.overseer)
        response = self.client.post(reverse("par:set_create"), self.data(province=str(self.province.pk)), follow=True)
        created = CriteriaSet.objects.get(agency_kind="commune")
        self.assertRedirects(response, reverse("par:set_detail", args=[created.pk]))
        self.assertEqual(texts(response), ["The criteria set was created as a draft: add its criteria."])
        self.assertEqual(
            (created.province, created.version, created.status, created.created_by),
            (self.province, 1, SetStatus.DRAFT, self.overseer),
        )
        self.assertEqual(str(created.decision_date), "2025-01-10")
        # Another province is not theirs to choose.
        other = Agency.objects.create(
            code="ubnd-hn",
            kind=AgencyKind.PROVINCE,
            name="UBND thành phố Hà Nội",
            short_name="UBND TP",
            abbreviation="UBND",
            place_name="Hà Nội",
        )
        response = self.client.post(reverse("par:set_create"), self.data(province=str(other.pk)))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CriteriaSet.objects.filter(province=other).exists())

    def test_an_administrator_creates_a_national_set(self) -> None:
        self.login(self.admin)
        self.client.post(reverse("par:set_create"), self.data(province=""))
        created = CriteriaSet.objects.get(agency_kind="commune")
        self.assertIsNone(created.province)

    def test_bad_groups_are_refused(self) -> None:
        self.login(self.overseer)
        response = self.client.post(reverse("par:set_edit", args=[self.draft_set.pk]), self.data(bands_text="A; B=x"))
        self.assertContains(response, "The group “A” is not written as label=lowest index, e.g. A=90.")
        self.draft_set.refresh_from_db()
        self.assertEqual(self.draft_set.agency_kind, "department")

    def test_editing_moves_the_set_to_the_next_free_version(self) -> None:
        self.login(self.overseer)
        response = self.client.post(
            reverse("par:set_edit", args=[self.draft_set.pk]),
            self.data(year="2024", agency_kind="department", bands_text="Tốt=80; Đạt=0"),
            follow=True,
        )
        self.assertEqual(texts(response), ["The criteria set was saved."])
        self.draft_set.refresh_from_db()
        self.assertEqual((self.draft_set.year, self.draft_set.version), (2024, 2))
        self.assertEqual(self.draft_set.bands, [{"label": "Tốt", "min": 80}, {"label": "Đạt", "min": 0}])

    def test_people_who_do_not_keep_sets_are_refused(self) -> None:
        for persona in (self.leader, self.coordinator, self.outsider):
            self.login(persona)
            self.assertEqual(self.client.post(reverse("par:set_create"), self.data()).status_code, 403)
            self.assertEqual(self.client.post(reverse("par:set_publish", args=[self.draft_set.pk])).status_code, 403)
        self.assertEqual(CriteriaSet.objects.count(), 2)


class CriterionFormTestCase(CriteriaTestCase):
    def test_add_a_sub_criterion(self) -> None:
        self.login(self.overseer)
        area = self.draft_set.criteria.get(code="1")
        response = self.client.get(reverse("par:criterion_create", args=[self.draft_set.pk]), {"parent": area.pk})
        self.assertEqual(response.context["form"].initial["parent"], area)
        response = self.client.post(
            reverse("par:criterion_create", args=[self.draft_set.pk]),
            {
                "parent": area.pk,
                "code": "1.0",
                "name": "Tuyên truyền CCHC",
                "max_points": "2",
                "kind": "scored",
                "method": "self",
                "step": "0.5",
                "options_text": "",
                "applicability": "always",
            },
            follow=True,
        )
        added = self.draft_set.criteria.get(code="1.0")
        self.assertEqual(texts(response), ["The criterion 1.0 was added."])
        self.assertEqual((added.parent, added.max_points, added.step), (area, Decimal(2), Decimal("0.5")))
        # Placed among its siblings by code; the area no longer adds up, which the page says.
        codes = [line.criterion.code for line in response.context["lines"]][:4]
        self.assertEqual(codes, ["1", "1.0", "1.1", "1.2"])
        self.assertEqual(response.context["warnings"], ["1 has 10 points but its items add up to 12."])

    def test_bad_criteria_are_refused(self) -> None:
        self.login(self.overseer)
        bonus = self.draft_set.criteria.get(code="4")
        response = self.client.post(
            reverse("par:criterion_create", args=[self.draft_set.pk]),
            {
                "parent": bonus.pk,
                "code": "1.1",
                "name": "Sai",
                "max_points": "1",
                "kind": "scored",
                "method": "self",
                "options_text": "Có=2; Không",
                "applicability": "always",
            },
        )
        form = response.context["form"]
        self.assertEqual(form.errors["code"], ["The code 1.1 is already used in this set."])
        self.assertEqual(form.errors["kind"], ["It must be of the same kind as its parent 4 (Bonus points)."])
        self.assertEqual(
            form.errors["options_text"],
            [
                "The option “Có=2” gives more than the maximum of 1 points.",
                "The option “Không” is not written as label=points.",
            ],
        )
        self.assertEqual(self.draft_set.criteria.count(), 12)

    def test_edit_options_and_parent(self) -> None:
        self.login(self.overseer)
        criterion = self.draft_set.criteria.get(code="1.2")
        response = self.client.get(reverse("par:criterion_edit", args=[criterion.pk]))
        form = response.context["form"]
        self.assertEqual(form["options_text"].value(), "Không đủ=0; Đủ, có báo cáo trễ=3; Đủ, đúng hạn=6")
        # Neither itself nor anything under it can be its parent.
        area = self.draft_set.criteria.get(code="1")
        self.assertNotIn(
            area.pk, [c.pk for c in form.fields["parent"].queryset if c.pk != area.pk] + [criterion.pk][1:]
        )
        edit_area = self.client.get(reverse("par:criterion_edit", args=[area.pk])).context["form"]
        self.assertEqual({c.code for c in edit_area.fields["parent"].queryset} & {"1", "1.1", "1.2"}, set())
        self.client.post(
            reverse("par:criterion_edit", args=[criterion.pk]),
            {
                "parent": area.pk,
                "code": "1.2",
                "name": "Báo cáo CCHC định kỳ",
                "max_points": "6",
                "kind": "scored",
                "method": "self",
                "options_text": "Đúng hạn=6; Trễ=2",
                "applicability": "always",
            },
        )
        criterion.refresh_from_db()
        self.assertEqual(criterion.options, [{"label": "Đúng hạn", "points": "6"}, {"label": "Trễ", "points": "2"}])

    def test_delete_a_criterion_and_what_is_under_it(self) -> None:
        self.login(self.overseer)
        area = self.draft_set.criteria.get(code="4")
        response = self.client.get(reverse("par:criterion_delete", args=[area.pk]))
        self.assertContains(response, "Its 2 items below are deleted with it.")
        response = self.client.post(reverse("par:criterion_delete", args=[area.pk]), follow=True)
        self.assertEqual(texts(response), ["The criterion 4 was deleted."])
        self.assertFalse(self.draft_set.criteria.filter(code__startswith="4").exists())
        self.assertEqual(self.draft_set.criteria.count(), 9)

    def test_an_overseer_of_another_province_cannot_see_the_set(self) -> None:
        other = Agency.objects.create(
            code="ubnd-hn",
            kind=AgencyKind.PROVINCE,
            name="UBND thành phố Hà Nội",
            short_name="UBND TP",
            abbreviation="UBND",
            place_name="Hà Nội",
        )
        home_affairs = Agency.objects.create(
            code="snv-hn",
            kind=AgencyKind.DEPARTMENT,
            parent=other,
            name="Sở Nội vụ Hà Nội",
            short_name="Sở Nội vụ",
            abbreviation="SNV",
            place_name="Hà Nội",
        )
        stranger = self._person("hn-overseer", "Vũ Văn Hải", home_affairs, Role.OVERSEER)
        self.login(stranger)
        criterion = self.draft_set.criteria.get(code="4.2")
        self.assertEqual(self.client.post(reverse("par:criterion_delete", args=[criterion.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("par:set_copy", args=[self.criteria_set.pk])).status_code, 404)
        self.assertTrue(Criterion.objects.filter(pk=criterion.pk).exists())


class ExcelViewsTestCase(CriteriaTestCase):
    def test_export_and_template(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("par:set_export", args=[self.criteria_set.pk]))
        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        self.assertIn("Bo-tieu-chi-CCHC-2024-department-v1.xlsx", response["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["Tiêu chí"].max_row, 13)
        self.assertEqual(self.client.get(reverse("par:set_template")).status_code, 403)
        self.login(self.overseer)
        response = self.client.get(reverse("par:set_template"))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Tiêu chí", "Thông tin"])

    def test_import_a_set(self) -> None:
        self.login(self.overseer)
        response = self.client.post(
            reverse("par:set_import"), {"file": upload(workbook(GOOD)), "province": self.province.pk}, follow=True
        )
        imported = CriteriaSet.objects.get(year=2026)
        self.assertRedirects(response, reverse("par:set_detail", args=[imported.pk]))
        self.assertEqual(
            texts(response), ["The set was imported as a draft with 7 criteria: check it, then publish it."]
        )
        self.assertEqual(
            (imported.status, imported.province, imported.criteria.count()), (SetStatus.DRAFT, self.province, 7)
        )

    def test_a_bad_file_is_reported_line_by_line_and_nothing_is_saved(self) -> None:
        self.login(self.overseer)
        rows = [*GOOD, ["1.1", None, "Lặp", 1], ["9.1", None, "Lạc", 1]]
        response = self.client.post(
            reverse("par:set_import"), {"file": upload(workbook(rows)), "province": self.province.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [(p.line, p.message) for p in response.context["problems"]],
            [
                (9, "Line 9: the code 1.1 is already used on line 3."),
                (10, "Line 10: the parent code 9 is not the code of an earlier line."),
            ],
        )
        self.assertContains(response, "Nothing was imported: the file has 2 problems.")
        self.assertEqual(CriteriaSet.objects.count(), 2)
        response = self.client.post(
            reverse("par:set_import"), {"file": upload(io.BytesIO(b"%PDF"), "a.pdf"), "province": self.province.pk}
        )
        self.assertContains(response, "is not an Excel workbook (.xlsx)")

    def test_an_administrator_may_import_a_national_set(self) -> None:
        self.login(self.admin)
        self.client.post(reverse("par:set_import"), {"file": upload(workbook(GOOD)), "province": ""})
        self.assertIsNone(CriteriaSet.objects.get(year=2026).province)
