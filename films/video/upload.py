"""Resumable uploads of big video files, straight to S3 or in chunks to local media.

One protocol for both: the browser asks to create an upload, sends numbered parts, can ask which
parts have arrived (to resume after a dropped connection or a reload), and completes or aborts.

- **S3**: an S3 multipart upload. The server creates it, presigns one PUT URL per part (the
  browser sends the bytes straight to the bucket and reads each part's ETag), lists parts to
  resume, and completes or aborts it. Video bytes never pass through Django.
- **Local**: the parts are PUT to Django, which streams each one to a file under
  ``MEDIA_ROOT/uploads/<video id>/`` and, on completion, joins them into the original, streaming.

Parts are ``PART_SIZE`` bytes except the last (S3 needs at least 5 MiB but the last).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from films.models import Video, VideoStatus
from films.video import storage

PART_SIZE = 16 * 1024 * 1024
MAX_PARTS = 10_000  # S3's limit
COPY_CHUNK = 1024 * 1024
PRESIGN_SECONDS = 3600
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".mkv", ".avi", ".webm", ".mxf", ".mpg", ".mpeg", ".ts", ".wmv"}


class UploadRefused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def part_size_for(size: int) -> int:
    """16 MiB parts, larger when a file would need more than S3's 10,000 parts."""
    part = PART_SIZE
    while size > part * MAX_PARTS:
        part *= 2
    return part


def validate_new_upload(filename: str, size, content_type: str) -> tuple[str, int]:
    extension = Path(filename or "").suffix.lower()
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise UploadRefused(_("The file size is missing.")) from None
    if size <= 0:
        raise UploadRefused(_("The file is empty (0 bytes)."))
    if size > settings.VIDEO_MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("This file is %(size)s; the largest video we take is %(max)s. Export it at a lower bit rate.")
            % {"size": _gigabytes(size), "max": _gigabytes(settings.VIDEO_MAX_UPLOAD_BYTES)},
            status=413,
        )
    if extension not in VIDEO_EXTENSIONS and not (content_type or "").startswith("video/"):
        raise UploadRefused(_("This does not look like a video file. Upload an MP4 or MOV export of your film."))
    return extension if extension in VIDEO_EXTENSIONS else ".mp4", size


def _gigabytes(size: int) -> str:
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.0f} MB"


def create_upload(user, title: str, filename: str, size, content_type: str) -> Video:
    extension, size = validate_new_upload(filename, size, content_type)
    title = (title or "").strip() or Path(filename).stem[:255] or _("Untitled video")
    video = Video.objects.create(
        title=title[:255],
        owner=user,
        status=VideoStatus.UPLOADING,
        original_filename=Path(filename).name[:255],
        content_type=(content_type or "")[:100],
        size=size,
    )
    video.original_key = f"{video.outputs_prefix}original{extension}"
    if storage.is_s3():
        created = storage.s3_client().create_multipart_upload(
            Bucket=storage.bucket_name(), Key=video.original_key, ContentType=content_type or "video/mp4"
        )
        video.upload_id = created["UploadId"]
    else:
        video.upload_id = "local"
        local_parts_dir(video).mkdir(parents=True, exist_ok=True)
    video.save(update_fields=["original_key", "upload_id"])
    return video


def part_count(video: Video) -> int:
    return max(1, -(-video.size // part_size_for(video.size)))


def check_part_number(video: Video, number: int) -> None:
    if not 1 <= number <= part_count(video):
        raise UploadRefused(_("There is no part %(n)d in this upload.") % {"n": number})


def expected_part_length(video: Video, number: int) -> int:
    part = part_size_for(video.size)
    return min(part, video.size - (number - 1) * part)


# --- S3 ---------------------------------------------------------------------------------------


def presign_parts(video: Video, numbers: list[int]) -> dict[int, str]:
    client = storage.s3_client()
    urls = {}
    for number in numbers:
        check_part_number(video, number)
        urls[number] = client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": storage.bucket_name(),
                "Key": video.original_key,
                "UploadId": video.upload_id,
                "PartNumber": number,
            },
            ExpiresIn=PRESIGN_SECONDS,
        )
    return urls


def _s3_parts(video: Video) -> list[dict]:
    client = storage.s3_client()
    parts, marker = [], 0
    while True:
        page = client.list_parts(
            Bucket=storage.bucket_name(), Key=video.original_key, UploadId=video.upload_id, PartNumberMarker=marker
        )
        parts += [{"number": p["PartNumber"], "size": p["Size"], "etag": p["ETag"]} for p in page.get("Parts", [])]
        if not page.get("IsTruncated"):
            return parts
        marker = page["NextPartNumberMarker"]


# --- local ------------------------------------------------------------------------------------


def local_parts_dir(video: Video) -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads" / str(video.pk)


