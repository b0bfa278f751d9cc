"""The catalogue in the JSON API (`/api/v2/`), for the mobile and TV apps.

* The models declare what they show (`api_fields` beside `search_fields`); computed and nested
  fields name their serializers from `fields.py`.
* `endpoints.py`: the viewsets (pages, films, people, genres, images, documents), the catalogue
  filters and the listing prefetches; `reelvision.api_urls` registers them.
* `schema.py`: the OpenAPI description, derived from the same `api_fields`. Wagtail builds its
  serializers per request, which drf-spectacular cannot introspect, so the schema builds one
  serializer per page type from the declarations. `films/tests/test_api.py` validates real
  responses against the served schema.

Listing querysets go through `for_api()`, which prefetches everything the listing fields touch, so
a listing costs the same number of queries for 3 films or 3,000.
"""
