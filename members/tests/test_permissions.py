"""Who may do what in the Wagtail admin: every role against every action.

Each cell drives a real admin view through the test client and reports one
word that covers both the HTTP response and what happened in the database, so
a view that answers 200 but saves nothing (or refuses but saves anyway) fails.

The things acted upon belong to creator A, so the "creator_a" column is a
creator working on their own film and the "creator_b" column is another
creator trying the same thing (direct URLs included).

Outcomes:
    ok      the view worked and the database shows the change
    sees    a listing or chooser answered and shows A's item
    hidden  a listing or chooser answered without A's item
    draft   a publish request only saved a draft (page still not live)
    denied  Wagtail's refusal (redirect to the dashboard or 403), nothing changed
    login   redirect to the admin login, nothing changed
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, TaskState, WorkflowState

from films.models import CollectionPage, FilmPage, FundingProjectPage, Genre, Person
from films.tests.factories import CollectionPageFactory, FilmPageFactory, ImageFactory, film_index, home_page
from home.models import HomePage
from members.tests.admin_forms import client_for, create_form, create_url, edit_form
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from tests.module_data import made_once_per_module

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "creator_a", "creator_b", "staff", "superuser")
DRAFT_TITLE = "Draft by creator A"
IMAGE_TITLE = "Still by creator A"
DOCUMENT_TITLE = "Script by creator A"


@dataclass
class World:
    users: dict
    draft: FilmPage  # A's unpublished film
    submitted: FilmPage  # A's unpublished film, waiting in the Film review workflow
    live: FilmPage  # A's published film
    collection: CollectionPage
    image: object
    document: object
    genre: Genre
    person: Person


def make_world() -> World:
    creator_a = CreatorFactory()
    users = {
        "anonymous": None,
        "member": UserFactory(),
        "creator_a": creator_a,
        "creator_b": CreatorFactory(),
        "staff": StaffUserFactory(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    draft = FilmPageFactory(title=DRAFT_TITLE, slug="draft-by-a", live=False, owner=creator_a)
    draft.save_revision(user=creator_a)
    submitted = FilmPageFactory(title="Submitted by creator A", live=False, owner=creator_a)
    submitted.save_revision(user=creator_a)
    submitted.get_workflow().start(submitted, creator_a)
    live = FilmPageFactory(title="Released by creator A", owner=creator_a)
    live.save_revision(user=creator_a).publish()
    document = get_document_model().objects.create(
        title=DOCUMENT_TITLE, file=ContentFile(b"INT. SET - NIGHT", name="script.txt"), uploaded_by_user=creator_a
    )
    return World(
        users=users,
        draft=draft,
        submitted=submitted,
        live=live,
        collection=CollectionPageFactory(title="Showcase", films=[live]),
        image=ImageFactory(title=IMAGE_TITLE, uploaded_by_user=creator_a, collection=Collection.get_first_root_node()),
        document=document,
        genre=Genre.objects.get(slug="drama"),
        person=Person.objects.create(name="김지수", name_en="Kim Jisu"),
    )


shared_world, world = made_once_per_module(make_world)


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


def changed(response, did_change: bool, success=("redirect",)) -> str:
    """Combine the response with the database: both must agree."""
    kind = response_kind(response)
    if kind in success and did_change:
        return "ok"
    if kind in ("denied", "login") and not did_change:
        return kind
    return f"{kind} (changed={did_change})"


def listed(response, text: str) -> str:
    kind = response_kind(response)
    if kind != "ok":
        return kind
    return "sees" if text in response.content.decode() else "hidden"


def latest_title(page) -> str:
    """The title in the page's newest revision, read afresh (a page object caches its latest revision)."""
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().title


# --- actions ------------------------------------------------------------------


def open_dashboard(client, world, user):
    return response_kind(client.get(reverse("wagtailadmin_home")))


def _add_page(client, model, parent, user):
    data = create_form(model, parent, title="New work", slug="new-work")
    response = client.post(create_url(model, parent), data)
    page = model.objects.filter(slug="new-work").first()
    if page is not None and (page.owner != user or page.live):
        return f"created with owner={page.owner}, live={page.live}"
    return changed(response, page is not None)