def write_local_part(video: Video, number: int, stream, content_length: int) -> str:
    """Stream one part to disk (never whole in memory); returns its ETag (MD5, as S3 does)."""
    check_part_number(video, number)
    expected = expected_part_length(video, number)
    if content_length != expected:
        raise UploadRefused(
            _("Part %(n)d should be %(expected)d bytes, not %(got)d.")
            % {"n": number, "expected": expected, "got": content_length}
        )
    folder = local_parts_dir(video)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{number:05d}.part"
    temporary = folder / f"{number:05d}.part.{os.getpid()}.tmp"
    digest, received = hashlib.md5(usedforsecurity=False), 0
    with temporary.open("wb") as out:
        while received < expected:
            chunk = stream.read(min(COPY_CHUNK, expected - received))
            if not chunk:
                break
            out.write(chunk)
            digest.update(chunk)
            received += len(chunk)
    if received != expected:  # the connection dropped mid-part: nothing half-written is kept
        temporary.unlink(missing_ok=True)
        raise UploadRefused(_("Part %(n)d arrived incomplete. It will be sent again.") % {"n": number})
    temporary.replace(final)  # atomic: a part is either whole or absent
    etag = f'"{digest.hexdigest()}"'
    (folder / f"{number:05d}.etag").write_text(etag)
    Video.objects.filter(pk=video.pk).update(updated_at=timezone.now())
    return etag


def _local_parts(video: Video) -> list[dict]:
    folder = local_parts_dir(video)
    parts = []
    for path in sorted(folder.glob("*.part")) if folder.exists() else []:
        number = int(path.stem)
        etag_file = folder / f"{number:05d}.etag"
        parts.append(
            {"number": number, "size": path.stat().st_size, "etag": etag_file.read_text() if etag_file.exists() else ""}
        )
    return parts


# --- both -------------------------------------------------------------------------------------


def received_parts(video: Video) -> list[dict]:
    return _s3_parts(video) if storage.is_s3() else _local_parts(video)


def complete_upload(video: Video, parts: list[dict]) -> Video:
    """Join the parts into the original and start processing; exactly once however often it is called."""
    from films.video.pipeline import start_processing

    numbers = sorted({int(p["number"]) for p in parts})
    if numbers != list(range(1, part_count(video) + 1)):
        raise UploadRefused(_("Some parts of the file are missing. Keep this page open: the upload will resume."))
    # Claim the completion: a double click or a retried request finds the upload already claimed.
    claimed = (
        Video.objects.filter(pk=video.pk, status=VideoStatus.UPLOADING)
        .exclude(upload_id="")
        .update(upload_id="", updated_at=timezone.now())
    )
    if not claimed:
        video.refresh_from_db()
        if video.status == VideoStatus.UPLOADING:
            raise UploadRefused(_("This upload is being completed already."), status=409)
        return video
    try:
        if storage.is_s3():
            etags = {int(p["number"]): p["etag"] for p in parts}
            storage.s3_client().complete_multipart_upload(
                Bucket=storage.bucket_name(),
                Key=video.original_key,
                UploadId=video.upload_id,
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etags[n]} for n in numbers]},
            )
        else:
            _join_local_parts(video)
        stored = storage.size(video.original_key)
        if stored != video.size:
            raise UploadRefused(
                _("The file arrived with %(got)d bytes instead of %(expected)d. Please upload it again.")
                % {"got": stored, "expected": video.size}
            )
    except Exception:
        Video.objects.filter(pk=video.pk).update(upload_id=video.upload_id)  # let the browser retry
        raise
    video.refresh_from_db()
    start_processing(video)
    return video


def _join_local_parts(video: Video) -> None:
    folder = local_parts_dir(video)
    target = storage.local_path(video.original_key)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".joining")
    with temporary.open("wb") as out:
        for number in range(1, part_count(video) + 1):
            with (folder / f"{number:05d}.part").open("rb") as part:
                shutil.copyfileobj(part, out, COPY_CHUNK)
    temporary.replace(target)
    shutil.rmtree(folder, ignore_errors=True)


def abort_upload(video: Video) -> None:
    if storage.is_s3() and video.upload_id:
        try:
            storage.s3_client().abort_multipart_upload(
                Bucket=storage.bucket_name(), Key=video.original_key, UploadId=video.upload_id
            )
        except storage.s3_client().exceptions.NoSuchUpload:
            pass
    shutil.rmtree(local_parts_dir(video), ignore_errors=True)
    video.delete()


def cleanup_abandoned_uploads() -> int:
    """Abort and delete uploads with no new part for VIDEO_UPLOAD_ABANDON_AFTER seconds."""
    cutoff = timezone.now() - timedelta(seconds=settings.VIDEO_UPLOAD_ABANDON_AFTER)
    abandoned = list(Video.objects.filter(status=VideoStatus.UPLOADING, updated_at__lt=cutoff).exclude(upload_id=""))
    for video in abandoned:
        abort_upload(video)
    if storage.is_s3():  # multipart uploads no video row knows about (a crash between create and save)
        known = set(Video.objects.exclude(upload_id="").values_list("upload_id", flat=True))
        client = storage.s3_client()
        listing = client.list_multipart_uploads(Bucket=storage.bucket_name(), Prefix="videos/")
        for upload in listing.get("Uploads", []):
            if upload["UploadId"] not in known and upload["Initiated"] < cutoff:
                client.abort_multipart_upload(
                    Bucket=storage.bucket_name(), Key=upload["Key"], UploadId=upload["UploadId"]
                )
    return len(abandoned)


PART_PATH = re.compile(r"^\d{1,5}$")
