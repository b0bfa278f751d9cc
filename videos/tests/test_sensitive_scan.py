"""The sensitive-content scan: moments from detections (pure), the real detector on a generated
clip, and the flags in the Videos admin, the film page and the APIs.

The detector is NudeNet's, from its package. The clip is a grey frame across which scikit-image's
astronaut photo slides from 2 s to 7 s; no clip here shows nudity, so the end-to-end tests flag
the class the detector does see in it (FACE_FEMALE) through the same setting that picks the
classes in production (VIDEO_SCAN_LABELS).
"""

import pytest
from django.urls import reverse
from skimage import data as sample_photos

from films.models import FilmBasePage
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory
from videos import analysis, sensitive, storage
from videos.models import ContentFlag, FlagStatus, Video, VideoStatus
from videos.sensitive import Detection, find_moments
from videos.tests.media import make_photo_clip

FACE = "FACE_FEMALE"


def hit(time, label="FEMALE_BREAST_EXPOSED", score=0.8):
    return Detection(time=time, label=label, score=score, box=(0, 0, 10, 10))


def test_neighbouring_flagged_samples_make_one_moment_and_gaps_split_them():
    found = [hit(4), hit(6, score=0.9), hit(8, label="BUTTOCKS_EXPOSED"), hit(14), hit(30, score=0.5)]
    moments = find_moments(found)
    assert [(m.start, m.end, m.at) for m in moments] == [(4, 8, 6), (14, 14, 14), (30, 30, 30)]
    assert moments[0].labels == ("BUTTOCKS_EXPOSED", "FEMALE_BREAST_EXPOSED") and moments[0].score == 0.9


def test_faces_covered_parts_and_unsure_detections_flag_nothing():
    found = [hit(2, label=FACE), hit(4, label="FEMALE_BREAST_COVERED"), hit(6, score=0.2), hit(8, label="FEET_EXPOSED")]
    assert find_moments(found) == []
    assert [m.start for m in find_moments(found, labels=frozenset({FACE}))] == [2]


@pytest.fixture(scope="module")
def photo_clip(tmp_path_factory):
    return make_photo_clip(tmp_path_factory.mktemp("scan") / "astronaut.mp4", sample_photos.astronaut(), seconds=10)


def test_the_detector_sees_the_photo_where_and_when_it_is(photo_clip):
    found = [d for d in sensitive.scan(photo_clip, 10, 24) if d.label == FACE]
    times = [d.time for d in found]
    assert times and set(times) <= {2.0, 4.0, 6.0}, "only while the photo is on screen (2–7 s)"
    lefts = [d.box[0] for d in found]
    assert lefts == sorted(lefts) and lefts[-1] - lefts[0] > 150, "the face moves right, as the photo does"


def test_a_corrupt_video_fails_the_scan_with_a_reason(tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not a video" * 50)
    with pytest.raises(sensitive.TranscodeFailed, match="could not sample"):
        sensitive.scan(broken, 10, 24)


# --- flags in the admin, the pages and the APIs -------------------------------------------------


@pytest.fixture
def flagged(db, settings, photo_clip):
    """A creator's ready video of the photo clip, shown by a free film, analysed with faces flagged."""
    settings.VIDEO_SCAN_LABELS = [FACE]
    settings.VIDEO_SCAN_MIN_SCORE = 0.3
    owner = CreatorFactory()
    video = Video.objects.create(title="촬영 현장", owner=owner, status=VideoStatus.READY, duration=10)
    video.original_key = storage.put_file(photo_clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
    video.save(update_fields=["original_key", "hls_master_key"])
    FilmPageFactory(title="현장", slug="현장", price=0, owner=owner, main_video=video)
    assert analysis.run(video.pk, str(analysis.queue(video))) == "done"
    return video


def decide(client, video, flag, decision):
    return client.post(
        reverse("videos_admin:analysis", args=[video.pk]),
        {"action": "flag", "flag": flag.pk, "decision": decision},
        follow=True,
    )


def test_the_analysis_flags_the_moment_with_a_picture_only_owner_and_staff_see(client, flagged):
    [flag] = ContentFlag.objects.filter(video=flagged)
    assert (flag.start, flag.status) == (2.0, FlagStatus.PENDING) and flag.end in (4.0, 6.0)
    assert storage.exists(flag.thumbnail_key)
    edit = reverse("videos_admin:edit", args=[flagged.pk])
    client.force_login(flagged.owner)
    owner_view = client.get(edit).content.decode()
    assert "content-flag--pending" in owner_view and flag.thumbnail_key.split("/")[-1] in owner_view
    assert 'value="confirm"' not in owner_view  # sees, cannot decide
    decide(client, flagged, flag, "confirm")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.PENDING  # turned away: only staff decide
    client.force_login(CreatorFactory())
    assert client.get(edit).status_code in (302, 404)
    client.force_login(StaffUserFactory())
    assert 'value="confirm"' in client.get(edit).content.decode()


def test_a_confirmed_flag_is_an_advisory_on_the_page_and_in_both_apis(
    client, flagged, django_capture_on_commit_callbacks
):
    [flag] = ContentFlag.objects.filter(video=flagged)
    film = FilmBasePage.objects.get(main_video=flagged)
    assert "Nudity" not in client.get(film.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    staff = StaffUserFactory()
    client.force_login(staff)
    for _twice in range(2):  # a double click: one decision
        with django_capture_on_commit_callbacks(execute=True):
            decide(client, flagged, flag, "confirm")
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by) == (FlagStatus.CONFIRMED, staff)
    client.logout()
    moments = [{"start": flag.start, "end": flag.end}]
    expected = [{"kind": "nudity", "label": "Nudity", "moments": moments}]
    assert client.get(f"/api/v2/pages/{film.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()["advisories"] == expected
    playback = client.get(reverse("api_playback", args=[film.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    assert playback["film"]["advisories"] == expected
    assert "Nudity" in client.get(film.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "노출" in client.get(film.url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def test_analysing_again_keeps_decisions_and_does_not_flag_a_dismissed_moment_twice(client, flagged):
    [flag] = ContentFlag.objects.filter(video=flagged)
    client.force_login(StaffUserFactory())
    decide(client, flagged, flag, "dismiss")
    assert analysis.run(flagged.pk, str(analysis.queue(flagged))) == "done"
    assert list(ContentFlag.objects.filter(video=flagged).values_list("pk", "status")) == [
        (flag.pk, FlagStatus.DISMISSED)
    ]
    decide(client, flagged, flag, "reopen")
    old_picture = flag.thumbnail_key
    assert analysis.run(flagged.pk, str(analysis.queue(flagged))) == "done"
    [again] = ContentFlag.objects.filter(video=flagged)
    assert again.pk != flag.pk and again.status == FlagStatus.PENDING
    assert not storage.exists(old_picture) and storage.exists(again.thumbnail_key)


def test_a_forged_flag_or_decision_changes_nothing(client, flagged):
    [flag] = ContentFlag.objects.filter(video=flagged)
    other = Video.objects.create(title="다른 영상", status=VideoStatus.READY, duration=5)
    client.force_login(StaffUserFactory())
    for data in ({"flag": flag.pk, "decision": "delete"}, {"flag": "1e9", "decision": "confirm"}, {"flag": flag.pk}):
        response = client.post(
            reverse("videos_admin:analysis", args=[flagged.pk]), {"action": "flag", **data}, follow=True
        )
        assert response.status_code == 200
    response = client.post(
        reverse("videos_admin:analysis", args=[other.pk]), {"action": "flag", "flag": flag.pk, "decision": "confirm"}
    )
    assert response.status_code in (302, 404)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.PENDING
