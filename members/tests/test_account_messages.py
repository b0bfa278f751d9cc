"""allauth's e-mails and messages as our members get them: the site's name, its public address,
and Korean particles that agree with the names and addresses inserted."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import RequestFactory
from django.utils import translation

from members.adapters import AccountAdapter
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-42"


def test_allauth_mails_greet_with_the_site_name_and_its_public_address(client, settings):
    """An allauth e-mail names the site and its public address, not the host and port the request used."""
    settings.WAGTAILADMIN_BASE_URL = "https://reelvision.example"
    settings.ALLOWED_HOSTS = ["app.internal"]
    member = UserFactory(password=PASSWORD)
    client.force_login(member)
    with translation.override("en"):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": "a-new-pass-phrase-7", "password2": "a-new-pass-phrase-7"},
            HTTP_HOST="app.internal:8000",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    [message] = mail.outbox
    assert "Hello from ReelVision!" in message.body and "reelvision.example" in message.body
    assert "app.internal" not in message.body


def test_allauth_messages_get_particles_that_agree_with_the_address(settings, tmp_path):
    """A Korean message written "(으)로" after an address reads "로" or "으로" as the address is read."""
    templates = tmp_path / "account" / "messages"
    templates.mkdir(parents=True)
    (templates / "sent.txt").write_text("{{ email }}(으)로 확인 메일을 보냈습니다.", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    request = RequestFactory().get("/")
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    adapter = AccountAdapter(request)
    for email in ("kim@dongguk.edu", "film@reel.com"):
        adapter.add_message(request, 25, "account/messages/sent.txt", {"email": email})
    assert [str(m) for m in get_messages(request)] == [
        "kim@dongguk.edu로 확인 메일을 보냈습니다.",  # …에듀로
        "film@reel.com으로 확인 메일을 보냈습니다.",  # …컴으로
    ]
