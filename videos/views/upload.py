"""Endpoints of the upload protocol (see ``videos.upload``).

JSON endpoints for the upload page (session auth, CSRF header):

- ``POST videos/uploads/`` registers a file (title, name, size, type) and answers with its video id,
  storage key and part size; a file the site will not take is refused here, before any bytes move.
- ``GET videos/uploads/<id>/`` tells a restored page (Uppy's Golden Retriever) whether an upload
  can still be resumed.
- ``POST videos/uploads/<id>/sign/`` is Uppy's ``signRequest``: it returns the URL for one S3
  request of that upload.
- ``POST videos/uploads/<id>/complete/`` runs after Uppy reports success: it starts processing a
  small file sent in one PUT (parts are completed by the XML "complete" itself) and reports status.

``videos/uploads/<id>/s3/`` answers the control requests (and, without S3, the part PUTs) in S3's
XML, as Uppy's S3 client expects. Uppy's client sends no CSRF header, so these requests carry a
signature instead (bound to the video, the member, the operation and the part, valid an hour) and
must come from the owner's session.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from django.core import signing
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from videos import storage, upload
from videos.admin import video_permission_policy
from videos.models import Video, VideoStatus

SIGNER_SALT = "videos.upload"
XML = "application/xml"  # exactly this: Uppy reads S3 error codes only from this content type
S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
MAX_COMPLETE_BODY = 1024 * 1024  # 10,000 parts of <Part>…</Part> fit comfortably


def _json(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise upload.UploadRefused(_("Send JSON."))
    return data


def _permission_error(request) -> tuple[str, int] | None:
    if not request.user.is_authenticated:
        return _("Log in to upload."), 401
    if not video_permission_policy.user_has_permission(request.user, "add"):
        return _("Only verified creators and staff can upload videos."), 403
    return None


def _json_endpoint(view):
    def wrapper(request, *args, **kwargs):
        refused = _permission_error(request)
        if refused:
            return JsonResponse({"error": refused[0]}, status=refused[1])
        try:
            return view(request, *args, **kwargs)
        except upload.UploadRefused as error:
            return JsonResponse({"error": error.message, "code": error.code}, status=error.status)

    wrapper.__name__ = view.__name__
    return wrapper


def _own_upload(request, video_id: int) -> Video:
    """The requester's own upload in progress; anyone else's id is a 404, as if it did not exist."""
    return get_object_or_404(Video, pk=video_id, owner=request.user, status=VideoStatus.UPLOADING)


def _describe(video: Video) -> dict:
    return {
        "video_id": video.pk,
        "status": video.status,
        "key": video.original_key,
        "size": video.size,
        "part_size": upload.part_size_for(video.size or 0),
        "sign_url": reverse("videos:video_upload_sign", args=[video.pk]),
        "complete_url": reverse("videos:video_upload_complete", args=[video.pk]),
        "edit_url": reverse("videos_admin:edit", args=[video.pk]),
    }


@require_POST
@_json_endpoint
def create(request):
    data = _json(request)
    video = upload.create_upload(
        request.user, data.get("title", ""), data.get("filename", ""), data.get("size"), data.get("content_type", "")
    )
    return JsonResponse(_describe(video), status=201)


@require_http_methods(["GET"])
@_json_endpoint
def status(request, video_id: int):
    video = get_object_or_404(Video, pk=video_id, owner=request.user)
    return JsonResponse(_describe(video))


# --- signRequest ------------------------------------------------------------------------------


def facade_url(video: Video, user, op: str, part: int = 0) -> str:
    token = signing.TimestampSigner(salt=SIGNER_SALT).sign_object({"v": video.pk, "u": user.pk, "op": op, "p": part})
    query = {"op": op, "token": token}
    if part:
        query["partNumber"] = part
    if video.upload_id and op != "create":
        query["uploadId"] = video.upload_id
    return f"{reverse('videos:video_upload_s3', args=[video.pk])}?{urlencode(query)}"


def _absolute(request, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


@require_POST
@_json_endpoint
def sign(request, video_id: int):
    """Uppy's ``signRequest``: ``{method, key, uploadId?, partNumber?}`` → ``{url}`` for that one request."""
    video = _own_upload(request, video_id)
    data = _json(request)
    method, upload_id = str(data.get("method", "")).upper(), data.get("uploadId")
    if data.get("key") != video.original_key:
        raise upload.UploadRefused(_("This is not the storage key of this upload."), status=403, code="AccessDenied")
    try:
        part = upload.whole_number(data.get("partNumber") or 0)
    except ValueError:
        raise upload.UploadRefused(
            _("There is no part %(n)s in this upload.") % {"n": data.get("partNumber")}
        ) from None
    if method == "POST" and not upload_id:
        if not upload.uses_multipart(video.size):
            raise upload.UploadRefused(_("A file this small is sent in one piece."))
        url = facade_url(video, request.user, "create")
    elif method == "PUT" and part:
        upload.check_upload_id(video, upload_id)
        upload.check_part_number(video, part)
        if storage.is_s3():
            url = upload.presign_part(video, part)
        else:
            url = facade_url(video, request.user, "part", part)
    elif method == "PUT" and not upload_id:
        url = upload.presign_single_put(video) if storage.is_s3() else facade_url(video, request.user, "put")
    elif method in ("GET", "POST", "DELETE") and upload_id:
        upload.check_upload_id(video, upload_id)
        url = facade_url(video, request.user, {"GET": "list", "POST": "complete", "DELETE": "abort"}[method])
    else:
        raise upload.UploadRefused(_("This upload does not take that request."), status=405, code="MethodNotAllowed")
    return JsonResponse({"url": _absolute(request, url), "key": video.original_key})  # Uppy needs absolute URLs


