"""Sign-up asks for consent to the terms and the privacy policy, the age of 14, and marketing e-mail
apart; password reset says the same for every address; the header's account menu logs out."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from legal.models import LegalPage, current
from members.models import User
from members.tests.factories import UserFactory
from members.tests.helpers import PASSWORD, sign_up, verified_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

APP_SIGNUP = "/_allauth/app/v1/auth/signup"


def test_the_sign_up_form_links_to_both_pages(client):
    """The consent boxes link to the live terms and privacy pages; marketing is a box of its own, unticked."""
    page = client.get(reverse("account_signup")).content.decode()
    assert f'href="{current("terms").url}"' in page and f'href="{current("privacy").url}"' in page
    marketing = (
        page.split('name="marketing_email"')[0].rsplit("<input", 1)[-1]
        + page.split('name="marketing_email"')[1].split(">")[0]
    )
    assert "checked" not in marketing


def test_sign_up_records_consent_times_and_versions(client):
    """The member's row says when they agreed to which versions, that they are 14 or older, and no marketing."""
    LegalPage.objects.filter(kind="privacy").update(version="2027-01-01")
    assert sign_up(client).status_code == 302
    member = User.objects.get(email="new@example.com")
    assert member.terms_agreed_at and member.privacy_agreed_at and member.age_confirmed_at
    assert (member.terms_version, member.privacy_version) == (current("terms").version, "2027-01-01")
    assert member.marketing_email is False and member.marketing_email_changed_at is not None


@pytest.mark.parametrize("missing", ["agree_terms", "agree_privacy"])
def test_sign_up_without_consent_is_refused(client, missing):
    """Without agreeing to the terms or to the privacy policy, no account is made."""
    response = sign_up(client, **{missing: ""})
    assert response.status_code == 200 and missing in response.context["form"].errors
    assert not User.objects.exists() and not mail.outbox


def test_under_fourteen_is_refused_with_a_clear_reason(client):
    """Without the age box ticked, the visitor is told why they cannot join."""
    response = sign_up(client, age_14_or_older="")
    assert response.status_code == 200
    assert "for members aged 14 or older" in response.content.decode()
    assert "guardian" in response.content.decode()
    assert not User.objects.exists()


def test_marketing_e_mail_is_stored_when_chosen(client):
    """Ticking the separate marketing box stores the choice with its time."""
    sign_up(client, marketing_email="on")
    member = User.objects.get(email="new@example.com")
    assert member.marketing_email is True and member.marketing_email_changed_at is not None


def test_marketing_e_mail_is_changed_on_the_profile_with_its_time(client):
    """Turning marketing off on the profile saves the choice and when it changed."""
    member = UserFactory(marketing_email=True)
    client.force_login(member)
    page = client.get(reverse("members:my_profile")).content.decode()
    assert 'name="marketing_email"' in page
    response = client.post(reverse("members:my_profile"), {"display_name": member.display_name})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.marketing_email is False and member.marketing_email_changed_at is not None


def test_the_app_sign_up_requires_the_same_consent(client):
    """allauth's headless sign-up refuses a request without the consent fields and records them with."""
    body = {"email": "app@example.com", "password": PASSWORD, "display_name": "App Member"}
    response = client.post(APP_SIGNUP, body, content_type="application/json")
    assert response.status_code == 400
    refused = {error.get("param") for error in response.json()["errors"]}
    assert {"agree_terms", "agree_privacy", "age_14_or_older"} <= refused
    assert not User.objects.exists()

    consent = {"agree_terms": True, "agree_privacy": True, "age_14_or_older": True, "marketing_email": False}
    response = client.post(APP_SIGNUP, {**body, **consent}, content_type="application/json")
    assert response.status_code == 401  # created, waiting for the e-mailed code (flow verify_email)
    member = User.objects.get(email="app@example.com")
    assert member.terms_version == current("terms").version and member.age_confirmed_at


def test_the_app_sign_up_refuses_under_fourteen(client):
    """The age box is required for apps too, with the same reason."""
    body = {"email": "app@example.com", "password": PASSWORD, "agree_terms": True, "agree_privacy": True}
    response = client.post(APP_SIGNUP, {**body, "age_14_or_older": False}, content_type="application/json")
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"] if e.get("param") == "age_14_or_older"]
    assert messages and "14 or older" in messages[0]


# --- password reset ----------------------------------------------------------------------------------


def _reset_page(client, email):
    response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
    page = response.content.decode().replace(email, "<address>")
    return response.redirect_chain, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    """The same redirect and the same page for an address with an account and one without."""
    verified_member("known@example.com")
    known = _reset_page(client, "known@example.com")
    unknown = _reset_page(type(client)(HTTP_ACCEPT_LANGUAGE="en"), "nobody@example.com")
    assert known == unknown
    assert "not assigned" not in unknown[1]
    # Only the known address gets a code; the unknown one is told it has no account.
    assert [m.to for m in mail.outbox] == [["known@example.com"], ["nobody@example.com"]]


def test_the_app_password_reset_answers_the_same_for_known_and_unknown_addresses():
    """allauth's headless reset request: the same status and body either way."""
    from django.test import Client

    verified_member("known@example.com")
    url = "/_allauth/app/v1/auth/password/request"
    answers = [
        Client().post(url, {"email": email}, content_type="application/json")
        for email in ("known@example.com", "nobody@example.com")
    ]
    assert answers[0].status_code == answers[1].status_code
    for answer in answers:
        answer.body = answer.json()
        answer.body["meta"].pop("session_token")  # each request starts its own session
    assert answers[0].body == answers[1].body


# --- the header's account menu --------------------------------------------------------------------


def test_the_header_offers_a_log_out_form_to_members_only(client):
    """A member's header has a POST log-out form with a CSRF token; a visitor's has none."""
    home = client.get("/").content.decode()
    assert reverse("account_logout") not in home
    client.force_login(verified_member())
    header = client.get("/").content.decode().split("</header>")[0]
    form = header.split(f'action="{reverse("account_logout")}"')
    assert len(form) == 2 and 'method="post"' in form[0].rsplit("<form", 1)[-1]
    assert 'name="csrfmiddlewaretoken"' in form[1].split("</form>")[0]


def test_logging_out_from_the_header_ends_the_session(client):
    """Sending the header's form (with its token, CSRF checks on) logs the member out."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(verified_member())
    header = browser.get("/").content.decode().split("</header>")[0]
    token = header.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert browser.get(reverse("members:my_library")).status_code == 302
    assert "_auth_user_id" not in browser.session
