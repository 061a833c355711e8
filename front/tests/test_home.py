from django.conf import settings

from accounts.models import Membership, Role
from cchc.test import BaseTestCase


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
        for area in ("Plans", "Tasks", "Reports", "Service indicators", "PAR Index", "Surveys", "Emulation"):
            self.assertContains(r, area)

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
        with self.assertNumQueries(10):
            self.client.get("/")

    def test_it_shows_each_agency_once_for_several_roles(self) -> None:
        Membership.objects.create(user=self.coordinator, agency=self.agency, role=Role.LEADER)
        r = self.get_home(self.coordinator)
        self.assertContains(r, "Organisation of Sở Ngoại vụ", count=1)
