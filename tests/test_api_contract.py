"""The API's contract with app developers, read from the OpenAPI schema it serves.

Every operation is walked: its declared answers must include the 4xx it can give, and each error
it really gives (asked for a missing id, without a token, with a query it cannot take) must be
declared and match the one error shape (`reelvision.api_errors`). Targeted tests cover the app
log-in operations taken from allauth, public operations needing no authentication, the catalogue
filters, neutral 404s, one pagination style and one name for the amount raised.
"""

import re

import pytest
from openapi_spec_validator import validate as validate_openapi

from donations.tests.factories import paid_donation
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from films.tests.openapi import assert_matches_schema
from members.tests.app_tokens import app_tokens, bearer, cookieless_client
from members.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MISSING_ID = 2_000_000_000
APP_LOGIN = "/_allauth/app/v1/auth/login"
APP_SESSION = "/_allauth/app/v1/auth/session"
APP_REFRESH = "/_allauth/app/v1/tokens/refresh"
ERROR = {"$ref": "#/components/schemas/Error"}


def api_operations(openapi):
    """(path template, method, operation) of our own endpoints (/api/…)."""
    for template, operations in openapi["paths"].items():
        if template.startswith("/api/"):
            for method, operation in operations.items():
                yield template, method, operation


def needs_token(operation) -> bool:
    security = operation.get("security", [])
    return bool(security) and {} not in security


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    return cookieless_client()


# --- the document -------------------------------------------------------------------------------


def test_the_schema_with_the_app_log_in_is_valid_openapi(openapi):
    """The served schema, allauth's operations merged in, passes the OpenAPI validator."""
    validate_openapi(openapi)
    assert {APP_LOGIN, APP_SESSION, APP_REFRESH} <= set(openapi["paths"])


def test_app_log_in_refresh_and_session_come_from_allauths_document(openapi):
    """Log-in, sign-up and refresh need no token, the session does; their bodies are allauth's own schemas."""
    login = openapi["paths"][APP_LOGIN]["post"]
    assert login["security"] == [] and openapi["paths"][APP_REFRESH]["post"]["security"] == []
    assert openapi["paths"][APP_SESSION]["get"]["security"] == [{"tokenAuth": []}]
    assert login["requestBody"]["$ref"] == "#/components/requestBodies/AllauthLogin"
    refs = set(re.findall(r"#/components/(\w+)/(\w+)", str(openapi["paths"][APP_LOGIN])))
    for kind, name in refs:
        assert name in openapi["components"][kind], name
    assert openapi["components"]["securitySchemes"]["tokenAuth"]["bearerFormat"] == "JWT"


def test_a_token_from_the_documented_log_in_matches_the_documented_answer(openapi):
    """A real app log-in answers as the merged schema says, and its access token opens the session endpoint."""
    member = UserFactory()
    access, _refresh = app_tokens(member)
    session = cookieless_client().get(APP_SESSION, **bearer(access))
    assert_matches_schema(openapi, APP_SESSION, session)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_form_post_to_the_app_log_in_is_answered_not_a_500(api, content_type):
    """allauth reads the raw body: a form post must reach it unread (it answers 400), not fail on a consumed stream."""
    response = api.post(APP_LOGIN, b"email=a%40b.c&password=x", content_type=content_type)
    assert response.status_code == 400


