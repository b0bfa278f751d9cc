"""Hostile input never gets a 500: every API operation in the OpenAPI schema, every public URL and
form the URL resolver knows, with NUL characters, overlong text, wrong types, huge numbers, bad
encodings and malformed bodies. New endpoints are covered as soon as they are in the schema or the
URLconf. Targeted cases check the 400, its sentence, and that nothing changed.
"""

import json
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, GenreFactory, ImageFactory, PersonFactory
from members.tests.admin_forms import client_for, edit_form
from members.tests.factories import CreatorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HUGE = "9" * 20
# Values for any query parameter: NUL, overlong, huge and negative huge numbers, a float that
# overflows, the wrong type, an empty value.
QUERY_VALUES = ["\x00", "a\x00b", "x" * 2000, HUGE, "-" + HUGE, "1e400", "abc", ""]
# Raw query strings that are not valid UTF-8 or not valid percent-encoding.
RAW_QUERIES = ["%ff%fe%00", "%", "a=%zz&b", "=&=&&", "%E0%A4%A"]
# Values for any JSON property or form field.
BODY_VALUES = ["\x00", "x" * 10_000, 10**30, -(10**30), 1.5, [], {}, None, True, "abc", HUGE]
# Query parameters many views read; each URL gets them all at once with every hostile value.
COMMON_PARAMETERS = [
    "q", "page", "type", "genre", "year", "sort", "status", "offset", "limit", "verify", "next", "orderId",
    "paymentKey", "amount", "session_id", "code", "message", "locale", "search", "id", "fields",
]  # fmt: skip


@pytest.fixture
def world(settings, tmp_path):
    """Something to find behind every id in a URL, and a logged-in creator to ask as."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_ROOT = tmp_path / "videos"
    creator = CreatorFactory()
    person = PersonFactory()
    genre = GenreFactory()
    film = FilmPageFactory(owner=creator, genres=[genre], credits=[(person, "director")])
    project = FundingProjectPageFactory(owner=creator)
    image = ImageFactory()
    client = Client()
    client.force_login(creator)
    return SimpleNamespace(
        creator=creator, person=person, genre=genre, film=film, project=project, image=image, client=client
    )


def assert_not_500(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}: {response.content[:300]!r}"


# --- the API, from its OpenAPI schema ---------------------------------------------------------


def _path_for(template: str, world) -> str:
    """A schema path with its parameters filled with ids that exist."""
    ids = {
        "people": world.person.pk,
        "genres": world.genre.pk,
        "images": world.image.pk,
        "funding": world.project.pk,
        "ledger": world.project.pk,
    }
    endpoint = template.split("/")[3]
    value = ids.get(endpoint, world.film.pk)
    return re.sub(r"\{[^}]+\}", str(value), template)


def _operations(openapi, method):
    for template, operations in openapi["paths"].items():
        if method in operations:
            yield template, operations[method]


def _request_properties(openapi, operation) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = next(iter(content.values()), {}).get("schema", {})
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


def test_every_api_query_parameter_survives_hostile_values(openapi, world):
    """Each GET operation, each documented query parameter (plus locale, search, offset, limit), each hostile value."""
    for template, operation in _operations(openapi, "get"):
        path = _path_for(template, world)
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for name in sorted(names | {"locale", "search", "offset", "limit"}):
            for value in QUERY_VALUES:
                assert_not_500(world.client.get(path, {name: value}), f"GET {path}?{name}={value[:20]!r}")
        for raw in RAW_QUERIES:
            assert_not_500(world.client.get(f"{path}?{raw}"), f"GET {path}?{raw}")


def test_every_api_body_survives_malformed_and_hostile_json(openapi, world):
    """Each operation with a body: malformed JSON, the wrong JSON type, hostile property values, a broken multipart."""
    for method in ("post", "put", "patch"):
        for template, operation in _operations(openapi, method):
            path = _path_for(template, world)
            send = getattr(world.client, method)
            for raw in ["{", "[]", '"x"', "null", "1e400", '{"a": NaN}', "\x00", '{"\\ud800": 1}']:
                assert_not_500(send(path, raw, content_type="application/json"), f"{method} {path} {raw!r}")
            assert_not_500(
                send(path, b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"), f"{method} {path}"
            )
            for name in _request_properties(openapi, operation):
                for value in BODY_VALUES:
                    body = json.dumps({name: value})
                    assert_not_500(send(path, body, content_type="application/json"), f"{method} {path} {body[:60]}")


# --- every other URL and form, from the URL resolver -----------------------------------------

SKIPPED_PREFIXES = ("admin/", "django-admin/", "api/", "_allauth/", "static/", "media/")


def _patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern, with the prefixes of the resolvers it is under."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _public_urls(world) -> list[str]:
    """Every named, reversible URL outside the admin and the API, with ids that exist."""
    urls = set()
    values = {"int": world.project.pk, "str": world.person.slug, "slug": world.person.slug, "path": "x"}
    for route, entry in _patterns():
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^") or not entry.name:
            continue
        kwargs = {name: values.get(type(c).__name__.removesuffix("Converter").lower(), "1")
                  for name, c in entry.pattern.converters.items()}  # fmt: skip
        try:
            urls.add(reverse(entry.name, kwargs=kwargs))
        except Exception:  # noqa: S112 - a name shared by several patterns, or a namespaced one
            continue
    urls |= {world.film.url, world.project.url, "/", "/films/"}
    return sorted(urls)


def _form_fields(html: str) -> list[str]:
    """The field names of the page's POST forms."""
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, flags=re.S | re.I)
    return sorted({name for form in forms for name in re.findall(r"name=\"([^\"]+)\"", form)})


