from __future__ import annotations

from django.db.models import Model
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts import access
from accounts.models import User
from files.tests import samples
from files.tests.base import FilesTestCase


class AttachmentsTagTestCase(FilesTestCase):
    def render(self, user: User, owner: Model) -> str:
        request = RequestFactory().get("/org/agencies/1/?tab=files")
        request.user = user
        template = Template("{% load files %}{% attachments_for owner %}")
        return template.render(Context({"request": request, "owner": owner, "csrf_token": "token"}))

    def test_it_lists_the_files_with_an_upload_form_for_coordinators(self) -> None:
        attachment = self.attach(self.agency, "Kế hoạch.pdf")
        self.attach(self.other_agency, "Khác.pdf")
        html = self.render(self.coordinator, self.agency)
        self.assertIn("Kế hoạch.pdf", html)
        self.assertNotIn("Khác.pdf", html)
        self.assertIn(reverse("files:download", args=[attachment.pk]), html)
        self.assertIn(reverse("files:delete", args=[attachment.pk]), html)
        self.assertIn(reverse("files:upload", args=["accounts.agency", self.agency.pk]), html)
        self.assertIn('enctype="multipart/form-data"', html)
        self.assertIn('value="/org/agencies/1/?tab=files"', html)

    def test_it_shows_staff_the_list_only(self) -> None:
        attachment = self.attach(self.agency, "Kế hoạch.pdf")
        html = self.render(self.staff, self.agency)
        self.assertIn("Kế hoạch.pdf", html)
        self.assertNotIn(reverse("files:upload", args=["accounts.agency", self.agency.pk]), html)
        self.assertNotIn(reverse("files:delete", args=[attachment.pk]), html)

    def test_it_says_when_nothing_is_attached(self) -> None:
        self.assertIn("No files are attached yet.", self.render(self.staff, self.unit))

    def test_it_gives_each_block_its_own_ids(self) -> None:
        html = self.render(self.coordinator, self.agency) + self.render(self.coordinator, self.unit)
        self.assertIn(f'id="accounts-agency-{self.agency.pk}-file"', html)
        self.assertIn(f'id="accounts-unit-{self.unit.pk}-file"', html)

    def test_it_lists_without_a_query_per_file(self) -> None:
        for i in range(5):
            self.attach(self.agency, f"{i}.png", samples.png())
        access.memberships(self.coordinator)
        with self.assertNumQueries(1):
            self.render(self.coordinator, self.agency)