def test_public_operations_need_no_authentication(openapi):
    """Only my page, my figures and progress need a token or session; playback, transcripts and session
    reports take one if given (a buyer gets more; a member's report is bound to them); the rest need none."""
    personal = {"/api/v2/me/", "/api/v2/me/library/", "/api/v2/me/orders/", "/api/v2/me/badges/"}
    personal |= {"/api/v2/me/projects/", "/api/v2/progress/", "/api/v2/me/genres/", "/api/v2/me/recommendations/"}
    personal |= {"/api/v2/me/analytics/films/", "/api/v2/me/analytics/films/{film_id}/"}
    personal |= {"/api/v2/me/notifications/", "/api/v2/me/notifications/read/", "/api/v2/me/notification-settings/"}
    personal |= {"/api/v2/me/following/", "/api/v2/reports/"}
    personal |= {"/api/v2/premieres/{premiere_id}/reminder/", "/api/v2/me/age-check/"}
    personal |= {"/api/v2/me/videos/{video_id}/analysis/"}
    # Reviews and comments: anyone reads (a member also sees their own waiting posts), members write.
    read_or_write = {"/api/v2/reviews/", "/api/v2/comments/"}
    token_if_given = {"/api/v2/playback/{film_id}/", "/api/v2/transcript/{film_id}/", "/api/v2/playback-sessions/"}
    token_if_given |= {"/api/v2/posts/", "/api/v2/posts/{post_id}/"}  # a backer reads a locked post
    token_if_given |= {"/api/v2/premieres/", "/api/v2/premieres/{premiere_id}/"}  # whether I asked a reminder
    for template, method, operation in api_operations(openapi):
        if template in personal or (template in read_or_write and method != "get"):
            assert needs_token(operation), f"{method} {template}"
        elif template in token_if_given or template in read_or_write:
            assert {} in operation["security"], f"{method} {template}"
        else:
            assert operation["security"] == [], f"{method} {template}"


def test_a_public_endpoint_ignores_an_expired_or_forged_token(api):
    """An app that still sends a dead token gets the catalogue, not a 401."""
    response = api.get("/api/v2/films/", **bearer("not-a-token"))
    assert response.status_code == 200


# --- every operation's 4xx -------------------------------------------------------------------------


