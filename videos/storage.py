"""The few storage operations the video pipeline needs, on local disk and S3 alike.

Everything is addressed by storage key ("videos/12/hls/720p/seg_00001.ts") in the "videos" storage
(``STORAGES["videos"]``), never in the public media storage: originals, HLS ladders, posters,
storyboards and captions are handed out only by the signed playback views, which redirect to
presigned S3 URLs or, with a CDN in front of the bucket, to CloudFront signed URLs (``cdn_url``).
Locally that is ``VideoFileStorage`` under ``VIDEO_ROOT``, a folder outside ``MEDIA_ROOT`` (which a
web server may serve whole); with S3, django-storages' ``S3Storage`` on a private bucket.
"""

from __future__ import annotations

import shutil
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

COPY_CHUNK = 1024 * 1024
# Where video files lived before they had a root of their own (under MEDIA_ROOT).
LEGACY_MEDIA_FOLDERS = ("videos", "uploads")


class VideoFileStorage(FileSystemStorage):
    """Video files on local disk, under ``VIDEO_ROOT``. They have no public URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.VIDEO_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "VIDEO_ROOT":  # tests give each run its own root
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise NotImplementedError("Video files have no public URL: sign one with videos.signing.")


def storage():
    return storages["videos"]


def is_s3() -> bool:
    videos = storage()
    return hasattr(videos, "bucket_name") and hasattr(videos, "connection")


def s3_client():
    """The boto3 client django-storages built (same endpoint, credentials and signature version)."""
    return storage().connection.meta.client


def bucket_name() -> str:
    return storage().bucket_name


def local_path(key: str) -> Path | None:
    """Filesystem path of a key with local storage; None with S3."""
    if is_s3():
        return None
    return Path(storage().path(key))


def exists(key: str) -> bool:
    return bool(key) and storage().exists(key)


def delete(key: str) -> None:
    if key and storage().exists(key):
        storage().delete(key)


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix`` (which must end in "/"). Returns how many were deleted."""
    if not prefix.endswith("/") or prefix.strip("/") == "":
        raise ValueError(f"refusing to delete a prefix that is not a folder: {prefix!r}")
    if is_s3():
        bucket = storage().bucket
        count = 0
        for obj in bucket.objects.filter(Prefix=prefix):
            obj.delete()
            count += 1
        return count
    root = Path(storage().path(prefix.rstrip("/")))
    if not root.exists():
        return 0
    count = sum(1 for p in root.rglob("*") if p.is_file())
    shutil.rmtree(root)
    return count


def put_file(local: Path, key: str, content_type: str | None = None) -> str:
    """Write a local file to ``key``, replacing what is there (never a renamed "key_abc123" copy)."""
    if is_s3():
        extra = {"ContentType": content_type} if content_type else {}
        s3_client().upload_file(str(local), bucket_name(), key, ExtraArgs=extra or None)
        return key
    delete(key)
    with local.open("rb") as fh:
        saved = storage().save(key, File(fh))
    if saved != key:  # a concurrent writer won the name; ours must be the one at `key`
        storage().delete(saved)
        raise FileExistsError(key)
    return key


CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".jpg": "image/jpeg",
    ".vtt": "text/vtt",
}


def put_tree(local_dir: Path, prefix: str) -> list[str]:
    """Upload every file under ``local_dir`` to ``prefix`` + its relative path. Returns the keys."""
    keys = []
    for path in sorted(p for p in local_dir.rglob("*") if p.is_file()):
        key = prefix + path.relative_to(local_dir).as_posix()
        put_file(path, key, CONTENT_TYPES.get(path.suffix.lower()))
        keys.append(key)
    return keys


def download(key: str, dest: Path) -> Path:
    """Copy the object at ``key`` to the local file ``dest`` in chunks (never whole in memory)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if is_s3():
        s3_client().download_file(bucket_name(), key, str(dest))
        return dest
    with storage().open(key, "rb") as src, dest.open("wb") as out:
        shutil.copyfileobj(src, out, COPY_CHUNK)
    return dest


def cdn_url(key: str, ttl: int) -> str | None:
    """A CloudFront signed URL for ``key`` that works for ``ttl`` seconds, or None without a CDN.

    The CDN is the video storage's custom domain, which the settings give it only together with a
    CloudFront key (``AWS_CLOUDFRONT_DOMAIN``, ``AWS_CLOUDFRONT_KEY_ID``, ``AWS_CLOUDFRONT_KEY``), so
    every URL it makes is signed: a canned policy naming this one URL and its expiry. The
    distribution also reaches the post pictures' folder of the media bucket, so community pictures
    leave through it as well. A custom domain without a key is refused rather than used unsigned.
    """
    videos = storage()
    if not is_s3() or not videos.custom_domain:
        return None
    if videos.cloudfront_signer is None:
        raise ImproperlyConfigured("The video storage has a custom domain but no CloudFront key to sign its URLs.")
    return videos.url(key, expire=ttl)


def read_text(key: str) -> str:
    with storage().open(key, "rb") as fh:
        return fh.read().decode("utf-8")


def size(key: str) -> int:
    return storage().size(key)


# --- files from before video files had a root of their own ------------------------------------


def legacy_media_folders() -> list[Path]:
    """Video folders still under MEDIA_ROOT ("videos/", "uploads/"), where anyone could fetch them."""
    if is_s3():
        return []
    media = Path(settings.MEDIA_ROOT)
    return [media / name for name in LEGACY_MEDIA_FOLDERS if (media / name).is_dir()]


def move_legacy_media_files() -> int:
    """Move what ``legacy_media_folders()`` holds to the same keys under the video root; returns the count.

    Keys stay the same, so the videos' rows need no change. A key that already exists under the video
    root was written there after the move to VIDEO_ROOT and wins over the old copy.
    """
    root = Path(storage().path(""))
    moved = 0
    for folder in legacy_media_folders():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            target = root / folder.name / path.relative_to(folder)
            if target.exists():
                path.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            moved += 1
        shutil.rmtree(folder)
    return moved
