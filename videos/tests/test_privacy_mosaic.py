"""The privacy mosaic from the owner's side: mark the video behind-the-scenes, find its people,
tick who agreed to be seen, make the mosaic version; viewers then get it, and the faces of the
others are gone from what they can stream. Real ffmpeg, the real face detector, local storage."""

import pytest
from django.urls import reverse
from skimage import data as sample_photos

from members.tests.factories import CreatorFactory, StaffUserFactory
from videos import privacy, signing, storage
from videos.models import MosaicStatus, Video, VideoMosaic
from videos.tests.helpers import faces_by_half, ready_video
from videos.tests.media import make_two_faces_clip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _work(settings, tmp_path):
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_two_faces_clip(tmp_path_factory.mktemp("mosaic") / "bts.mp4", sample_photos.astronaut(), seconds=4)


@pytest.fixture
def footage(clip, django_capture_on_commit_callbacks):
    video = ready_video(clip, owner=CreatorFactory(), capture=django_capture_on_commit_callbacks)
    Video.objects.filter(pk=video.pk).update(behind_the_scenes=True)
    video.refresh_from_db()
    return video


def act(client, video, action, **data):
    return client.post(reverse("videos_admin:analysis", args=[video.pk]), {"action": action, **data}, follow=True)


def run_queued(video, step):
    job = VideoMosaic.objects.get(video=video)
    return step(video.pk, str(job.run_token))


def test_the_owner_mosaics_everyone_but_the_person_who_agreed(client, footage, django_capture_on_commit_callbacks):
    client.force_login(footage.owner)
    act(client, footage, "find_people")
    assert run_queued(footage, privacy.find) == "found"
    job = VideoMosaic.objects.get(video=footage)
    people = list(job.people.all())
    assert len(people) == 2 and not any(person.consented for person in people)
    edit = client.get(reverse("videos_admin:edit", args=[footage.pk])).content.decode()
    assert all(person.thumbnail_key.split("/")[-1] in edit for person in people)

    top = next(person for person in people if person.samples[0][2] < 180)  # y1 of its first box
    act(client, footage, "consents", consented=[str(top.number), "abc", "99"])
    assert {person.number for person in job.people.filter(consented=True)} == {top.number}

    old_master, original = footage.hls_master_key, footage.original_key
    act(client, footage, "make_mosaic")
    with django_capture_on_commit_callbacks(execute=True):  # what it replaced is removed once it commits
        assert run_queued(footage, privacy.render) == "done"
    footage.refresh_from_db()
    assert footage.hls_master_key != old_master and "/mosaic-" in footage.hls_master_key
    assert not storage.exists(old_master), "the unmosaicked stream is gone"
    assert storage.exists(original), "the original stays, for the owner and staff"
    assert footage.preview_key == ""
    assert VideoMosaic.objects.get(video=footage).status == MosaicStatus.DONE

    # The owner's player streams the mosaic version through signed links; the old stream is gone.
    viewer = signing.viewer_of(footage.owner)
    new_path = footage.hls_master_key.removeprefix(footage.outputs_prefix)
    old_path = old_master.removeprefix(footage.outputs_prefix)
    playlist = client.get(signing.signed_url(footage.pk, new_path, viewer, 60))
    assert playlist.status_code == 200 and "index.m3u8" in playlist.content.decode()
    assert client.get(signing.signed_url(footage.pk, old_path, viewer, 60)).status_code == 404

    stream = storage.local_path(footage.renditions[0]["playlist"])
    samples = len(top.samples)
    top_found, bottom_found = faces_by_half(stream)
    assert bottom_found == 0, "no face where the person who did not agree was"
    assert top_found >= samples - 1, "the one who agreed is untouched"


def test_only_behind_the_scenes_footage_is_mosaicked(client, footage):
    Video.objects.filter(pk=footage.pk).update(behind_the_scenes=False)
    client.force_login(footage.owner)
    response = act(client, footage, "find_people")
    assert "제작 현장 영상으로 표시하고" in " ".join(str(m) for m in response.context["messages"])
    assert not VideoMosaic.objects.exists()
    response = act(client, footage, "make_mosaic")
    assert not VideoMosaic.objects.exists()


def test_another_creator_cannot_touch_the_mosaic_and_staff_can(client, footage):
    client.force_login(CreatorFactory())
    response = client.post(reverse("videos_admin:analysis", args=[footage.pk]), {"action": "find_people"})
    assert response.status_code in (302, 404)
    assert not VideoMosaic.objects.exists()
    client.force_login(StaffUserFactory())
    act(client, footage, "find_people")
    assert VideoMosaic.objects.get(video=footage).status == MosaicStatus.FINDING


def test_a_newer_search_supersedes_one_under_way(footage):
    first = privacy.queue_find(footage)
    second = privacy.queue_find(footage)
    assert privacy.find(footage.pk, str(first)) == "superseded"
    assert privacy.find(footage.pk, str(second)) == "found"
    assert VideoMosaic.objects.get(video=footage).people.count() == 2
