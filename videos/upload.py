"""Resumable uploads of big video files, straight to S3 or in parts to local media.

The admin's upload page is Uppy's Dashboard with its ``@uppy/aws-s3`` plugin in ``signRequest``
mode: for every S3 request it would make (create a multipart upload, upload a part, list parts,
complete, abort, or one plain PUT for a small file) it asks us for a signed URL and then calls that
URL itself. We answer with two kinds of URL:

- **Part bytes** (``PUT`` of a part, or of a whole small file) go to a presigned S3 URL when media
  is on S3, so video bytes never pass through Django; without S3 they go to a signed local URL
  (``views.upload.s3_facade``) that streams them to ``VIDEO_ROOT/uploads/<video id>/``.
- **Control requests** (create, list, complete, abort) always go to signed URLs of our own that
  answer in S3's XML. Behind them the server creates the multipart upload (with boto3 on S3, a
  parts folder locally), lists the parts that arrived, completes or aborts it. So the server always
  knows an upload's state, completion starts processing exactly once, and the browser code is the
  same in both modes: only the part URLs differ.

Parts are ``part_size_for(size)`` bytes except the last (S3 needs at least 5 MiB but the last); the
page gives Uppy the same part size.
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
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from videos import storage
from videos.models import Video, VideoStatus
from videos.tasks import start_processing

MAX_PARTS = 10_000  # S3's limit
MIN_PART = 5 * 1024 * 1024  # S3's smallest part but the last
COPY_CHUNK = 1024 * 1024
PRESIGN_SECONDS = 3600
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".mkv", ".avi", ".webm", ".mxf", ".mpg", ".mpeg", ".ts", ".wmv"}
# upload_id while a completion is being carried out: a second "complete" (a double click, a retried
# request) finds the upload claimed and does nothing.
CLAIMED = "(completing)"
LOCAL_UPLOAD_PREFIX = "local-"


class UploadRefused(Exception):
    """A request the creator's browser must not retry as it is; ``message`` is for the creator."""

    def __init__(self, message: str, status: int = 400, code: str = "InvalidRequest"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


def base_part_size() -> int:
    return max(MIN_PART, int(settings.VIDEO_UPLOAD_PART_BYTES))


def part_size_for(size: int) -> int:
    """``VIDEO_UPLOAD_PART_BYTES`` (16 MiB), doubled while a file would need more than S3's 10,000 parts."""
    part = base_part_size()
    while size > part * MAX_PARTS:
        part *= 2
    return part


def uses_multipart(size: int) -> bool:
    """Uppy's aws-s3 plugin sends files of 5 MiB or less in one PUT, bigger ones in parts."""
    return size > MIN_PART


# Characters no file name, title or media type contains: PostgreSQL text cannot even store a NUL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _text(value, refusal: str) -> str:
    """A text field of the upload's JSON: a string (or absent) without control characters."""
    if value is None:
        return ""
    if not isinstance(value, str) or CONTROL_CHARACTERS.search(value):
        raise UploadRefused(refusal)
    return value


def whole_number(value) -> int:
    """An integer from JSON or a query string; ValueError for anything else (floats, infinity, text)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(value)
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise ValueError(value)
    return int(value)


def validate_new_upload(filename: str, size, content_type: str) -> tuple[str, int]:
    filename = _text(filename, _("The file name must be text without control characters. Rename the file."))
    content_type = _text(content_type, _("The file type must be text without control characters."))
    extension = Path(filename).suffix.lower()
    try:
        size = whole_number(size)
    except ValueError:
        raise UploadRefused(_("The file size is missing.")) from None
    if size <= 0:
        raise UploadRefused(_("The file is empty (0 bytes)."))
    if size > settings.VIDEO_MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("This file is %(size)s; the largest video we take is %(max)s. Export it at a lower bit rate.")
            % {"size": _gigabytes(size), "max": _gigabytes(settings.VIDEO_MAX_UPLOAD_BYTES)},
            status=413,
            code="EntityTooLarge",
        )
    if extension not in VIDEO_EXTENSIONS and not (content_type or "").startswith("video/"):
        raise UploadRefused(_("This does not look like a video file. Upload an MP4 or MOV export of your film."))
    return extension if extension in VIDEO_EXTENSIONS else ".mp4", size


def _gigabytes(size: int) -> str:
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.0f} MB"


def create_upload(user, title: str, filename: str, size, content_type: str) -> Video:
    """Register an upload: a ``Video`` in "uploading" with its storage key. No bytes yet."""
    extension, size = validate_new_upload(filename, size, content_type)
    title = (
        _text(title, _("The title must be text without control characters.")).strip()
        or Path(filename).stem[:255]
        or _("Untitled video")
    )
    video = Video.objects.create(
        title=title[:255],
        owner=user,
        status=VideoStatus.UPLOADING,
        original_filename=Path(filename).name[:255],
        content_type=(content_type or "")[:100],
        size=size,
    )
    video.original_key = f"{video.outputs_prefix}original{extension}"
    video.save(update_fields=["original_key"])
    return video


def _touch(video: Video, **fields) -> None:
    """Record activity (``updated_at``), so housekeeping does not take a live upload for abandoned."""
    Video.objects.filter(pk=video.pk).update(updated_at=timezone.now(), **fields)


def part_count(video: Video) -> int:
    return max(1, -(-video.size // part_size_for(video.size)))


def check_part_number(video: Video, number: int) -> None:
    if not 1 <= number <= part_count(video):
        raise UploadRefused(_("There is no part %(n)d in this upload.") % {"n": number})


def expected_part_length(video: Video, number: int) -> int:
    part = part_size_for(video.size)
    return min(part, video.size - (number - 1) * part)


def check_upload_id(video: Video, upload_id: str) -> None:
    if not video.upload_id or video.upload_id == CLAIMED or upload_id != video.upload_id:
        raise UploadRefused(
            _("This upload was stopped or replaced. Remove the file and add it again."), status=404, code="NoSuchUpload"
        )


# --- the multipart upload ---------------------------------------------------------------------


def start_multipart(video: Video) -> str:
    """Create the multipart upload (S3's, or a local parts folder); a repeated call returns the same one."""
    if video.upload_id and video.upload_id != CLAIMED:
        return video.upload_id
    if not uses_multipart(video.size):
        raise UploadRefused(_("A file this small is sent in one piece."))
    if storage.is_s3():
        created = storage.s3_client().create_multipart_upload(
            Bucket=storage.bucket_name(), Key=video.original_key, ContentType=video.content_type or "video/mp4"
        )
        upload_id = created["UploadId"]
    else:
        upload_id = LOCAL_UPLOAD_PREFIX + get_random_string(24)
        local_parts_dir(video).mkdir(parents=True, exist_ok=True)
    video.upload_id = upload_id
    _touch(video, upload_id=upload_id)
    return upload_id


def presign_part(video: Video, number: int) -> str:
    """A presigned S3 UploadPart URL for one part: the browser PUTs the bytes straight to the bucket."""
    check_part_number(video, number)
    _touch(video)
    return storage.s3_client().generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": storage.bucket_name(),
            "Key": video.original_key,
            "UploadId": video.upload_id,
            "PartNumber": number,
        },
        ExpiresIn=PRESIGN_SECONDS,
    )


