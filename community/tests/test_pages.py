"""The community on the site: forms post through the services, pages show the result escaped, and
nothing a member typed is lost when a post is refused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Comment, Follow, Review, Status
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, PersonFactory
from members.tests.factories import CreatorFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>\u202egpj.exe'


def veteran():
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


@pytest.fixture
def film():
    return FilmPageFactory(title="우리들의 여름", slug="우리들의-여름", owner=CreatorFactory())


@pytest.fixture
def project():
    return FundingProjectPageFactory(title="바다로 가는 길", slug="바다로-가는-길", owner=CreatorFactory())


def test_a_member_reviews_and_the_page_shows_the_average(client, film):
    for rating in (5, 4):
        member = veteran()
        client.force_login(member)
        response = client.post(reverse("community:review", args=[film.pk]), {"rating": rating, "body": "좋아요"})
        assert response.status_code == 302 and response["Location"].endswith("#reviews")
    client.logout()
    html = client.get(film.url).content.decode()
    assert "4.5" in html and "리뷰 2개" in html
    assert Review.objects.filter(film=film, status=Status.VISIBLE).count() == 2


def test_hostile_text_is_shown_escaped_on_the_page(client, film, project):
    member = veteran()
    client.force_login(member)
    client.post(reverse("community:review", args=[film.pk]), {"rating": 3, "body": HOSTILE})
    client.post(reverse("community:comment"), {"page": project.pk, "body": HOSTILE})
    for page in (film, project):
        html = client.get(page.url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "\u202e" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_refused_post_keeps_what_was_written(client, project, settings):
    settings.COMMUNITY_POSTS_PER_MINUTE = 1
    client.force_login(veteran())
    client.post(reverse("community:comment"), {"page": project.pk, "body": "첫 댓글"})
    response = client.post(reverse("community:comment"), {"page": project.pk, "body": "길게 공들여 쓴 두 번째 댓글"})
    assert Comment.objects.count() == 1
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "너무 빨리" in page or "too fast" in page
    assert "길게 공들여 쓴 두 번째 댓글</textarea>" in page


def test_a_pending_comment_is_shown_to_its_author_only(client, project):
    newcomer = UserFactory()
    client.force_login(newcomer)
    client.post(reverse("community:comment"), {"page": project.pk, "body": "처음 써 봐요"})
    assert Comment.objects.get().status == Status.PENDING
    assert "처음 써 봐요" in client.get(project.url).content.decode()
    client.force_login(veteran())
    assert "처음 써 봐요" not in client.get(project.url).content.decode()
    client.logout()
    assert "처음 써 봐요" not in client.get(project.url).content.decode()


def test_following_a_director_shows_on_my_page_and_the_count(client, film):
    director = PersonFactory(name="박감독")
    member = veteran()
    client.force_login(member)
    response = client.post(reverse("community:follow", args=["person", director.pk]), {"follow": "1"})
    assert response.status_code == 302
    client.post(reverse("community:follow", args=["person", director.pk]), {"follow": "1"})  # double click
    assert Follow.objects.filter(follower=member, person=director).count() == 1
    assert "박감독" in client.get(reverse("community:following")).content.decode()
    client.logout()
    assert "팔로워 1명" in client.get(director.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", ["review", "comment", "nothing"])
def test_a_forged_id_is_a_404_and_changes_nothing(client, project, kind):
    client.force_login(veteran())
    assert client.post(reverse("community:report", args=[kind, 999999])).status_code == 404
    assert client.post(reverse("community:delete", args=[kind, 999999])).status_code == 404
    assert client.post(reverse("community:comment"), {"page": 999999, "body": "x"}).status_code == 404
    assert client.post(reverse("community:follow", args=["page", 999999])).status_code == 404
    assert not Comment.objects.exists() and not Follow.objects.exists()


def test_someone_elses_comment_cannot_be_deleted_or_hidden(client, project):
    comment = Comment.objects.create(page=project, author=veteran(), body="남의 댓글")
    client.force_login(veteran())
    assert client.post(reverse("community:delete", args=["comment", comment.pk])).status_code == 404
    assert client.post(reverse("community:hide", args=[comment.pk])).status_code == 404
    assert client.post(reverse("community:pin", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert (comment.status, comment.pinned_at) == (Status.VISIBLE, None)


def test_the_pages_in_english_say_nothing_in_korean(client, english, film, project):
    client.force_login(veteran())
    html = client.get(film.url).content.decode() + client.get(project.url).content.decode()
    for words in ("Reviews", "Rate this film", "Comments", "Post comment", "Follow"):
        assert words in html
    for korean in ("리뷰", "댓글", "팔로우"):
        assert korean not in html


def test_my_following_page_costs_the_same_with_one_or_many_follows(client):
    """Followed pages come joined: no query per row (not even for the specific page)."""
    member = veteran()
    client.force_login(member)
    Follow.objects.create(follower=member, page=FilmPageFactory())
    client.get(reverse("community:following"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("community:following"))
    for _ in range(5):
        Follow.objects.create(follower=member, page=FundingProjectPageFactory())
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("community:following"))
    assert response.content.decode().count("following-list__item") == 6
    assert len(six) == len(one)
