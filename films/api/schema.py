"""The OpenAPI description of the endpoints, derived from the models' `api_fields`.

Wagtail builds its serializers per request from field lists, which drf-spectacular cannot
introspect; here each page type (and person, genre) gets one serializer built from the same
declarations, so a field added to a model's `api_fields` appears in the schema by itself.
`films/tests/test_api.py` validates real responses against the served schema.
"""

import copy
import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from wagtail.api.v2.serializers import BaseSerializer
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import get_page_models

from reelvision.api_errors import BAD_QUERY, NOT_FOUND

from ..choices import CatalogueSort, CatalogueStatus, FestivalFilter
from ..models import FilmBasePage, FilmPage, FundingProjectPage, Genre, Person
from .fields import (
    model_label,
    type_label_field,
)

# --- schema serializers: the default responses of each endpoint -----------------------------------------------------


class ListingMetaSchema(serializers.Serializer):
    total_count = serializers.IntegerField(help_text=_("Items matching the filters, across all pages."))


def listing_schema(name: str, item):
    """`{"meta": {"total_count": n}, "items": [...]}`, Wagtail's listing envelope."""
    return type(
        f"{name}ListingSchema",
        (serializers.Serializer,),
        {"meta": ListingMetaSchema(), "items": item(many=True), "__doc__": f"A page of {name} items."},
    )


def _meta_schema(name: str, types: list[str] | None, exclude=None, **fields):
    """Wagtail's `meta` object; `type` is an enum so page detail variants are mutually exclusive."""
    attrs = {"type": type_label_field(types, exclude=exclude), "detail_url": serializers.URLField(), **fields}
    return type(f"{name}MetaSchema", (serializers.Serializer,), attrs)


def _page_meta_fields(detail: bool) -> dict:
    fields = {
        "html_url": serializers.URLField(allow_null=True),
        "slug": serializers.CharField(),
        "first_published_at": serializers.DateTimeField(allow_null=True),
    }
    if detail:
        fields.update(
            show_in_menus=serializers.BooleanField(),
            seo_title=serializers.CharField(allow_blank=True),
            search_description=serializers.CharField(allow_blank=True),
            alias_of=PageRefSchema(allow_null=True),
            parent=PageRefSchema(allow_null=True),
        )
    return fields


class PageRefMetaSchema(serializers.Serializer):
    type = serializers.CharField()
    detail_url = serializers.URLField()
    html_url = serializers.URLField(allow_null=True)


class PageRefSchema(serializers.Serializer):
    """A page nested in another page's meta (`parent`, `alias_of`)."""

    id = serializers.IntegerField()
    meta = PageRefMetaSchema()
    title = serializers.CharField()


def api_field_schemas(model, names=None) -> dict:
    """Schema fields for `model.api_fields` (or the ones in `names`), in their order.

    A field with a serializer of its own is described by (a copy of) that serializer; a plain model
    field by what Wagtail's serializer makes of it (ModelSerializer's mapping, with Wagtail's rich
    text), read-only, so that every field a response always carries is marked required.
    """
    declared = {field.name: field for field in getattr(model, "api_fields", ())}
    names = list(declared) if names is None else list(names)
    plain = [name for name in names if declared[name].serializer is None]
    built = {}
    if plain:
        meta = type("Meta", (), {"model": model, "fields": plain, "read_only_fields": plain})
        attrs = {"Meta": meta, "serializer_field_mapping": BaseSerializer.serializer_field_mapping}
        built = type(f"{model.__name__}Fields", (serializers.ModelSerializer,), attrs)().get_fields()
    return {
        name: built[name] if declared[name].serializer is None else copy.deepcopy(declared[name].serializer)
        for name in names
    }


def model_doc(model) -> str:
    """The first paragraph of a model's docstring, for its schema component."""
    return " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())


