"""Criteria sets: copies to a new year, new versions, publishing, the edit guard, the example set."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import AgencyKind
from cchc.test import BaseTestCase
from indices import criteria
from indices.models import Applicability, Assessment, CriteriaSet, Criterion, CriterionKind, Method, SetStatus
from indices.scoring import check_set
from indices.tests.base import PARFixtures


def tree(criteria_set: CriteriaSet) -> list[tuple]:
    """The set's tree as comparable rows: code, parent code, points, kind, method, step, options, applicability."""
    return [
        (
            c.code,
            c.parent.code if c.parent else None,
            c.name,
            c.max_points,
            c.kind,
            c.method,
            c.step,
            c.options,
            c.applicability,
            c.guidance,
            c.evidence_required,
            c.keywords,
        )
        for c in criteria.tree_order(list(criteria_set.criteria.select_related("parent")))
    ]


class CriteriaTestCase(PARFixtures, BaseTestCase):
    """The PAR fixtures (their evidence needs a plan and a document of the register)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_par()


class CopyTestCase(CriteriaTestCase):
    def test_it_copies_a_set_to_a_new_year(self) -> None:
        copy = criteria.copy_set(self.criteria_set, self.overseer, year=2026)
        self.assertEqual((copy.year, copy.version, copy.status), (2026, 1, SetStatus.DRAFT))
        self.assertEqual(copy.previous, self.criteria_set)
        self.assertEqual(copy.name, "Bộ tiêu chí Chỉ số CCHC các sở năm 2026")
        self.assertEqual(copy.created_by, self.overseer)
        self.assertEqual(
            (copy.province, copy.decision, copy.bands),
            (self.province, "Quyết định số 1156/QĐ-UBND", self.criteria_set.bands),
        )
        self.assertEqual(tree(copy), tree(self.criteria_set))
        self.assertEqual(len(tree(copy)), 12)
        # The copy's parents are its own rows, not the original's.
        self.assertFalse(copy.criteria.exclude(parent=None).exclude(parent__criteria_set=copy).exists())

    def test_a_copy_to_a_year_that_has_a_set_takes_the_next_version(self) -> None:
        copy = criteria.copy_set(self.criteria_set, self.overseer, year=2025)
        self.assertEqual((copy.year, copy.version), (2025, 2))

    def test_it_makes_a_new_version_of_a_set_in_use(self) -> None:
        copy = criteria.copy_set(self.criteria_set, self.overseer)
        self.assertEqual(
            (copy.year, copy.version, copy.status, copy.previous), (2024, 2, SetStatus.DRAFT, self.criteria_set)
        )
        self.assertEqual(copy.name, self.criteria_set.name)
        self.assertEqual(tree(copy), tree(self.criteria_set))
        self.criteria_set.refresh_from_db()
        self.assertEqual(self.criteria_set.status, SetStatus.IN_USE)

    def test_a_draft_is_edited_rather_than_versioned(self) -> None:
        with self.assertRaises(criteria.Refused) as refused:
            criteria.copy_set(self.draft_set, self.overseer)
        self.assertEqual(refused.exception.messages, ["This set is a draft: edit it instead of making a new version."])
        self.assertEqual(CriteriaSet.objects.count(), 2)


class PublishTestCase(CriteriaTestCase):
    def test_publishing_a_version_replaces_the_one_in_use(self) -> None:
        version2 = criteria.copy_set(self.criteria_set, self.overseer)
        criteria.publish(version2, self.overseer)
        version2.refresh_from_db()
        self.criteria_set.refresh_from_db()
        self.draft_set.refresh_from_db()
        self.assertEqual(version2.status, SetStatus.IN_USE)
        self.assertEqual(self.criteria_set.status, SetStatus.RETIRED)
        # Another year's set is not touched.
        self.assertEqual(self.draft_set.status, SetStatus.DRAFT)

    def test_publishing_the_next_year_leaves_this_year_in_use(self) -> None:
        criteria.publish(self.draft_set, self.overseer)
        self.draft_set.refresh_from_db()
        self.criteria_set.refresh_from_db()
        self.assertEqual((self.draft_set.status, self.criteria_set.status), (SetStatus.IN_USE, SetStatus.IN_USE))
        self.assertEqual(self.draft_set.published_by, self.overseer)
        self.assertIsNotNone(self.draft_set.published_at)

    def test_it_refuses_a_tree_that_does_not_add_up(self) -> None:
        Criterion.objects.filter(criteria_set=self.draft_set, code="1.1").update(max_points=Decimal("5"))
        Criterion.objects.filter(criteria_set=self.draft_set, code="4.1").update(kind=CriterionKind.SCORED)
        with self.assertRaises(criteria.Refused) as refused:
            criteria.publish(self.draft_set, self.overseer)
        self.assertEqual(
            refused.exception.messages,
            ["1 has 10 points but its items add up to 11.", "4.1 is not of the same kind as 4."],
        )
        self.draft_set.refresh_from_db()
        self.assertEqual(self.draft_set.status, SetStatus.DRAFT)

    def test_it_refuses_a_set_in_use_and_an_empty_set(self) -> None:
        with self.assertRaises(criteria.Refused) as refused:
            criteria.publish(self.criteria_set, self.overseer)
        self.assertEqual(refused.exception.messages, ["Only a draft can be published; this set is already “In use”."])
        empty = CriteriaSet.objects.create(name="Trống", year=2030, province=self.province)
        with self.assertRaises(criteria.Refused) as refused:
            criteria.publish(empty, self.overseer)
        self.assertEqual(refused.exception.messages, ["The set has no criteria yet."])


class LockTestCase(CriteriaTestCase):
    def test_sets_in_use_replaced_or_assessed_are_locked(self) -> None:
        self.assertEqual(criteria.locked_reason(self.draft_set), "")
        criteria.ensure_editable(self.draft_set)
        self.assertEqual(
            criteria.locked_reason(self.criteria_set),
            "This set is in use and cannot be changed. Make a new version to change it.",
        )
        self.criteria_set.status = SetStatus.RETIRED
        self.assertEqual(
            criteria.locked_reason(self.criteria_set), "This set was replaced by a newer version and cannot be changed."
        )
        Assessment.objects.create(criteria_set=self.draft_set, agency=self.agency, year=2025)
        self.assertEqual(
            criteria.locked_reason(self.draft_set),
            "Assessments already use this set, so it cannot be changed. Make a new version to change it.",
        )
        with self.assertRaises(criteria.Refused):
            criteria.ensure_editable(self.draft_set)
        # A draft used by assessments is versioned like a set in use.
        self.assertEqual(criteria.copy_set(self.draft_set, self.overseer).version, 2)

    def test_renumbering_puts_siblings_in_the_order_of_their_codes(self) -> None:
        area = self.draft_set.criteria.get(code="1")
        Criterion.objects.create(
            criteria_set=self.draft_set, parent=area, code="1.10", name="Mười", max_points=0, order=0
        )
        Criterion.objects.create(
            criteria_set=self.draft_set, parent=area, code="1.3", name="Ba", max_points=0, order=99
        )
        criteria.renumber(self.draft_set)
        codes = [c.code for c in criteria.tree_order(list(self.draft_set.criteria.all()))]
        self.assertEqual(
            codes, ["1", "1.1", "1.2", "1.3", "1.10", "2", "2.1", "3", "3.1", "4", "4.1", "4.2", "5", "5.1"]
        )


class ExampleTestCase(PARFixtures, BaseTestCase):
    def test_the_example_set_is_complete_and_adds_up(self) -> None:
        example = criteria.load_example(self.province, 2025)
        nodes = list(example.criteria.all())
        self.assertEqual(check_set(nodes), [])
        self.assertTrue(example.is_example)
        self.assertEqual(
            (example.status, example.year, example.agency_kind), (SetStatus.IN_USE, 2025, AgencyKind.DEPARTMENT)
        )
        self.assertEqual(example.name, "Bộ tiêu chí Chỉ số CCHC các sở, ban, ngành năm 2025 (ví dụ)")
        parents = {c.parent_id for c in nodes}
        leaves = [c for c in nodes if c.pk not in parents and c.kind == CriterionKind.SCORED]
        self_points = sum(c.max_points for c in leaves if c.method == Method.SELF)
        survey_points = sum(c.max_points for c in leaves if c.method == Method.SURVEY)
        self.assertEqual((self_points, survey_points), (Decimal(80), Decimal(20)))
        areas = [c for c in nodes if c.parent_id is None]
        scored = [a for a in areas if a.kind == CriterionKind.SCORED]
        self.assertEqual(len(scored), 8)
        self.assertEqual(sum(a.max_points for a in scored), Decimal(100))
        self.assertEqual(scored[2].name, "Cải cách thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông")
        caps = {a.kind: a.max_points for a in areas if a.kind != CriterionKind.SCORED}
        self.assertEqual(caps, {CriterionKind.BONUS: Decimal(3), CriterionKind.PENALTY: Decimal(5)})
        by_pk = {c.pk: c for c in nodes}
        area3 = [c for c in nodes if c.code.split(".")[0] == "3"]
        self.assertTrue(all(c.applicability == Applicability.PROCEDURES for c in area3))
        # About 35 to 45 criteria in the 8 areas, sub-criteria where natural.
        criteria_level = [c for c in nodes if c.parent_id and by_pk[c.parent_id].parent_id is None]
        self.assertEqual(len([c for c in criteria_level if c.kind == CriterionKind.SCORED]), 43)
        self.assertGreater(len([c for c in nodes if c.depth == 3]), 30)
        self.assertTrue(all(c.guidance or c.evidence_required for c in leaves if c.method == Method.SELF))
        self.assertTrue(any(c.options for c in leaves) and any(c.step for c in leaves))

    def test_loading_the_example_twice_makes_it_once(self) -> None:
        first = criteria.load_example(self.province, 2025)
        again = criteria.load_example(self.province, 2025)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(CriteriaSet.objects.count(), 1)
        self.assertEqual(Criterion.objects.count(), first.criteria.count())


class VersionNumberTestCase(CriteriaTestCase):
    def test_a_version_number_is_taken_once_per_province_and_once_among_national_sets(self) -> None:
        from django.db import IntegrityError, transaction

        fields = {"name": "Bộ tiêu chí", "year": 2030, "agency_kind": AgencyKind.DEPARTMENT}
        CriteriaSet.objects.create(province=self.province, **fields)
        CriteriaSet.objects.create(province=None, **fields)  # a national set may share the number
        for province in (self.province, None):
            with self.subTest(province=province), self.assertRaises(IntegrityError), transaction.atomic():
                CriteriaSet.objects.create(province=province, **fields)
