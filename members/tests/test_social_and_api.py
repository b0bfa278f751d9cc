"""Social log-in (Kakao, Naver answers simulated at the HTTP layer) and JWT tokens for API clients."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from films.tests.factories import FilmPageFactory
from members.models import User
from members.tests.app_tokens import app_login
from members.tests.factories import UserFactory
from members.tests.helpers import CONSENT
from videos.tests.factories import ready_video_record
from watching.models import Entitlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "kakao": {"APPS": [{"client_id": "kakao-id", "secret": "kakao-secret", "key": ""}]},
        "naver": {"APPS": [{"client_id": "naver-id", "secret": "naver-secret", "key": ""}]},
        "google": {"APPS": []},
    }


def kakao_login(client, profile: dict, process: str = "login"):
    """Go through Kakao's OAuth2 flow with Kakao's servers answered by `responses`."""
    response = client.post(reverse("kakao_login"), {"process": process})
    assert response.status_code == 302 and response["Location"].startswith("https://kauth.kakao.com/oauth/authorize")
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    with responses.RequestsMock() as kakao:
        kakao.post(
            "https://kauth.kakao.com/oauth/token",
            json={"access_token": "kakao-access", "token_type": "bearer", "refresh_token": "r", "expires_in": 21599},
        )
        kakao.get("https://kapi.kakao.com/v2/user/me", json=profile)
        return client.get(reverse("kakao_callback"), {"code": "auth-code", "state": state})


def kakao_profile(email, verified=True, nickname="카카오친구", uid=4242):
    return {
        "id": uid,
        "properties": {"nickname": nickname},
        "kakao_account": {
            "email": email,
            "is_email_verified": verified,
            "is_email_valid": True,
            "profile": {"nickname": nickname},
        },
    }


# The boxes every sign-up must tick, through a provider too (members.forms.SignupForm).


def agree(client, **fields):
    """Send the sign-up form a provider's log-in leads to, prefilled from the provider's profile."""
    form = client.get(reverse("socialaccount_signup")).context["form"]
    data = {name: form[name].value() or "" for name in ("email", "display_name")}
    return client.post(reverse("socialaccount_signup"), {**data, **CONSENT, **fields})


def test_a_provider_sign_up_goes_through_the_consent_form(client, providers):
    """Kakao's profile is no consent: the visitor gets the sign-up form, and no account until they agree."""
    response = kakao_login(client, kakao_profile("friend@kakao.com"))
    assert response.status_code == 302 and response.url == reverse("socialaccount_signup")
    assert not User.objects.exists()
    page = client.get(reverse("socialaccount_signup"))
    assert page.context["form"]["display_name"].value() == "카카오친구"
    assert 'name="agree_terms"' in page.content.decode() and 'name="age_14_or_older"' in page.content.decode()
    response = agree(client, age_14_or_older="")
    assert response.status_code == 200 and "14 or older" in response.content.decode()
    assert not User.objects.exists()


def test_kakao_sign_up_with_a_verified_address_creates_a_logged_in_member(client, providers):
    kakao_login(client, kakao_profile("friend@kakao.com"))
    response = agree(client, marketing_email="on")
    assert response.status_code == 302
    user = User.objects.get(email="friend@kakao.com")
    assert user.terms_agreed_at and user.privacy_version and user.marketing_email
    assert user.display_name == "카카오친구"
    assert SocialAccount.objects.filter(user=user, provider="kakao", uid="4242").exists()
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("members:my_library")).status_code == 200


def test_kakao_with_an_unverified_address_must_confirm_our_code(client, providers):
    kakao_login(client, kakao_profile("maybe@kakao.com", verified=False))
    response = agree(client)
    assert response.status_code == 302
    user = User.objects.get(email="maybe@kakao.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("members:my_library")).status_code == 302  # not logged in until verified


def test_a_provider_cannot_take_over_an_existing_account(client, providers):
    owner = UserFactory(email="owner@example.com")
    response = kakao_login(client, kakao_profile("owner@example.com", uid=777))
    # Not logged in as the owner, no Kakao account attached to them; allauth asks the visitor to
    # log in with the password first (or to sign up with another address).
    assert client.session.get("_auth_user_id") != str(owner.pk)
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert response.status_code in (200, 302)


def test_a_logged_in_member_connects_kakao_and_then_logs_in_with_it(client, providers):
    owner = UserFactory(email="owner@example.com")
    client.force_login(owner)
    kakao_login(client, kakao_profile("owner-kakao@kakao.com", uid=999), process="connect")
    assert SocialAccount.objects.filter(user=owner, provider="kakao", uid="999").exists()
    client.logout()
    kakao_login(client, kakao_profile("owner-kakao@kakao.com", uid=999))
    assert client.session.get("_auth_user_id") == str(owner.pk)


def test_naver_sign_up(client, providers):
    response = client.post(reverse("naver_login"))
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    with responses.RequestsMock() as naver:
        naver.post(
            re.compile(r"https://nid\.naver\.com/oauth2\.0/token.*"),
            json={"access_token": "naver-access", "token_type": "bearer", "expires_in": 3600},
        )
        naver.get(
            "https://openapi.naver.com/v1/nid/me",
            json={
                "resultcode": "00",
                "message": "success",
                "response": {"id": "n-1", "email": "n@naver.com", "nickname": "네이버친구"},
            },
        )
        client.get(reverse("naver_callback"), {"code": "c", "state": state})
    response = agree(client)
    assert response.status_code == 302
    assert User.objects.get(email="n@naver.com").display_name == "네이버친구"


def test_a_forged_state_is_refused(client, providers):
    client.post(reverse("kakao_login"))
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        response = client.get(reverse("kakao_callback"), {"code": "c", "state": "forged"})
    assert not User.objects.exists()
    assert response.status_code == 401 and "_auth_user_id" not in client.session


# --- API clients: allauth headless with JWT --------------------------------------------------------


@pytest.fixture
def member():
    user = UserFactory(email="app@example.com")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_app_login_gives_jwt_tokens_that_the_api_honours(client, member):
    response = app_login("app@example.com", PASSWORD)
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    access, refresh = meta["access_token"], meta["refresh_token"]

    film = FilmPageFactory(title="Paid", price=3000, main_video=ready_video_record())
    Entitlement.objects.create(user=member, film=film)
    url = reverse("api_playback", args=[film.pk])
    api = type(client)()
    assert api.get(url).json()["can_watch"] is False  # anonymous
    assert api.get(url, HTTP_AUTHORIZATION=f"Bearer {access}").json()["can_watch"] is True
    assert api.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code in (401, 403)

    # "Reissue": the refresh token buys a new pair; the old refresh token is spent.
    renewed = api.post("/_allauth/app/v1/tokens/refresh", {"refresh_token": refresh}, content_type="application/json")
    assert renewed.status_code == 200, renewed.content
    new_access = renewed.json()["data"]["access_token"]
    assert api.get(url, HTTP_AUTHORIZATION=f"Bearer {new_access}").json()["can_watch"] is True
    again = api.post("/_allauth/app/v1/tokens/refresh", {"refresh_token": refresh}, content_type="application/json")
    assert again.status_code >= 400


def test_app_login_refuses_an_unverified_address(client):
    user = UserFactory(email="unverified@example.com")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = app_login("unverified@example.com", PASSWORD)
    assert response.status_code == 401
    assert "access_token" not in response.json().get("meta", {})
    flows = [flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")]
    assert flows == ["verify_email"]


def test_app_login_with_a_wrong_password(client, member):
    response = app_login("app@example.com", "wrong")
    assert response.status_code == 400
