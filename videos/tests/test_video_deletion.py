"""A video a live page plays (as its film or its trailer) cannot be deleted from the admin."""

import pytest
from django.urls import reverse

from donations.tests.helpers import english_user
from films.models import FilmBasePage
from films.tests.factories import FilmPageFactory
from members.tests.admin_forms import client_for
from members.tests.factories import CreatorFactory, StaffUserFactory
from videos.models import Video
from videos.tests.factories import ready_video_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = ("owner", "staff")


@pytest.fixture
def owner():
    return english_user(CreatorFactory)


def _client(role, owner):
    return client_for(owner if role == "owner" else english_user(StaffUserFactory))


def _owned_video(owner):
    video = ready_video_record()
    Video.objects.filter(pk=video.pk).update(owner=owner, title="Final cut")
    return video


@pytest.mark.parametrize("field", ["main_video", "trailer"])
@pytest.mark.parametrize("role", ROLES)
def test_a_video_on_a_live_page_is_not_deleted_and_the_page_is_named(owner, role, field):
    """The owner and staff alike get the page's name instead of a delete, for the film and the trailer."""
    video = _owned_video(owner)
    page = FilmPageFactory(title="Winter Stop", owner=owner, **{field: video})

    client = _client(role, owner)
    question = client.get(reverse("videos_admin:delete", args=[video.pk]), follow=True)
    answer = client.post(reverse("videos_admin:delete", args=[video.pk]))

    assert "This video cannot be deleted: it plays on the live page “Winter Stop”." in question.content.decode()
    assert answer.status_code == 302 and answer.url == reverse("videos_admin:edit", args=[video.pk])
    assert Video.objects.filter(pk=video.pk).exists()
    assert getattr(FilmBasePage.objects.get(pk=page.pk), f"{field}_id") == video.pk


@pytest.mark.parametrize("role", ROLES)
def test_a_video_only_a_draft_uses_can_be_deleted(owner, role):
    """A page that is not live loses nothing the public sees: the delete goes through."""
    video = _owned_video(owner)
    draft = FilmPageFactory(title="Not out yet", owner=owner, live=False, main_video=video)

    response = _client(role, owner).post(reverse("videos_admin:delete", args=[video.pk]))

    assert response.status_code == 302 and response.url == reverse("videos_admin:index")
    assert not Video.objects.filter(pk=video.pk).exists()
    assert FilmBasePage.objects.get(pk=draft.pk).main_video_id is None