def test_every_public_url_survives_hostile_query_strings(world):
    """Every URL the resolver knows (outside the admin and API), with every common parameter set to each hostile value."""
    for url in _public_urls(world):
        for value in QUERY_VALUES:
            response = world.client.get(url, dict.fromkeys(COMMON_PARAMETERS, value))
            assert_not_500(response, f"GET {url} with {value[:20]!r}")
        for raw in RAW_QUERIES:
            assert_not_500(world.client.get(f"{url}?{raw}"), f"GET {url}?{raw}")


def test_every_public_form_survives_hostile_values(world):
    """Every POST form on those pages, all its fields set to each hostile value, and a broken multipart body."""
    for url in _public_urls(world):
        page = world.client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        fields = _form_fields(page.content.decode())
        if not fields:
            continue
        for value in BODY_VALUES:
            data = {name: "" if value is None else str(value) for name in fields if name != "csrfmiddlewaretoken"}
            assert_not_500(world.client.post(url, data), f"POST {url} with {str(value)[:20]!r}")
        broken = world.client.post(url, b"--x\r\nbroken", content_type="multipart/form-data; boundary=x")
        assert_not_500(broken, f"POST {url} broken multipart")


# --- targeted: each refusal is a 400 with a sentence ------------------------------------------


def test_a_nul_in_the_search_query_is_a_400_with_a_sentence(client, world):
    """/search/?q= with a NUL character gets the 400 page saying why."""
    response = client.get(reverse("search:search"), {"q": "졸업\x00"})

    assert response.status_code == 400
    assert "The address contains a NUL character" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v2/pages/", "/api/v2/films/", "/api/v2/people/", "/api/v2/images/"])
def test_a_nul_in_the_apis_search_is_a_json_400(client, world, path):
    """search= with a NUL character on the API's list endpoints gets a JSON 400 with `detail`."""
    response = client.get(path, {"search": "a\x00b"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address contains a NUL character, which no search or filter can contain.",
        "code": "bad_request",
    }


def test_a_nul_locale_is_a_400(client, world):
    """locale=%00 on the pages endpoint is a 400, not a database error."""
    response = client.get("/api/v2/pages/?locale=%00")

    assert response.status_code == 400


@pytest.mark.parametrize("parameter", ["offset", "limit"])
def test_a_20_digit_offset_or_limit_is_a_400_on_every_list_endpoint(client, openapi, world, parameter):
    """Every API list endpoint that pages (the ledger included) refuses a 20-digit offset or limit with a sentence."""
    paging = [
        template
        for template, operation in _operations(openapi, "get")
        if any(p["name"] == parameter for p in operation.get("parameters", []))
    ]
    assert "/api/v2/ledger/{project_id}/" in paging and "/api/v2/pages/" in paging
    for template in paging:
        response = client.get(_path_for(template, world), {parameter: HUGE})
        assert response.status_code == 400, template
        assert response.json() == {
            "detail": f"“{parameter}” must be a whole number from 0 to 2147483647.",
            "code": "bad_request",
        }


def test_a_find_by_an_id_that_is_not_a_number_is_a_400(client, world):
    """/api/v2/pages/find/?id=abc is a 400, not a failed conversion."""
    response = client.get("/api/v2/pages/find/", {"id": "abc"})

    assert response.status_code == 400


def test_the_largest_offset_still_answers(client, world):
    """An offset at the limit is taken (an empty page), so the check refuses only what cannot fit."""
    response = client.get("/api/v2/films/", {"offset": "2147483647"})

    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.fixture
def film_edit(world):
    """A creator's film page with credits and its editor's complete POST data."""
    page = FilmPageFactory(owner=world.creator, live=False, credits=[(world.person, "director")])
    page.save_revision(user=world.creator)
    return page, edit_form(page)


def _post_edit(user, page, data):
    """POST to the page editor in English (the 400 page is in the request's language)."""
    client = client_for(user)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, HTTP_ACCEPT_LANGUAGE="en")