@require_POST
@_json_endpoint
def complete(request, video_id: int):
    """After Uppy's success: start processing a one-piece upload; in every case say where the video is."""
    video = get_object_or_404(Video, pk=video_id, owner=request.user)
    if video.status == VideoStatus.UPLOADING:
        video = upload.finish_single_upload(video)
    return JsonResponse(_describe(video))


# --- the S3-shaped endpoint ------------------------------------------------------------------


def _xml(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type=XML, status=status)


def _xml_error(code: str, message: str, status: int) -> HttpResponse:
    return _xml(f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>", status)


def _check_token(request, video_id: int, op: str, part: int) -> None:
    try:
        claims = signing.TimestampSigner(salt=SIGNER_SALT).unsign_object(
            request.GET.get("token", ""), max_age=upload.PRESIGN_SECONDS
        )
    except signing.SignatureExpired:
        raise upload.UploadRefused(_("This upload link has expired."), status=403, code="AccessDenied") from None
    except signing.BadSignature:
        raise upload.UploadRefused(_("This upload link is not valid."), status=403, code="AccessDenied") from None
    if claims != {"v": video_id, "u": request.user.pk, "op": op, "p": part}:
        raise upload.UploadRefused(_("This upload link is not valid."), status=403, code="AccessDenied")


def _parts_from_xml(body: bytes) -> list[dict]:
    if len(body) > MAX_COMPLETE_BODY:
        raise upload.UploadRefused(_("The list of parts is too long."), code="MalformedXML")
    try:
        root = ElementTree.fromstring(body)
    except Exception:  # defusedxml raises its own errors for entities, ParseError for bad XML
        raise upload.UploadRefused(_("The list of parts could not be read."), code="MalformedXML") from None
    parts = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "Part":
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in element}
        if not fields.get("PartNumber", "").isdigit():
            raise upload.UploadRefused(_("The list of parts could not be read."), code="MalformedXML")
        parts.append({"number": int(fields["PartNumber"]), "etag": fields.get("ETag", "")})
    return parts


