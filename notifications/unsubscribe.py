"""One-click unsubscribe links: signed (member, scope), valid without logging in, unforgeable.

The scope is a notification kind ("no more e-mails like this one") or `ALL` ("no more e-mails"); the
signature (Django's signing with SECRET_KEY and this module's salt) is what makes a link act for
one member only. Links do not expire: an old e-mail's link must still work.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from reelvision.public_site import absolute

from .models import EmailFrequency, Kind, Preferences

SALT = "reelvision.notifications.unsubscribe"
ALL = "all"


def token(user, scope: str) -> str:
    return signing.Signer(salt=SALT).sign_object([user.pk, scope])


def url(user, scope: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[token(user, scope)]))


def read(value: str) -> tuple[int, str] | None:
    """(member id, scope) of a genuine token, else None."""
    try:
        member_id, scope = signing.Signer(salt=SALT).unsign_object(value)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(member_id, int) or (scope != ALL and scope not in Kind.values):
        return None
    return member_id, scope


def apply(member_id: int, scope: str) -> Preferences:
    """Stop the e-mails of `scope` for the member (the notifications on the site stay)."""
    preferences, _ = Preferences.objects.get_or_create(user_id=member_id)
    if scope == ALL:
        preferences.email = EmailFrequency.NEVER
    elif scope not in preferences.no_email:
        preferences.no_email = [*preferences.no_email, scope]
    preferences.save()
    return preferences
