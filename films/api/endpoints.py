"""The API endpoints: the viewsets, the catalogue filters and the listing prefetches.

What each model shows is declared on the model (`api_fields`); Wagtail reads it from there."""

from urllib.parse import unquote

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework.fields import Field
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site

from reelvision.api_errors import SharedErrorsMixin, error_responses

from ..catalogue import CatalogueFilterForm, filter_films
from ..media_access import public_files
from ..models import Credit, FilmBasePage, FundingTotal, Genre, Person
from ..renditions import PERSON_PHOTO_FILTER
from .fields import public_page_url
from .schema import (
    CATALOGUE_PARAMETERS,
    FILM_TYPES,
    LISTING_PARAMETERS,
    PAGE_TREE_PARAMETERS,
    DocumentSchema,
    FilmListingItemSchema,
    GenreSchema,
    ImageDetailSchema,
    ImageSchema,
    PageDetailSchema,
    PageListingItemSchema,
    PersonDetailSchema,
    PersonSchema,
    describe_actions,
    document_endpoint,
    listing_schema,
)

# Only on detail views: each costs queries per item (renditions, streams, child rows).
PAGE_DETAIL_ONLY_FIELDS = ["poster_large", "stills", "tiers", "updates", "films", "body"]


class PublicPageURLField(Field):
    """The `html_url` of pages in the pages and films endpoints: see `public_page_url`."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return public_page_url(self.context["request"], page)


class ReelVisionPageSerializer(PageSerializer):
    html_url = PublicPageURLField(read_only=True)


def for_api(queryset):
    """Prefetch what the film listing fields read, so a listing costs a fixed number of queries.

    Genres, festivals and poster renditions come from `for_cards()`; credits with their
    people and the funding totals are added here (totals as annotations, so
    a listing of plain `FilmBasePage` rows needs no specific pages).
    """
    totals = FundingTotal.objects.filter(project_id=OuterRef("pk"))
    queryset = (
        queryset.for_cards()
        .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("person")))
        .annotate(
            api_amount_raised=Subquery(totals.values("amount")[:1]),
            api_backers=Subquery(totals.values("backers")[:1]),
        )
    )
    if queryset.model is FilmBasePage:
        queryset = queryset.annotate(
            api_stage=F("fundingprojectpage__stage"),
            api_target_amount=F("fundingprojectpage__target_amount"),
            api_minimum_donation=F("fundingprojectpage__minimum_donation"),
        )
    return queryset


class CatalogueFilter(BaseFilterBackend):
    """The catalogue's filters (`genre`, `year`, `status`, `festival`, `festival_name`, `sort`) on film listings.

    The same form and queryset code as the catalogue page (`films.catalogue`);
    unlike the page, an invalid value is a 400 rather than silently dropped,
    because an app sending `year=abc` or a genre that does not exist has a bug
    worth hearing about. So is a filter on a listing that is not of films (the
    pages endpoint without a film `type=`): it would otherwise be ignored.
    """

    parameters = ("genre", "year", "status", "festival", "festival_name", "sort")

    def filter_queryset(self, request, queryset, view):
        asked = {k: request.GET[k] for k in self.parameters if k in request.GET}
        if not issubclass(queryset.model, FilmBasePage):
            if asked:
                raise BadRequestError(
                    _("%(names)s filter films only: add type=%(types)s, or use /api/v2/films/.")
                    % {"names": ", ".join(sorted(asked)), "types": " or ".join(FILM_TYPES)}
                )
            return queryset
        form = CatalogueFilterForm(asked)
        if not form.is_valid():
            errors = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in form.errors.items())
            raise BadRequestError(errors)
        genre = form.cleaned_data.get("genre")
        if genre and not Genre.objects.filter(slug=genre).exists():
            raise BadRequestError(
                "genre: " + _("There is no genre “%(slug)s”; /api/v2/genres/ lists them.") % {"slug": genre}
            )
        return filter_films(queryset, form.cleaned_or_empty())


PERSON_DETAIL_ONLY_FIELDS = ["bio", "bio_en", "films"]


@document_endpoint(
    "pages",
    PageListingItemSchema,
    PageDetailSchema,
    listing_parameters=[*PAGE_TREE_PARAMETERS, *CATALOGUE_PARAMETERS],
    find_parameters=[OpenApiParameter("html_path", str, description="A page's path on the site, e.g. `/films/x/`.")],
)
class ReelVisionPagesAPIViewSet(SharedErrorsMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint with the film fields, the catalogue filters and listing prefetches.

    The catalogue filters apply when the listing is of a film type
    (`?type=films.FilmPage`); `/api/v2/films/` is the same over all films.
    """

    # Public and the same for everyone: a token or session is not read, so an expired token an
    # app still sends cannot turn the catalogue into a 401.
    authentication_classes = ()
    queryset = Page.objects.none()  # for schema generation only; get_queryset() builds the real one
    base_serializer_class = ReelVisionPageSerializer  # html_url on the same base as detail_url
    filter_backends = [CatalogueFilter, *PagesAPIViewSet.filter_backends]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(CatalogueFilter.parameters)
    detail_only_fields = PagesAPIViewSet.detail_only_fields + PAGE_DETAIL_ONLY_FIELDS

    @classmethod
    def get_listing_default_fields(cls, model):
        # A model's own listing fields (`api_listing_fields`, e.g. a film's card) join Wagtail's.
        return super().get_listing_default_fields(model) + list(getattr(model, "api_listing_fields", ()))

    def get_queryset(self):
        queryset = super().get_queryset()
        if issubclass(queryset.model, FilmBasePage):
            queryset = for_api(queryset)
        return queryset

    def find_object(self, queryset, request):
        # Wagtail's own find routes `html_path` as given, but the `html_url` we hand out is
        # percent-encoded ("/films/%EA%B2%A8…/" for a Korean slug): decode it first, so both
        # spellings find the page. Slugs never contain "%", so a plain path is left as it is.
        site = Site.find_for_request(request)
        if "html_path" in request.GET and site is not None:
            components = [part for part in unquote(request.GET["html_path"]).split("/") if part]
            try:
                page, _, _ = site.root_page.specific.route(request, components)
            except Http404:
                return None
            if queryset.filter(pk=page.pk).exists():
                return page
        return BaseAPIViewSet.find_object(self, queryset, request)  # by `id`, as Wagtail falls back