def add_film(client, world, user):
    return _add_page(client, FilmPage, film_index(), user)


def add_funding_project(client, world, user):
    return _add_page(client, FundingProjectPage, film_index(), user)


def add_collection_under_home(client, world, user):
    data = create_form(CollectionPage, home_page(), title="New work", slug="new-work")
    data.update({"items-TOTAL_FORMS": "1", "items-0-film": str(world.live.pk), "items-0-ORDER": "1"})
    data["items-0-id"] = ""
    data["items-0-DELETE"] = ""
    response = client.post(create_url(CollectionPage, home_page()), data)
    return changed(response, CollectionPage.objects.filter(slug="new-work").exists())


def edit_a_draft(client, world, user):
    data = edit_form(world.draft, title="Renamed draft")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[world.draft.pk]), data)
    return changed(response, latest_title(world.draft) == "Renamed draft")


def open_a_draft_editor(client, world, user):
    return response_kind(client.get(reverse("wagtailadmin_pages:edit", args=[world.draft.pk])))


def view_a_draft(client, world, user):
    return listed(client.get(reverse("wagtailadmin_pages:view_draft", args=[world.draft.pk])), DRAFT_TITLE)


def open_a_draft_history(client, world, user):
    return response_kind(client.get(reverse("wagtailadmin_pages:history", args=[world.draft.pk])))


def explorer_lists_a_draft(client, world, user):
    return listed(client.get(reverse("wagtailadmin_explore", args=[film_index().pk])), DRAFT_TITLE)


def explorer_lists_a_live_film(client, world, user):
    return listed(client.get(reverse("wagtailadmin_explore", args=[film_index().pk])), world.live.title)


def explorer_offers_a_live_film_history(client, world, user):
    """The listing's "History" item for A's live film: offered only to those the history view admits."""
    history_url = reverse("wagtailadmin_pages:history", args=[world.live.pk])
    return listed(client.get(reverse("wagtailadmin_explore", args=[film_index().pk])), history_url)


def open_a_live_film_history(client, world, user):
    return response_kind(client.get(reverse("wagtailadmin_pages:history", args=[world.live.pk])))


def explore_a_draft(client, world, user):
    return listed(client.get(reverse("wagtailadmin_explore", args=[world.draft.pk])), DRAFT_TITLE)


def explore_a_draft_results(client, world, user):
    """The explorer's children listing under the draft (what its search and filters load)."""
    return response_kind(client.get(reverse("wagtailadmin_explore_results", args=[world.draft.pk])))


def explorer_menu_lists_a_draft(client, world, user):
    url = reverse("wagtailadmin_api:pages:listing")
    return listed(client.get(url, {"child_of": film_index().pk, "for_explorer": 1}), DRAFT_TITLE)


def explorer_menu_shows_a_draft(client, world, user):
    response = client.get(reverse("wagtailadmin_api:pages:detail", args=[world.draft.pk]))
    return "HTTP 404" if response.status_code == 404 else listed(response, DRAFT_TITLE)


def page_chooser_lists_a_draft(client, world, user):
    return listed(client.get(reverse("wagtailadmin_choose_page_child", args=[film_index().pk])), DRAFT_TITLE)


def page_chooser_search_finds_a_draft(client, world, user):
    return listed(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Draft"}), DRAFT_TITLE)


def admin_search_finds_a_draft(client, world, user):
    return listed(client.get(reverse("wagtailadmin_pages:search"), {"q": "Draft"}), DRAFT_TITLE)


def publish_a_draft(client, world, user):
    data = edit_form(world.draft, title="Published draft")
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[world.draft.pk]), data)
    world.draft.refresh_from_db()
    if (
        response_kind(response) == "redirect"
        and not world.draft.live
        and latest_title(world.draft) == "Published draft"
    ):
        return "draft"
    return changed(response, world.draft.live, success=("redirect",))


