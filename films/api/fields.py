"""How the catalogue looks in the API: nested representations and custom serializer fields.

Used both in responses (inside Wagtail's per-request serializers) and in the
OpenAPI schema, so a nested shape (genre, credit, poster rendition, funding,
film card, home section) is defined once.
"""

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.fields import Field
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.serializers import PageSerializer, RichTextFieldSerializer
from wagtail.api.v2.utils import get_full_url, get_object_detail_url
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page

from ..choices import CreditRole, ProductionStage
from ..models import (
    CARD_POSTER_FILTER,
    STILL_FILTER,
    Credit,
    FilmBasePage,
    FundingProjectPage,
    Genre,
    Person,
)

PERSON_PHOTO_FILTER = "fill-240x240|format-webp"
COVER_FILTER = "fill-960x540|format-webp"
HERO_FILTER = "fill-1600x900|format-webp"


def model_label(model) -> str:
    """The `app_label.ModelName` string Wagtail's API uses in `meta.type`."""
    return f"{model._meta.app_label}.{model.__name__}"


# --- field types ---------------------------------------------------------------------------------------------------

RENDITION_VARIANTS = [
    {
        "type": "object",
        "properties": {
            "url": {"type": "string"},
            "full_url": {"type": "string", "format": "uri"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "alt": {"type": "string"},
        },
        "required": ["url", "full_url", "width", "height", "alt"],
    },
    {
        "type": "object",
        "description": "The source image file is missing.",
        "properties": {"error": {"type": "string", "const": "SourceImageIOError"}},
        "required": ["error"],
    },
]


@extend_schema_field(
    {"description": "An image rendition (Wagtail `ImageRenditionField`).", "oneOf": RENDITION_VARIANTS}
)
class RenditionField(ImageRenditionField):
    """Wagtail's rendition field with a schema."""

    def __init__(self, filter_spec, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(filter_spec, **kwargs)


# Nullable by schema only: DRF already writes `null` for a missing image. Not `allow_null=True`, which
# would make spectacular append to the shared `oneOf` list above on every use.
@extend_schema_field(
    {"description": "An image rendition, or null without an image.", "oneOf": [*RENDITION_VARIANTS, {"type": "null"}]}
)
class OptionalRenditionField(RenditionField):
    pass


def rendition(filter_spec, **kwargs):
    """A rendition of an optional image (poster, photo, cover): films and people may have none yet."""
    return OptionalRenditionField(filter_spec, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class RichTextField(RichTextFieldSerializer):
    """Rich text in the format the request asked for (`?rich_text_format=`, default from settings)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


@extend_schema_field({"type": ["string", "null"], "format": "uri"})
class AbsoluteURLField(serializers.Field):
    """An object's public web page as an absolute URL (`get_absolute_url()` or a page's `full_url`)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        if isinstance(obj, Page):
            return public_page_url(self.context["request"], obj)
        return get_full_url(self.context["request"], obj.get_absolute_url())


def public_page_url(request, page) -> str | None:
    """A page's address on the public base the API uses for every link (WAGTAILAPI_BASE_URL), like
    `detail_url`; Wagtail's own `full_url` would use the site record's hostname and port instead."""
    try:
        url = page.get_url(request)
    except NoReverseMatch:
        return None
    return get_full_url(request, url) if url else None


class PublicPageURLField(Field):
    """The `html_url` of pages in the pages and films endpoints: see `public_page_url`."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return public_page_url(self.context["request"], page)


class ReelVisionPageSerializer(PageSerializer):
    html_url = PublicPageURLField(read_only=True)


@extend_schema_field({"type": "string", "format": "uri"})
class APIDetailURLField(serializers.Field):
    """The object's detail URL in this API (`/api/v2/<endpoint>/<id>/`)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        model = obj.specific_class if isinstance(obj, Page) else type(obj)
        return get_object_detail_url(self.context["router"], self.context["request"], model, obj.pk)


@extend_schema_field({"type": "string", "example": "films.FilmPage"})
class PageTypeLabelField(serializers.Field):
    """`app_label.ModelName` of the page's specific type, without loading the specific page."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return model_label(page.specific_class)


def type_label_field(labels=None, *, exclude=None):
    """A `type` string that tells variants apart in a `oneOf` (page types, home section types).

    A discriminator, not a choice: described with `const`/`anyOf`/`not` rather
    than `enum`, which spectacular would extract into enum components named
    after the field ("TypeEnum"), colliding with every other `type` choice.
    """
    schema = {"type": "string"}
    if labels and len(labels) == 1:
        schema["const"] = labels[0]
    elif labels:
        schema["anyOf"] = [{"const": label} for label in labels]
    if exclude:
        schema["not"] = {"anyOf": [{"const": label} for label in exclude]}
    return extend_schema_field(schema)(type("TypeLabelField", (serializers.CharField,), {}))()


# --- nested representations (used in responses and in the schema) -------------------------------------------------


class GenreSerializer(serializers.ModelSerializer):
    """A genre as it appears inside a film."""

    class Meta:
        model = Genre
        fields = ["id", "slug", "name", "name_en"]
        read_only_fields = fields


class PersonRefSerializer(serializers.ModelSerializer):
    """A person as it appears inside a film's credits."""

    html_url = AbsoluteURLField()
    detail_url = APIDetailURLField()

    class Meta:
        model = Person
        fields = ["id", "name", "name_en", "slug", "html_url", "detail_url"]
        read_only_fields = fields


class CreditSerializer(serializers.ModelSerializer):
    """One credit line, in the film's credit order."""

    person = PersonRefSerializer()
    role = serializers.ChoiceField(choices=CreditRole.choices)
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = Credit
        fields = ["person", "role", "role_display", "character"]
        read_only_fields = fields


class FundingSerializer(serializers.Serializer):
    """A funding project's figures: what the progress bar and donate button need."""

    stage = serializers.ChoiceField(choices=ProductionStage.choices)
    amount_raised = serializers.IntegerField(help_text=_("KRW raised: confirmed donations minus refunds."))
    backers = serializers.IntegerField(help_text=_("Members with at least one donation that is not fully refunded."))
    target_amount = serializers.IntegerField(allow_null=True, help_text=_("Optional target in KRW."))
    progress_percent = serializers.IntegerField(
        allow_null=True, help_text=_("Percent of the target reached (may pass 100); null without a target.")
    )
    minimum_donation = serializers.IntegerField(help_text=_("Smallest accepted donation in KRW."))


def funding_summary(page) -> dict | None:
    """Funding figures of a film, or None for a finished film.

    Works on a `FundingProjectPage` and on a plain `FilmBasePage` from a listing:
    `for_api()` annotates the totals (and, on `FilmBasePage`, the project fields)
    so that no listing row needs a query of its own.
    """
    if page.specific_class is not FundingProjectPage:
        return None
    if isinstance(page, FundingProjectPage):
        stage, target, minimum = page.stage, page.target_amount, page.minimum_donation
    else:
        stage, target, minimum = page.api_stage, page.api_target_amount, page.api_minimum_donation
    if hasattr(page, "api_amount_raised"):
        raised, backers = page.api_amount_raised or 0, page.api_backers or 0
    else:
        raised, backers = page.specific_deferred.funding_figures
    return {
        "stage": stage,
        "amount_raised": raised,
        "backers": backers,
        "target_amount": target,
        "progress_percent": int(raised * 100 / target) if target else None,
        "minimum_donation": minimum,
    }


@extend_schema_field(FundingSerializer(allow_null=True))
class FundingField(Field):
    """`funding` on every film: the figures for a funding project, `null` for a finished film."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return funding_summary(page)


@extend_schema_field(serializers.ListField(child=PersonRefSerializer()))
class DirectorsField(Field):
    """The directors among the (prefetched) credits, for film cards."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        people = [c.person for c in page.credits.all() if c.role == CreditRole.DIRECTOR]
        return PersonRefSerializer(people, many=True, context=self.context).data


class StillSerializer(serializers.Serializer):
    image_id = serializers.IntegerField(source="id")
    rendition = RenditionField(STILL_FILTER, source="*")
    alt = serializers.SerializerMethodField()

    def get_alt(self, image) -> str:
        return getattr(image, "contextual_alt_text", None) or image.default_alt_text or ""


@extend_schema_field(serializers.ListField(child=StillSerializer()))
class StillsField(Field):
    def __init__(self, **kwargs):
        kwargs.update(read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, stream):
        images = [block.value for block in stream if block.value]
        return StillSerializer(images, many=True, context=self.context).data


class FilmCardSerializer(serializers.Serializer):
    """A film as a card: how home sections, collections and people refer to films.

    Flat rather than Wagtail's `{id, meta, ...}` shape, because it is always
    embedded and never filtered with `?fields=`.
    """

    id = serializers.IntegerField()
    type = PageTypeLabelField()
    detail_url = APIDetailURLField()
    html_url = AbsoluteURLField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    slug = serializers.CharField()
    graduation_year = serializers.IntegerField(allow_null=True)
    runtime_minutes = serializers.IntegerField(allow_null=True)
    price = serializers.IntegerField()
    is_free = serializers.BooleanField()
    catalogue_status = serializers.CharField()
    genres = GenreSerializer(many=True, source="genres.all")
    poster = rendition(CARD_POSTER_FILTER)


class FundingCardSerializer(FilmCardSerializer):
    """A funding project as a card, with its figures (the funding spotlight)."""

    funding = FundingField()


class DonationTierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.IntegerField(help_text=_("KRW"))
    title = serializers.CharField()
    reward = serializers.CharField()


class ProductionUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    title = serializers.CharField()
    body = RichTextField()


@extend_schema_field(serializers.ListField(child=DonationTierSerializer()))
class TiersField(Field):
    """Donation tiers by amount, as the donate button offers them."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return DonationTierSerializer(page.ordered_tiers, many=True, context=self.context).data


@extend_schema_field(serializers.ListField(child=ProductionUpdateSerializer()))
class UpdatesField(Field):
    """Production updates, newest first."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return ProductionUpdateSerializer(page.recent_updates, many=True, context=self.context).data


@extend_schema_field(serializers.ListField(child=FilmCardSerializer()))
class CollectionFilmsField(Field):
    """The collection's live, public films in the curator's order."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return FilmCardSerializer(page.films(), many=True, context=self.context).data


# --- home page sections ---------------------------------------------------------------------------------------------


class PageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    html_url = AbsoluteURLField()
    detail_url = APIDetailURLField()


class HeroValueSerializer(serializers.Serializer):
    film = FilmCardSerializer(allow_null=True, help_text=_("null when the chosen film is unpublished."))
    headline = serializers.CharField(help_text=_("Falls back to the film's title on the site when blank."))
    text = serializers.CharField()
    image = rendition(HERO_FILTER)
    call_to_action = serializers.CharField()


class FilmRowValueSerializer(serializers.Serializer):
    title = serializers.CharField()
    films = FilmCardSerializer(many=True)


class AutoFilmRowValueSerializer(FilmRowValueSerializer):
    genre = GenreSerializer(allow_null=True)
    collection = PageRefSerializer(allow_null=True)
    limit = serializers.IntegerField()


class FundingSpotlightValueSerializer(serializers.Serializer):
    title = serializers.CharField()
    projects = FundingCardSerializer(many=True)


class TextValueSerializer(serializers.Serializer):
    heading = serializers.CharField()
    text = RichTextField()


def _section_serializer(block_type: str, value_serializer):
    name = "".join(part.title() for part in block_type.split("_")) + "Section"
    return type(
        name,
        (serializers.Serializer,),
        {
            "type": type_label_field([block_type]),
            "id": serializers.CharField(),
            "value": value_serializer(),
            "__doc__": f"A `{block_type}` section of the home page.",
        },
    )


SECTION_VALUE_SERIALIZERS = {
    "hero": HeroValueSerializer,
    "film_row": FilmRowValueSerializer,
    "auto_film_row": AutoFilmRowValueSerializer,
    "funding_spotlight": FundingSpotlightValueSerializer,
    "text": TextValueSerializer,
}
HomeSectionSchema = PolymorphicProxySerializer(
    component_name="HomeSection",
    serializers=[_section_serializer(t, s) for t, s in SECTION_VALUE_SERIALIZERS.items()],
    resource_type_field_name=None,  # each variant's `type` is a const, so `oneOf` picks exactly one
    many=True,
)


def rich_text(source: str, context) -> str:
    """Rich text inside a block, in the request's format (as `RichTextFieldSerializer` does for fields)."""
    rich_text_format = context.get("_wagtail_rich_text_format") or APIRichText.get_default_format()
    return APIRichText.serialize(source, format=rich_text_format)


def section_value(child, context) -> dict:
    """One home section with its references resolved, the way the site renders it.

    The blocks' own `get_context()` picks the films (live and public only, in
    the editor's order, prefetched), so the app shows exactly what the site shows.
    """
    block, value = child.block, child.value
    block_context = block.get_context(value)
    if child.block_type == "hero":
        return {
            "film": FilmCardSerializer(block_context["film"], context=context).data if block_context["film"] else None,
            "headline": value["headline"] or "",
            "text": value["text"] or "",
            "image": RenditionField(HERO_FILTER).to_representation(value["image"]) if value["image"] else None,
            "call_to_action": value["call_to_action"] or "",
        }
    if child.block_type in ("film_row", "auto_film_row"):
        data = {
            "title": value["title"],
            "films": FilmCardSerializer(block_context["films"], many=True, context=context).data,
        }
        if child.block_type == "auto_film_row":
            collection = value.get("collection")
            data.update(
                genre=GenreSerializer(value["genre"]).data if value.get("genre") else None,
                collection=PageRefSerializer(collection, context=context).data if collection else None,
                limit=value["limit"],
            )
        return data
    if child.block_type == "funding_spotlight":
        return {
            "title": value["title"],
            "projects": FundingCardSerializer(block_context["projects"], many=True, context=context).data,
        }
    if child.block_type == "text":
        return {"heading": value["heading"] or "", "text": rich_text(value["text"].source, context)}
    raise ValueError(f"Unknown home section {child.block_type!r}")


@extend_schema_field(HomeSectionSchema)
class HomeSectionsField(Field):
    """The home page's sections with film references expanded into cards (not bare ids)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, stream):
        return [
            {"type": child.block_type, "id": child.id, "value": section_value(child, self.context)} for child in stream
        ]


# --- people --------------------------------------------------------------------------------------------------------


class PersonCreditSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=CreditRole.choices)
    role_display = serializers.CharField()
    character = serializers.CharField()


class PersonFilmSerializer(serializers.Serializer):
    """A film a person worked on, with what they did on it."""

    film = FilmCardSerializer()
    credits = PersonCreditSerializer(many=True)


@extend_schema_field(serializers.ListField(child=PersonFilmSerializer()))
class PersonFilmsField(Field):
    """The person's live, public films (newest class first) with their roles on each."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, person):
        films = list(FilmBasePage.objects.filmography(person))
        credits = {}
        for credit in person.credits.filter(page__in=[f.pk for f in films]).order_by("sort_order"):
            credits.setdefault(credit.page_id, []).append(
                {"role": credit.role, "role_display": credit.get_role_display(), "character": credit.character}
            )
        rows = [{"film": film, "credits": credits.get(film.pk, [])} for film in films]
        return PersonFilmSerializer(rows, many=True, context=self.context).data
