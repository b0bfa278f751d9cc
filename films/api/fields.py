"""How the catalogue looks in the API: the serializers of computed and nested fields.

The models declare what they expose (`api_fields`, beside `search_fields`); a field that is not a
plain model field names its serializer here. The same serializers describe the responses in the
OpenAPI schema (`schema.py` derives it from the models' declarations), so a nested shape (genre,
credit, poster rendition, funding, film card) is defined once.

The models import this module for their `api_fields`, so it imports no model at load time.
"""

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.fields import Field
from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page

from videos.models import AdvisoryKind
from videos.playback import chapters, file_url

from ..choices import AgeRating, CatalogueStatus, CreditRole, FestivalKind, ProductionStage
from ..renditions import CARD_POSTER_FILTER, STILL_FILTER


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


@extend_schema_field(
    {
        "type": ["string", "null"],
        "format": "uri",
        "description": "Three muted seconds of the trailer (or of a free film) to play over the poster on hover: "
        "an H.264 MP4 without sound, at most about 250 kB. A signed link for the viewer who asked, valid for "
        "hours; null when the film has none.",
    }
)
class HoverPreviewField(Field):
    """The signed address of the film's hover preview clip (`FilmBasePage.hover_preview_video`)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        video = page.hover_preview_video
        return file_url(self.context["request"], video, video.preview_key) if video else None


@extend_schema_field(OpenApiTypes.STR)
class RichTextField(serializers.CharField):
    """Rich text in the format the request asked for (`?rich_text_format=`, default from settings), as
    Wagtail's `RichTextFieldSerializer` writes it. Not that class itself: its module loads the Page
    model on import, and the models import this module for their `api_fields`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        rich_text_format = self.context.get("_wagtail_rich_text_format")
        if rich_text_format is None:
            request = self.context.get("request")
            rich_text_format = APIRichText.resolve_format(request.GET.get("rich_text_format") if request else None)
            self.context["_wagtail_rich_text_format"] = rich_text_format
        return APIRichText.serialize(super().to_representation(value), format=rich_text_format)


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


@extend_schema_field({"type": "string", "format": "uri"})
class APIDetailURLField(serializers.Field):
    """The object's detail URL in this API (`/api/v2/<endpoint>/<id>/`)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        model = obj.specific_class if isinstance(obj, Page) else type(obj)
        url_path = self.context["router"].get_object_detail_urlpath(model, obj.pk)
        return get_full_url(self.context["request"], url_path) if url_path else None


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


def catalogue_status_field():
    """A film's `catalogue_status` (one of the catalogue's exclusive statuses; never `finished`)."""
    return serializers.ChoiceField(
        choices=[c for c in CatalogueStatus.values if c != CatalogueStatus.FINISHED],
        read_only=True,
        help_text=_("Free or paid: watchable now; coming_soon: the video is not up yet, not on sale; funding."),
    )


def age_rating_field():
    """A film's `age_rating`: the one it is shown and gated with (`FilmBasePage.applied_age_rating`)."""
    return serializers.ChoiceField(
        choices=AgeRating.choices,
        source="applied_age_rating",
        read_only=True,
        help_text=_(
            "The stricter of the creator's rating and the one staff confirmed. A film rated 19 and its trailer "
            "play only for members who confirmed their age (the playback answer's `age_gate`)."
        ),
    )


def age_rating_confirmed_field():
    return serializers.BooleanField(
        read_only=True, help_text=_("Staff confirmed `age_rating`; false while it is the creator's alone.")
    )


# --- nested representations (used in responses and in the schema) -------------------------------------------------


class AdvisoryMomentSerializer(serializers.Serializer):
    start = serializers.FloatField(help_text=_("Seconds from the start."))
    end = serializers.FloatField(help_text=_("Seconds from the start (the last flagged sample)."))


class AdvisorySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AdvisoryKind.choices)
    label = serializers.CharField(help_text=_("In the requested language."))
    moments = AdvisoryMomentSerializer(many=True)


@extend_schema_field(serializers.ListField(child=AdvisorySerializer()))
class AdvisoriesField(Field):
    """What staff confirmed of the sensitive-content scan of the film's own video (`ContentFlag`)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return page.advisories


class ChapterSerializer(serializers.Serializer):
    start = serializers.FloatField(help_text=_("Seconds from the start."))
    title = serializers.CharField(help_text=_("In the requested language (the English title in English, when set)."))


@extend_schema_field(serializers.ListField(child=ChapterSerializer()))
class ChaptersField(Field):
    """The chapters of the film's own video, in time order; empty until it is ready and has some."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        video = page.main_video
        return chapters(video) if video is not None and video.is_ready else []


class GenreSerializer(serializers.Serializer):
    """A genre as it appears inside a film."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class PersonRefSerializer(serializers.Serializer):
    """A person as it appears inside a film's credits."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("As it appears in the credits"))
    name_en = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    html_url = AbsoluteURLField()
    detail_url = APIDetailURLField()


class CreditSerializer(serializers.Serializer):
    """One credit line, in the film's credit order."""

    person = PersonRefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=CreditRole.choices, read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    character = serializers.CharField(read_only=True)


class FestivalSerializer(serializers.Serializer):
    """A festival that showed or honoured the film (a laurel on its page), in the editor's order."""

    name = serializers.CharField(read_only=True, help_text=_("The festival, without the year or edition."))
    name_en = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=FestivalKind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    award = serializers.CharField(read_only=True, help_text=_("The prize or section; always given for an award."))
    award_en = serializers.CharField(read_only=True)


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
    from ..models import FundingProjectPage  # the models import this module for their api_fields

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


class RatingSerializer(serializers.Serializer):
    """Members' reviews of a film: what the stars on its card and page show."""

    average = serializers.FloatField(
        allow_null=True, help_text=_("Mean rating (1–5) to one decimal; null without reviews.")
    )
    count = serializers.IntegerField(help_text=_("Public reviews."))


@extend_schema_field(RatingSerializer())
class RatingField(Field):
    """`rating` on every film, from `FilmRating` (joined by `for_cards()`: no query per row)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        average, count = page.rating_figures
        return {"average": average, "count": count}


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
    hover_preview = HoverPreviewField()
    festivals = FestivalSerializer(many=True, source="festivals.all")


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
        from ..models import FilmBasePage  # the models import this module for their api_fields

        films = list(FilmBasePage.objects.filmography(person))
        credits = {}
        for credit in person.credits.filter(page__in=[f.pk for f in films]).order_by("sort_order"):
            credits.setdefault(credit.page_id, []).append(
                {"role": credit.role, "role_display": credit.get_role_display(), "character": credit.character}
            )
        rows = [{"film": film, "credits": credits.get(film.pk, [])} for film in films]
        return PersonFilmSerializer(rows, many=True, context=self.context).data
