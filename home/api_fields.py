"""The home page in the API: its sections with the films they show expanded into cards.

`HomePage.api_fields` names `HomeSectionsField`; the pages endpoint serves it and the OpenAPI
schema describes it from the same declaration (films.api.schema). Imported by the models, so it
imports no view code; the home app's routes are in `home.api`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from rest_framework.fields import Field
from wagtail.api.rich_text import APIRichText

from films.api.fields import (
    AbsoluteURLField,
    APIDetailURLField,
    FilmCardSerializer,
    FundingCardSerializer,
    GenreSerializer,
    RenditionField,
    RichTextField,
    rendition,
    type_label_field,
)
from films.renditions import HERO_FILTER


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
