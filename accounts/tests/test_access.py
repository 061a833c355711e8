from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import access
from accounts.models import Agency, AgencyKind, Membership, Role
from cchc.test import BaseTestCase


class AccessTestCase(BaseTestCase):
    def test_it_lets_members_see_only_their_agency(self) -> None:
        for person in (self.leader, self.coordinator, self.unit_head, self.staff):
            self.assertEqual(list(access.visible_agencies(person)), [self.agency], person.username)

    def test_it_lets_overseer_see_the_whole_province(self) -> None:
        visible = set(access.visible_agencies(self.overseer))
        self.assertEqual(visible, {self.province, self.home_affairs, self.agency, self.other_agency})

    def test_it_hides_other_provinces_from_overseer(self) -> None:
        other_province = Agency.objects.create(
            code="ubnd-ht",
            kind=AgencyKind.PROVINCE,
            name="UBND tỉnh Hà Tĩnh",
            short_name="UBND Hà Tĩnh",
            abbreviation="UBND",
            place_name="Hà Tĩnh",
        )
        self.assertNotIn(other_province, access.visible_agencies(self.overseer))
        with self.assertRaises(Http404):
            access.access_agency(self.overseer, other_province.pk)

    def test_it_lets_admin_see_everything(self) -> None:
        self.assertEqual(access.visible_agencies(self.admin).count(), Agency.objects.count())

    def test_it_answers_404_for_missing_and_not_yours_alike(self) -> None:
        for pk in (self.other_agency.pk, 999999, "abc", None):
            with self.assertRaises(Http404):
                access.access_agency(self.coordinator, pk)

    def test_it_answers_403_for_visible_but_read_only(self) -> None:
        self.assertEqual(access.access_agency(self.staff, self.agency.pk), self.agency)
        with self.assertRaises(PermissionDenied):
            access.access_agency(self.staff, self.agency.pk, manage=True)
        with self.assertRaises(PermissionDenied):
            access.access_unit(self.overseer, self.unit.pk, manage=True)

    def test_it_lets_coordinator_manage_own_agency_only(self) -> None:
        self.assertTrue(access.can_manage_agency(self.coordinator, self.agency))
        self.assertFalse(access.can_manage_agency(self.coordinator, self.other_agency))
        self.assertFalse(access.can_manage_agency(self.leader, self.agency))
        self.assertFalse(access.can_manage_agency(self.overseer, self.agency))
        self.assertTrue(access.can_manage_agency(self.admin, self.other_agency))

    def test_it_scopes_people(self) -> None:
        people = set(access.visible_people(self.coordinator))
        self.assertIn(self.staff, people)
        self.assertNotIn(self.outsider, people)
        with self.assertRaises(Http404):
            access.access_person(self.coordinator, self.outsider.pk)
        self.assertTrue(access.can_manage_person(self.coordinator, self.staff))
        self.assertFalse(access.can_manage_person(self.coordinator, self.admin))
        self.assertFalse(access.can_manage_person(self.unit_head, self.staff))

    def test_it_ignores_ended_memberships(self) -> None:
        Membership.objects.filter(user=self.staff).update(valid_to=date(2020, 1, 1))
        access.forget(self.staff)
        self.assertEqual(list(access.visible_agencies(self.staff)), [])
        with self.assertRaises(Http404):
            access.access_unit(self.staff, self.unit.pk)

    def test_it_ignores_closed_agencies(self) -> None:
        Agency.objects.filter(pk=self.agency.pk).update(valid_to=date(2020, 1, 1))
        self.assertEqual(access.memberships(self.coordinator), [])

    def test_it_sees_nothing_when_inactive(self) -> None:
        self.coordinator.is_active = False
        self.assertFalse(access.visible_agencies(self.coordinator).exists())

    def test_it_scopes_any_agency_owned_queryset(self) -> None:
        Membership.objects.create(user=self.outsider, agency=self.other_agency, role=Role.LEADER)
        memberships = access.scope(self.coordinator, Membership.objects.all())
        self.assertTrue(all(m.agency_id == self.agency.pk for m in memberships))
        with self.assertRaises(Http404):
            access.access(
                self.coordinator, Membership.objects.all(), self.outsider.memberships.get(role=Role.LEADER).pk
            )

    def test_it_decides_who_may_end_a_role(self) -> None:
        staff_role = Membership.objects.get(user=self.staff)
        overseer_role = Membership.objects.get(user=self.overseer)
        self.assertTrue(access.can_manage_membership(self.coordinator, staff_role))
        self.assertFalse(access.can_manage_membership(self.outsider, staff_role))
        self.assertFalse(access.can_manage_membership(self.leader, staff_role))
        self.assertTrue(access.can_manage_membership(self.admin, overseer_role))
        # Even a coordinator of Sở Nội vụ could not end an overseer's role.
        Membership.objects.create(user=self.outsider, agency=self.home_affairs, role=Role.COORDINATOR)
        access.forget(self.outsider)
        self.assertFalse(access.can_manage_membership(self.outsider, overseer_role))
        self.assertEqual([v for v, _ in access.grantable_roles(False)], ["leader", "coordinator", "unit_head", "staff"])
