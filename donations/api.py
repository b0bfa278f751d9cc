"""The donations app's API routes, under /api/v2/ (reelvision.api_urls): a project's live funding
figures and its public ledger. The views sit with their HTML counterparts (`views.funding`,
`views.ledger`), which answer the same figures as pages."""

from django.urls import path

from .views.funding import FundingStatusAPIView
from .views.ledger import LedgerAPIView

urlpatterns = [
    path("funding/<int:project_id>/", FundingStatusAPIView.as_view(), name="api_funding_status"),
    path("ledger/<int:project_id>/", LedgerAPIView.as_view(), name="api_project_ledger"),
]
