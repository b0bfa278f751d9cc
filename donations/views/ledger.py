"""The public ledger of a project: every donation, refund and payout, its total, and a chain check anyone can run.

`/projects/<id>/ledger/` (HTML) and `GET /api/v2/ledger/<id>/` (JSON, in the OpenAPI schema).
Backers appear masked ("김*수") or as anonymous; payouts as paid to the rights holders (never to whom,
nor to which account); amounts and dates are exact.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from films.models import FundingProjectPage, FundingTotal
from reelvision.api_errors import NOT_FOUND
from reelvision.api_pagination import ListingMetaSerializer, offset_and_limit, paging_parameters

from .. import ledger
from ..models import LedgerEntry, LedgerKind

PAGE_SIZE = 50
API_DEFAULT_LIMIT = 100
API_MAX_LIMIT = 500


def _project(project_id: int):

    return get_object_or_404(FundingProjectPage.objects.live().public(), pk=project_id)


@never_cache  # the page cache is not invalidated by payments, and a transparency page must be current
def project_ledger(request, project_id: int):
    project = _project(project_id)
    key = f"project:{project.pk}"
    entries = LedgerEntry.objects.filter(chain_id=key).order_by("-sequence")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.backer_display = ledger.public_backer_name(entry.backer)
    total = FundingTotal.objects.filter(project=project).first()
    # Payouts leave the project's total ("raised") alone; they are shown as what was passed on.
    paid_out = -(
        LedgerEntry.objects.filter(chain_id=key, kind=LedgerKind.PAYOUT).aggregate(total=Sum("amount"))["total"] or 0
    )
    verification = ledger.verify_cached(key) if request.GET.get("verify") else None
    return render(
        request,
        "donations/ledger.html",
        {
            "project": project,
            "page": page,
            "total": total,
            "paid_out": paid_out,
            "verification": verification,
            "chain_key": key,
        },
    )


class LedgerEntrySerializer(serializers.Serializer):
    chain = serializers.CharField(source="chain_id", help_text='The chain this entry belongs to ("project:<id>").')
    sequence = serializers.IntegerField()
    date = serializers.DateTimeField(source="created_at")
    timestamp = serializers.CharField(help_text="The entry's time as hashed: UTC, ISO 8601 with microseconds.")
    kind = serializers.ChoiceField(choices=["donation", "refund", "purchase", "ticket", "payout"])
    amount = serializers.IntegerField(help_text="KRW; negative for refunds and payouts.")
    backer = serializers.CharField(
        help_text='Masked display name, "anonymous" or "member"; "rights holders" for a payout (not hashed).'
    )
    previous_hash = serializers.CharField()
    hash = serializers.CharField(
        help_text=(
            "SHA-256 (hex) of the UTF-8 JSON of {chain, sequence, kind, amount, timestamp, previous_hash} with "
            'sorted keys and no spaces (separators "," and ":"); previous_hash of entry 1 is 64 zeros.'
        )
    )


class VerificationSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    entries = serializers.IntegerField()
    broken_at = serializers.IntegerField(
        allow_null=True, help_text="Sequence number of the first entry that does not fit."
    )
    reason = serializers.CharField(allow_blank=True)


class LedgerResponseSerializer(serializers.Serializer):
    meta = ListingMetaSerializer()
    items = LedgerEntrySerializer(many=True, help_text="Newest first.")
    project_id = serializers.IntegerField()
    amount_raised = serializers.IntegerField(help_text="KRW raised: confirmed donations minus refunds.")
    backers = serializers.IntegerField()
    verification = VerificationSerializer(allow_null=True, help_text="Present when ?verify=1.")


class LedgerAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = ()  # public, the same for everyone

    @extend_schema(
        operation_id="project_ledger",
        summary="A funding project's public ledger",
        description=(
            "Every donation, refund and payout to the rights holders, newest first, each carrying the SHA-256 of "
            "the entry before it. ?verify=1 recomputes the whole chain on the server (the result is kept for a minute); "
            "clients can recompute every hash from the fields given here (see `hash`)."
        ),
        parameters=[
            OpenApiParameter("verify", bool, required=False),
            *paging_parameters(API_DEFAULT_LIMIT, API_MAX_LIMIT),
        ],
        responses={200: LedgerResponseSerializer, 404: NOT_FOUND},
        tags=["funding"],
    )
    def get(self, request, project_id: int):
        project = _project(project_id)
        key = f"project:{project.pk}"
        offset, limit = offset_and_limit(request, API_DEFAULT_LIMIT, API_MAX_LIMIT)
        entries = LedgerEntry.objects.filter(chain_id=key).order_by("-sequence")
        total = FundingTotal.objects.filter(project=project).first()
        verification = ledger.verify_cached(key) if request.query_params.get("verify") else None
        body = {
            "meta": {"total_count": entries.count()},
            "items": LedgerEntrySerializer(entries[offset : offset + limit], many=True).data,
            "project_id": project.pk,
            "amount_raised": total.amount if total else 0,
            "backers": total.backers if total else 0,
            "verification": VerificationSerializer(verification).data if verification else None,
        }
        return Response(body)
