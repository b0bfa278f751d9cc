"""Who may list, download, choose and attach a creator's images and documents, outside the admin as inside it.

Creator A owns an image and a document that no public page uses. Each cell drives a real view
(the API, Wagtail's document view, the media URL, the admin chooser, an admin form POST) as one
role and reports one word that covers the HTTP answer and, for attaching, what the database holds.

Outcomes:
    listed / absent   the API listing answered 200 with / without the file (and its detail 200 / 404)
    200 / 404         the download's status
    ok / denied / login   the admin chooser's answer (login: redirect to the admin log-in)
    attached          the POST saved and the object now uses the file
    refused           the form came back with the error on the field; nothing uses the file
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from films.models import FundingProjectPage, Person
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, ImageFactory
from members.tests.admin_forms import client_for, edit_form
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from tests.module_data import made_once_per_module

# Whether a file is public depends on the pages that use it: Wagtail's reference index.
pytestmark = [pytest.mark.django_db, pytest.mark.wagtail_indexes]

ROLES = ("anonymous", "member", "creator_b", "creator_a", "staff")
THUMBNAIL = "max-165x165"  # what the admin's image listing draws


@dataclass
class World:
    users: dict
    image: object  # A's image, used by no public page
    document: object  # A's document, likewise
    films: dict  # each role's own draft film to attach to (A's for anonymous, member and staff)
    projects: dict  # the same, funding projects (for production updates)


def make_world():
    creator_a, creator_b = CreatorFactory(), CreatorFactory()
    users = {
        "anonymous": None,
        "member": UserFactory(),
        "creator_b": creator_b,
        "creator_a": creator_a,
        "staff": StaffUserFactory(),
    }
    film_a = _draft(FilmPageFactory, creator_a)
    film_b = _draft(FilmPageFactory, creator_b)
    project_a = _draft(FundingProjectPageFactory, creator_a)
    project_b = _draft(FundingProjectPageFactory, creator_b)
    image = ImageFactory(title="A's still", uploaded_by_user=creator_a, collection=Collection.get_first_root_node())
    image.get_rendition(THUMBNAIL)
    document = get_document_model().objects.create(
        title="A's script", file=ContentFile(b"INT. SET - NIGHT", name="script.txt"), uploaded_by_user=creator_a
    )
    return World(
        users=users,
        image=image,
        document=document,
        films={role: film_b if role == "creator_b" else film_a for role in ROLES},
        projects={role: project_b if role == "creator_b" else project_a for role in ROLES},
    )


shared_world, world = made_once_per_module(make_world)


def _draft(factory, owner):
    page = factory(owner=owner, live=False)
    page.save_revision(user=owner)
    return page


# --- outcomes -------------------------------------------------------------------------------------


def listed(client, endpoint: str, pk: int) -> str:
    listing = client.get(f"/api/v2/{endpoint}/")
    detail = client.get(f"/api/v2/{endpoint}/{pk}/")
    assert listing.status_code == 200
    ids = {item["id"] for item in listing.json()["items"]}
    if pk in ids and detail.status_code == 200:
        return "listed"
    if pk not in ids and detail.status_code == 404:
        return "absent"
    return f"listing {pk in ids}, detail {detail.status_code}"


def chooser_answer(response) -> str:
    if response.status_code == 302 and response.url.startswith(resolve_url(settings.WAGTAILADMIN_LOGIN_URL)):
        return "login"
    if response.status_code == 302 and response.url == reverse("wagtailadmin_home"):
        return "denied"
    return {200: "ok", 403: "denied"}.get(response.status_code, f"HTTP {response.status_code}")


def attached(response, field: str, uses_file: bool, form=None) -> str:
    """Combine the form POST's answer with the database: both must agree."""
    if response.status_code == 302 and response.url.startswith(resolve_url(settings.WAGTAILADMIN_LOGIN_URL)):
        return "login" if not uses_file else "login (but attached)"
    if response.status_code == 302 and uses_file:
        return "attached"
    if response.status_code == 200 and not uses_file:
        errors = (form or response.context["form"]).errors
        return "refused" if field in errors else f"no error on {field}: {errors}"
    return f"HTTP {response.status_code} (uses file: {uses_file})"


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


# --- actions --------------------------------------------------------------------------------------


def list_image_in_api(client, world, role):
    return listed(client, "images", world.image.pk)


def list_document_in_api(client, world, role):
    return listed(client, "documents", world.document.pk)


def download_document(client, world, role):
    return str(client.get(world.document.url).status_code)


def download_image_original(client, world, role):
    return str(client.get(world.image.file.url).status_code)


def download_image_thumbnail(client, world, role):
    return str(client.get(world.image.get_rendition(THUMBNAIL).url).status_code)


def choose_image(client, world, role):
    return chooser_answer(client.get(reverse("wagtailimages_chooser:chosen", args=[world.image.pk])))


def choose_document(client, world, role):
    return chooser_answer(client.get(reverse("wagtaildocs_chooser:chosen", args=[world.document.pk])))


