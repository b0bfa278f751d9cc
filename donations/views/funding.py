"""A funding project's live figures, kept out of the cached page.

Confirming a donation changes one row (`FundingTotal`) and adds a ledger entry;
it does not invalidate cached pages. Pages render the figures as they were when
cached, and `static/js/site.js` replaces every `[data-funding-live]` part with
fresh copies from `/projects/live/?ids=…` (server-rendered with the same
templates, so wording, plurals and language match the page). No-JS visitors
see the figures as of the cached copy (at most `ANONYMOUS_PAGE_CACHE_SECONDS`
old). Apps read the same figures from `GET /api/v2/funding/<id>/`.

Neither answer is personal, so shared caches (a CDN, a proxy) may keep one for
`FUNDING_LIVE_MAX_AGE` seconds (`s-maxage`) and absorb a crowd; browsers ask again
each time (`max-age=0`), so a donor who just paid sees their donation at once.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from films.api.fields import FundingSerializer, funding_summary
from films.models import FundingProjectPage, FundingTotal
from reelvision.api_errors import NOT_FOUND

from ..ledger import recent_backers

FUNDING_LIVE_MAX_AGE = 5
MAX_IDS = 24


def _live_projects(ids):

    return FundingProjectPage.objects.live().public().filter(pk__in=ids).only("pk", "target_amount")


def _ids(raw: str) -> list[int]:
    ids = []
    for part in raw.split(","):
        if part.strip().isdigit():
            ids.append(int(part))
    return list(dict.fromkeys(ids))[:MAX_IDS]


def _public(response, shared_max_age: int = FUNDING_LIVE_MAX_AGE):
    patch_cache_control(response, public=True, max_age=0, s_maxage=shared_max_age)
    return response


@require_GET
def live_funding(request):
    """`{"projects": {"<id>": {"progress": html, "compact": html, "recent": html}}}` for the ids asked for.

    Unknown, unpublished or private ids are left out, so a forged id learns nothing.
    `recent` (the recent backers list) only for `?recent=<id>`; the parts are in the language of
    `?lang=` (`ko`, `en`), else the request's.
    """
    ids = _ids(request.GET.get("ids", ""))
    recent_for = request.GET.get("recent", "")
    with translation.override(_language(request)):
        body = _live_parts(request, ids, recent_for)
    return _public(JsonResponse({"projects": body}))


def _language(request) -> str:
    """`?lang=` (the script sends the page's language; its request carries no cookie), else the request's."""
    asked = request.GET.get("lang", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language()


def _live_parts(request, ids, recent_for) -> dict:
    body = {}
    for project in FundingTotal.attach_to(_live_projects(ids)):
        parts = {
            "progress": render_to_string("includes/funding_progress.html", {"project": project}, request),
            "compact": render_to_string(
                "includes/funding_progress.html", {"project": project, "compact": True}, request
            ),
        }
        if recent_for == str(project.pk):
            parts["recent"] = render_to_string(
                "donations/includes/recent_backers.html",
                {"project": project, "recent_backers": recent_backers(project.pk)},
                request,
            )
        body[str(project.pk)] = parts
    return body


class RecentBackerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='Masked display name ("김*수"), "Anonymous" or "A member".')
    amount = serializers.IntegerField(help_text="KRW.")
    date = serializers.DateTimeField()


class FundingStatusSerializer(FundingSerializer):
    """The figures every film's `funding` has (declared once, in `films.api.fields`), live."""

    project_id = serializers.IntegerField()
    recent_backers = RecentBackerSerializer(many=True)


class FundingStatusAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = ()  # public, the same for everyone

    @extend_schema(
        operation_id="funding_status",
        summary="A funding project's live total, backers, progress and recent backers",
        description=(
            "Not personal: cacheable for a few seconds. Recent backers are the latest donations on the project's "
            "public ledger (GET /api/v2/ledger/<id>/ has them all)."
        ),
        responses={200: FundingStatusSerializer, 404: NOT_FOUND},
        tags=["funding"],
    )
    def get(self, request, project_id: int):

        project = get_object_or_404(FundingProjectPage.objects.live().public(), pk=project_id)
        body = {
            "project_id": project.pk,
            **funding_summary(project),
            "recent_backers": RecentBackerSerializer(recent_backers(project.pk), many=True).data,
        }
        return _public(Response(FundingStatusSerializer(body).data))
