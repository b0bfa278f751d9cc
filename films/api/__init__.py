"""The catalogue in the JSON API (`/api/v2/`), for the mobile and TV apps.

Wagtail's API v2 builds its serializers at request time from per-model field
lists, which drf-spectacular cannot introspect. So this module has two halves:

* **What the API returns** (`fields.py`, `endpoints.py`): the field lists per page type (`PAGE_API_FIELDS`)
  and the nested representations (genres, credits, poster renditions, funding,
  home sections). They live here rather than as `api_fields` on the models so
  the models stay about content; the viewsets in `reelvision/api.py` read them.
* **How the schema describes it** (`schema.py`): plain DRF serializers that
  mirror the default field sets of each endpoint. `films/tests/test_api.py`
  validates real responses against the served schema, so the two halves cannot
  drift apart silently.

Listing querysets go through `for_api()`, which prefetches everything the
listing fields touch, so a listing costs the same number of queries for 3
films or 3,000.
"""

from .endpoints import (
    FilmsAPIViewSet,
    GenresAPIViewSet,
    PeopleAPIViewSet,
    ReelVisionDocumentsAPIViewSet,
    ReelVisionImagesAPIViewSet,
    ReelVisionPagesAPIViewSet,
)

__all__ = [
    "FilmsAPIViewSet",
    "GenresAPIViewSet",
    "PeopleAPIViewSet",
    "ReelVisionDocumentsAPIViewSet",
    "ReelVisionImagesAPIViewSet",
    "ReelVisionPagesAPIViewSet",
]
