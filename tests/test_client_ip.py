"""Which address a visitor is counted under: REMOTE_ADDR, or X-Forwarded-For through trusted proxies."""

import pytest
from django.test import RequestFactory

from reelvision.client_ip import client_ip, rate_limit_subject


def request_from(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    """By default the header is whatever the visitor wrote, so the connection's address counts."""
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(forwarded="203.0.113.5")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the visitor's own entry is ignored
        (2, "192.0.2.66, 203.0.113.5, 198.51.100.2", "203.0.113.5"),
        (1, "203.0.113.5 , ", "10.0.0.1"),  # the proxy's entry is not an address
        (2, "203.0.113.5", "10.0.0.1"),  # fewer entries than proxies: not through all of ours
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_with_trusted_proxies_the_entry_they_wrote_is_the_visitor(settings, proxies, forwarded, expected):
    """The entry `TRUSTED_PROXY_COUNT` places from the right is the visitor; anything unusable falls back."""
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(forwarded=forwarded)) == expected


def test_with_trusted_proxies_and_no_header_the_connection_counts(settings):
    """A request that reached us without the header is counted by its own address."""
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from()) == "10.0.0.1"


def test_an_ipv6_visitor_is_counted_by_their_64_network():
    """Addresses in one /64 share a limit: they usually belong to one visitor."""
    first = rate_limit_subject(request_from(remote="2001:db8:1:2::1"))
    second = rate_limit_subject(request_from(remote="2001:db8:1:2:ffff::9"))
    assert first == second == "2001:db8:1:2::"
    assert rate_limit_subject(request_from(remote="203.0.113.5")) == "203.0.113.5"