def presign_single_put(video: Video) -> str:
    """A presigned S3 PutObject URL for a file small enough to go in one request."""
    if uses_multipart(video.size):
        raise UploadRefused(_("A file this big is sent in parts."))
    _touch(video)
    return storage.s3_client().generate_presigned_url(
        "put_object", Params={"Bucket": storage.bucket_name(), "Key": video.original_key}, ExpiresIn=PRESIGN_SECONDS
    )


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
    return storage.local_path(f"uploads/{video.pk}")


def _stream_to(path: Path, stream, length: int) -> tuple[str, int]:
    """Copy ``length`` bytes from ``stream`` to ``path`` in 1 MiB chunks; returns (MD5 hex, bytes received).

    Written under a temporary name and renamed only when whole, so a file is either complete or absent.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{get_random_string(6)}.tmp")
    digest, received = hashlib.md5(usedforsecurity=False), 0
    try:
        with temporary.open("wb") as out:
            while received < length:
                chunk = stream.read(min(COPY_CHUNK, length - received))
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                received += len(chunk)
        if received == length:
            temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return digest.hexdigest(), received


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
    md5, received = _stream_to(folder / f"{number:05d}.part", stream, expected)
    if received != expected:  # the connection dropped mid-part: nothing half-written is kept
        raise UploadRefused(_("Part %(n)d arrived incomplete. It will be sent again.") % {"n": number})
    etag = f'"{md5}"'
    (folder / f"{number:05d}.etag").write_text(etag)
    _touch(video)
    return etag


def write_local_single(video: Video, stream, content_length: int) -> str:
    """A small file in one PUT, streamed straight to the original's place; returns its ETag."""
    if uses_multipart(video.size):
        raise UploadRefused(_("A file this big is sent in parts."))
    if content_length != video.size:
        raise UploadRefused(
            _("The file should be %(expected)d bytes, not %(got)d.") % {"expected": video.size, "got": content_length}
        )
    md5, received = _stream_to(storage.local_path(video.original_key), stream, video.size)
    if received != video.size:
        raise UploadRefused(_("The file arrived incomplete. It will be sent again."))
    _touch(video)
    return f'"{md5}"'


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


def received_parts(video: Video, upload_id: str) -> list[dict]:
    check_upload_id(video, upload_id)
    _touch(video)
    return _s3_parts(video) if storage.is_s3() else _local_parts(video)