def submit_a_draft_for_review(client, world, user):
    data = edit_form(world.draft)
    data["action-submit"] = "action-submit"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[world.draft.pk]), data)
    in_review = WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(world.draft.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()
    world.draft.refresh_from_db()
    return changed(response, in_review and not world.draft.live)


def _review(client, world, action):
    task_state = world.submitted.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[world.submitted.pk, action, task_state.pk]),
        {"comment": "Looks good" if action == "approve" else "Please add English subtitles"},
    )


def approve_a_submission(client, world, user):
    response = _review(client, world, "approve")
    world.submitted.refresh_from_db()
    return changed(response, world.submitted.live)


def request_changes_on_a_submission(client, world, user):
    task_state = world.submitted.current_workflow_task_state
    response = _review(client, world, "reject")
    task_state.refresh_from_db()
    world.submitted.refresh_from_db()
    return changed(response, task_state.status == TaskState.STATUS_REJECTED and not world.submitted.live)


def edit_a_live_film(client, world, user):
    data = edit_form(world.live, title="Recut")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[world.live.pk]), data)
    return changed(response, latest_title(world.live) == "Recut")


def edit_collection_page(client, world, user):
    data = edit_form(world.collection, title="Renamed showcase")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[world.collection.pk]), data)
    return changed(response, latest_title(world.collection) == "Renamed showcase")


def edit_home_page(client, world, user):
    home = home_page()
    data = edit_form(home, title="Renamed home")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[home.pk]), data)
    return changed(response, latest_title(HomePage.objects.get(pk=home.pk)) == "Renamed home")


def edit_genre(client, world, user):
    response = client.post(
        reverse("wagtailsnippets_films_genre:edit", args=[world.genre.pk]),
        {"name": "드라마 (수정)", "name_en": "Drama", "slug": "drama", "sort_order": "3"},
    )
    return changed(response, Genre.objects.get(pk=world.genre.pk).name == "드라마 (수정)")


def add_person(client, world, user):
    response = client.post(
        reverse("wagtailsnippets_films_person:add"), {"name": "박서준", "name_en": "Park Seojun", "slug": "park-seojun"}
    )
    return changed(response, Person.objects.filter(slug="park-seojun").exists())


def edit_person(client, world, user):
    response = client.post(
        reverse("wagtailsnippets_films_person:edit", args=[world.person.pk]),
        {"name": "김지수 (수정)", "name_en": "Kim Jisu", "slug": world.person.slug},
    )
    return changed(response, Person.objects.get(pk=world.person.pk).name == "김지수 (수정)")


def image_listing_shows_a_image(client, world, user):
    return listed(client.get(reverse("wagtailimages:index")), IMAGE_TITLE)


def image_chooser_shows_a_image(client, world, user):
    return listed(client.get(reverse("wagtailimages_chooser:choose")), IMAGE_TITLE)


def choose_a_image_by_url(client, world, user):
    return response_kind(client.get(reverse("wagtailimages_chooser:chosen", args=[world.image.pk])))


def edit_a_image(client, world, user):
    response = client.post(
        reverse("wagtailimages:edit", args=[world.image.pk]),
        {"title": "Retitled still", "collection": str(world.image.collection_id), "tags": ""},
    )
    return changed(response, get_image_model().objects.get(pk=world.image.pk).title == "Retitled still")


def document_listing_shows_a_document(client, world, user):
    return listed(client.get(reverse("wagtaildocs:index")), DOCUMENT_TITLE)


def document_chooser_shows_a_document(client, world, user):
    return listed(client.get(reverse("wagtaildocs_chooser:choose")), DOCUMENT_TITLE)


def choose_a_document_by_url(client, world, user):
    return response_kind(client.get(reverse("wagtaildocs_chooser:chosen", args=[world.document.pk])))


def edit_a_document(client, world, user):
    response = client.post(
        reverse("wagtaildocs:edit", args=[world.document.pk]),
        {"title": "Retitled script", "collection": str(Collection.get_first_root_node().pk), "tags": ""},
    )
    return changed(response, get_document_model().objects.get(pk=world.document.pk).title == "Retitled script")


