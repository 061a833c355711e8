from cchc.test import BaseTestCase


class AdminSiteTestCase(BaseTestCase):
    def test_it_shows_every_model_to_administrators_in_vietnamese(self) -> None:
        self.login(self.admin)
        for url in (
            "/admin/",
            "/admin/accounts/user/",
            "/admin/accounts/agency/",
            "/admin/accounts/unit/",
            "/admin/accounts/membership/",
            f"/admin/accounts/user/{self.staff.pk}/change/",
            f"/admin/accounts/agency/{self.agency.pk}/change/",
            "/admin/accounts/user/add/",
        ):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
        del self.client.cookies["django_language"]
        r = self.client.get("/admin/")
        self.assertContains(r, 'lang="vi"')
        self.assertContains(r, "Cán bộ và tổ chức")

    def test_it_sends_others_to_our_sign_in(self) -> None:
        self.login(self.coordinator)
        r = self.client.get("/admin/")
        self.assertEqual(r.status_code, 302)
        r = self.client.get("/admin/login/?next=/admin/")
        self.assertRedirects(r, "/accounts/login/?next=/admin/", fetch_redirect_response=False)

    def test_it_creates_a_person_from_the_admin(self) -> None:
        self.login(self.admin)
        r = self.client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newperson",
                "full_name": "Ngô Văn Mới",
                "email": "moi@example.org",
                "password1": "a-Long-passw0rd!",
                "password2": "a-Long-passw0rd!",
                "usable_password": "true",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(r.status_code, 302, r.context and r.context["adminform"].form.errors)
        self.assertTrue(self.staff.__class__.objects.filter(username="newperson", full_name="Ngô Văn Mới").exists())
