from __future__ import annotations

from django.test import RequestFactory, SimpleTestCase, override_settings

from audit.context import client_ip


class ClientIpTestCase(SimpleTestCase):
    def ip(self, remote: str, forwarded: str | None = None) -> str | None:
        request = RequestFactory().get("/", REMOTE_ADDR=remote)
        if forwarded is not None:
            request.META["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(request)

    @override_settings(AXES_IPWARE_PROXY_COUNT=0)
    def test_it_ignores_forwarded_for_without_a_trusted_proxy(self) -> None:
        self.assertEqual(self.ip("203.0.113.7", "10.9.9.9"), "203.0.113.7")

    @override_settings(AXES_IPWARE_PROXY_COUNT=1)
    def test_it_reads_the_address_our_proxy_appended(self) -> None:
        self.assertEqual(self.ip("127.0.0.1", "6.6.6.6, 203.0.113.7"), "203.0.113.7")

    @override_settings(AXES_IPWARE_PROXY_COUNT=2)
    def test_it_counts_proxies_from_the_right(self) -> None:
        self.assertEqual(self.ip("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2"), "203.0.113.7")

    @override_settings(AXES_IPWARE_PROXY_COUNT=1)
    def test_it_falls_back_to_the_socket_address(self) -> None:
        self.assertEqual(self.ip("127.0.0.1"), "127.0.0.1")
        self.assertEqual(self.ip("127.0.0.1", ""), "127.0.0.1")

    @override_settings(AXES_IPWARE_PROXY_COUNT=1)
    def test_it_drops_garbage(self) -> None:
        self.assertIsNone(self.ip("127.0.0.1", "not-an-address"))
        self.assertEqual(self.ip("::1"), "::1")
