"""A member's own data: export it as JSON, or delete the account.

Deleting erases personal data but keeps the row, anonymised and unusable, so that donations
and purchases stay in the ledger (they point at "a deleted member", never at a name or an
address; the public ledger shows "A member" where the masked name was, and messages to
creators are erased). Watch history, badges, social logins, e-mail addresses, university verifications and
the payout account are removed; pages the member created stay (they belong to the department's
catalogue) and simply have no owner name to show.
"""

from __future__ import annotations

import time

from allauth.account import app_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.utils import timezone

from donations.models import LedgerEntry, Order, RightsHolder
from watching.models import Entitlement, WatchProgress

from .models import BadgeAward, PayoutAccount, UniversityEmail, User


def may_be_paid(user: User) -> bool:
    """Who keeps a payout account: creators, members named as a rights holder of a film, and anyone
    who already has one (to change or see it)."""

    return (
        user.is_creator
        or RightsHolder.objects.filter(member=user).exists()
        or PayoutAccount.objects.filter(user=user).exists()
    )


def logged_in_just_now(request) -> bool:
    """Did the member log in (with a password or a provider) within ACCOUNT_REAUTHENTICATION_TIMEOUT?

    allauth keeps a record of each authentication in the session; its own reauthentication check
    waves members without a password through, so we read the records ourselves.
    """

    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1].get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT


def providers_to_log_in_again(request) -> list[dict]:
    """For a member without a password: their providers that are configured here, with a log-in URL
    that brings them back to this page."""

    if request.user.has_usable_password():
        return []
    providers = []
    for social in SocialAccount.objects.filter(user=request.user):
        try:
            provider = social.get_provider(request)
        except SocialApp.DoesNotExist:  # keys removed from the environment since
            continue
        url = provider.get_login_url(request, process="login", next=request.get_full_path())
        providers.append({"name": provider.name, "url": url})
    return providers


def shipping_address_of(holder) -> dict:
    """Where rewards are sent, as the member typed it: on their profile (a User) or at checkout (an Order)."""
    return {
        "recipient": holder.shipping_name,
        "phone": holder.shipping_phone,
        "postcode": holder.shipping_postcode,
        "address": holder.shipping_address,
        "address_detail": holder.shipping_address_detail,
    }


def masked_payout_account(user: User) -> dict | None:
    """The payout account as it may be shown: bank, ••••1234, holder. The full number never leaves
    the server in a page, an export or an API answer (a stolen session must not yield it)."""
    payout = PayoutAccount.objects.filter(user=user).first()
    return {"bank": payout.bank, "number": payout.masked_number, "holder": payout.holder} if payout else None


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_data(user: User) -> dict:

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "department": user.department,
            "admission_year": user.admission_year,
            "show_badges": user.show_badges,
            "avatar": user.avatar.name if user.avatar else None,
        },
        "consent": {
            "terms_version": user.terms_version,
            "terms_agreed_at": _iso(user.terms_agreed_at),
            "privacy_version": user.privacy_version,
            "privacy_agreed_at": _iso(user.privacy_agreed_at),
            "age_14_or_older_confirmed_at": _iso(user.age_confirmed_at),
            "marketing_email": user.marketing_email,
            "marketing_email_changed_at": _iso(user.marketing_email_changed_at),
        },
        "shipping_address": shipping_address_of(user),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "social_accounts": [
            {"provider": s.provider, "since": s.date_joined.isoformat()}
            for s in SocialAccount.objects.filter(user=user)
        ],
        "university_emails": [
            {
                "email": u.email,
                "status": u.status,
                "verified_at": u.verified_at.isoformat() if u.verified_at else None,
                "revoked_at": u.revoked_at.isoformat() if u.revoked_at else None,
                "revoke_reason": u.revoke_reason,
            }
            for u in UniversityEmail.objects.filter(user=user)
        ],
        "payout_account": masked_payout_account(user),
        "badges": [
            {"badge": b.code, "earned_at": b.awarded_at.isoformat()} for b in BadgeAward.objects.filter(user=user)
        ],
        "films_bought_or_granted": [
            {"film": e.film.title, "since": e.created_at.isoformat(), "source": e.source}
            for e in Entitlement.objects.filter(user=user).select_related("film")
        ],
        "watch_history": [
            {
                "film": w.film.title if w.film else None,
                "position_seconds": round(w.position, 1),
                "watched_seconds": round(w.watched_seconds, 1),
                "completed": w.completed,
                "updated_at": w.updated_at.isoformat(),
            }
            for w in WatchProgress.objects.filter(user=user).select_related("film")
        ],
        "orders": [
            {
                "order_number": o.public_id,
                "kind": o.kind,
                "title": (o.project or o.film).title if (o.project_id or o.film_id) else None,
                "amount_krw": o.amount,
                "refunded_krw": o.refunded_amount,
                "status": o.status,
                "provider": o.provider,
                "anonymous": o.is_anonymous,
                "message_to_creator": o.message,
                "shipping_address": shipping_address_of(o) if o.shipping_address else None,
                "created_at": o.created_at.isoformat(),
                "paid_at": o.paid_at.isoformat() if o.paid_at else None,
            }
            for o in Order.objects.filter(member=user).select_related("project", "film").order_by("created_at")
        ],
    }


@transaction.atomic
def delete_account(user: User) -> None:

    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    UniversityEmail.objects.filter(user=user).delete()
    PayoutAccount.objects.filter(user=user).delete()
    BadgeAward.objects.filter(user=user).delete()
    WatchProgress.objects.filter(user=user).delete()
    # Orders and ledger entries stay (money must add up), without what identified the member: the
    # message they wrote to a creator, and the masked name on the public ledger (labels are not
    # part of the ledger's hashes, so the chain still verifies).
    Order.objects.filter(member=user).update(
        message="",
        shipping_name="",
        shipping_phone="",
        shipping_postcode="",
        shipping_address="",
        shipping_address_detail="",
    )
    LedgerEntry.objects.filter(order__member=user).exclude(backer="anonymous").update(backer="member")
    if user.avatar:
        user.avatar.delete(save=False)
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = ""
    user.first_name = user.last_name = ""
    user.department = ""
    user.admission_year = None
    user.show_badges = False
    user.shipping_name = user.shipping_phone = user.shipping_postcode = ""
    user.shipping_address = user.shipping_address_detail = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
