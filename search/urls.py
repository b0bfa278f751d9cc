from django.urls import path

from . import views
from .api import SearchAPIView

urlpatterns = [
    path("search/", views.search, name="search"),
    # Lives under the v2 API prefix next to Wagtail's endpoints; this URLconf is included before the API router.
    path("api/v2/search/", SearchAPIView.as_view(), name="api_search"),
]
