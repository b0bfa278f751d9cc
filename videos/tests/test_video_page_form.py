"""Creators attach only their own videos to their pages; a forged video id is refused."""

import pytest
from django.urls import reverse

from films.models import FilmPage
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db


def form_for(page, user):
    form_class = page.get_edit_handler().get_form_class()
    return form_class(instance=page, for_user=user)


def test_creator_chooses_only_own_videos_staff_any():
    creator, other = CreatorFactory(), CreatorFactory()
    mine = Video.objects.create(title="Mine", owner=creator, status=VideoStatus.READY)
    theirs = Video.objects.create(title="Theirs", owner=other, status=VideoStatus.READY)
    page = FilmPageFactory(owner=creator)
    for field in ("main_video", "trailer"):
        assert list(form_for(page, creator).fields[field].queryset) == [mine]
        assert set(form_for(page, StaffUserFactory()).fields[field].queryset) == {mine, theirs}


def test_forged_video_id_in_the_admin_post_is_refused():
    from members.tests.admin_forms import client_for, edit_form

    creator, other = CreatorFactory(), CreatorFactory()
    mine = Video.objects.create(title="Mine", owner=creator, status=VideoStatus.READY)
    theirs = Video.objects.create(title="Theirs", owner=other, status=VideoStatus.READY)
    page = FilmPageFactory(owner=creator, title="내 영화", slug="my-film", live=False)
    page.save_revision(user=creator)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    refused = client_for(creator).post(edit_url, edit_form(page, main_video=str(theirs.pk)))
    assert refused.status_code == 200  # the form again, with the error on the field
    assert "main_video" in refused.context["form"].errors
    assert FilmPage.objects.get(pk=page.pk).get_latest_revision_as_object().main_video_id is None

    accepted = client_for(creator).post(edit_url, edit_form(page, main_video=str(mine.pk)))
    assert accepted.status_code == 302
    assert FilmPage.objects.get(pk=page.pk).get_latest_revision_as_object().main_video_id == mine.pk
