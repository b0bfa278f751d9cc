"""`/api/v2/me/videos/<id>/analysis/`: the analysis for the video's owner and staff, nobody else."""

import pytest
from django.urls import reverse

from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos import analysis
from videos.models import AnalysisStatus, VideoAnalysis
from videos.tests.helpers import ready_shots_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(tmp_path):
    video = ready_shots_video(tmp_path, owner=CreatorFactory())
    assert analysis.run(video.pk, str(analysis.queue(video))) == "done"
    return video


def test_the_owner_and_staff_read_the_analysis_with_signed_pictures(client, analysed):
    url = reverse("api_video_analysis", args=[analysed.pk])
    for user in (analysed.owner, StaffUserFactory()):
        client.force_login(user)
        body = client.get(url).json()
        found = VideoAnalysis.objects.get(video=analysed)
        assert (body["status"], body["progress"]) == ("done", 1.0)
        assert body["cuts"] == found.cuts and len(body["suggested_chapters"]) == len(found.chapters)
        assert [p["time"] for p in body["poster_candidates"]] == [p["time"] for p in found.poster_candidates]
        assert all("/stream/" in p["url"] and "&s=" in p["url"] for p in body["poster_candidates"])
        assert body["flags"] == [] and body["mosaic"] is None


@pytest.mark.parametrize("who", ["anonymous", "member", "another creator"])
def test_nobody_else_reads_or_reruns_it(client, analysed, who):
    if who != "anonymous":
        client.force_login(UserFactory() if who == "member" else CreatorFactory())
    url = reverse("api_video_analysis", args=[analysed.pk])
    expected = 401 if who == "anonymous" else 404
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == expected
    assert VideoAnalysis.objects.get(video=analysed).status == AnalysisStatus.DONE


def test_post_queues_the_analysis_again(client, analysed, django_capture_on_commit_callbacks):
    client.force_login(analysed.owner)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("api_video_analysis", args=[analysed.pk]))
    assert response.status_code == 200 and response.json()["status"] == "queued"
    assert len(queued) == 1
