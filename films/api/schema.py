"""The OpenAPI description of the endpoints.

Wagtail builds its serializers per request from field lists, which
drf-spectacular cannot introspect; these serializers describe each endpoint's
default response instead. `films/tests/test_api.py` validates real responses
against the served schema, so description and behaviour cannot drift apart.
"""

import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from home.models import HomePage
from reelvision.api_errors import BAD_QUERY, NOT_FOUND

from ..choices import AgeRating, CatalogueSort, CatalogueStatus
from ..models import (
    CARD_POSTER_FILTER,
    DETAIL_POSTER_FILTER,
    CollectionPage,
    FilmIndexPage,
    FilmPage,
    FundingProjectPage,
    Genre,
    Person,
)
from .fields import (
    COVER_FILTER,
    PERSON_PHOTO_FILTER,
    AbsoluteURLField,
    CollectionFilmsField,
    CreditSerializer,
    DirectorsField,
    FundingField,
    GenreSerializer,
    HomeSectionsField,
    PersonFilmsField,
    RichTextField,
    StillsField,
    TiersField,
    UpdatesField,
    model_label,
    rendition,
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


def _film_field_schemas() -> dict:
    return {
        "title_en": serializers.CharField(),
        "graduation_year": serializers.IntegerField(allow_null=True),
        "runtime_minutes": serializers.IntegerField(allow_null=True),
        "price": serializers.IntegerField(help_text=_("KRW; 0 means free to watch.")),
        "is_free": serializers.BooleanField(),
        "catalogue_status": serializers.ChoiceField(
            choices=[c for c in CatalogueStatus.values if c != CatalogueStatus.FINISHED],
            help_text=_("Free or paid: watchable now; coming_soon: the video is not up yet, not on sale; funding."),
        ),
        "genres": GenreSerializer(many=True),
        "poster": rendition(CARD_POSTER_FILTER),
        "directors": DirectorsField(),
        "funding": FundingField(),
    }


def _film_detail_schemas() -> dict:
    return {
        "original_title": serializers.CharField(),
        "logline": serializers.CharField(),
        "logline_en": serializers.CharField(),
        "synopsis": RichTextField(),
        "synopsis_en": RichTextField(),
        "directors_message": RichTextField(),
        "release_date": serializers.DateField(allow_null=True),
        "age_rating": serializers.ChoiceField(choices=AgeRating.choices),
        "content_advisory": serializers.CharField(),
        "poster_large": rendition(DETAIL_POSTER_FILTER),
        "stills": StillsField(),
        "credits": CreditSerializer(many=True),
    }


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


FILM_TYPES = [model_label(FilmPage), model_label(FundingProjectPage)]
FilmListingItemSchema = _page_schema(
    "FilmCard",
    FILM_TYPES,
    False,
    "A film in a listing (`/api/v2/films/`, `?type=films.FilmPage`).",
    **_film_field_schemas(),
)
FilmPageDetailSchema = _page_schema(
    "FilmPage",
    [model_label(FilmPage)],
    True,
    "A finished film.",
    **_film_field_schemas(),
    **_film_detail_schemas(),
)
FundingProjectPageDetailSchema = _page_schema(
    "FundingProjectPage",
    [model_label(FundingProjectPage)],
    True,
    "A film in production that visitors can back; `funding` holds the figures.",
    **_film_field_schemas(),
    **_film_detail_schemas(),
    budget_breakdown=RichTextField(),
    tiers=TiersField(),
    updates=UpdatesField(),
)
CollectionPageDetailSchema = _page_schema(
    "CollectionPage",
    [model_label(CollectionPage)],
    True,
    "A curated collection; `films` in the curator's order.",
    intro=RichTextField(),
    cover=rendition(COVER_FILTER),
    films=CollectionFilmsField(),
)
HomePageDetailSchema = _page_schema(
    "HomePage",
    [model_label(HomePage)],
    True,
    "The home page; `body` is its sections with films expanded.",
    body=HomeSectionsField(),
)
FilmIndexPageDetailSchema = _page_schema(
    "FilmIndexPage", [model_label(FilmIndexPage)], True, "The catalogue page.", intro=RichTextField()
)
OtherPageDetailSchema = _page_schema(
    "OtherPage",
    None,
    True,
    "Any other page type: the common page fields.",
    exclude=[model_label(m) for m in (FilmPage, FundingProjectPage, CollectionPage, HomePage, FilmIndexPage)],
)
PageListingItemSchema = _page_schema(
    "Page", None, False, "A page in a listing. With `type=` a film type, the film card fields are added."
)
PageDetailSchema = PolymorphicProxySerializer(
    component_name="PageDetail",
    serializers=[
        FilmPageDetailSchema,
        FundingProjectPageDetailSchema,
        CollectionPageDetailSchema,
        HomePageDetailSchema,
        FilmIndexPageDetailSchema,
        OtherPageDetailSchema,
    ],
    resource_type_field_name=None,
)


_PersonMeta = _meta_schema("Person", [model_label(Person)])
_GenreMeta = _meta_schema("Genre", [model_label(Genre)])
_person_fields = {
    "id": serializers.IntegerField(),
    "meta": _PersonMeta(),
    "name": serializers.CharField(),
    "name_en": serializers.CharField(),
    "slug": serializers.CharField(),
    "html_url": AbsoluteURLField(),
    "photo": rendition(PERSON_PHOTO_FILTER),
}
PersonSchema = type("PersonSchema", (serializers.Serializer,), {**_person_fields, "__doc__": "A person in a listing."})
PersonDetailSchema = type(
    "PersonDetailSchema",
    (serializers.Serializer,),
    {
        **_person_fields,
        "bio": serializers.CharField(),
        "bio_en": serializers.CharField(),
        "films": PersonFilmsField(),
        "__doc__": "A person with the films they worked on.",
    },
)
GenreSchema = type(
    "GenreSchema",
    (serializers.Serializer,),
    {
        "id": serializers.IntegerField(),
        "meta": _GenreMeta(),
        "name": serializers.CharField(),
        "name_en": serializers.CharField(),
        "slug": serializers.CharField(),
        "sort_order": serializers.IntegerField(),
        "__doc__": "A genre; use its `slug` with `?genre=` on `/api/v2/films/`.",
    },
)


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
