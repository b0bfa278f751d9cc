"""Chapters and the poster frame in the Videos admin, from the analysis's suggestions, and chapters in
the playback API: only the video's owner and staff change them, forged or out-of-range input is
refused with a reason and changes nothing."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory
from videos import analysis, storage
from videos import tasks as video_tasks
from videos.models import Chapter, Video, VideoAnalysis
from videos.tests.helpers import ready_shots_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(tmp_path):
    """A creator's ready video (7.6 s), analysed."""
    video = ready_shots_video(tmp_path, owner=CreatorFactory())
    assert analysis.run(video.pk, str(analysis.queue(video))) == "done"
    return video


def post(client, video, **data):
    return client.post(reverse("videos_admin:analysis", args=[video.pk]), data, follow=True)


def chapter_rows(*rows, total=None):
    data = {"action": "chapters", "chapters-TOTAL_FORMS": str(total or len(rows)), "chapters-INITIAL_FORMS": "0"}
    for number, (start, title, title_en) in enumerate(rows):
        data.update(
            {
                f"chapters-{number}-start": start,
                f"chapters-{number}-title": title,
                f"chapters-{number}-title_en": title_en,
            }
        )
    return data


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_edit_page_offers_the_suggested_chapters_and_the_candidate_frames(client, analysed):
    client.force_login(analysed.owner)
    page = client.get(reverse("videos_admin:edit", args=[analysed.pk]), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'value="챕터 1"' in page and "저장해야 관객에게 보입니다" in page
    found = VideoAnalysis.objects.get(video=analysed)
    for poster in found.poster_candidates:
        assert f'value="{poster["key"]}"' in page


def test_saved_chapters_reach_the_playback_api_in_the_viewers_language(client, analysed):
    client.force_login(analysed.owner)
    response = post(client, analysed, **chapter_rows(("0:00", "정류장", "The bus stop"), ("0:03.4", "밤", "")))
    assert "챕터를 저장했습니다." in messages_of(response)
    assert list(Chapter.objects.filter(video=analysed).values_list("start", "title")) == [(0.0, "정류장"), (3.4, "밤")]
    film = FilmPageFactory(main_video=analysed, owner=analysed.owner)
    client.logout()
    url = reverse("api_playback", args=[film.pk])
    korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").json()["film"]["chapters"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["film"]["chapters"]
    assert korean == [{"start": 0.0, "title": "정류장"}, {"start": 3.4, "title": "밤"}]
    assert english == [{"start": 0.0, "title": "The bus stop"}, {"start": 3.4, "title": "밤"}]


@pytest.mark.parametrize(
    "rows",
    [
        [("0:00", "처음", ""), ("0:09", "끝 너머", "")],  # after the end (7.6 s)
        [("0:01", "하나", ""), ("1", "둘", "")],  # two at one time
        [("0:01", "", "")],  # no title
        [("1:75", "오타", "")],  # not a time
    ],
)
def test_chapters_that_make_no_sense_are_refused_and_the_saved_ones_kept(client, analysed, rows):
    Chapter.objects.create(video=analysed, start=0, title="그대로")
    client.force_login(analysed.owner)
    response = post(client, analysed, **chapter_rows(*rows))
    assert "챕터를 저장하지 않았습니다." in messages_of(response)
    assert list(Chapter.objects.filter(video=analysed).values_list("title", flat=True)) == ["그대로"]


def test_a_candidate_frame_becomes_the_poster_and_a_forged_key_is_refused(client, analysed, tmp_path):
    client.force_login(analysed.owner)
    candidate = VideoAnalysis.objects.get(video=analysed).poster_candidates[-1]["key"]
    post(client, analysed, action="poster", poster=candidate)
    assert Video.objects.get(pk=analysed.pk).poster_key == candidate
    other = ready_shots_video(tmp_path / "other", owner=CreatorFactory())
    analysis.run(other.pk, str(analysis.queue(other)))
    theirs = VideoAnalysis.objects.get(video=other).poster_candidates[0]["key"]
    for forged in (theirs, f"videos/{analysed.pk}/original.mp4", "../../etc/passwd"):
        post(client, analysed, action="poster", poster=forged)
        assert Video.objects.get(pk=analysed.pk).poster_key == candidate


def test_any_frame_by_time_becomes_the_poster_and_replaces_the_last_one_picked(client, analysed):
    client.force_login(analysed.owner)
    post(client, analysed, action="poster_time", time="0:02")
    first = Video.objects.get(pk=analysed.pk).poster_key
    assert analysis.is_picked_frame(analysed, first) and storage.exists(first)
    post(client, analysed, action="poster_time", time="4.5")
    second = Video.objects.get(pk=analysed.pk).poster_key
    assert second != first and storage.exists(second) and not storage.exists(first)
    response = post(client, analysed, action="poster_time", time="0:08")  # past the end (7.6 s)
    assert Video.objects.get(pk=analysed.pk).poster_key == second
    assert "0:07" in messages_of(response)


def test_a_rerun_keeps_the_candidate_in_use_as_the_poster(client, analysed):
    client.force_login(analysed.owner)
    candidate = VideoAnalysis.objects.get(video=analysed).poster_candidates[0]["key"]
    post(client, analysed, action="poster", poster=candidate)
    analysis.run(analysed.pk, str(analysis.queue(analysed)))
    assert storage.exists(candidate)


def test_analyse_again_queues_a_new_run(client, analysed, django_capture_on_commit_callbacks):
    client.force_login(analysed.owner)
    before = VideoAnalysis.objects.get(video=analysed).run_token
    with django_capture_on_commit_callbacks(execute=True):
        post(client, analysed, action="analyse")
    queued = VideoAnalysis.objects.get(video=analysed)
    assert queued.status == "queued" and queued.run_token != before
    assert DBTaskResult.objects.filter(task_path=video_tasks.analyse_video.module_path).count() == 1


def test_only_the_owner_and_staff_change_chapters_and_posters(client, analysed):
    client.force_login(CreatorFactory())
    refused = client.post(reverse("videos_admin:analysis", args=[analysed.pk]), chapter_rows(("0:00", "남의 것", "")))
    assert refused.status_code == 404
    assert not Chapter.objects.filter(video=analysed).exists()
    client.force_login(StaffUserFactory())
    post(client, analysed, **chapter_rows(("0:00", "직원이 정함", "")))
    assert Chapter.objects.filter(video=analysed).get().title == "직원이 정함"
