"""Helpers the members tests share (signing up, a verified member), imported by test modules."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from members.tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple-42"


CONSENT = {"agree_terms": "on", "agree_privacy": "on", "age_14_or_older": "on"}


def sign_up(client, email="new@example.com", display_name="New Member", password=PASSWORD, **fields):
    data = {"email": email, "display_name": display_name, "password1": password, "password2": password, **CONSENT}
    return client.post(reverse("account_signup"), {**data, **fields})


def verified_member(email="member@example.com"):
    user = UserFactory(email=email)
    user.set_password(PASSWORD)
    user.save()
    assert EmailAddress.objects.get(user=user).verified
    return user


# What every sign-up must tick: the terms, the privacy policy and the age check.
