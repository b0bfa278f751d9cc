"""Helpers the video tests share (made and uploaded videos, an upload client), imported by test
modules; fixtures live in conftest.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import requests
from django.urls import reverse

from videos import pipeline, storage
from videos import tasks as video_tasks
from videos.models import Video, VideoStatus
from videos.tasks import process_video


def ready_video(clip, owner=None, capture=None) -> Video:
    video = Video.objects.create(title="Clip", owner=owner, status=VideoStatus.UPLOADING)
    video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.save(update_fields=["original_key"])
    with capture(execute=True):
        video_tasks.start_processing(video)
    process_video.call(video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.failure_reason
    return video


def uploaded_video(clip: Path, owner=None, title="Night Bus") -> Video:
    """A video whose original was uploaded to storage, as the upload flow leaves it."""
    video = Video.objects.create(title=title, owner=owner, status=VideoStatus.UPLOADING, original_filename=clip.name)
    video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original{clip.suffix}", "video/mp4")
    video.size = clip.stat().st_size
    video.save(update_fields=["original_key", "size"])
    return video


def work_dirs() -> list[Path]:
    root = pipeline.work_root()
    return sorted(root.iterdir()) if root.exists() else []


PART = 5 * 1024 * 1024  # S3's smallest part


def register(client, size, filename="film.mp4", title="My film"):
    return post(
        client,
        reverse("videos:video_upload_create"),
        {"title": title, "filename": filename, "size": size, "content_type": "video/mp4"},
    )


class Browser:
    """What Uppy does for one file: ask for a signed URL, then call it."""

    def __init__(self, client, info):
        self.client, self.info, self.upload_id = client, info, None

    def sign(self, method, part=None, key=None):
        body = {"method": method, "key": key or self.info["key"]}
        if self.upload_id:
            body["uploadId"] = self.upload_id
        if part:
            body["partNumber"] = part
        return post(self.client, self.info["sign_url"], body)

    def url(self, method, part=None):
        response = self.sign(method, part)
        assert response.status_code == 200, response.content
        return local(response.json()["url"])

    def create(self):
        response = self.client.post(self.url("POST"))
        assert response.status_code == 200 and response["Content-Type"] == "application/xml"
        self.upload_id = re.search(r"<UploadId>(.+?)</UploadId>", response.content.decode()).group(1)
        return response

    def put_part(self, number, data):
        signed = self.sign("PUT", number)
        if signed.status_code != 200:
            return signed.status_code, None
        url = local(signed.json()["url"])
        if url.startswith("http"):  # a presigned S3 URL: the bytes go to the bucket over HTTP
            response = requests.put(url, data=data, timeout=30)
            return response.status_code, response.headers.get("ETag")
        response = self.client.generic("PUT", url, data, content_type="")
        return response.status_code, response.get("ETag")

    def list_parts(self):
        response = self.client.get(self.url("GET"))
        assert response.status_code == 200
        text = response.content.decode()
        return [int(n) for n in re.findall(r"<PartNumber>(\d+)</PartNumber>", text)], text

    def complete(self, parts, url=None):
        """POST the list of parts; ``url`` repeats an earlier signed request, as Uppy's retries do."""
        self.complete_url = url or self.url("POST")
        xml = "<CompleteMultipartUpload>" + "".join(
            f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>" for n, etag in parts
        )
        xml += "</CompleteMultipartUpload>"
        return self.client.generic("POST", self.complete_url, xml, content_type="application/xml")


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def local(url: str) -> str:
    """Signed URLs are absolute (Uppy needs that); the test client takes ours by path."""
    assert url.startswith("http"), url
    return url.removeprefix("http://testserver")


# Four test patterns (7.6 s at 25 fps): cuts planted at frames 40, 85 and 135.
SHOTS_RATE = 25
SHOTS = [("testsrc2", 40), ("smptehdbars", 45), ("mandelbrot", 50), ("rgbtestsrc", 55)]
SHOTS_CUT_FRAMES = [40, 85, 135]


def ready_shots_video(directory: Path, owner=None) -> Video:
    """A ready video (no transcode: its record and original only) of `SHOTS`, for the analysis."""
    from videos.tests.media import make_shots

    clip = make_shots(directory / "shots.mp4", SHOTS, fps=SHOTS_RATE)
    duration = sum(frames for _pattern, frames in SHOTS) / SHOTS_RATE
    video = Video.objects.create(title="네 개의 장면", owner=owner, status=VideoStatus.READY, duration=duration)
    video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
    video.save(update_fields=["original_key", "hls_master_key"])
    return video


def faces_by_half(path) -> tuple[int, int]:
    """How many faces the mosaic's detector finds in the top and in the bottom half of the frames
    it samples from `path` (a video file or a local HLS playlist)."""
    from videos import mosaic, sensitive

    top = bottom = 0
    for _time, frame in sensitive.sample_frames(path, 0, 25, every=mosaic.SAMPLE_SECONDS):
        for box, _score in mosaic.detect_faces(frame):
            if box.y1 > sensitive.SCAN_HEIGHT / 2:
                bottom += 1
            else:
                top += 1
    return top, bottom
