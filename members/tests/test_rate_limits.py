"""Log-in limits hold: no amount of anonymous browsing evicts them, and behind a proxy they count visitors."""

import pytest
from django.urls import reverse

from members.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PASSWORD = "correct-horse-battery-staple-42"
LOCKED = "Too many failed login attempts"
PROXY = "10.0.0.1"


def member(email="member@example.com"):
    user = UserFactory(email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_a_locked_address_stays_locked_after_hundreds_of_anonymous_page_renders(client, settings):
    """Pages rendered for anonymous visitors (each a new search) cannot push a log-in lock out of the cache."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 0  # many visitors would do it, each within their budget
    member()
    for _ in range(5):
        log_in(client, "member@example.com", "wrong")
    assert LOCKED in log_in(client, "member@example.com", PASSWORD).content.decode()

    for n in range(400):
        assert client.get(reverse("search:search"), {"q": f"zebra{n}"}).status_code == 200

    response = log_in(client, "member@example.com", PASSWORD)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_failed_log_ins_of_others_do_not_lock_out_a_visitor(client, settings):
    """With one trusted proxy, allauth counts failures per visitor (X-Forwarded-For), not per proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    member()
    for n in range(12):
        log_in(client, f"nobody{n}@example.com", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = log_in(client, "member@example.com", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_a_proxy_one_visitor_is_still_limited(client, settings):
    """One visitor's failures from behind the proxy count against them, whatever they write in the header."""
    settings.TRUSTED_PROXY_COUNT = 1
    member()
    for n in range(10):
        # A visitor's own X-Forwarded-For entries come before the one the proxy appends.
        forwarded = f"192.0.2.{n}, 203.0.113.9"
        log_in(client, f"nobody{n}@example.com", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    response = log_in(
        client, "member@example.com", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.9"
    )
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_without_trusted_proxies_a_forged_forwarded_for_gives_no_fresh_attempts(client):
    """By default X-Forwarded-For is ignored: a visitor cannot pose as many to escape the limit."""
    member()
    for n in range(10):
        log_in(client, f"nobody{n}@example.com", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = log_in(client, "member@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
