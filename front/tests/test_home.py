from cchc.test import BaseTestCase


class HomeTestCase(BaseTestCase):
    def test_it_requires_sign_in(self) -> None:
        r = self.client.get("/")
        self.assertRedirects(r, "/accounts/login/?next=/", fetch_redirect_response=False)

    def test_it_shows_coordinator_attention(self) -> None:
        self.login(self.coordinator)
        r = self.client.get("/")
        self.assertContains(r, "Trần Văn Bình")
        self.assertContains(r, "Sở Ngoại vụ")
