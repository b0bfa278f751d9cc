"""The public reviews and comments every viewer shares (`community.shared_lists`) follow each change
at once, and nothing of one member's reaches another: each test fills the shared list first (a
visitor's render), then changes it and looks again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Comment, Status
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def veteran(**fields):
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **fields)


@pytest.fixture
def film():
    return FilmPageFactory(title="겨울 정류장", slug="겨울-정류장", owner=CreatorFactory())


@pytest.fixture
def project():
    return FundingProjectPageFactory(title="바다로 가는 길", slug="바다로-가는-길", owner=CreatorFactory())


def page_for(client, page, user=None) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(page.url).content.decode()


def test_a_new_review_shows_at_once_for_everyone(client, film, django_capture_on_commit_callbacks):
    reader = veteran()
    assert "별로 오래 기억될 영화" not in page_for(client, film, reader)
    client.force_login(veteran())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:review", args=[film.pk]), {"rating": 4, "body": "별로 오래 기억될 영화"})
    assert "별로 오래 기억될 영화" in page_for(client, film)
    assert "별로 오래 기억될 영화" in page_for(client, film, reader)


def test_a_comment_the_creator_hides_is_gone_at_once(client, project, django_capture_on_commit_callbacks):
    author = veteran()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:comment"), {"page": project.pk, "body": "곧 가려질 댓글"})
    comment = Comment.objects.get()
    assert comment.status == Status.VISIBLE
    assert "곧 가려질 댓글" in page_for(client, project)
    client.force_login(project.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:hide", args=[comment.pk]), {"reason": "광고"})
    assert Comment.objects.get().status == Status.HIDDEN
    assert "곧 가려질 댓글" not in page_for(client, project)
    assert "곧 가려질 댓글" not in page_for(client, project, veteran())
    assert "곧 가려질 댓글" not in page_for(client, project, project.owner)


def test_my_pending_comment_shows_to_me_alone_beside_the_shared_thread(
    client, project, django_capture_on_commit_callbacks
):
    client.force_login(veteran())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:comment"), {"page": project.pk, "body": "모두가 보는 댓글"})
    assert "모두가 보는 댓글" in page_for(client, project)  # the shared thread is cached now
    newcomer = UserFactory()
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:comment"), {"page": project.pk, "body": "승인을 기다리는 댓글"})
    assert Comment.objects.get(author=newcomer).status == Status.PENDING
    mine = page_for(client, project, newcomer)
    assert "승인을 기다리는 댓글" in mine and "모두가 보는 댓글" in mine
    for viewer in (veteran(), None):
        html = page_for(client, project, viewer)
        assert "모두가 보는 댓글" in html and "승인을 기다리는 댓글" not in html


def test_the_shared_thread_carries_no_member_controls(client, project, django_capture_on_commit_callbacks):
    """Filled by a member's render, the shared thread holds neither their delete button nor a
    CSRF token; the next member gets a report control instead."""
    author = veteran()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:comment"), {"page": project.pk, "body": "내가 쓴 댓글"})
    comment = Comment.objects.get()
    delete, report = (reverse(name, args=["comment", comment.pk]) for name in ("community:delete", "community:report"))
    mine = page_for(client, project, author)
    assert delete in mine
    other = page_for(client, project, veteran())
    assert delete not in other and report in other
    visitor = page_for(client, project)
    assert "csrfmiddlewaretoken" not in visitor and report not in visitor and "내가 쓴 댓글" in visitor


def test_my_review_is_in_my_form_not_again_in_the_list(client, film, django_capture_on_commit_callbacks):
    author = veteran(display_name="리뷰어")
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:review", args=[film.pk]), {"rating": 5, "body": "내 리뷰"})
    listed = '<strong class="post__author">리뷰어</strong>'
    assert page_for(client, film).count(listed) == 1  # the shared list, filled by a visitor
    mine = page_for(client, film, author)
    assert "내 리뷰</textarea>" in mine and listed not in mine


def test_the_follow_count_follows_each_follow(client, film):
    member = veteran()
    client.force_login(member)
    assert "팔로워 0명" in page_for(client, film, member)
    client.post(reverse("community:follow", args=["page", film.pk]), {"follow": "1"})
    assert "팔로워 1명" in page_for(client, film)
    assert "팔로워 1명" in page_for(client, film, veteran())


def test_korean_and_english_lists_never_mix(client, project, django_capture_on_commit_callbacks):
    client.force_login(project.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:comment"), {"page": project.pk, "body": "만든 사람의 댓글"})
    assert "창작자" in page_for(client, project)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = page_for(client, project)
    assert "Creator" in english and "창작자" not in english
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ko"
    assert "창작자" in page_for(client, project)
