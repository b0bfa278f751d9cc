"""The analysis after processing (`videos.analysis`): queued when a video is ready, run as its own
task, recorded once per run, never mixing two runs, and failing with a reason on a broken original."""

import pytest
from django_tasks_db.models import DBTaskResult

from videos import analysis, storage
from videos import tasks as video_tasks
from videos.models import AnalysisStatus, Video, VideoAnalysis, VideoStatus
from videos.signals import video_ready
from videos.tests.helpers import SHOTS_CUT_FRAMES, SHOTS_RATE, ready_shots_video

pytestmark = pytest.mark.django_db

RATE = SHOTS_RATE


@pytest.fixture
def ready(tmp_path):
    return ready_shots_video(tmp_path)


def test_a_video_that_becomes_ready_has_its_analysis_queued(ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        video_ready.send_robust(sender=Video, video_id=ready.pk)
    queued = VideoAnalysis.objects.get(video=ready)
    assert queued.status == AnalysisStatus.QUEUED and queued.run_token
    [task] = DBTaskResult.objects.filter(task_path=video_tasks.analyse_video.module_path)
    assert task.queue_name == "analysis" and task.priority < 0  # below transcodes
    assert task.args_kwargs["args"] == [ready.pk, str(queued.run_token)]


def test_a_run_records_cuts_chapters_and_poster_pictures(ready):
    token = analysis.queue(ready)
    assert analysis.run(ready.pk, str(token)) == "done"
    found = VideoAnalysis.objects.get(video=ready)
    assert found.status == AnalysisStatus.DONE and found.progress == 1.0 and found.finished_at
    assert [round(cut * RATE) for cut in found.cuts] == SHOTS_CUT_FRAMES
    assert found.chapters == [{"start": 0.0, "title": "", "title_en": ""}]
    assert found.poster_candidates
    for poster in found.poster_candidates:
        assert poster["key"].startswith(f"videos/{ready.pk}/analysis/")
        assert storage.local_path(poster["key"]).read_bytes()[:3] == b"\xff\xd8\xff"


def test_a_run_queued_later_supersedes_one_under_way(ready):
    older = analysis.queue(ready)
    newer = analysis.queue(ready)
    assert analysis.run(ready.pk, str(older)) == "superseded"
    assert VideoAnalysis.objects.get(video=ready).status == AnalysisStatus.QUEUED
    assert not storage.local_path(f"videos/{ready.pk}/analysis/").exists()
    assert analysis.run(ready.pk, str(newer)) == "done"


def test_a_new_run_replaces_the_last_ones_pictures(ready):
    analysis.run(ready.pk, str(analysis.queue(ready)))
    first = {poster["key"] for poster in VideoAnalysis.objects.get(video=ready).poster_candidates}
    analysis.run(ready.pk, str(analysis.queue(ready)))
    second = {poster["key"] for poster in VideoAnalysis.objects.get(video=ready).poster_candidates}
    assert first and second and not first & second
    assert not [key for key in first if storage.exists(key)]
    assert all(storage.exists(key) for key in second)


def test_a_broken_original_fails_with_the_reason_and_keeps_the_video_ready(ready):
    storage.local_path(ready.original_key).write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000)
    assert analysis.run(ready.pk, str(analysis.queue(ready))) == "failed"
    failed = VideoAnalysis.objects.get(video=ready)
    assert failed.status == AnalysisStatus.FAILED and "could not decode" in failed.failure_reason
    ready.refresh_from_db()
    assert ready.status == VideoStatus.READY


def test_a_video_that_is_not_ready_is_not_analysed(ready):
    token = analysis.queue(ready)
    Video.objects.filter(pk=ready.pk).update(status=VideoStatus.PROCESSING)
    assert analysis.run(ready.pk, str(token)) == "not ready"
    assert VideoAnalysis.objects.get(video=ready).status == AnalysisStatus.FAILED
