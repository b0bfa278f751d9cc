"""Who may open what: every member-facing URL and API endpoint × anonymous, unverified member,
member, creator and staff, including other members' objects by id.

Outcomes:
    ok       200
    login    redirected to log in
    verify   redirected to confirm the e-mail address first
    404      not found (another member's object, or nothing public to show)
    denied   403, or the admin's redirect to its dashboard
"""

import pytest
from django.urls import reverse

from films.models import Entitlement, Video, VideoStatus
from films.tests.factories import CreatorFactory, FilmPageFactory, StaffUserFactory, UserFactory
from members import university
from members.models import UniversityEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = ("anonymous", "unverified", "member", "creator", "staff")


@pytest.fixture
def world():
    users = {
        "anonymous": None,
        "unverified": UserFactory(verified_email=False),
        "member": UserFactory(),
        "creator": CreatorFactory(),
        "staff": StaffUserFactory(),
    }
    other = UserFactory()  # another member, whose objects nobody else may touch
    pending = UniversityEmail.objects.create(user=other, email="other@dongguk.edu")
    other_creator = CreatorFactory()
    verified = UniversityEmail.objects.create(user=other_creator, email="oc@dongguk.edu", status="verified")
    video = Video.objects.create(title="v", status=VideoStatus.READY, duration=60)
    video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
    video.save()
    paid = FilmPageFactory(title="Paid", price=5000, main_video=video, owner=other_creator)
    Entitlement.objects.create(user=users["member"], film=paid)
    return {
        "users": users,
        "other": other,
        "pending": pending,
        "verified": verified,
        "paid": paid,
        "other_creator": other_creator,
    }


def outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 404:
        return "404"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 302:
        if response.url.startswith(reverse("account_login")):
            return "login"
        if response.url.startswith(reverse("account_email_verification_sent")):
            return "verify"
        if response.url == reverse("wagtailadmin_home"):
            return "denied"
        return f"302 {response.url}"
    return str(response.status_code)


def get(url_name, *args):
    return lambda client, w: client.get(reverse(url_name, args=args))


MATRIX = {
    # name: (request, anonymous, unverified, member, creator, staff)
    "library": (get("my_library"), "login", "ok", "ok", "ok", "ok"),
    "donations": (get("my_donations"), "login", "ok", "ok", "ok", "ok"),
    "projects": (get("my_projects"), "login", "ok", "ok", "ok", "ok"),
    "badges": (get("my_badges"), "login", "ok", "ok", "ok", "ok"),
    "profile": (get("my_profile"), "login", "ok", "ok", "ok", "ok"),
    "payout": (get("my_payout"), "login", "verify", "ok", "ok", "ok"),
    "university": (get("my_university"), "login", "verify", "ok", "ok", "ok"),
    "account": (get("my_account"), "login", "ok", "ok", "ok", "ok"),
    "export": (get("my_export"), "login", "ok", "ok", "ok", "ok"),
    "delete page": (get("my_delete"), "login", "ok", "ok", "ok", "ok"),
    "resend another member's code": (
        lambda c, w: c.post(reverse("my_university_resend", args=[w["pending"].pk])),
        "login",
        "verify",
        "404",
        "404",
        "404",
    ),
    "confirm another member's code": (
        lambda c, w: c.post(
            reverse("my_university"), {"action": "confirm", "record": w["pending"].pk, "code": "123456"}
        ),
        "login",
        "verify",
        "ok",
        "ok",
        "ok",  # the form answers "no longer valid"; nothing changes
    ),
    "public profile of a creator": (
        lambda c, w: c.get(reverse("member_profile", args=[w["other_creator"].pk])),
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "public profile of a plain member": (
        lambda c, w: c.get(reverse("member_profile", args=[w["other"].pk])),
        "404",
        "404",
        "404",
        "404",
        "404",
    ),
    "verifications in the admin": (get("university_verifications:index"), "login", "login", "login", "denied", "ok"),
    "another member's verification": (
        lambda c, w: c.get(reverse("university_verifications:edit", args=[w["verified"].pk])),
        "login",
        "login",
        "login",
        "denied",
        "ok",
    ),
    "revoke a verification": (
        lambda c, w: c.post(reverse("university_verifications:revoke", args=[w["verified"].pk]), {"reason": "test"}),
        "login",
        "login",
        "login",
        "denied",
        "302 revoke",
    ),
    "badges in the admin": (get("member_badges"), "login", "login", "login", "denied", "ok"),
    "playback API of a paid film": (
        lambda c, w: c.get(reverse("api_playback", args=[w["paid"].pk])),
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",  # always answers; what it grants is checked below
    ),
    # A session can only start once the address is verified; one that exists is a session.
    "headless session": (lambda c, w: c.get("/_allauth/browser/v1/auth/session"), "401", "ok", "ok", "ok", "ok"),
}

CELLS = [
    pytest.param(name, role, expected, id=f"{name}-{role}")
    for name, (request, *outcomes) in MATRIX.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("name", "role", "expected"), CELLS)
def test_member_permission_matrix(client, world, name, role, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = MATRIX[name][0](client, world)
    got = outcome(response)
    if expected == "302 revoke":  # staff: done, back to the record
        assert got == f"302 {reverse('university_verifications:edit', args=[world['verified'].pk])}"
        world["verified"].refresh_from_db()
        assert world["verified"].status == "revoked"
        return
    assert got == expected
    # Nobody but staff changed anything.
    world["verified"].refresh_from_db()
    world["pending"].refresh_from_db()
    assert world["verified"].status == "verified" and world["pending"].status == "pending"
    assert not world["other"].is_creator


@pytest.mark.parametrize("role", ROLES)
def test_paid_film_playback_is_granted_only_to_buyer_owner_and_staff(client, world, role):
    user = world["users"][role]
    if user is not None:
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
    client.post(reverse("my_university"), {"action": "send", "email": "u@dongguk.edu"})
    assert not UniversityEmail.objects.filter(user=user).exists() and not user.is_creator
    with pytest.raises(university.VerificationError):
        university.confirm(user, world["pending"].pk, "000000")
