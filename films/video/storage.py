"""The few storage operations the video pipeline needs, for local media and S3 alike.

Everything is addressed by storage key ("videos/12/hls/720p/seg_00001.ts"). ``default_storage`` is
either ``FileSystemStorage`` (the embedded default) or django-storages' ``S3Storage``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

COPY_CHUNK = 1024 * 1024


def storage():
    return default_storage


def is_s3() -> bool:
    return hasattr(default_storage, "bucket_name") and hasattr(default_storage, "connection")


def s3_client():
    """The boto3 client django-storages built (same endpoint, credentials and signature version)."""
    return default_storage.connection.meta.client


def bucket_name() -> str:
    return default_storage.bucket_name


def local_path(key: str) -> Path | None:
    """Filesystem path of a key with local storage; None with S3."""
    if is_s3():
        return None
    return Path(default_storage.path(key))


def exists(key: str) -> bool:
    return bool(key) and default_storage.exists(key)


def delete(key: str) -> None:
    if key and default_storage.exists(key):
        default_storage.delete(key)


def delete_prefix(prefix: str) -> int:
    """Delete every object under ``prefix`` (which must end in "/"). Returns how many were deleted."""
    if not prefix.endswith("/") or prefix.strip("/") == "":
        raise ValueError(f"refusing to delete a prefix that is not a folder: {prefix!r}")
    if is_s3():
        bucket = default_storage.bucket
        count = 0
        for obj in bucket.objects.filter(Prefix=prefix):
            obj.delete()
            count += 1
        return count
    root = Path(default_storage.path(prefix.rstrip("/")))
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
        saved = default_storage.save(key, File(fh))
    if saved != key:  # a concurrent writer won the name; ours must be the one at `key`
        default_storage.delete(saved)
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
    with default_storage.open(key, "rb") as src, dest.open("wb") as out:
        shutil.copyfileobj(src, out, COPY_CHUNK)
    return dest


def read_text(key: str) -> str:
    with default_storage.open(key, "rb") as fh:
        return fh.read().decode("utf-8")


def size(key: str) -> int:
    return default_storage.size(key)