@csrf_exempt  # Uppy's S3 client cannot send a CSRF header; the signed token in the URL stands in for it
@require_http_methods(["GET", "POST", "PUT", "DELETE"])
def s3_facade(request, video_id: int):
    refused = _permission_error(request)
    if refused:
        return _xml_error("AccessDenied", refused[0], refused[1])
    op = request.GET.get("op", "")
    allowed = {"create": "POST", "complete": "POST", "part": "PUT", "put": "PUT", "list": "GET", "abort": "DELETE"}
    if allowed.get(op) != request.method:
        return _xml_error("MethodNotAllowed", _("This upload does not take that request."), 405)
    try:
        part = upload.whole_number(request.GET.get("partNumber") or 0) if op == "part" else 0
        _check_token(request, video_id, op, part)
        video = Video.objects.filter(pk=video_id, owner=request.user).first()
        if video is None or (video.status != VideoStatus.UPLOADING and op != "complete"):
            raise upload.UploadRefused(
                _("This upload was stopped or replaced. Remove the file and add it again."),
                status=404,
                code="NoSuchUpload",
            )
        return _FACADE[op](request, video, part)
    except upload.UploadRefused as error:
        return _xml_error(error.code, error.message, error.status)
    except ValueError:
        return _xml_error("InvalidArgument", _("There is no such part in this upload."), 400)


def _facade_create(request, video: Video, part: int) -> HttpResponse:
    upload_id = upload.start_multipart(video)
    bucket = storage.bucket_name() if storage.is_s3() else "local"
    return _xml(
        f'<InitiateMultipartUploadResult xmlns="{S3_NAMESPACE}"><Bucket>{escape(bucket)}</Bucket>'
        f"<Key>{escape(video.original_key)}</Key><UploadId>{escape(upload_id)}</UploadId>"
        "</InitiateMultipartUploadResult>"
    )


def _local_only(video: Video) -> None:
    if storage.is_s3():  # with S3 the bytes go to the bucket; Django never takes them
        raise upload.UploadRefused(_("Send the file to the storage bucket with its signed URL."), code="InvalidRequest")


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _facade_part(request, video: Video, part: int) -> HttpResponse:
    _local_only(video)
    upload.check_upload_id(video, request.GET.get("uploadId", ""))
    # `request` is read as a stream, in 1 MiB chunks: never request.body.
    etag = upload.write_local_part(video, part, request, _content_length(request))
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response


def _facade_put(request, video: Video, part: int) -> HttpResponse:
    _local_only(video)
    etag = upload.write_local_single(video, request, _content_length(request))
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response


def _facade_list(request, video: Video, part: int) -> HttpResponse:
    parts = upload.received_parts(video, request.GET.get("uploadId", ""))
    rows = "".join(
        f"<Part><PartNumber>{p['number']}</PartNumber><ETag>{escape(p['etag'])}</ETag><Size>{p['size']}</Size></Part>"
        for p in parts
        if p["etag"]
    )
    return _xml(
        f'<ListPartsResult xmlns="{S3_NAMESPACE}"><Key>{escape(video.original_key)}</Key>'
        f"<UploadId>{escape(video.upload_id)}</UploadId><IsTruncated>false</IsTruncated>{rows}</ListPartsResult>"
    )


def _facade_complete(request, video: Video, part: int) -> HttpResponse:
    upload_id = request.GET.get("uploadId", "")
    if video.status == VideoStatus.UPLOADING:
        video = upload.complete_upload(video, upload_id, _parts_from_xml(request.body))
    location = request.build_absolute_uri(reverse("videos_admin:edit", args=[video.pk]))
    bucket = storage.bucket_name() if storage.is_s3() else "local"
    return _xml(
        f'<CompleteMultipartUploadResult xmlns="{S3_NAMESPACE}"><Location>{escape(location)}</Location>'
        f"<Bucket>{escape(bucket)}</Bucket><Key>{escape(video.original_key)}</Key>"
        f"<ETag>&quot;{video.pk}&quot;</ETag></CompleteMultipartUploadResult>"
    )


def _facade_abort(request, video: Video, part: int) -> HttpResponse:
    upload.check_upload_id(video, request.GET.get("uploadId", ""))
    upload.abort_upload(video)
    return HttpResponse(status=204)


_FACADE = {
    "create": _facade_create,
    "part": _facade_part,
    "put": _facade_put,
    "list": _facade_list,
    "complete": _facade_complete,
    "abort": _facade_abort,
}