def test_an_admin_post_without_a_streamfield_count_is_a_400_and_saves_nothing(world, film_edit):
    """A page edit POST without a StreamField's count (as a hand-made POST sends) is a 400 with a sentence."""
    page, data = film_edit
    revisions = page.revisions.count()
    del data["stills-count"]
    data["title"] = "Changed"

    response = _post_edit(world.creator, page, data)

    assert response.status_code == 400
    assert "Part of the form was missing or could not be read." in response.content.decode()
    assert page.revisions.count() == revisions
    assert Page.objects.get(pk=page.pk).title != "Changed"


@pytest.mark.parametrize("count", ["abc", "1e400", "-1", "٣"])
def test_an_admin_post_with_a_streamfield_count_that_is_not_a_number_is_a_400(world, film_edit, count):
    """A StreamField count that is not a whole number is a 400 with a sentence, and nothing is saved."""
    page, data = film_edit
    revisions = page.revisions.count()
    data["stills-count"] = count

    response = _post_edit(world.creator, page, data)

    assert response.status_code == 400
    assert "Part of the form was missing or could not be read." in response.content.decode()
    assert page.revisions.count() == revisions


@pytest.mark.parametrize("prefix", ["credits", "rights_holders"])
def test_an_admin_post_without_an_inline_formsets_count_saves_nothing(world, film_edit, prefix):
    """A page edit POST without an inline formset's TOTAL_FORMS is refused with the formset's message."""
    page, data = film_edit
    revisions = page.revisions.count()
    del data[f"{prefix}-TOTAL_FORMS"]
    data["title"] = "Changed"

    response = _post_edit(world.creator, page, data)

    assert response.status_code == 400
    assert page.revisions.count() == revisions
    assert Page.objects.get(pk=page.pk).title != "Changed"


@pytest.mark.parametrize("value", ["not json", "99999999999999999999", "[]", '{"blocks": 1}'])
def test_a_rich_text_value_the_editor_cannot_read_is_a_400_and_saves_nothing(world, film_edit, value):
    """A rich text field posted as something other than Draftail's JSON is a 400 with a sentence."""
    page, data = film_edit
    revisions = page.revisions.count()
    data["synopsis"] = value
    data["title"] = "Changed"

    response = _post_edit(world.creator, page, data)

    assert response.status_code == 400
    assert "Part of the form was missing or could not be read." in response.content.decode()
    assert page.revisions.count() == revisions
    assert Page.objects.get(pk=page.pk).title != "Changed"


# --- the admin's editors: every id-bearing field with hostile values ---------------------------

# What a hand-made POST puts where an id belongs: not a number, more digits than any key holds,
# a negative number. (A NUL anywhere in a form is refused before any view, see above.)
ID_VALUES = ["abc", HUGE, "-1"]
# Formset counts and StreamField counts have targeted tests above; `__prefix__` rows are templates
# that no formset reads; a row's ORDER is a position, not an id.
_NOT_FUZZED = re.compile(r"(__prefix__|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-count$|-ORDER$)")


