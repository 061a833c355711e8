from django.test import RequestFactory, override_settings
from django.utils import translation

from cchc.test import BaseTestCase
from front.views import server_error


class ErrorPagesTestCase(BaseTestCase):
    def test_it_answers_404_with_our_page(self) -> None:
        self.login(self.staff)
        r = self.client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(r.status_code, 404)
        self.assertContains(r, "Page not found", status_code=404)
        self.assertNotContains(r, "Traceback", status_code=404)

    def test_it_renders_500_without_context_processors(self) -> None:
        request = RequestFactory().get("/")
        with translation.override("en"):
            r = server_error(request)
        self.assertEqual(r.status_code, 500)
        self.assertIn(b"Something went wrong on our side", r.content)

    @override_settings(DEBUG=False)
    def test_it_never_shows_a_stack_trace(self) -> None:
        self.client.raise_request_exception = False
        self.login(self.staff)
        # An id that is not a number reaches the view's own validation, never a trace.
        r = self.client.get("/org/agencies/abc/")
        self.assertIn(r.status_code, (404,))
        self.assertNotIn(b"Traceback", r.content)


class SecurityHeadersTestCase(BaseTestCase):
    def test_it_sends_a_strict_content_security_policy(self) -> None:
        self.login(self.staff)
        r = self.client.get("/")
        csp = r.headers["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(r.headers["X-Frame-Options"], "DENY")
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")

    def test_it_has_no_inline_script(self) -> None:
        self.login(self.coordinator)
        body = self.client.get("/").content.decode()
        self.assertNotIn("<script>", body)
        self.assertNotIn(" onclick=", body)
        self.assertNotIn(" style=", body)

    def test_it_enforces_csrf(self) -> None:
        self.client = self.client_class(enforce_csrf_checks=True)
        self.login(self.staff)
        r = self.client.post("/i18n/setlang/", {"language": "en"})
        self.assertEqual(r.status_code, 403)

    def test_it_redirects_the_favicon(self) -> None:
        r = self.client.get("/favicon.ico")
        self.assertRedirects(r, "/static/favicon.svg", status_code=301, fetch_redirect_response=False)
