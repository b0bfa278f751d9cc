"""Real JWTs for tests: log in as an app would, through allauth's headless API.

The log-in goes through its own client; API calls then go through a client without any cookie, so
only the `Authorization: Bearer …` header can authenticate them.
"""

from django.test import Client

# UserFactory's password.
PASSWORD = "password"  # noqa: S105 - test data


def app_login(email: str, password: str = PASSWORD):
    return Client().post(
        "/_allauth/app/v1/auth/login", {"email": email, "password": password}, content_type="application/json"
    )


def app_tokens(user, password: str = PASSWORD) -> tuple[str, str]:
    """(access token, refresh token) for `user`, from the app log-in endpoint."""
    response = app_login(user.email, password)
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    return meta["access_token"], meta["refresh_token"]


def bearer(access_token: str) -> dict:
    """Client keyword arguments that send the token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {access_token}"}


def cookieless_client() -> Client:
    client = Client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
