"""JSON endpoints of the upload protocol (see ``films.video.upload``). Session auth + CSRF header."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from films.models import Video, VideoStatus
from films.video import storage, upload
from films.video.admin import video_permission_policy


def _json(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise upload.UploadRefused(_("Send JSON."))
    return data


def _refusals(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Log in to upload.")}, status=401)
        if not video_permission_policy.user_has_permission(request.user, "add"):
            return JsonResponse({"error": _("Only verified creators and staff can upload videos.")}, status=403)
        try:
            return view(request, *args, **kwargs)
        except upload.UploadRefused as refused:
            return JsonResponse({"error": refused.message}, status=refused.status)

    wrapper.__name__ = view.__name__
    return wrapper


def _own_upload(request, video_id: int) -> Video:
    """The requester's own upload in progress; anyone else's id is a 404, as if it did not exist."""
    return get_object_or_404(Video, pk=video_id, owner=request.user, status=VideoStatus.UPLOADING)


def _describe(video: Video) -> dict:
    return {
        "video_id": video.pk,
        "mode": "s3" if storage.is_s3() else "local",
        "size": video.size,
        "part_size": upload.part_size_for(video.size),
        "part_count": upload.part_count(video),
        "parts_url": reverse("video_upload_parts", args=[video.pk]),
        "sign_url": reverse("video_upload_sign", args=[video.pk]),
        "complete_url": reverse("video_upload_complete", args=[video.pk]),
        "abort_url": reverse("video_upload_abort", args=[video.pk]),
    }


@require_POST
@_refusals
def create(request):
    data = _json(request)
    video = upload.create_upload(
        request.user, data.get("title", ""), data.get("filename", ""), data.get("size"), data.get("content_type", "")
    )
    return JsonResponse(_describe(video), status=201)


@require_http_methods(["GET"])
@_refusals
def resume(request, video_id: int):
    return JsonResponse(_describe(_own_upload(request, video_id)))


@require_http_methods(["GET"])
@_refusals
def parts(request, video_id: int):
    video = _own_upload(request, video_id)
    return JsonResponse({"parts": upload.received_parts(video)})


@require_POST
@_refusals
def sign(request, video_id: int):
    video = _own_upload(request, video_id)
    if not storage.is_s3():
        return JsonResponse({"error": _("This site stores uploads locally: send parts to Django.")}, status=400)
    numbers = [int(n) for n in _json(request).get("parts", [])][:100]
    return JsonResponse({"urls": {str(n): url for n, url in upload.presign_parts(video, numbers).items()}})


@require_http_methods(["PUT"])
@_refusals
def put_part(request, video_id: int, number: int):
    video = _own_upload(request, video_id)
    if storage.is_s3():
        return JsonResponse({"error": _("Send parts to the bucket with the signed URLs.")}, status=400)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    etag = upload.write_local_part(video, number, request, length)  # read as a stream, never request.body
    response = JsonResponse({"number": number, "etag": etag})
    response["ETag"] = etag
    return response


@require_POST
@_refusals
def complete(request, video_id: int):
    video = get_object_or_404(Video, pk=video_id, owner=request.user)
    if video.status != VideoStatus.UPLOADING:
        return JsonResponse({"video_id": video.pk, "edit_url": reverse("videos:edit", args=[video.pk])})
    video = upload.complete_upload(video, _json(request).get("parts", []))
    return JsonResponse(
        {"video_id": video.pk, "status": video.status, "edit_url": reverse("videos:edit", args=[video.pk])}
    )


@require_http_methods(["POST", "DELETE"])
@_refusals
def abort(request, video_id: int):
    upload.abort_upload(_own_upload(request, video_id))
    return JsonResponse({"aborted": True})
