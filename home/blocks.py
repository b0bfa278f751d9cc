from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from films.blocks import AutoFilmRowBlock, FilmRowBlock, FundingSpotlightBlock, HeroBlock


class RichTextSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    heading_en = blocks.CharBlock(required=False, max_length=120, label=_("Heading (English)"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    text_en = blocks.RichTextBlock(
        required=False, features=["bold", "italic", "link", "ol", "ul", "h3"], label=_("Text (English)")
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/rich_text_block.html"
        label = _("Text")
        description = _("A heading and a few paragraphs.")
        preview_value = {"heading": "ReelVision", "text": "<p>졸업작품이 머무는 곳.</p>"}


class HomeSectionsBlock(blocks.StreamBlock):
    """The sections staff arrange on the home page."""

    hero = HeroBlock()
    film_row = FilmRowBlock()
    auto_film_row = AutoFilmRowBlock()
    funding_spotlight = FundingSpotlightBlock()
    text = RichTextSectionBlock()
