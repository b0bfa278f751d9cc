"""A creator's post's pictures and videos, handed only to those who may read the post.

Pictures are uploaded with the post. Each is decoded by Pillow (so a file that only claims to be an
image is refused), limited in bytes and pixels, and stored re-encoded: the copy keeps no metadata
(a phone's photo says where it was taken) and nothing hidden after the picture, under an
unguessable name (`community.models.post_image_path`) outside every folder the media view serves.
A picture reaches a browser only through `image_url`: an address signed for one viewer ("u<id>" or
"anon", as `videos.signing.viewer_of` says) that expires after IMAGE_URL_TTL. The image view checks
the signature, then asks `posts.can_read` again, so a refund closes it at the next request; locally
it streams the file, with S3 it redirects to a GET presigned for PRESIGNED_IMAGE_TTL seconds (a
CloudFront signed URL as short-lived when a CDN fronts the buckets).

Videos are the creator's own, uploaded and processed like every video on the site. Their files go
out through the videos app's signed /stream/ addresses; `may_stream_post_video` is this app's
answer to its `may_stream_video` hook, and `player_config` is what the site's player
(static/js/player.js) needs to play one of them.
"""

from __future__ import annotations

import io
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from videos import signing
from videos import storage as video_storage
from videos.models import Caption, Video
from videos.playback import file_url

from . import posts
from .models import Post, PostImage

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # 8000 × 5000: any camera's photo; far below a decompression bomb
MAX_IMAGES_PER_POST = 10
# Pillow's name for a format → the extension the stored copy gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
IMAGE_URL_TTL = 15 * 60  # long enough to read a post; a reload signs again
PRESIGNED_IMAGE_TTL = 60  # the browser follows the redirect at once
SALT = "reelvision.community.post_image"


# --- pictures in -------------------------------------------------------------------------------


def normalised_image(upload) -> ContentFile:
    """The upload as a clean image file to store, named by its real format; raises ValidationError
    for anything that is not a JPEG, PNG or WebP picture within the limits."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": upload.name, "limit": MAX_IMAGE_BYTES // 2**20}
        )
    refused = ValidationError(_("%(name)s is not a JPEG, PNG or WebP picture.") % {"name": upload.name})
    try:
        upload.seek(0)
        with Image.open(upload) as opened:
            kind = opened.format
            if kind not in FORMATS:
                raise refused
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("%(name)s has more than %(limit)s million pixels.")
                    % {"name": upload.name, "limit": MAX_IMAGE_PIXELS // 1_000_000}
                )
            opened.load()  # decodes every byte: a truncated or corrupt file fails here
            picture = ImageOps.exif_transpose(opened)  # phones store the turn as metadata
            if kind == "JPEG" and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            picture.save(out, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {"optimize": True}))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise refused from None
    return ContentFile(out.getvalue(), name=f"image.{FORMATS[kind]}")


# --- pictures out ------------------------------------------------------------------------------


def _signature(image_id: int, viewer: str, expires: int) -> str:
    return salted_hmac(SALT, f"{image_id}\n{viewer}\n{expires}", algorithm="sha256").hexdigest()


def image_url(image: PostImage, user, ttl: int = IMAGE_URL_TTL, now: float | None = None) -> str:
    """The picture's address for `user` alone (a path; make it absolute for apps)."""
    viewer = signing.viewer_of(user)
    expires = int((now if now is not None else time.time()) + ttl)
    query = urlencode({"e": expires, "v": viewer, "s": _signature(image.pk, viewer, expires)})
    return reverse("community:post_image", args=[image.pk]) + "?" + query


def signature_ok(image_id: int, params, user, now: float | None = None) -> bool:
    """True when the query carries an unexpired signature for this picture and this viewer."""
    try:
        expires = int(params.get("e", ""))
    except ValueError:
        return False
    viewer = signing.viewer_of(user)
    if params.get("v", "") != viewer or expires < (now if now is not None else time.time()):
        return False
    return constant_time_compare(params.get("s", ""), _signature(image_id, viewer, expires))


def _is_s3(storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def image_response(image: PostImage):
    """The picture's bytes (local storage), or a redirect to an address that works for a minute (S3).

    With a CDN in front of the buckets (`videos.storage.cdn_url`) that is a CloudFront signed URL;
    otherwise a GET presigned with the bucket's own client, never through the media storage's custom
    domain (a CDN there would hand the unsigned key to anyone)."""
    storage = image.file.storage
    name = image.file.name
    if _is_s3(storage):
        from storages.utils import clean_name, safe_join

        key = safe_join(storage.location, clean_name(name))
        url = video_storage.cdn_url(key, PRESIGNED_IMAGE_TTL)
        if url is None:
            url = storage.connection.meta.client.generate_presigned_url(
                "get_object", Params={"Bucket": storage.bucket_name, "Key": key}, ExpiresIn=PRESIGNED_IMAGE_TTL
            )
        response = HttpResponseRedirect(url)
    else:
        extension = name.rsplit(".", 1)[-1].lower()
        response = FileResponse(storage.open(name, "rb"), content_type=CONTENT_TYPES.get(extension, "image/jpeg"))
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def delete_post(post: Post) -> None:
    """Delete the post with its pictures and comments; the picture files once that is committed."""
    with transaction.atomic():
        names = list(post.images.values_list("file", flat=True))
        post.delete()
        transaction.on_commit(lambda: delete_files(names))


def delete_files(names: list[str]) -> None:
    """Remove stored pictures (after the rows that named them are gone)."""
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


# --- videos ------------------------------------------------------------------------------------


def may_stream_post_video(user, video: Video) -> bool | None:
    """The `may_stream_video` hook: True when the video is in a shown post `user` may read.

    Otherwise None, not False: the video may also be a film's trailer or main video (the films' rule
    decides those) or be the owner's to preview (the default rule); a post never takes access away.
    """
    for post in posts.shown().filter(videos=video).select_related("page", "minimum_tier"):
        if posts.can_read(user, post):
            return True
    return None


def player_config(request, post: Post, video: Video) -> dict:
    """What static/js/player.js needs to play one of the post's videos for the current viewer:
    signed addresses bound to them (`videos.playback.file_url`), as the watch page's player gets."""

    def url(key: str, lifetime: int | None = None) -> str:
        return file_url(request, video, key, lifetime)

    return {
        "video_id": video.pk,
        "film_id": post.page_id,
        "is_trailer": False,
        "master_url": url(video.hls_master_key, settings.VIDEO_PLAYBACK_URL_TTL),
        "poster_url": url(video.poster_key) if video.poster_key else "",
        "storyboard_vtt_url": url(video.storyboard_vtt_key) if video.storyboard_vtt_key else "",
        "captions": [
            {"language": c.language, "label": c.label or c.language, "url": url(c.vtt_key)}
            for c in Caption.objects.filter(video=video)
        ],
        "duration": video.duration or 0,
        "resume_at": 0,
        "start_at": None,
    }