def test_every_operation_declares_the_4xx_it_can_give(openapi):
    """Every operation lists a 4xx; ours the 400 of a bad query, a 404 when they take an id, a 401 when they need a token."""
    for template, operations in openapi["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            what = f"{method} {template}"
            assert any(code.startswith("4") for code in declared), what
            if not template.startswith("/api/"):
                continue
            assert "400" in declared, what
            if "{" in template or template.endswith("/find/"):
                assert "404" in declared, what
            if needs_token(operation):
                assert "401" in declared, what
            for code in declared - {"200", "302"}:
                assert operation["responses"][code]["content"]["application/json"]["schema"] == ERROR, what


def _provocations(template, operation):
    """Requests that make the operation refuse: (label, path, query)."""
    path = re.sub(r"\{[^}]+\}", str(MISSING_ID), template)
    yield "a query it cannot take", re.sub(r"\{[^}]+\}", "1", template), {"offset": "x"}
    if "{" in template:
        yield "a missing id", path, {}
    if template.endswith("/find/"):
        yield "a missing id", template, {"id": str(MISSING_ID)}
    if needs_token(operation):
        yield "no token", template, {}


def test_every_error_an_operation_gives_is_declared_and_in_the_shared_shape(openapi, api):
    """Walk every operation: each refusal it gives is a declared status with the documented Error body."""
    FundingProjectPageFactory()
    for template, method, operation in api_operations(openapi):
        for label, path, query in _provocations(template, operation):
            if method == "get":
                response = api.get(path, query)
            else:
                response = getattr(api, method)(
                    path + ("?offset=x" if query else ""), {}, content_type="application/json"
                )
            what = f"{method.upper()} {template} with {label}"
            assert 400 <= response.status_code < 500, f"{what}: {response.status_code}"
            assert str(response.status_code) in operation["responses"], f"{what}: {response.status_code} undeclared"
            assert_matches_schema(openapi, template, response, response.status_code, method)
            assert set(response.json()) <= {"detail", "code", "fields"}, what


def test_refused_values_are_listed_by_field_in_the_shared_shape(openapi, api):
    """A PATCH of my profile with bad values is `invalid`, with the messages under `fields`."""
    member = UserFactory()
    token = app_tokens(member)[0]
    response = api.patch("/api/v2/me/", {"admission_year": 1800}, content_type="application/json", **bearer(token))
    assert_matches_schema(openapi, "/api/v2/me/", response, 400, "patch")
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["admission_year"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v2/pages/{MISSING_ID}/",
        f"/api/v2/funding/{MISSING_ID}/",
        f"/api/v2/ledger/{MISSING_ID}/",
        f"/api/v2/playback/{MISSING_ID}/",
        f"/api/v2/people/{MISSING_ID}/",
    ],
)
def test_a_404_names_nothing_of_ours(api, path):
    """A missing id is a neutral "Not found." (never "No FilmBasePage matches the given query.")."""
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("path", ["/api/v2/pages/abc/", "/api/v2/no-such-endpoint/"])
def test_an_address_no_endpoint_has_is_a_json_404(api, path):
    """A wrong URL under /api/ answers in the shared shape, not with the site's HTML 404 page."""
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_the_bad_request_middleware_answers_in_the_shared_shape(api):
    """A NUL in an API query string is refused before any view, in the same shape."""
    response = api.get("/api/v2/search/", {"q": "a\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request" and set(response.json()) == {"detail", "code"}


# --- the catalogue filters -----------------------------------------------------------------------


@pytest.mark.parametrize(("path", "query"), [("/api/v2/films/", {}), ("/api/v2/pages/", {"type": "films.FilmPage"})])
def test_an_unknown_genre_is_a_400(openapi, api, path, query):
    """`genre=` with a slug no genre has is refused like the other bad filters, not an empty list."""
    FilmPageFactory()
    response = api.get(path, {**query, "genre": "no-such-genre"})
    assert_matches_schema(openapi, path, response, 400)
    assert "no-such-genre" in response.json()["detail"] and response.json()["code"] == "bad_request"


@pytest.mark.parametrize("name", ["genre", "year", "status", "sort"])
def test_a_catalogue_filter_on_pages_without_a_film_type_is_refused(openapi, api, name):
    """/api/v2/pages/?genre=drama (no film `type=`) is a 400 saying to add the type, not silently every page."""
    FilmPageFactory()
    response = api.get("/api/v2/pages/", {name: "drama"})
    assert_matches_schema(openapi, "/api/v2/pages/", response, 400)
    assert "type=films.FilmPage" in response.json()["detail"]


# --- one pagination style, one name for the amount raised -----------------------------------------


def test_our_lists_page_like_wagtails(openapi, api):
    """Search and the ledger answer `{"meta": {"total_count"}, "items"}` and take offset and limit like the rest."""
    project = FundingProjectPageFactory(title="졸업 프로젝트")
    for amount in (1000, 2000, 3000):
        paid_donation(project, amount=amount)
    ledger = api.get(f"/api/v2/ledger/{project.pk}/", {"offset": 1, "limit": 1})
    assert_matches_schema(openapi, "/api/v2/ledger/{project_id}/", ledger)
    assert ledger.json()["meta"]["total_count"] == 3 and len(ledger.json()["items"]) == 1
    search = api.get("/api/v2/search/", {"q": "졸업", "limit": 1})
    assert_matches_schema(openapi, "/api/v2/search/", search)
    assert search.json()["meta"]["total_count"] == 1 and len(search.json()["items"]) == 1
    for template, _method, operation in api_operations(openapi):
        names = {p["name"] for p in operation.get("parameters", [])}
        assert "page" not in names, template


@pytest.mark.parametrize("path", ["/api/v2/search/", "/api/v2/films/"])
def test_a_limit_above_the_maximum_is_a_400_everywhere(api, path):
    """Asking for more than a list gives at once is refused the same way on every list."""
    response = api.get(path, {"q": "x", "limit": 10_000})
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def _property_names(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found.update(value)
            _property_names(value, found)
    elif isinstance(node, list):
        for value in node:
            _property_names(value, found)
    return found


def test_the_amount_raised_has_one_name(openapi):
    """No `raised` or `total` anywhere in our schemas: it is `amount_raised` in films, funding, the ledger and my projects."""
    ours = {name: schema for name, schema in openapi["components"]["schemas"].items() if not name.startswith("Allauth")}
    names = _property_names(ours, set())
    assert not names & {"raised", "total", "total_raised"}
    for component in ("Funding", "FundingStatus", "LedgerResponse", "Project"):
        assert "amount_raised" in ours[component]["properties"], component
