"""The addresses nginx's RTMP module calls (deploy/nginx/rtmp.conf): publish, publish done, record done.

nginx posts a form (`name`, `app`, `addr`, `call`, and `path` for a recording). For `on_publish` a
2xx accepts, a 3xx redirects and anything else makes nginx close the publisher's connection.

Only nginx may call them. With LIVE_RTMP_HOOK_SECRET set, a request must carry it (`?secret=`,
written into nginx's configuration), wherever it comes from: behind a reverse proxy on the same
machine every visitor's request arrives from the loopback. Without a secret, only a client on the
loopback is heard (its address seen through the trusted proxies, `reelvision.client_ip`).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from live import ingest
from live.nginx_rtmp import folders, push_target
from reelvision.client_ip import client_ip

logger = logging.getLogger(__name__)


def from_nginx(request) -> bool:
    secret = settings.LIVE_RTMP_HOOK_SECRET
    if secret:
        return constant_time_compare(request.GET.get("secret", ""), secret)
    try:
        return ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        return False


def nginx_hook(view):
    """csrf_exempt (nginx has no cookie), POST only, and 403 for any caller but nginx."""

    @functools.wraps(view)
    def checked(request):
        if not from_nginx(request):
            logger.warning("live: RTMP hook called by %s without the secret", client_ip(request))
            return HttpResponseForbidden()
        return view(request)

    return csrf_exempt(require_POST(checked))


@nginx_hook
def publish(request):
    """A publisher typed a stream key: accept it by pushing the stream under the premiere's name, or refuse."""
    try:
        premiere = ingest.start_broadcast(request.POST.get("name", ""))
    except ingest.PublishRefused as refused:
        logger.info("live: publish from %s refused: %s", request.POST.get("addr", "?"), refused)
        return HttpResponseForbidden()
    logger.info("live: premiere %s is live (publisher %s)", premiere.pk, request.POST.get("addr", "?"))
    response = HttpResponse(status=302)
    response["Location"] = push_target(ingest.stream_name(premiere))
    return response


@nginx_hook
def publish_done(request):
    """The broadcast stopped: its premiere has ended."""
    ingest.end_broadcast(request.POST.get("name", ""))
    return HttpResponse()


@nginx_hook
def record_done(request):
    """nginx closed the recording: it goes to video storage and through the normal processing."""
    ingest.import_recording(request.POST.get("name", ""), Path(request.POST.get("path", "")), folders().recordings)
    return HttpResponse()