def _claim(video: Video) -> str | None:
    """Claim the completion with one conditional UPDATE; returns the previous upload_id, or None if taken."""
    previous = video.upload_id
    claimed = (
        Video.objects.filter(pk=video.pk, status=VideoStatus.UPLOADING, upload_id=previous)
        .exclude(upload_id=CLAIMED)
        .update(upload_id=CLAIMED, updated_at=timezone.now())
    )
    return previous if claimed else None


def complete_upload(video: Video, upload_id: str, parts: list[dict]) -> Video:
    """Join the parts into the original and start processing; exactly once however often it is called."""
    video.refresh_from_db()
    if video.status != VideoStatus.UPLOADING:
        return video  # completed already (a replay of the same request)
    check_upload_id(video, upload_id)
    numbers = sorted({int(p["number"]) for p in parts})
    if numbers != list(range(1, part_count(video) + 1)):
        raise UploadRefused(_("Some parts of the file are missing. Keep this page open: the upload will resume."))
    _check_parts_arrived(video, parts)
    previous = _claim(video)
    if previous is None:
        return _already_completing(video)
    try:
        if storage.is_s3():
            etags = {int(p["number"]): p["etag"] for p in parts}
            storage.s3_client().complete_multipart_upload(
                Bucket=storage.bucket_name(),
                Key=video.original_key,
                UploadId=previous,
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etags[n]} for n in numbers]},
            )
        else:
            _join_local_parts(video)
        _check_stored_size(video)
    except Exception:
        _touch(video, upload_id=previous)  # let the browser retry
        raise
    return _start(video)


def _check_parts_arrived(video: Video, parts: list[dict]) -> None:
    """Refuse a completion that lists a part the storage never received (or with another ETag),
    before anything is claimed or joined: S3 would refuse it halfway, and a local join would stop
    at the missing file."""
    received = {p["number"]: p for p in (_s3_parts(video) if storage.is_s3() else _local_parts(video))}
    for listed in parts:
        arrived = received.get(int(listed["number"]))
        etag = (listed.get("etag") or "").strip('"')
        if arrived is None or not arrived["etag"] or (etag and etag != arrived["etag"].strip('"')):
            raise UploadRefused(
                _("Part %(n)d of the file has not arrived. Keep this page open: the upload will resume.")
                % {"n": int(listed["number"])},
                code="InvalidPart",
            )


def finish_single_upload(video: Video) -> Video:
    """After a small file's one PUT: check what arrived and start processing (once)."""
    video.refresh_from_db()
    if video.status != VideoStatus.UPLOADING:
        return video
    if uses_multipart(video.size):
        raise UploadRefused(_("Some parts of the file are missing. Keep this page open: the upload will resume."))
    if not storage.exists(video.original_key):
        raise UploadRefused(_("The file has not arrived yet. Keep this page open: the upload will resume."))
    previous = _claim(video)
    if previous is None:
        return _already_completing(video)
    try:
        _check_stored_size(video)
    except Exception:
        _touch(video, upload_id=previous)
        raise
    return _start(video)


def _already_completing(video: Video) -> Video:
    video.refresh_from_db()
    if video.status == VideoStatus.UPLOADING:
        raise UploadRefused(_("This upload is being completed already."), status=409, code="OperationAborted")
    return video


def _check_stored_size(video: Video) -> None:
    stored = storage.size(video.original_key)
    if stored != video.size:
        storage.delete(video.original_key)
        raise UploadRefused(
            _("The file arrived with %(got)d bytes instead of %(expected)d. Please upload it again.")
            % {"got": stored, "expected": video.size}
        )


def _start(video: Video) -> Video:
    Video.objects.filter(pk=video.pk).update(upload_id="")
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
    """Stop an upload: the multipart upload, the parts that arrived and the ``Video`` go."""
    if storage.is_s3() and video.upload_id and video.upload_id != CLAIMED:
        client = storage.s3_client()
        try:
            client.abort_multipart_upload(
                Bucket=storage.bucket_name(), Key=video.original_key, UploadId=video.upload_id
            )
        except client.exceptions.NoSuchUpload:
            pass
    shutil.rmtree(local_parts_dir(video), ignore_errors=True)
    if video.original_key:
        storage.delete(video.original_key)  # a small file's single PUT that was never completed
    video.delete()


def cleanup_abandoned_uploads() -> int:
    """Abort and delete uploads with no activity for VIDEO_UPLOAD_ABANDON_AFTER seconds."""
    cutoff = timezone.now() - timedelta(seconds=settings.VIDEO_UPLOAD_ABANDON_AFTER)
    abandoned = list(Video.objects.filter(status=VideoStatus.UPLOADING, updated_at__lt=cutoff))
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