def attach_as_poster(client, world, role):
    film = world.films[role]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[film.pk]), edit_form(film, poster=str(world.image.pk))
    )
    return attached(response, "poster", latest(film).poster_id == world.image.pk)


def attach_as_still(client, world, role):
    film = world.films[role]
    stills = nested_form_data(
        {"stills": streamfield([("still", {"image": world.image.pk, "decorative": False, "alt_text": "A still"})])}
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[film.pk]), edit_form(film, **stills))
    uses = any(block.value.pk == world.image.pk for block in latest(film).stills)
    return attached(response, "stills", uses)


def attach_in_production_update(client, world, role):
    project = world.projects[role]
    embed = f'<p>Day one.</p><embed embedtype="image" id="{world.image.pk}" format="left" alt="A still"/>'
    update = {
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "0",
        "updates-0-id": "",
        "updates-0-ORDER": "1",
        "updates-0-DELETE": "",
        "updates-0-date": "2026-03-01",
        "updates-0-title": "촬영 첫날",
        "updates-0-body": rich_text(embed),
    }
    response = client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), edit_form(project, **update))
    updates = latest(project).updates.all() if FundingProjectPage.objects.filter(pk=project.pk).exists() else []
    uses = any(f'id="{world.image.pk}"' in update.body for update in updates)
    form = response.context["form"].formsets["updates"].forms[0] if response.status_code == 200 else None
    return attached(response, "body", uses, form=form)


def attach_as_person_photo(client, world, role):
    response = client.post(
        reverse("wagtailsnippets_films_person:add"),
        {"name": "박서준", "name_en": "Park Seojun", "slug": "", "photo": str(world.image.pk), "bio": "", "bio_en": ""},
    )
    return attached(response, "photo", Person.objects.filter(photo=world.image).exists())


# Expected outcome per role, in the order of ROLES:
#        anonymous  member     creator_b  creator_a   staff
MATRIX = {
    list_image_in_api: ("absent", "absent", "absent", "absent", "absent"),
    list_document_in_api: ("absent", "absent", "absent", "absent", "absent"),
    download_document: ("404", "404", "404", "200", "200"),
    download_image_original: ("404", "404", "404", "200", "200"),
    download_image_thumbnail: ("404", "404", "404", "200", "200"),
    choose_image: ("login", "login", "denied", "ok", "ok"),
    choose_document: ("login", "login", "denied", "ok", "ok"),
    attach_as_poster: ("login", "login", "refused", "attached", "attached"),
    attach_as_still: ("login", "login", "refused", "attached", "attached"),
    attach_in_production_update: ("login", "login", "refused", "attached", "attached"),
    attach_as_person_photo: ("login", "login", "refused", "attached", "attached"),
}

CELLS = [
    pytest.param(action, role, expected[i], id=f"{action.__name__}-{role}")
    for action, expected in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_private_file_matrix(world, english, action, role, expected):
    """Each role gets exactly the outcome the matrix promises for creator A's private image and document."""
    client = client_for(world.users[role])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert action(client, world, role) == expected


# --- files that public pages use ------------------------------------------------------------------


PUBLIC = {
    list_image_in_api: "listed",
    list_document_in_api: "listed",
    download_document: "200",
    download_image_original: "200",
    download_image_thumbnail: "200",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", PUBLIC, ids=lambda action: action.__name__)
def test_files_a_live_page_uses_are_public(world, action, role):
    """Once a live page shows A's image and links A's document, everyone may list and download them."""
    film = world.films["creator_a"]
    film.poster = world.image
    film.synopsis = f'<p><a linktype="document" id="{world.document.pk}">Script</a></p>'
    film.save_revision().publish()
    assert action(client_for(world.users[role]), world, role) == PUBLIC[action]


def test_unpublishing_the_page_makes_its_files_private_again(world):
    """A page taken offline stops making its files public: the poster's original is 404 for strangers again."""
    film = world.films["creator_a"]
    film.poster = world.image
    film.save_revision().publish()
    assert client_for(None).get(world.image.file.url).status_code == 200
    Page.objects.get(pk=film.pk).specific.unpublish()
    assert client_for(None).get(world.image.file.url).status_code == 404
    assert client_for(world.users["creator_a"]).get(world.image.file.url).status_code == 200


def test_an_image_staff_put_on_the_page_stays_when_its_creator_saves(world):
    """A file the page already has is not the creator's to choose, but saving the page keeps it."""
    staff_image = ImageFactory(uploaded_by_user=world.users["staff"], collection=Collection.get_first_root_node())
    film = world.films["creator_a"]
    film.poster = staff_image
    film.save_revision(user=world.users["staff"])
    response = client_for(world.users["creator_a"]).post(
        reverse("wagtailadmin_pages:edit", args=[film.pk]), edit_form(latest(film), title="새 제목")
    )
    assert response.status_code == 302
    assert (latest(film).title, latest(film).poster_id) == ("새 제목", staff_image.pk)