@describe_actions(
    listing_view=extend_schema(
        operation_id="films_list",
        tags=["films"],
        parameters=[
            *CATALOGUE_PARAMETERS,
            OpenApiParameter("type", str, enum=FILM_TYPES, description="Only finished films or only projects."),
            *LISTING_PARAMETERS,
        ],
        responses={
            200: listing_schema("Film", FilmListingItemSchema),
            **error_responses(
                r400="A filter value that cannot be taken (an unknown genre too), or a `type` that is not a film."
            ),
        },
    )
)
class FilmsAPIViewSet(ReelVisionPagesAPIViewSet):
    """The catalogue: live, public films and funding projects as cards, filtered like the catalogue page.

    Listing only; each film's detail is `/api/v2/pages/<id>/` (its `detail_url`).
    """

    queryset = FilmBasePage.objects.none()
    model = FilmBasePage
    name = "films"

    def get_queryset(self):
        queryset = super().get_queryset()
        if not issubclass(queryset.model, FilmBasePage):
            raise BadRequestError("type must be a film type: " + ", ".join(FILM_TYPES))
        return queryset

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]


@document_endpoint("people", PersonSchema, PersonDetailSchema)
class PeopleAPIViewSet(SharedErrorsMixin, BaseAPIViewSet):
    """People credited on films; the detail lists their live films and roles."""

    authentication_classes = ()  # public, the same for everyone

    queryset = Person.objects.none()
    model = Person
    name = "people"
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + ["name", "name_en", "slug", "html_url", "photo"]
    nested_default_fields = BaseAPIViewSet.nested_default_fields + ["name", "slug"]
    detail_only_fields = PERSON_DETAIL_ONLY_FIELDS

    def get_queryset(self):
        photos = get_image_model().objects.prefetch_renditions(PERSON_PHOTO_FILTER)
        return Person.objects.prefetch_related(Prefetch("photo", queryset=photos)).order_by("name", "pk")


@document_endpoint("genres", GenreSchema, GenreSchema)
class GenresAPIViewSet(SharedErrorsMixin, BaseAPIViewSet):
    """The genres, in the editors' order; filter films with `?genre=<slug>`."""

    authentication_classes = ()  # public, the same for everyone

    queryset = Genre.objects.none()
    model = Genre
    name = "genres"
    filter_backends = [FieldsFilter, OrderingFilter]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + ["name", "name_en", "slug", "sort_order"]
    nested_default_fields = BaseAPIViewSet.nested_default_fields + ["name", "slug"]

    def get_queryset(self):
        return Genre.objects.order_by("sort_order", "name", "pk")


@document_endpoint("images", ImageSchema, ImageDetailSchema)
class ReelVisionImagesAPIViewSet(SharedErrorsMixin, ImagesAPIViewSet):
    """Images that live pages and people show; the same for everyone (`films.media_access`)."""

    authentication_classes = ()  # public, the same for everyone

    queryset = get_image_model().objects.none()

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=public_files(self.model).values("pk"))


@document_endpoint("documents", DocumentSchema, DocumentSchema)
class ReelVisionDocumentsAPIViewSet(SharedErrorsMixin, DocumentsAPIViewSet):
    """Documents that live pages use; the same for everyone (`films.media_access`)."""

    authentication_classes = ()  # public, the same for everyone

    queryset = get_document_model().objects.none()

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=public_files(self.model).values("pk"))