# Expected outcome per role, in the order of ROLES:
#          anonymous member   creator_a creator_b staff    superuser
MATRIX = {
    open_dashboard: ("login", "login", "ok", "ok", "ok", "ok"),
    add_film: ("login", "login", "ok", "ok", "ok", "ok"),
    add_funding_project: ("login", "login", "ok", "ok", "ok", "ok"),
    add_collection_under_home: ("login", "login", "denied", "denied", "ok", "ok"),
    open_a_draft_editor: ("login", "login", "ok", "denied", "ok", "ok"),
    edit_a_draft: ("login", "login", "ok", "denied", "ok", "ok"),
    view_a_draft: ("login", "login", "sees", "denied", "sees", "sees"),
    open_a_draft_history: ("login", "login", "ok", "denied", "ok", "ok"),
    explorer_lists_a_draft: ("login", "login", "sees", "hidden", "sees", "sees"),
    explorer_lists_a_live_film: ("login", "login", "sees", "sees", "sees", "sees"),
    explorer_offers_a_live_film_history: ("login", "login", "sees", "hidden", "sees", "sees"),
    open_a_live_film_history: ("login", "login", "ok", "denied", "ok", "ok"),
    explore_a_draft: ("login", "login", "sees", "denied", "sees", "sees"),
    explore_a_draft_results: ("login", "login", "ok", "denied", "ok", "ok"),
    explorer_menu_lists_a_draft: ("login", "login", "sees", "hidden", "sees", "sees"),
    explorer_menu_shows_a_draft: ("login", "login", "sees", "HTTP 404", "sees", "sees"),
    page_chooser_lists_a_draft: ("login", "login", "sees", "hidden", "sees", "sees"),
    page_chooser_search_finds_a_draft: ("login", "login", "sees", "hidden", "sees", "sees"),
    admin_search_finds_a_draft: ("login", "login", "sees", "hidden", "sees", "sees"),
    publish_a_draft: ("login", "login", "draft", "denied", "ok", "ok"),
    submit_a_draft_for_review: ("login", "login", "ok", "denied", "ok", "ok"),
    approve_a_submission: ("login", "login", "denied", "denied", "ok", "ok"),
    request_changes_on_a_submission: ("login", "login", "denied", "denied", "ok", "ok"),
    edit_a_live_film: ("login", "login", "ok", "denied", "ok", "ok"),
    edit_collection_page: ("login", "login", "denied", "denied", "ok", "ok"),
    edit_home_page: ("login", "login", "denied", "denied", "ok", "ok"),
    edit_genre: ("login", "login", "denied", "denied", "ok", "ok"),
    add_person: ("login", "login", "ok", "ok", "ok", "ok"),
    edit_person: ("login", "login", "denied", "denied", "ok", "ok"),
    image_listing_shows_a_image: ("login", "login", "sees", "hidden", "sees", "sees"),
    image_chooser_shows_a_image: ("login", "login", "sees", "hidden", "sees", "sees"),
    choose_a_image_by_url: ("login", "login", "ok", "denied", "ok", "ok"),
    edit_a_image: ("login", "login", "ok", "denied", "ok", "ok"),
    document_listing_shows_a_document: ("login", "login", "sees", "hidden", "sees", "sees"),
    document_chooser_shows_a_document: ("login", "login", "sees", "hidden", "sees", "sees"),
    choose_a_document_by_url: ("login", "login", "ok", "denied", "ok", "ok"),
    edit_a_document: ("login", "login", "ok", "denied", "ok", "ok"),
}

# Actions that read Wagtail's search index (kept up to date only for tests marked so).
SEARCHES = {page_chooser_search_finds_a_draft, admin_search_finds_a_draft}

CELLS = [
    pytest.param(
        action,
        role,
        expected[i],
        id=f"{action.__name__}-{role}",
        marks=[pytest.mark.wagtail_indexes] if action in SEARCHES else [],
    )
    for action, expected in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_permission_matrix(world, action, role, expected):
    """Each role gets exactly the outcome the matrix promises for each admin action."""
    user = world.users[role]
    assert action(client_for(user), world, user) == expected
