"""The community API answers as the site does: the same rules through the same services, with a
token, in the shared error shape."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Comment, Follow, Review, Status
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, PersonFactory
from members.tests.app_tokens import app_tokens, bearer, cookieless_client
from members.tests.factories import CreatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def veteran():
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


@pytest.fixture
def api():
    return cookieless_client()


def auth(user) -> dict:
    return bearer(app_tokens(user)[0])


@pytest.fixture
def film():
    return FilmPageFactory(title="우리들의 여름", owner=CreatorFactory())


@pytest.fixture
def project():
    return FundingProjectPageFactory(title="바다로 가는 길", owner=CreatorFactory())


def test_review_through_the_api_moves_the_average(api, film):
    for rating in (5, 2):
        response = api.post(
            "/api/v2/reviews/",
            {"film": film.pk, "rating": rating, "body": "<b>굵게</b>"},
            content_type="application/json",
            **auth(veteran()),
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "visible"
    listing = api.get(f"/api/v2/reviews/?film={film.pk}").json()
    assert listing["meta"] == {"total_count": 2, "average": 3.5, "count": 2}
    assert listing["items"][0]["body"] == "<b>굵게</b>"
    assert listing["items"][0]["body_html"] == "&lt;b&gt;굵게&lt;/b&gt;"
    films = api.get(f"/api/v2/pages/{film.pk}/").json()
    assert films["rating"] == {"average": 3.5, "count": 2}


def test_writing_needs_a_token_and_reading_does_not(api, film):
    response = api.post("/api/v2/reviews/", {"film": film.pk, "rating": 5}, content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert api.get(f"/api/v2/reviews/?film={film.pk}").status_code == 200
    assert not Review.objects.exists()


def test_a_new_members_review_waits_and_only_they_see_it(api, film):
    newcomer = UserFactory()
    headers = auth(newcomer)
    response = api.post("/api/v2/reviews/", {"film": film.pk, "rating": 4}, content_type="application/json", **headers)
    assert response.json()["status"] == "pending"
    assert api.get(f"/api/v2/reviews/?film={film.pk}").json()["meta"]["total_count"] == 0
    own = api.get(f"/api/v2/reviews/?film={film.pk}", **headers).json()
    assert [(item["status"], item["mine"]) for item in own["items"]] == [("pending", True)]


def test_the_sixth_comment_in_a_minute_is_a_429(api, project, settings):
    settings.COMMUNITY_POSTS_PER_MINUTE = 5
    headers = auth(veteran())
    for n in range(5):
        body = {"page_id": project.pk, "body": f"댓글 {n}"}
        assert api.post("/api/v2/comments/", body, content_type="application/json", **headers).status_code == 200
    response = api.post(
        "/api/v2/comments/", {"page_id": project.pk, "body": "또"}, content_type="application/json", **headers
    )
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 5


def test_comments_come_as_a_thread(api, project):
    headers = auth(veteran())
    top = api.post(
        "/api/v2/comments/", {"page_id": project.pk, "body": "질문"}, content_type="application/json", **headers
    ).json()
    reply = api.post(
        "/api/v2/comments/",
        {"page_id": project.pk, "parent": top["id"], "body": "답"},
        content_type="application/json",
        **auth(project.owner),
    ).json()
    assert reply["by_creator"] is True and reply["parent"] == top["id"]
    thread = api.get(f"/api/v2/comments/?page_id={project.pk}").json()
    assert thread["meta"]["total_count"] == 1
    assert [r["id"] for r in thread["items"][0]["replies"]] == [reply["id"]]


def test_a_blocked_member_gets_a_403(api, project):
    from community import moderation
    from members.tests.factories import StaffUserFactory

    member = veteran()
    moderation.block(StaffUserFactory(), member, "스팸")
    response = api.post(
        "/api/v2/comments/", {"page_id": project.pk, "body": "안녕"}, content_type="application/json", **auth(member)
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Comment.objects.exists()


def test_reports_count_once(api, project, settings):
    settings.COMMUNITY_REPORTS_TO_HIDE = 3
    comment = Comment.objects.create(page=project, author=veteran(), body="글")
    headers = auth(veteran())
    first = api.post(
        "/api/v2/reports/", {"comment": comment.pk, "reason": "스팸"}, content_type="application/json", **headers
    )
    again = api.post("/api/v2/reports/", {"comment": comment.pk}, content_type="application/json", **headers)
    assert (first.json(), again.json()) == ({"reported": True}, {"reported": False})
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.status == Status.VISIBLE
    missing = api.post("/api/v2/reports/", {"comment": 999999}, content_type="application/json", **headers)
    assert missing.status_code == 404


def test_follow_list_and_unfollow(api, film):
    member = veteran()
    headers = auth(member)
    director = PersonFactory(name="박감독")
    followed = api.post("/api/v2/me/following/", {"person_id": director.pk}, content_type="application/json", **headers)
    assert followed.json() == {"following": True, "followers": 1}
    api.post("/api/v2/me/following/", {"page_id": film.pk}, content_type="application/json", **headers)
    listing = api.get("/api/v2/me/following/", **headers).json()
    assert {(item["kind"], item["name"]) for item in listing["items"]} == {
        ("person", director.name_en),
        ("page", film.title_en),
    }
    gone = api.delete(f"/api/v2/me/following/?person_id={director.pk}", **headers)
    assert gone.json() == {"following": False, "followers": 0}
    assert list(Follow.objects.values_list("page_id", flat=True)) == [film.pk]
    both = api.post(
        "/api/v2/me/following/",
        {"person_id": director.pk, "page_id": film.pk},
        content_type="application/json",
        **headers,
    )
    assert both.status_code == 400