def _id_bearing(html, data) -> list[str]:
    """The posted names that carry ids: the editor's hidden inputs holding a number (choosers and inline
    rows' ids), and StreamField blocks' values (drawn by JavaScript, so not in the HTML)."""
    hidden = set(re.findall(r"<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"", html))
    hidden |= set(re.findall(r"<input[^>]*name=\"([^\"]+)\"[^>]*type=\"hidden\"", html))
    return sorted(
        name
        for name in data
        if not _NOT_FUZZED.search(name)
        and data.get(name, "").isdigit()
        and (name in hidden or name.startswith("stills-"))
    )


def _with_a_still(data, image):
    """The editor's POST with one still in the `stills` StreamField (drawn by JavaScript, so not in the HTML)."""
    data = data.copy()
    data.update({"stills-count": "1", "stills-0-type": "still", "stills-0-deleted": "", "stills-0-order": "0",
                 "stills-0-value-image": str(image.pk), "stills-0-value-alt_text": "a still",
                 "stills-0-value-decorative": ""})  # fmt: skip
    return data


def _fuzz(client, url, data, snapshot, names):
    """Post `data` with each of `names` set to each id value: never a 500, and a refused POST changes nothing."""
    assert names, f"nothing to fuzz at {url}"
    for name in names:
        for value in ID_VALUES:
            before = snapshot()
            response = client.post(url, {**data.dict(), name: value})
            assert_not_500(response, f"POST {url} {name}={value!r}")
            if response.status_code != 302:  # refused (400) or shown again with its errors
                assert snapshot() == before, f"POST {url} {name}={value!r} was refused but changed something"


@pytest.fixture
def editors(world):
    """A funding project with a row in every inline panel and every chooser filled; its owner's client."""
    from donations.tests.factories import RightsHolderFactory
    from films.tests.factories import DonationTierFactory, ProductionUpdateFactory
    from videos.tests.factories import ready_video_record

    video = ready_video_record()
    video.owner = world.creator
    video.save()
    project = FundingProjectPageFactory(
        owner=world.creator,
        poster=ImageFactory(),
        main_video=video,
        trailer=video,
        credits=[(world.person, "director")],
    )
    DonationTierFactory(project=project)
    ProductionUpdateFactory(page=project)
    RightsHolderFactory(page=project, member=world.creator)
    project.save_revision(user=world.creator)
    return project


def _page_snapshot(page_id):
    def snapshot():
        page = Page.objects.get(pk=page_id)
        return page.revisions.count(), page.latest_revision_id, page.specific.serializable_data()

    return snapshot


def test_the_page_editor_survives_hostile_ids_in_every_field(world, editors):
    """Each chooser, inline row id and StreamField block value of the project editor: a 400 or a form error, nothing saved."""
    url = reverse("wagtailadmin_pages:edit", args=[editors.pk])
    data = _with_a_still(edit_form(editors), world.image)
    names = _id_bearing(client_for(world.creator).get(url).content.decode(), data)
    assert {"poster", "main_video", "credits-0-id", "credits-0-person", "tiers-0-id", "updates-0-id",
            "rights_holders-0-member", "stills-0-value-image"} <= set(names), names  # fmt: skip

    _fuzz(client_for(world.creator), url, data, _page_snapshot(editors.pk), names)


def test_the_page_creator_survives_hostile_ids_in_every_chooser(world, editors):
    """The film creation form with each chooser and StreamField block value hostile: never a 500, no page made."""
    from films.models import FilmPage
    from films.tests.factories import film_index
    from members.tests.admin_forms import create_form, create_url

    data = _with_a_still(create_form(FilmPage, film_index(), title="새 영화", slug="new-film"), world.image)
    choosers = ["poster", "main_video", "trailer", "stills-0-value-image", "stills-0-order"]
    for name in ["poster", "main_video", "trailer"]:
        data[name] = str(getattr(editors, f"{name}_id"))

    _fuzz(client_for(world.creator), create_url(FilmPage, film_index()), data, Page.objects.count, choosers)


def _snippet_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


@pytest.mark.parametrize("snippet", ["person", "genre"])
def test_the_snippet_editors_survive_hostile_values_in_every_field(world, snippet):
    """The Person and Genre editors, as Staff, with each field set to each id value: never a 500, nothing changed."""
    from django.forms.models import model_to_dict

    from members.tests.factories import StaffUserFactory

    client = client_for(StaffUserFactory())
    instance = {"person": world.person, "genre": world.genre}[snippet]
    if snippet == "person":
        instance.photo = world.image
        instance.save()
    url = reverse(f"wagtailsnippets_films_{snippet}:edit", args=[instance.pk])
    data = _snippet_form(client, url)
    model = type(instance)

    _fuzz(client, url, data, lambda: model_to_dict(model.objects.get(pk=instance.pk)), sorted(data))


def test_the_videos_edit_form_survives_hostile_values(world, editors):
    """The Videos admin's edit form with each field set to each id value: never a 500, the video unchanged."""
    url = reverse("videos_admin:edit", args=[editors.main_video_id])
    client = client_for(world.creator)
    data = _snippet_form(client, url)
    video = type(editors.main_video)

    _fuzz(client, url, data, lambda: video.objects.filter(pk=editors.main_video_id).values().get(), sorted(data))


@pytest.mark.parametrize("name", ["poster", "credits-0-id", "credits-0-person", "stills-0-value-image"])
def test_an_id_that_is_not_a_number_is_a_400_that_names_the_field(world, editors, name):
    """A chooser or inline row id that is not a number gets the 400 page naming the field, and no revision."""
    data = _with_a_still(edit_form(editors), world.image)
    data[name] = "abc"
    data["title"] = "Changed"
    revisions = editors.revisions.count()

    response = _post_edit(world.creator, editors, data)

    assert response.status_code == 400
    field = "stills" if name.startswith("stills") else name
    assert f"The form’s “{field}” is not an id the editor could have sent." in response.content.decode()
    assert editors.revisions.count() == revisions
    assert Page.objects.get(pk=editors.pk).title != "Changed"
