"""Accounts through allauth: sign-up with a mandatory e-mailed code, log-in, reset by code, limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import User
from members.tests.factories import UserFactory
from members.tests.helpers import PASSWORD, sign_up, verified_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def code_in(message) -> str:
    match = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\b", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_requires_the_mailed_code_before_anything_else(client):
    response = sign_up(client)
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert user.display_name == "New Member"
    assert not EmailAddress.objects.get(user=user).verified
    # Not logged in yet: my page sends the visitor to log in.
    assert client.get(reverse("members:my_library")).status_code == 302

    code = code_in(mail.outbox[-1])
    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("members:my_library")).status_code == 200


def test_a_sign_up_code_expires_after_fifteen_minutes(client, monkeypatch):
    import time

    from allauth.account.internal.flows import code_verification

    sign_up(client)
    code = code_in(mail.outbox[-1])
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(code_verification.time, "time", lambda: later)
    client.post(reverse("account_email_verification_sent"), {"code": code})
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_a_wrong_code_is_refused_and_the_address_stays_unverified(client):
    sign_up(client)
    response = client.post(reverse("account_email_verification_sent"), {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_an_e_mail_taken_in_another_case_is_refused_clearly(client):
    UserFactory(email="taken@example.com")
    response = sign_up(client, email="Taken@Example.COM")
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_weak_passwords_and_over_long_display_names_are_refused(client):
    response = sign_up(client, password="12345678")
    assert response.status_code == 200 and "too common" in response.content.decode()
    response = sign_up(client, display_name="x" * 51)
    assert response.status_code == 200 and "at most 50 characters" in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_log_in_with_remember_me_and_log_out(client):
    verified_member()
    response = client.post(
        reverse("account_login"), {"login": "MEMBER@example.com", "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close() is False
    assert client.get(reverse("members:my_library")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("members:my_library")).status_code == 302


@pytest.mark.parametrize(
    ("language", "label", "not_shown"),
    [("ko", "로그인 상태 유지", "아이디 저장"), ("en", "Keep me logged in", "Remember Me")],
)
def test_the_remember_me_box_says_it_keeps_the_member_logged_in(client, language, label, not_shown):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert label in page and not_shown not in page


def test_without_remember_me_the_session_ends_with_the_browser(client):
    verified_member()
    client.post(reverse("account_login"), {"login": "member@example.com", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close() is True


def test_password_reset_by_mailed_code(client):
    user = verified_member()
    response = client.post(reverse("account_reset_password"), {"email": "member@example.com"})
    assert response.status_code == 302
    code = code_in(mail.outbox[-1])
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert response.status_code == 302
    new = "another-long-passphrase-99"
    response = client.post(reverse("account_complete_password_reset"), {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_reset_code_works_once(client):
    user = verified_member()
    client.post(reverse("account_reset_password"), {"email": "member@example.com"})
    code = code_in(mail.outbox[-1])
    client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    new = "another-long-passphrase-99"
    client.post(reverse("account_complete_password_reset"), {"password1": new, "password2": new})
    # The same code again, in this browser or another: no reset is pending any more.
    for browser in (client, type(client)()):
        response = browser.post(reverse("account_confirm_password_reset_code"), {"code": code})
        assert response.status_code == 302 and response.url != reverse("account_complete_password_reset")
        response = browser.post(
            reverse("account_complete_password_reset"),
            {"password1": "third-passphrase-1", "password2": "third-passphrase-1"},
        )
        assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_wrong_reset_code_three_times_ends_the_attempt(client):
    verified_member()
    client.post(reverse("account_reset_password"), {"email": "member@example.com"})
    code = code_in(mail.outbox[-1])
    for _ in range(3):
        client.post(reverse("account_confirm_password_reset_code"), {"code": "WRONG-CODE"})
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert response.status_code == 302 and response.url != reverse("account_complete_password_reset")


def test_password_change_checks_strength_and_confirmation(client):
    user = verified_member()
    client.force_login(user)
    url = reverse("account_change_password")
    response = client.post(url, {"oldpassword": PASSWORD, "password1": "abcdefgh", "password2": "abcdefgh"})
    assert response.status_code == 200 and "too common" in response.content.decode()
    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": "a-new-pass-phrase-7", "password2": "different-7"}
    )
    assert response.status_code == 200
    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": "a-new-pass-phrase-7", "password2": "a-new-pass-phrase-7"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-pass-phrase-7")


def test_five_failed_log_ins_lock_the_address_for_five_minutes_even_with_the_right_password(client):
    verified_member()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "member@example.com", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "member@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_password_is_mailed_to_the_member(client):
    member = verified_member()
    client.force_login(member)
    mail.outbox.clear()
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-pass-phrase-7", "password2": "a-new-pass-phrase-7"},
    )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "password" in mail.outbox[0].subject.lower()


def test_rate_limits_are_on_by_default(settings):
    from allauth.account import app_settings

    limits = app_settings.RATE_LIMITS
    for action in ("login", "login_failed", "signup", "reset_password", "confirm_email"):
        assert limits.get(action), action


def test_social_buttons_are_hidden_without_keys_and_shown_with_them(client, settings):
    page = client.get(reverse("account_login")).content.decode()
    assert "Kakao" not in page and "Naver" not in page and "Google" not in page
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "kakao": {"APPS": [{"client_id": "kakao-id", "secret": "kakao-secret", "key": ""}]},
    }
    page = client.get(reverse("account_login")).content.decode()
    assert "Kakao" in page and "Naver" not in page


def test_a_tampered_verification_link_verifies_nothing(client):
    sign_up(client)
    code = code_in(mail.outbox[-1])
    other = type(client)()
    for key in (code, code.replace("-", ""), "forged-key", f"{code}x"):
        response = other.get(f"/accounts/confirm-email/{key}/")
        assert response.status_code in (200, 302, 404)
        other.post(f"/accounts/confirm-email/{key}/")
    assert not EmailAddress.objects.get(email="new@example.com").verified
    # The right code, typed where it belongs, still works: nothing above spent it.
    client.post(reverse("account_email_verification_sent"), {"code": code})
    assert EmailAddress.objects.get(email="new@example.com").verified


def test_the_studio_log_in_is_the_site_log_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302 and response.url == reverse("account_login") + "?next=/admin/pages/"
    response = client.get("/admin/", follow=True)
    assert [url for url, _ in response.redirect_chain] == [
        "/admin/login/?next=/admin/",
        "/accounts/login/?next=%2Fadmin%2F",
    ]


def test_a_member_without_studio_access_is_told_so_instead_of_going_round_in_circles(client):
    member = verified_member()
    client.force_login(member)
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) == 1 and response.status_code == 403
    page = response.content.decode()
    assert "The studio is for creators" in page and reverse("members:my_university") in page
    assert "You do not have permission to access the admin" not in page


def test_a_member_whose_verification_was_revoked_is_told_why_they_cannot_use_the_studio(client):
    from members import university

    creator = verified_member()
    record = university.start(creator, "student@dongguk.edu")
    university.confirm(creator, record.pk, re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1))
    assert creator.is_creator
    record.refresh_from_db()
    university.revoke(record, UserFactory(is_superuser=True), "Not a student of the department")
    client.force_login(creator)
    response = client.get("/admin/pages/", follow=True)
    assert response.status_code == 403 and "withdrawn" in response.content.decode()
    assert "Edit" not in client.get(reverse("members:my_projects")).content.decode()


def test_a_creator_at_the_studio_log_in_goes_where_they_were_going(client):
    from members.tests.factories import CreatorFactory

    client.force_login(CreatorFactory())
    assert client.get("/admin/login/?next=/admin/pages/").url == "/admin/pages/"
    assert client.get("/admin/login/?next=https://evil.example/").url == "/admin/"