def _page_schema(name: str, types: list[str] | None, detail: bool, doc: str, exclude=None, **fields):
    meta = _meta_schema(f"{name}{'Detail' if detail else 'Listing'}", types, exclude, **_page_meta_fields(detail))
    attrs = {
        "id": serializers.IntegerField(),
        "meta": meta(),
        "title": serializers.CharField(),
        **fields,
        "__doc__": doc,
    }
    return type(f"{name}{'Detail' if detail else ''}Schema", (serializers.Serializer,), attrs)


def page_types_with_api_fields() -> list:
    """The page types that exist as pages (creatable) and declare `api_fields`, in a stable order."""
    return sorted(
        (model for model in get_page_models() if model.is_creatable and getattr(model, "api_fields", None)),
        key=model_label,
    )


FILM_TYPES = [model_label(FilmPage), model_label(FundingProjectPage)]
FilmListingItemSchema = _page_schema(
    "FilmCard",
    FILM_TYPES,
    False,
    "A film in a listing (`/api/v2/films/`, `?type=films.FilmPage`).",
    **api_field_schemas(FilmBasePage, FilmBasePage.api_listing_fields),
)


def page_detail_schema():
    """`oneOf` the detail of each page type with `api_fields`, or of any other page (the common fields)."""
    typed = page_types_with_api_fields()
    variants = [
        _page_schema(model.__name__, [model_label(model)], True, model_doc(model), **api_field_schemas(model))
        for model in typed
    ]
    variants.append(
        _page_schema(
            "OtherPage",
            None,
            True,
            "Any other page type: the common page fields.",
            exclude=[model_label(model) for model in typed],
        )
    )
    return PolymorphicProxySerializer(component_name="PageDetail", serializers=variants, resource_type_field_name=None)


PageListingItemSchema = _page_schema(
    "Page", None, False, "A page in a listing. With `type=` a film type, the film card fields are added."
)
PageDetailSchema = page_detail_schema()


def _snippet_schema(model, name: str, names, doc: str):
    attrs = {
        "id": serializers.IntegerField(),
        "meta": _meta_schema(name, [model_label(model)])(),
        **api_field_schemas(model, names),
        "__doc__": doc,
    }
    return type(f"{name}Schema", (serializers.Serializer,), attrs)


PERSON_LISTING_FIELDS = ["name", "name_en", "slug", "html_url", "photo"]
PersonSchema = _snippet_schema(Person, "Person", PERSON_LISTING_FIELDS, "A person in a listing.")
PersonDetailSchema = _snippet_schema(Person, "PersonDetail", None, "A person with the films they worked on.")
GenreSchema = _snippet_schema(Genre, "Genre", None, "A genre; use its `slug` with `?genre=` on `/api/v2/films/`.")


ImageMetaSchema = _meta_schema(
    "Image",
    [model_label(get_image_model())],
    tags=serializers.ListField(child=serializers.CharField()),
    download_url=serializers.CharField(),
)
DocumentMetaSchema = _meta_schema(
    "Document",
    [model_label(get_document_model())],
    tags=serializers.ListField(child=serializers.CharField()),
    download_url=serializers.URLField(),
)


class ImageSchema(serializers.Serializer):
    """An image in a listing; `download_url` is the original file."""

    id = serializers.IntegerField()
    meta = ImageMetaSchema()
    title = serializers.CharField()


class ImageDetailSchema(ImageSchema):
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class DocumentSchema(serializers.Serializer):
    id = serializers.IntegerField()
    meta = DocumentMetaSchema()
    title = serializers.CharField()


# --- parameters and per-endpoint schemas ------------------------------------------------------------------------------

FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    str,
    description=(
        "Wagtail field selection: `fields=a,b`, `fields=*`, `fields=_,title`, `fields=-title`. "
        "The documented response is the default selection."
    ),
)
RICH_TEXT_PARAMETER = OpenApiParameter(
    "rich_text_format", str, enum=["html", "db_html", "markdown", "db_markdown"], description="Rich text output."
)
LISTING_PARAMETERS = [
    OpenApiParameter("limit", int, description="Items per page (default 20)."),
    OpenApiParameter("offset", int),
    OpenApiParameter("order", str, description="A field name, `-field` for descending, or `random`."),
    OpenApiParameter("search", str, description="Full-text search."),
    OpenApiParameter("search_operator", str, enum=["and", "or"]),
    FIELDS_PARAMETER,
    RICH_TEXT_PARAMETER,
]
CATALOGUE_PARAMETERS = [
    OpenApiParameter("genre", str, description="Genre slug, e.g. `drama` (see `/api/v2/genres/`)."),
    OpenApiParameter("year", int, description="Graduation year."),
    OpenApiParameter(
        "status",
        str,
        enum=CatalogueStatus.values,
        description=(
            "`free` and `paid`: finished films one can watch now; `coming_soon`: finished films whose video is "
            "not up yet (never on sale); `funding`: films in production; `finished`: free, paid and coming soon. "
            "Free, paid, coming soon and funding never overlap."
        ),
    ),
    OpenApiParameter(
        "festival",
        str,
        enum=FestivalFilter.values,
        description=(
            "`awarded`: films a festival gave an award (a festival entry of kind `award`); `selected`: films with any "
            "festival entry (awarded, special mention, nominated or officially selected)."
        ),
    ),
    OpenApiParameter(
        "festival_name",
        str,
        description=(
            "Films shown or honoured at this festival: its name as in `festivals[].name` or `festivals[].name_en`, "
            "without the year, e.g. `부산국제영화제`; case does not matter. A name no film has gives an empty list. "
            "With `festival=awarded`: the films that won an award at this festival."
        ),
    ),
    OpenApiParameter("sort", str, enum=CatalogueSort.values, description="Default `newest`; `order` overrides it."),
]
PAGE_TREE_PARAMETERS = [
    OpenApiParameter(
        "type", str, description="Page type(s), e.g. `films.FilmPage` or `films.FilmPage,films.FundingProjectPage`."
    ),
    OpenApiParameter("child_of", str, description="A page id, or `root`."),
    OpenApiParameter("descendant_of", int),
    OpenApiParameter("ancestor_of", int),
]
ID_PATH_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)


def describe_actions(**schemas):
    """`extend_schema_view` for Wagtail's actions (`listing_view`, ...), which it does not recognise.

    Each action gets a wrapper on this class, so that annotating it cannot leak
    into the Wagtail base class the method comes from.
    """

    def decorator(view):
        for action, schema in schemas.items():
            inherited = getattr(view, action)

            @functools.wraps(inherited)
            def method(self, request, *args, _inherited=inherited, **kwargs):
                return _inherited(self, request, *args, **kwargs)

            # wraps() shares the inherited method's `kwargs` dict, where extend_schema stores its schema.
            if hasattr(inherited, "kwargs"):
                method.kwargs = inherited.kwargs.copy()
            setattr(view, action, schema(method))
        return view

    return decorator


def document_endpoint(name, listing_item, detail, listing_parameters=(), find_parameters=()):
    """Schema for a Wagtail endpoint: its serializers are built per request, so describe them here.

    Gives each action its own operationId (`<name>_list`, `<name>_retrieve`,
    `<name>_find`); spectacular would otherwise derive the same id for the
    listing and the detail view.
    """
    return describe_actions(
        listing_view=extend_schema(
            operation_id=f"{name}_list",
            tags=[name],
            parameters=[*LISTING_PARAMETERS, *listing_parameters],
            responses={200: listing_schema(name.title(), listing_item), 400: BAD_QUERY},
        ),
        detail_view=extend_schema(
            operation_id=f"{name}_retrieve",
            tags=[name],
            parameters=[ID_PATH_PARAMETER, FIELDS_PARAMETER, RICH_TEXT_PARAMETER],
            responses={200: detail, 400: BAD_QUERY, 404: NOT_FOUND},
        ),
        find_view=extend_schema(
            operation_id=f"{name}_find",
            tags=[name],
            parameters=[OpenApiParameter("id", int), *find_parameters],
            responses={
                302: OpenApiResponse(description="Redirect to the detail URL."),
                400: BAD_QUERY,
                404: NOT_FOUND,
            },
        ),
    )
