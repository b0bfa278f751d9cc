"""StreamField blocks that show films. The home page composes them (home/blocks.py)."""

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .models import FilmBasePage, VideoStatus

FILM_TYPES = ["films.FilmPage", "films.FundingProjectPage"]


def live_films_in_order(ids):
    """Live films for `ids`, keeping the editor's order, in a fixed number of queries."""

    ids = [i for i in ids if i]
    by_id = {f.pk: f for f in FilmBasePage.objects.live().public().filter(pk__in=ids).for_cards()}
    return [by_id[i] for i in ids if i in by_id]


def watchable_first(films):
    """The same films, those one can watch (or back) now first, coming-soon ones after, each group in its order.

    Rows on the home page are there to be watched from: a film whose video is not up yet still
    shows (with its badge), but never ahead of one that plays.
    """
    return sorted(films, key=lambda film: film.is_coming_soon)


def coming_soon_last():
    """An ordering expression for SQL: 0 for films one can watch or back now, 1 for coming-soon films."""

    playable = Q(main_video__status=VideoStatus.READY) | Q(fundingprojectpage__isnull=False)
    return Case(When(playable, then=Value(0)), default=Value(1), output_field=IntegerField())


class HeroBlock(blocks.StructBlock):
    film = blocks.PageChooserBlock(page_type=FILM_TYPES, label=_("Film"))
    headline = blocks.CharBlock(required=False, max_length=120, help_text=_("Leave blank to use the film's title."))
    headline_en = blocks.CharBlock(required=False, max_length=120, label=_("Headline (English)"))
    text = blocks.TextBlock(required=False, max_length=300, help_text=_("Leave blank to use the film's logline."))
    text_en = blocks.TextBlock(required=False, max_length=300, label=_("Text (English)"))
    image = ImageChooserBlock(
        required=False, help_text=_("A wide still. Leave blank to use the first still or the poster.")
    )
    call_to_action = blocks.CharBlock(required=False, max_length=40, help_text=_("Button text, e.g. Watch now"))
    call_to_action_en = blocks.CharBlock(
        required=False, max_length=40, label=_("Call to action (English)"), help_text=_("e.g. Watch now")
    )

    class Meta:
        icon = "image"
        template = "blocks/hero_block.html"
        label = _("Hero")
        description = _("A large banner for one film, with a button to it.")
        preview_value = {"headline": "졸업작품 상영관", "call_to_action": "지금 보기"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        films = live_films_in_order([value["film"].pk if value["film"] else None])
        context["film"] = films[0] if films else None
        return context


class FilmRowBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, label=_("Row title"))
    title_en = blocks.CharBlock(required=False, max_length=80, label=_("Row title (English)"))
    films = blocks.ListBlock(blocks.PageChooserBlock(page_type=FILM_TYPES), label=_("Films"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/film_row_block.html"
        label = _("Row of chosen films")
        description = _("Films picked by hand, in this order.")
        preview_value = {"title": "이번 주 추천작"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["films"] = watchable_first(live_films_in_order([p.pk for p in value["films"] if p]))
        return context


class AutoFilmRowBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, label=_("Row title"))
    title_en = blocks.CharBlock(required=False, max_length=80, label=_("Row title (English)"))
    genre = SnippetChooserBlock("films.Genre", required=False, label=_("Genre"))
    collection = blocks.PageChooserBlock(page_type="films.CollectionPage", required=False, label=_("Collection"))
    limit = blocks.IntegerBlock(default=12, min_value=1, max_value=30, label=_("How many"))

    class Meta:
        icon = "list-ol"
        template = "blocks/film_row_block.html"
        label = _("Row filled automatically")
        description = _("The newest films of a genre, or a collection's films.")
        preview_value = {"title": "드라마", "limit": 6}

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("genre")) == bool(value.get("collection")):
            raise blocks.StructBlockValidationError(
                block_errors={"genre": ValidationError(_("Choose either a genre or a collection (one of them)."))}
            )
        return value

    def get_context(self, value, parent_context=None):

        context = super().get_context(value, parent_context)
        limit = value.get("limit") or 12
        if value.get("collection"):
            films = watchable_first(value["collection"].specific.films())[:limit]
        elif value.get("genre"):
            films = list(
                FilmBasePage.objects.live()
                .public()
                .filter(genres=value["genre"])
                .for_cards()
                .order_by(coming_soon_last(), "-first_published_at")[:limit]
            )
        else:
            films = []
        context["films"] = films
        return context


class FundingSpotlightBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, label=_("Title"))
    title_en = blocks.CharBlock(required=False, max_length=80, label=_("Title (English)"))
    projects = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="films.FundingProjectPage"),
        required=False,
        label=_("Projects"),
        help_text=_("Leave empty to show the newest projects."),
    )
    limit = blocks.IntegerBlock(default=4, min_value=1, max_value=12, label=_("How many (when automatic)"))

    class Meta:
        icon = "pick"
        template = "blocks/funding_spotlight_block.html"
        label = _("Funding spotlight")
        description = _("Films in production that visitors can back.")
        preview_value = {"title": "제작 중인 작품을 응원하세요", "limit": 3}

    def get_context(self, value, parent_context=None):
        from .models import FundingProjectPage, FundingTotal  # the models import these blocks

        context = super().get_context(value, parent_context)
        chosen = [p.pk for p in value.get("projects") or [] if p]
        queryset = FundingProjectPage.objects.live().public().for_cards()
        if chosen:
            by_id = {p.pk: p for p in queryset.filter(pk__in=chosen)}
            projects = [by_id[i] for i in chosen if i in by_id]
        else:
            projects = list(queryset.order_by("-first_published_at")[: value.get("limit") or 4])
        context["projects"] = FundingTotal.attach_to(projects)
        return context
