"""Who may do what with premieres in the Wagtail admin: every role against every action.

Each cell drives the real admin view through the test client and reports one word that covers both
the HTTP response and the database, so a view that answers 200 but changes nothing (or refuses but
changes something anyway) fails. The premiere is on creator A's film: "creator_a" is its owner,
"creator_b" another creator trying the same by direct URL.

Outcomes:
    ok       the view worked and the database shows the change (or the page answered)
    sees     the page answered and shows the thing looked for (A's premiere, its stream key)
    hidden   the page answered without it
    refused  the form answered again with an error, nothing changed
    denied   Wagtail's refusal (redirect to the dashboard or 403), nothing changed
    login    redirect to the admin log-in, nothing changed
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from films.models import FilmPage
from films.tests.factories import FilmPageFactory
from live.models import Premiere, PremiereStatus
from members.tests.admin_forms import client_for
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "creator_a", "creator_b", "staff", "superuser")
PREMIERE_TITLE = "Premiere by creator A"


@dataclass
class World:
    users: dict
    film: FilmPage
    premiere: Premiere


@pytest.fixture
def world():
    creator_a = CreatorFactory()
    film = FilmPageFactory(title="Film by creator A", owner=creator_a)
    premiere = Premiere.objects.create(
        page=film, title=PREMIERE_TITLE, starts_at=timezone.now() + timedelta(days=3), created_by=creator_a
    )
    users = {
        "anonymous": None,
        "member": UserFactory(),
        "creator_a": creator_a,
        "creator_b": CreatorFactory(),
        "staff": StaffUserFactory(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users=users, film=film, premiere=premiere)


def response_kind(response) -> str:
    if response.status_code == 302:
        if response.url.startswith(resolve_url(settings.WAGTAILADMIN_LOGIN_URL)):
            return "login"
        if response.url == reverse("wagtailadmin_home"):
            return "denied"
        return "redirect"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 200:
        return "ok"
    return f"HTTP {response.status_code}"


def changed(response, did_change: bool) -> str:
    """Combine the response with the database: both must agree."""
    kind = response_kind(response)
    if kind == "redirect" and did_change:
        return "ok"
    if kind == "ok" and not did_change:
        return "refused"
    if kind in ("denied", "login") and not did_change:
        return kind
    return f"{kind} (changed={did_change})"


def shown(response, text: str) -> str:
    kind = response_kind(response)
    if kind != "ok":
        return kind
    return "sees" if text in response.content.decode() else "hidden"


def fresh(premiere) -> Premiere:
    return Premiere.objects.get(pk=premiere.pk)


def form_data(**values) -> dict:
    start = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    return {"title": "Retitled", "starts_at": start, "ticket_price": "0", **values}


# --- actions ------------------------------------------------------------------


def list_premieres(client, world):
    return shown(client.get(reverse("live_admin:index")), PREMIERE_TITLE)


def schedule_on_as_film(client, world):
    response = client.post(reverse("live_admin:add"), form_data(page=str(world.film.pk), title="Second showing"))
    return changed(response, Premiere.objects.filter(title="Second showing", page=world.film).exists())


def open_the_premiere(client, world):
    return shown(client.get(reverse("live_admin:edit", args=[world.premiere.pk])), PREMIERE_TITLE)


def edit_the_premiere(client, world):
    response = client.post(reverse("live_admin:edit", args=[world.premiere.pk]), form_data(title="Retitled"))
    return changed(response, fresh(world.premiere).title == "Retitled")


def see_the_stream_key(client, world):
    return shown(client.get(reverse("live_admin:edit", args=[world.premiere.pk])), world.premiere.stream_key)


def regenerate_the_stream_key(client, world):
    response = client.post(reverse("live_admin:regenerate_key", args=[world.premiere.pk]))
    return changed(response, fresh(world.premiere).stream_key != world.premiere.stream_key)


def cancel_the_premiere(client, world):
    response = client.post(reverse("live_admin:cancel", args=[world.premiere.pk]))
    return changed(response, fresh(world.premiere).status == PremiereStatus.CANCELLED)


# Expected outcome per role, in the order of ROLES:
#          anonymous member   creator_a  creator_b  staff    superuser
MATRIX = {
    list_premieres: ("login", "login", "sees", "hidden", "sees", "sees"),
    schedule_on_as_film: ("login", "login", "ok", "refused", "ok", "ok"),
    open_the_premiere: ("login", "login", "sees", "denied", "sees", "sees"),
    edit_the_premiere: ("login", "login", "ok", "denied", "ok", "ok"),
    see_the_stream_key: ("login", "login", "sees", "denied", "sees", "sees"),
    regenerate_the_stream_key: ("login", "login", "ok", "denied", "ok", "ok"),
    cancel_the_premiere: ("login", "login", "ok", "denied", "ok", "ok"),
}

CELLS = [
    pytest.param(action, role, expected[i], id=f"{action.__name__}-{role}")
    for action, expected in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_permission_matrix(world, action, role, expected):
    """Each role gets exactly the outcome the matrix promises for each premiere action."""
    assert action(client_for(world.users[role]), world) == expected


def test_the_page_choice_lists_only_pages_the_creator_may_edit(world):
    """Creator B is offered their own film, never A's."""
    creator_b = world.users["creator_b"]
    own = FilmPageFactory(title="Film by creator B", owner=creator_b)
    page = client_for(creator_b).get(reverse("live_admin:add")).content.decode()
    assert own.title in page and world.film.title not in page


def test_the_stream_key_page_shows_the_rtmp_address(world, settings):
    settings.LIVE_RTMP_PUBLIC_URL = "rtmp://stream.reelvision.example/live"
    page = client_for(world.users["creator_a"]).get(reverse("live_admin:edit", args=[world.premiere.pk]))
    assert "rtmp://stream.reelvision.example/live" in page.content.decode()


def test_a_ticket_below_the_payment_minimum_is_refused_in_the_form(world, settings):
    settings.DONATION_MINIMUM = 1000
    client = client_for(world.users["creator_a"])
    response = client.post(reverse("live_admin:add"), form_data(page=str(world.film.pk), ticket_price="500"))
    assert response.status_code == 200 and not Premiere.objects.filter(title="Retitled").exists()
