"""Who may open what: every member-facing URL and API endpoint × anonymous, unverified member,
member, creator and staff, including other members' objects by id.

Outcomes:
    ok        200
    login     redirected to a log-in page (the site's, or the studio's own: only the first hop is
              checked, as for every /admin/ row)
    verify    redirected to confirm the e-mail address first
    401       an API request without a valid token or session (a JSON answer)
    404       not found (another member's object, or nothing public to show)
    denied    403, or the admin's redirect to its dashboard
    checkout  redirected to the payment page of the order just made
    302 <url> redirected there after a POST that did its job

Every cell also reads the database before and after: a refused request changes nothing at all; an
allowed one changes only the requester's own rows, and exactly the kinds of rows it should. An
answer that is allowed never shows another member's e-mail address or order numbers (outside the
studio, where staff see everyone).

API rows run twice: with the site's session, and with a real JWT from allauth's app log-in sent as
`Authorization: Bearer …` by a client without cookies. allauth gives no token to an unverified
address (tests/test_social_and_api.py); the unverified member's Bearer cells use a token issued
while their address was confirmed, and check that such a token gets what the site gives them.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from donations.models import Order, OrderStatus
from donations.providers.sandbox import payment_key
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from members import university
from members.models import BadgeAward, PayoutAccount, UniversityEmail, User
from members.tests.app_tokens import app_tokens, bearer, cookieless_client
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from tests.module_data import made_once_per_module
from videos.tests.factories import ready_video_record
from watching.models import DailyView, Entitlement, WatchProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = ("anonymous", "unverified", "member", "creator", "staff")
REFUSED = {"login", "verify", "401", "404", "denied"}


def paid_order(member, *, status=OrderStatus.PAID, **target) -> Order:
    return Order.objects.create(
        kind="donation" if "project" in target else "purchase",
        member=member,
        amount=5000,
        status=status,
        provider="sandbox",
        client_token=f"matrix-{member.pk}-{status}-{len(target)}-token",
        paid_at=timezone.now() if status == OrderStatus.PAID else None,
        **target,
    )


def make_world():
    users = {
        "anonymous": None,
        "unverified": UserFactory(verified_email=False),
        "member": UserFactory(),
        "creator": CreatorFactory(),
        "staff": StaffUserFactory(),
    }
    # Another member, whose objects nobody else may see or touch.
    other = UserFactory(email="someone.else@example.com", display_name="Someone Else")
    pending = UniversityEmail.objects.create(user=other, email="other@dongguk.edu")
    other_creator = CreatorFactory()
    verified = UniversityEmail.objects.create(user=other_creator, email="oc@dongguk.edu", status="verified")
    paid = FilmPageFactory(title="Paid", price=5000, main_video=ready_video_record(), owner=other_creator)
    Entitlement.objects.create(user=users["member"], film=paid)
    for_sale = FilmPageFactory(title="For sale", price=3000, main_video=ready_video_record(), owner=other_creator)
    project = FundingProjectPageFactory(title="Open project", owner=other_creator, minimum_donation=1000)
    free = FilmPageFactory(title="Free", price=0, main_video=ready_video_record())
    WatchProgress.objects.create(user=other, video=free.main_video, film=free, position=30, duration=60)
    BadgeAward.objects.create(user=other, code="first_donation")
    payout = PayoutAccount(user=other, bank="신한은행", holder="Someone Else")
    payout.set_number("110123456789")
    payout.save()
    other_order = paid_order(other, project=project)
    other_pending = paid_order(other, status=OrderStatus.PENDING, film=for_sale)
    own_orders = {role: paid_order(user, project=project) for role, user in users.items() if user}
    return {
        "users": users,
        "other": other,
        "pending": pending,
        "verified": verified,
        "paid": paid,
        "for_sale": for_sale,
        "project": project,
        "other_creator": other_creator,
        "other_order": other_order,
        "other_pending": other_pending,
        "own_orders": own_orders,
    }


shared_world, world = made_once_per_module(make_world)


def outcome(response) -> str:
    if response.status_code in (200, 401, 404):
        return {200: "ok"}.get(response.status_code, str(response.status_code))
    if response.status_code == 403:
        return "denied"
    if response.status_code == 302:
        if response.url.startswith((reverse("account_login"), resolve_url(settings.WAGTAILADMIN_LOGIN_URL))):
            return "login"
        if response.url.startswith(reverse("account_email_verification_sent")):
            return "verify"
        if response.url == reverse("wagtailadmin_home"):
            return "denied"
        if response.url.startswith("/pay/sandbox/"):
            return "checkout"
        return f"302 {response.url}"
    return str(response.status_code)


# --- what a request changed -------------------------------------------------------------------


def snapshot() -> dict:
    """Everything a member could change, as {(kind, id…): (owner, value)}."""
    groups = {}
    for user_id, name in User.groups.through.objects.values_list("user_id", "group__name"):
        groups.setdefault(user_id, set()).add(name)
    state = {}
    for u in User.objects.all():
        value = (u.email, u.display_name, u.department, u.admission_year, u.show_badges, u.is_active, u.deleted_at)
        state[("user", u.pk)] = (u.pk, (*value, frozenset(groups.get(u.pk, ()))))
    for e in EmailAddress.objects.all():
        state[("email", e.pk)] = (e.user_id, (e.email, e.verified, e.primary))
    for o in Order.objects.all():
        state[("order", o.public_id)] = (o.member_id, (o.status, o.amount, o.refunded_amount, o.paid_at))
    for p in WatchProgress.objects.all():
        state[("progress", p.user_id, p.video_id)] = (p.user_id, (p.position, p.watched_seconds, p.completed))
    for v in DailyView.objects.all():
        state[("view", v.viewer_key, v.video_id, v.day)] = (v.user_id, v.watched_seconds)
    for a in PayoutAccount.objects.all():
        state[("payout", a.user_id)] = (a.user_id, (a.bank, a.last4, a.holder))
    for r in UniversityEmail.objects.all():
        state[("university", r.pk)] = (r.user_id, (r.email, r.status))
    for e in Entitlement.objects.all():
        state[("entitlement", e.pk)] = (e.user_id, (e.film_id, e.revoked_at))
    for b in BadgeAward.objects.all():
        state[("badge", b.user_id, b.code)] = (b.user_id, b.awarded_at)
    return state


def changes(before: dict, after: dict) -> set[tuple[str, int | None]]:
    """(kind, owner) of every row added, removed or changed."""
    return {
        (key[0], (after.get(key) or before.get(key))[0])
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }


# --- the matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    request: Callable  # (client, world) -> response
    outcomes: tuple[str, str, str, str, str]  # in the order of ROLES
    changes: frozenset = frozenset()  # kinds of rows an allowed request must change (the requester's own)
    may_change: frozenset = frozenset()  # kinds it may change besides
    api: bool = False  # also with a Bearer token


def get(url_name, *args):
    return lambda client, w: client.get(reverse(url_name, args=args))


def own_order(w) -> Order:
    return w["own_orders"].get(w["role"], w["other_order"])


def progress_body(w) -> dict:
    return {"video_id": w["paid"].main_video_id, "film_id": w["paid"].pk, "position": 10, "duration": 60, "played": 5}


PROFILE_FORM = {"display_name": "Changed name", "department": "영화영상학과", "admission_year": "2022"}
PAYOUT_FORM = {"bank": "카카오뱅크", "number": "3333-01-2345678", "holder": "김감독", "password": "password"}
LOGGED_IN_OK = ("ok", "ok", "ok", "ok")
DELETED = frozenset({"email", "progress", "badge", "payout", "university", "order"})


def pay_return(url_name, **query):
    def request(client, w):
        order = w["other_pending"]
        params = {"orderId": order.public_id, **{k: v(order) if callable(v) else v for k, v in query.items()}}
        return client.get(reverse(url_name), params)

    return request


MATRIX = {
    # --- my page ---
    "library": Row(get("members:my_library"), ("login", *LOGGED_IN_OK)),
    "donations": Row(get("members:my_donations"), ("login", *LOGGED_IN_OK)),
    "projects": Row(get("members:my_projects"), ("login", *LOGGED_IN_OK)),
    "badges": Row(get("members:my_badges"), ("login", *LOGGED_IN_OK)),
    "profile": Row(get("members:my_profile"), ("login", *LOGGED_IN_OK)),
    "save my profile": Row(
        lambda c, w: c.post(reverse("members:my_profile"), PROFILE_FORM),
        ("login", "302 /me/profile/", "302 /me/profile/", "302 /me/profile/", "302 /me/profile/"),
        changes=frozenset({"user"}),
    ),
    # A payout account is for creators and rights holders (and whoever has one already).
    "payout": Row(get("members:my_payout"), ("login", "verify", "denied", "ok", "denied")),
    "save my payout account": Row(
        lambda c, w: c.post(reverse("members:my_payout"), PAYOUT_FORM),
        ("login", "verify", "denied", "302 /me/profile/", "denied"),
        changes=frozenset({"payout"}),
    ),
    "university": Row(get("members:my_university"), ("login", "verify", "ok", "ok", "ok")),
    "account": Row(get("members:my_account"), ("login", *LOGGED_IN_OK)),
    "export": Row(get("members:my_export"), ("login", *LOGGED_IN_OK)),
    "delete page": Row(get("members:my_delete"), ("login", *LOGGED_IN_OK)),
    "delete my account": Row(
        lambda c, w: c.post(reverse("members:my_delete"), {"password": "password", "confirm": "on"}),
        ("login", "302 /", "302 /", "302 /", "302 /"),
        changes=frozenset({"user"}),
        may_change=DELETED,
    ),
    "resend another member's code": Row(
        lambda c, w: c.post(reverse("members:my_university_resend", args=[w["pending"].pk])),
        ("login", "verify", "404", "404", "404"),
    ),
    "confirm another member's code": Row(
        lambda c, w: c.post(
            reverse("members:my_university"), {"action": "confirm", "record": w["pending"].pk, "code": "123456"}
        ),
        ("login", "verify", "ok", "ok", "ok"),  # the form answers "no longer valid"; nothing changes
    ),
    "public profile of a creator": Row(
        lambda c, w: c.get(reverse("members:member_profile", args=[w["other_creator"].pk])),
        ("ok", "ok", "ok", "ok", "ok"),
    ),
    "public profile of a plain member": Row(
        lambda c, w: c.get(reverse("members:member_profile", args=[w["other"].pk])), ("404", "404", "404", "404", "404")
    ),
    # --- donating, buying, receipts and the provider round trip ---
    "donate page": Row(
        lambda c, w: c.get(reverse("donations:donate", args=[w["project"].pk])), ("login", "verify", "ok", "ok", "ok")
    ),
    "donate": Row(
        lambda c, w: c.post(
            reverse("donations:donate", args=[w["project"].pk]),
            {"amount": 5000, "provider": "sandbox", "client_token": "matrix-donation-click-1"},
        ),
        ("login", "verify", "checkout", "checkout", "checkout"),
        changes=frozenset({"order"}),
    ),
    "buy page": Row(
        lambda c, w: c.get(reverse("donations:buy", args=[w["for_sale"].pk])), ("login", "verify", "ok", "ok", "ok")
    ),
    "buy": Row(
        lambda c, w: c.post(
            reverse("donations:buy", args=[w["for_sale"].pk]),
            {"provider": "sandbox", "client_token": "matrix-purchase-click-1"},
        ),
        ("login", "verify", "checkout", "checkout", "checkout"),
        changes=frozenset({"order"}),
    ),
    "my receipt": Row(
        lambda c, w: c.get(reverse("donations:order_detail", args=[own_order(w).public_id])),
        ("login", "verify", "ok", "ok", "ok"),
    ),
    "another member's receipt": Row(
        lambda c, w: c.get(reverse("donations:order_detail", args=[w["other_order"].public_id])),
        ("login", "verify", "404", "404", "404"),
    ),
    # The backers of another creator's project (names, messages, shipping addresses): its owner and staff only.
    "another creator's backers": Row(
        lambda c, w: c.get(reverse("donations:project_backers", args=[w["project"].pk])),
        ("login", "404", "404", "404", "ok"),
    ),
    "another member's sandbox checkout": Row(
        lambda c, w: c.get(reverse("donations:sandbox_checkout", args=[w["other_pending"].public_id])),
        ("login", "verify", "404", "404", "404"),
    ),
    "pay another member's order in the sandbox": Row(
        lambda c, w: c.post(
            reverse("donations:sandbox_checkout", args=[w["other_pending"].public_id]), {"outcome": "pay"}
        ),
        ("login", "verify", "404", "404", "404"),
    ),
    "another member's Toss checkout": Row(
        lambda c, w: c.get(reverse("donations:toss_checkout", args=[w["other_pending"].public_id])),
        ("login", "verify", "404", "404", "404"),
    ),
    "confirm another member's payment": Row(
        pay_return(
            "donations:payment_success",
            paymentKey=lambda o: payment_key(o.public_id, o.amount),
            amount=lambda o: o.amount,
        ),
        ("login", "verify", "404", "404", "404"),
    ),
    "fail another member's payment": Row(
        pay_return("donations:payment_failure", code="REJECT_CARD_COMPANY", message="no"),
        ("login", "verify", "404", "404", "404"),
    ),
    "Stripe return for another member's order": Row(
        pay_return("donations:stripe_return", session_id="cs_test_forged"), ("login", "verify", "404", "404", "404")
    ),
    # --- watching ---
    "site progress on a paid film": Row(
        lambda c, w: c.post(reverse("watching:video_progress"), progress_body(w), content_type="application/json"),
        ("denied", "denied", "ok", "denied", "ok"),  # the member bought it; staff may watch anything
        changes=frozenset({"progress", "view"}),
        may_change=frozenset({"badge"}),
    ),
    # --- the studio (first hop only) ---
    "verifications in the admin": Row(
        get("university_verifications:index"), ("login", "login", "login", "denied", "ok")
    ),
    "another member's verification": Row(
        lambda c, w: c.get(reverse("university_verifications:edit", args=[w["verified"].pk])),
        ("login", "login", "login", "denied", "ok"),
    ),
    "revoke a verification": Row(
        lambda c, w: c.post(reverse("university_verifications:revoke", args=[w["verified"].pk]), {"reason": "test"}),
        ("login", "login", "login", "denied", "302 revoke"),
    ),
    "badges in the admin": Row(get("member_badges"), ("login", "login", "login", "denied", "ok")),
    # A session can only start once the address is verified; one that exists is a session.
    "headless session": Row(lambda c, w: c.get("/_allauth/browser/v1/auth/session"), ("401", "ok", "ok", "ok", "ok")),
    # --- the API: with the session and with a Bearer token ---
    "API playback of a paid film": Row(
        lambda c, w: c.get(reverse("api_playback", args=[w["paid"].pk])),
        ("ok", "ok", "ok", "ok", "ok"),  # always answers; what it grants is checked below
        api=True,
    ),
    "API my profile": Row(get("api_me"), ("401", *LOGGED_IN_OK), api=True),
    "API change my profile": Row(
        lambda c, w: c.patch(reverse("api_me"), {"display_name": "Changed name"}, content_type="application/json"),
        ("401", *LOGGED_IN_OK),
        changes=frozenset({"user"}),
        api=True,
    ),
    "API my library": Row(get("api_me_library"), ("401", *LOGGED_IN_OK), api=True),
    "API my orders": Row(get("api_me_orders"), ("401", *LOGGED_IN_OK), api=True),
    "API my badges": Row(get("api_me_badges"), ("401", *LOGGED_IN_OK), api=True),
    "API my projects": Row(get("api_me_projects"), ("401", *LOGGED_IN_OK), api=True),
    "API progress on a paid film": Row(
        lambda c, w: c.post(reverse("api_progress"), progress_body(w), content_type="application/json"),
        ("401", "denied", "ok", "denied", "ok"),
        changes=frozenset({"progress", "view"}),
        may_change=frozenset({"badge"}),
        api=True,
    ),
}

CELLS = [
    pytest.param(name, role, auth, id=f"{name}-{role}-{auth}")
    for name, row in MATRIX.items()
    for role in ROLES
    for auth in (("session", "bearer") if row.api else ("session",))
]


def token_for(user) -> str:
    """A real access token from the app log-in; for an unverified member, one issued while their address was confirmed."""
    addresses = EmailAddress.objects.filter(user=user)
    if addresses.filter(verified=True).exists():
        return app_tokens(user)[0]
    addresses.update(verified=True)
    try:
        return app_tokens(user)[0]
    finally:
        addresses.update(verified=False)


@pytest.mark.parametrize(("name", "role", "auth"), CELLS)
def test_member_permission_matrix(client, world, name, role, auth):
    row = MATRIX[name]
    expected = row.outcomes[ROLES.index(role)]
    user = world["users"][role]
    if auth == "bearer":
        client = cookieless_client()
        if user is not None:
            client.defaults.update(bearer(token_for(user)))
    elif user is not None:
        client.force_login(user)
    world["role"] = role

    before = snapshot()
    response = row.request(client, world)
    changed = changes(before, snapshot())
    got = outcome(response)

    if expected == "302 revoke":  # staff: done, back to the record
        assert got == f"302 {reverse('university_verifications:edit', args=[world['verified'].pk])}"
        world["verified"].refresh_from_db()
        assert world["verified"].status == "revoked"
        assert {kind for kind, _ in changed} == {"university", "user"}  # the record, and the creator's groups
        return
    assert got == expected
    if expected in REFUSED or not (row.changes or row.may_change):
        assert changed == set(), f"a refused or read-only request changed {changed}"
    else:
        assert {owner for _, owner in changed} == {user.pk}, f"changed someone else's rows: {changed}"
        assert row.changes <= {kind for kind, _ in changed} <= row.changes | row.may_change
    if got == "ok" and not response.request["PATH_INFO"].startswith("/admin/"):
        body = response.content.decode()
        for secret in (world["other"].email, world["other_order"].public_id, world["other_pending"].public_id):
            assert secret not in body


@pytest.mark.parametrize("auth", ["session", "bearer"])
@pytest.mark.parametrize("role", ROLES)
def test_paid_film_playback_is_granted_only_to_buyer_owner_and_staff(client, world, role, auth):
    user = world["users"][role]
    if auth == "bearer":
        client = cookieless_client()
        if user is not None:
            client.defaults.update(bearer(token_for(user)))
    elif user is not None:
        client.force_login(user)
    body = client.get(reverse("api_playback", args=[world["paid"].pk])).json()
    assert body["can_watch"] is (role in ("member", "staff"))
    assert (body["film"] is not None) is body["can_watch"]


def test_the_owner_of_a_paid_film_may_watch_it(client, world):
    client.force_login(world["other_creator"])
    assert client.get(reverse("api_playback", args=[world["paid"].pk])).json()["can_watch"] is True


def test_unverified_members_cannot_become_creators(client, world):
    user = world["users"]["unverified"]
    client.force_login(user)
    client.post(reverse("members:my_university"), {"action": "send", "email": "u@dongguk.edu"})
    assert not UniversityEmail.objects.filter(user=user).exists() and not user.is_creator
    with pytest.raises(university.VerificationError):
        university.confirm(user, world["pending"].pk, "000000")


def test_a_bearer_token_does_not_log_into_the_sites_pages(world):
    """Tokens are for the API: the HTML pages and the player's progress view only know the session."""
    client = cookieless_client()
    client.defaults.update(bearer(token_for(world["users"]["member"])))
    assert outcome(client.get(reverse("members:my_library"))) == "login"
    before = snapshot()
    response = client.post(reverse("watching:video_progress"), progress_body(world), content_type="application/json")
    assert outcome(response) == "denied" and changes(before, snapshot()) == set()
