"""The catalogue: films, funding projects, the people who made them, collections.

Page tree::

    HomePage
    ├── FilmIndexPage (the catalogue, one per site)
    │   ├── FilmPage            finished films
    │   └── FundingProjectPage  films in production
    └── CollectionPage          staff-curated lists of films

`FilmPage` and `FundingProjectPage` share `FilmBasePage`. The brief asked for
an abstract base; it is a concrete (multi-table, not creatable) one because the
catalogue, the person pages, search and the API all need *one* queryset over
both kinds, so that filtering, sorting and pagination happen in SQL with a
constant number of queries (see README, "Design notes").
"""

from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from page_cache.restrictions import CachedViewRestrictionsMixin
from page_cache.slots import PersonalSlotsPageMixin
from videos.models import Video, VideoStatus
from videos.playback import advisories

from .api.fields import (
    AbsoluteURLField,
    AdvisoriesField,
    ChaptersField,
    CollectionFilmsField,
    CreditSerializer,
    DirectorsField,
    FestivalSerializer,
    FundingField,
    GenreSerializer,
    HoverPreviewField,
    PersonFilmsField,
    RatingField,
    StillsField,
    TiersField,
    UpdatesField,
    age_rating_confirmed_field,
    age_rating_field,
    catalogue_status_field,
    rendition,
)
from .choices import AgeRating, CatalogueStatus, CreditRole, FestivalKind, ProductionStage
from .forms import FilmBasePageForm, FundingProjectPageForm, PersonForm
from .page_permissions import PagePermissionsMixin
from .renditions import CARD_POSTER_FILTER, COVER_FILTER, DETAIL_POSTER_FILTER, PERSON_PHOTO_FILTER


def localized(obj, field: str):
    """The English variant of `field` (`<field>_en`) when English is active and it is filled in."""
    if isinstance(obj, Mapping):  # a StreamField block's value
        if (get_language() or "ko").startswith("en") and obj.get(f"{field}_en"):
            return obj[f"{field}_en"]
        return obj.get(field)
    if (get_language() or "ko").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class Genre(index.Indexed, models.Model):
    """A genre snippet. The twelve genres are seeded by migration 0002."""

    name = models.CharField(_("name (Korean)"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Used in catalogue URLs, e.g. ?genre=drama")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = [index.SearchField("name"), index.SearchField("name_en"), index.AutocompleteField("name")]
    api_fields = [APIField("name"), APIField("name_en"), APIField("slug"), APIField("sort_order")]
    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("genre")
        verbose_name_plural = _("genres")

    def __str__(self):
        return str(localized(self, "name"))

    @property
    def display_name(self):
        return localized(self, "name")


class Person(index.Indexed, ClusterableModel):
    """Someone credited on films: students, actors, crew. Each has a public page."""

    name = models.CharField(_("name"), max_length=100, help_text=_("As it appears in the credits"))
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, help_text=_("e.g. Kim Jisu"))
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    bio_en = models.TextField(_("biography (English)"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.AutocompleteField("name"),
        index.AutocompleteField("name_en"),
        index.SearchField("bio"),
    ]
    api_fields = [
        APIField("name"),
        APIField("name_en"),
        APIField("slug"),
        APIField("bio"),
        APIField("bio_en"),
        APIField("html_url", serializer=AbsoluteURLField()),
        APIField("photo", serializer=rendition(PERSON_PHOTO_FILTER)),
        APIField("films", serializer=PersonFilmsField()),
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldPanel("slug"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("bio_en"),
    ]
    base_form_class = PersonForm

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return str(localized(self, "name"))

    @property
    def display_name(self):
        return localized(self, "name")

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(self.name_en or self.name, allow_unicode=True) or "person"
        slug, n = base, 2
        while Person.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self):
        return reverse("films:person_detail", args=[self.slug])


class FilmQuerySet(PageQuerySet):
    def for_cards(self):
        """What a film card needs (poster rendition, genres, festivals) in a fixed number of queries.

        No select_related("poster"): a joined poster counts as already fetched,
        and Django would then skip the Prefetch that brings its renditions.
        The main video is joined: a card says whether the film can be watched yet;
        so is the trailer: the card's hover preview is the trailer's if it has one (and none for a
        film rated 19, whose staff decision is joined too).
        """
        Image = get_image_model()
        return self.select_related("main_video", "trailer", "rating", "age_rating_decision").prefetch_related(
            Prefetch("poster", queryset=Image.objects.prefetch_renditions(CARD_POSTER_FILTER)),
            "genres",
            "festivals",  # the card's laurel mark
        )

    def finished(self):
        return self.type(FilmPage)

    def available(self):
        """Films whose main video is ready to stream: the only ones that can be watched or bought."""
        return self.filter(main_video__status=VideoStatus.READY)

    def coming_soon(self):
        """Finished films whose main video is not ready yet (none chosen, or still uploading or processing)."""
        return self.finished().exclude(main_video__in=Video.objects.ready())

    def showing(self, video):
        """Films and projects that play `video` as their film or their trailer."""
        return self.filter(Q(main_video=video) | Q(trailer=video))

    def filmography(self, person):
        """Live, public films that credit `person` (once each, however many roles), newest first, as cards."""
        return (
            self.live()
            .public()
            .filter(credits__person=person)
            .for_cards()
            .order_by("-graduation_year", "title")
            .distinct()
        )

    def funding(self):
        return self.type(FundingProjectPage)

    def free(self):
        """Finished films anyone can watch now, without paying."""
        return self.finished().available().filter(price=0)

    def paid(self):
        """Finished films on sale now."""
        return self.finished().available().filter(price__gt=0)


FilmManager = PageManager.from_queryset(FilmQuerySet)


class FilmBasePage(PersonalSlotsPageMixin, CachedViewRestrictionsMixin, PagePermissionsMixin, Page):
    """What every film has, finished or in production. Never created directly. Whether it has view
    restrictions is known without a query when it has none (`page_cache.restrictions`)."""

    original_title = models.CharField(
        _("original title"),
        max_length=255,
        blank=True,
        help_text=_("The title in its original language, if different."),
    )
    title_en = models.CharField(
        _("English title"), max_length=255, blank=True, help_text=_("Shown to visitors who read the site in English.")
    )
    logline = models.CharField(
        _("logline"), max_length=200, blank=True, help_text=_("One sentence that sells the film.")
    )
    logline_en = models.CharField(_("logline (English)"), max_length=200, blank=True)
    synopsis = RichTextField(
        _("synopsis"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("A paragraph or two about the story. Leave the ending out."),
    )
    synopsis_en = RichTextField(_("synopsis (English)"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    genres = ParentalManyToManyField(
        Genre,
        verbose_name=_("genres"),
        blank=True,
        related_name="films",
        help_text=_("Tick every genre that fits: the catalogue filters by them."),
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        _("runtime (minutes)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"),
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text=_("The year of the graduation show the film belongs to."),
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Portrait, 2:3. At least 600×900 pixels looks sharp on every screen."),
    )
    stills = StreamField(
        [("still", ImageBlock())],
        verbose_name=_("stills"),
        blank=True,
        help_text=_("Frames from the film, in landscape (16:9) format."),
    )
    directors_message = RichTextField(
        _("director's message"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Optional: a few words from the director to the audience."),
    )
    age_rating = models.CharField(_("age rating"), max_length=8, choices=AgeRating.choices, default=AgeRating.ALL)
    content_advisory = models.CharField(
        _("content advisory"), max_length=200, blank=True, help_text=_("e.g. violence, flashing lights")
    )
    main_video = models.ForeignKey(
        "videos.Video",
        verbose_name=_("film"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The whole film. Upload it under Videos first, then choose it here."),
    )
    trailer = models.ForeignKey(
        "videos.Video",
        verbose_name=_("trailer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Everyone can watch the trailer, also when the film itself is paid."),
    )
    price = models.IntegerField(
        _("price (KRW)"),
        default=0,
        validators=[MinValueValidator(0, message=_("The price cannot be negative. Use 0 for a free film."))],
        help_text=_("0 makes the film free to watch. Buyers keep access for good."),
    )

    objects = FilmManager()

    is_creatable = False

    search_fields = Page.search_fields + [
        index.SearchField("title_en"),
        index.SearchField("original_title"),
        index.SearchField("logline"),
        index.SearchField("logline_en"),
        index.SearchField("synopsis"),
        index.AutocompleteField("title_en"),
        index.AutocompleteField("original_title"),
        index.FilterField("graduation_year"),
        index.FilterField("price"),
        index.RelatedFields("genres", [index.SearchField("name"), index.SearchField("name_en")]),
        index.RelatedFields(
            "credits", [index.RelatedFields("person", [index.SearchField("name"), index.SearchField("name_en")])]
        ),
    ]
    # What the API shows of a film (`/api/v2/pages/<id>/`), and the card's fields among them that
    # listings show (`/api/v2/films/`). The OpenAPI schema is derived from these two lists.
    api_fields = [
        APIField("title_en"),
        APIField("graduation_year"),
        APIField("runtime_minutes"),
        APIField("price"),
        APIField("is_free", serializer=serializers.BooleanField(read_only=True)),
        APIField("catalogue_status", serializer=catalogue_status_field()),
        APIField("genres", serializer=GenreSerializer(many=True, read_only=True, source="genres.all")),
        APIField("poster", serializer=rendition(CARD_POSTER_FILTER)),
        APIField("hover_preview", serializer=HoverPreviewField()),
        APIField("directors", serializer=DirectorsField()),
        APIField("funding", serializer=FundingField()),
        APIField("rating", serializer=RatingField()),
        APIField("festivals", serializer=FestivalSerializer(many=True, read_only=True, source="festivals.all")),
        APIField("original_title"),
        APIField("logline"),
        APIField("logline_en"),
        APIField("synopsis"),
        APIField("synopsis_en"),
        APIField("directors_message"),
        APIField("release_date"),
        APIField("age_rating", serializer=age_rating_field()),
        APIField("age_rating_confirmed", serializer=age_rating_confirmed_field()),
        APIField("content_advisory"),
        APIField("advisories", serializer=AdvisoriesField()),
        APIField("poster_large", serializer=rendition(DETAIL_POSTER_FILTER, source="poster")),
        APIField("stills", serializer=StillsField()),
        APIField("credits", serializer=CreditSerializer(many=True, read_only=True, source="credits.all")),
        APIField("chapters", serializer=ChaptersField()),
    ]
    api_listing_fields = [
        *("title_en", "graduation_year", "runtime_minutes", "price", "is_free", "catalogue_status"),
        *("genres", "poster", "hover_preview", "directors", "funding", "rating", "festivals"),
    ]

    story_panels = [
        TitleFieldPanel("title"),  # keeps the slug in step with the title, as Page.content_panels does
        FieldRowPanel([FieldPanel("title_en"), FieldPanel("original_title")]),
        FieldPanel("logline"),
        FieldPanel("logline_en"),
        FieldPanel("synopsis"),
        FieldPanel("synopsis_en"),
        FieldPanel("directors_message"),
        MultiFieldPanel(
            [
                FieldPanel("genres", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel(
                    [FieldPanel("runtime_minutes"), FieldPanel("graduation_year"), FieldPanel("release_date")]
                ),
                FieldRowPanel([FieldPanel("age_rating"), FieldPanel("content_advisory")]),
            ],
            heading=_("Facts"),
        ),
    ]
    credit_panels = [
        HelpPanel(
            content=_(
                "List people in the order they should appear in the credits. Someone missing from the list? "
                "Add them under Catalogue › People first, then choose them here."
            )
        ),
        InlinePanel("credits", label=_("Credit"), heading=_("Credits")),
    ]
    festival_panels = [
        HelpPanel(
            content=_(
                "Festivals that showed or honoured the film, in the order its page should show them: each one "
                "becomes a laurel on the page and the film's card gets a laurel mark. Write the festival's name "
                "without the year or edition, the same way on every film, so the catalogue can find a "
                "festival's films."
            )
        ),
        InlinePanel("festivals", label=_("Festival"), heading=_("Festivals & awards")),
    ]
    media_panels = [FieldPanel("main_video"), FieldPanel("trailer"), FieldPanel("poster"), FieldPanel("stills")]
    # The "Rights holders" tab: who is paid what the title earns. The donations app, which owns the
    # money, fills it in when it starts (donations.apps); films knows nothing of payouts.
    rights_panels = []

    class Meta:
        verbose_name = _("film (any kind)")
        verbose_name_plural = _("films (any kind)")

    # --- presentation ---------------------------------------------------------
    @property
    def display_title(self):
        return localized(self, "title")

    @property
    def display_logline(self):
        return localized(self, "logline")

    @property
    def display_synopsis(self):
        return localized(self, "synopsis")

    @cached_property
    def rating_figures(self) -> tuple[float | None, int]:
        """(average rating to one decimal or None, number of public reviews), from `FilmRating`:
        no query when the page came through `for_cards()`, which joins it."""
        try:
            rating = self.rating
        except ObjectDoesNotExist:
            return (None, 0)
        return (rating.average, rating.count)

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def festival_honour(self) -> str | None:
        """For the card's laurel mark: "award" when a festival gave the film an award, "selection" when
        festivals only showed (or nominated, or mentioned) it, None without festivals. Reads the
        festivals `for_cards()` prefetches."""
        kinds = {festival.kind for festival in self.festivals.all()}
        if not kinds:
            return None
        return "award" if FestivalKind.AWARD in kinds else "selection"

    @property
    def is_funding(self) -> bool:
        return self.specific_class is FundingProjectPage

    @property
    def is_available(self) -> bool:
        """Whether the film itself can be watched (and so bought) now: its main video is ready."""
        return self.main_video_id is not None and self.main_video.status == VideoStatus.READY

    @property
    def hover_preview_video(self):
        """The ready video whose preview clip the film's card plays, or None.

        The trailer's, which everyone may watch; else the film's own when the film is free. A paid
        film's own pictures go only to those who may watch it, like its stream, poster frame and
        storyboard (`watching.access.may_stream_video`), and a card is the same for every visitor.
        """
        if self.is_adults_only:
            return None  # its pictures play only after the viewer's age is confirmed, and a card is for everyone
        for video, public in ((self.trailer, True), (self.main_video, self.is_free)):
            if public and video is not None and video.status == VideoStatus.READY and video.preview_key:
                return video
        return None

    @cached_property
    def advisories(self) -> list[dict]:
        """Staff-confirmed advisories of the film's own video (`videos.playback.advisories`)."""
        return advisories(self.main_video) if self.main_video_id else []

    @property
    def confirmed_age_rating(self) -> str | None:
        """The rating staff confirmed (`AgeRatingDecision`), or None before they have."""
        try:
            return self.age_rating_decision.rating
        except ObjectDoesNotExist:
            return None

    @property
    def applied_age_rating(self) -> str:
        """The rating the film is shown and gated with: the stricter of the creator's and staff's.

        A creator may always rate their film stricter than staff did, never more open; until staff
        decide, the creator's rating applies (and is shown as not yet confirmed).
        """
        return AgeRating.strictest(self.age_rating, self.confirmed_age_rating)

    @property
    def age_rating_confirmed(self) -> bool:
        """Staff confirmed the rating that applies (theirs, or the creator's stricter one they agreed to)."""
        confirmed = self.confirmed_age_rating
        return confirmed is not None and confirmed == self.applied_age_rating

    @property
    def is_adults_only(self) -> bool:
        """청소년 관람불가: the film and its trailer play only for members who confirmed their age."""
        return self.applied_age_rating == AgeRating.AGE_19

    def get_applied_age_rating_display(self) -> str:
        return AgeRating(self.applied_age_rating).label

    @property
    def is_coming_soon(self) -> bool:
        """A finished film whose video is not up yet: shown with a badge, never sold."""
        return not self.is_funding and not self.is_available

    @property
    def catalogue_status(self) -> str:
        """Exactly one of free, paid, coming soon or funding (in production), as the catalogue filters them."""
        if self.is_funding:
            return CatalogueStatus.FUNDING.value
        if not self.is_available:
            return CatalogueStatus.COMING_SOON.value
        return CatalogueStatus.FREE.value if self.is_free else CatalogueStatus.PAID.value

    @cached_property
    def ordered_credits(self):
        return list(self.credits.select_related("person").all())

    @property
    def directors(self):
        return [c.person for c in self.ordered_credits if c.role == CreditRole.DIRECTOR]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated and self.is_coming_soon:
            from .availability import is_waiting  # films.availability imports the models

            context["waiting_for_film"] = is_waiting(request.user, self)
        return context


class Credit(Orderable):
    """One line of a film's credits: a person in a role, in order."""

    page = ParentalKey(FilmBasePage, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(_("role"), max_length=20, choices=CreditRole.choices)
    character = models.CharField(
        _("character / detail"), max_length=100, blank=True, help_text=_("e.g. the character an actor plays")
    )

    panels = [FieldRowPanel([FieldPanel("person"), FieldPanel("role"), FieldPanel("character")])]

    class Meta(Orderable.Meta):
        verbose_name = _("credit")
        verbose_name_plural = _("credits")

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"


class Festival(Orderable):
    """A festival that showed or honoured a film (part of the page): a laurel on its page, a mark on its card."""

    page = ParentalKey(FilmBasePage, on_delete=models.CASCADE, related_name="festivals")
    name = models.CharField(
        _("festival"),
        max_length=120,
        help_text=_("Without the year or edition, e.g. 부산국제영화제"),
    )
    name_en = models.CharField(
        _("festival (English)"), max_length=120, blank=True, help_text=_("e.g. Busan International Film Festival")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)])
    kind = models.CharField(
        _("result"), max_length=20, choices=FestivalKind.choices, default=FestivalKind.OFFICIAL_SELECTION
    )
    award = models.CharField(
        _("award"),
        max_length=120,
        blank=True,
        help_text=_("The prize or the section, e.g. 최우수 작품상. Required for an award."),
    )
    award_en = models.CharField(_("award (English)"), max_length=120, blank=True, help_text=_("e.g. Best Film"))

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("year"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("award"), FieldPanel("award_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")

    def __str__(self):
        return f"{self.display_name} {self.year} — {self.display_award or self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.kind == FestivalKind.AWARD and not self.award.strip():
            raise ValidationError({"award": _("Name the award the film won, e.g. 최우수 작품상.")})

    @property
    def display_name(self):
        return localized(self, "name")

    @property
    def display_award(self):
        return localized(self, "award")

    @property
    def is_award(self) -> bool:
        return self.kind == FestivalKind.AWARD


class FilmPage(FilmBasePage):
    """A finished graduation film, watchable for free or for a one-off price."""

    parent_page_types = ["films.FilmIndexPage"]
    subpage_types = []
    template = "films/film_page.html"

    content_panels = FilmBasePage.story_panels
    edit_handler = TabbedInterface(
        [
            ObjectList(FilmBasePage.story_panels, heading=_("Story")),
            ObjectList(FilmBasePage.credit_panels, heading=_("Credits")),
            ObjectList(FilmBasePage.festival_panels, heading=_("Festivals")),
            ObjectList(FilmBasePage.media_panels + [FieldPanel("price")], heading=_("Media & price")),
            ObjectList(FilmBasePage.rights_panels, heading=_("Rights holders")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    base_form_class = FilmBasePageForm

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")


class FundingProjectPage(FilmBasePage):
    """A film still in production that visitors can back.

    Funding has no deadline and is not all-or-nothing: every donation reaches
    the film, and funding stays open after release. The running total lives in
    `FundingTotal`, not on the page, so that publishing a revision can
    never overwrite money that arrived meanwhile.
    """

    stage = models.CharField(
        _("production stage"),
        max_length=20,
        choices=ProductionStage.choices,
        default=ProductionStage.DEVELOPMENT,
        help_text=_("Where the production stands now. Backers see it on the project page."),
    )
    target_amount = models.PositiveBigIntegerField(
        _("target amount (KRW)"),
        null=True,
        blank=True,
        help_text=_("Optional. There is no deadline and no all-or-nothing: every donation reaches the film."),
    )
    minimum_donation = models.PositiveIntegerField(
        _("minimum donation (KRW)"),
        default=1000,
        validators=[MinValueValidator(100, message=_("The minimum donation must be at least 100 KRW."))],
        help_text=_("The smallest donation accepted. The target and every donation tier must be at least this."),
    )
    budget_breakdown = RichTextField(
        _("what the money is for"),
        blank=True,
        features=["bold", "italic", "ol", "ul"],
        help_text=_("Tell backers what their money pays for, e.g. equipment hire, locations, festival fees."),
    )

    parent_page_types = ["films.FilmIndexPage"]
    subpage_types = []
    template = "films/funding_project_page.html"
    base_form_class = FundingProjectPageForm
    api_fields = FilmBasePage.api_fields + [
        APIField("budget_breakdown"),
        APIField("tiers", serializer=TiersField()),
        APIField("updates", serializer=UpdatesField()),
    ]

    funding_panels = [
        FieldPanel("stage"),
        # The minimum comes first: the target and every tier below are checked against it.
        FieldRowPanel([FieldPanel("minimum_donation"), FieldPanel("target_amount")], heading=_("Amounts")),
        FieldPanel("budget_breakdown"),
        InlinePanel(
            "tiers",
            label=_("Donation tier"),
            heading=_("Donation tiers"),
            help_text=_("The amounts the donate button offers. Each must be at least the minimum donation."),
        ),
        InlinePanel("updates", label=_("Production update"), heading=_("Production updates")),
    ]
    content_panels = FilmBasePage.story_panels
    edit_handler = TabbedInterface(
        [
            ObjectList(FilmBasePage.story_panels, heading=_("Story")),
            ObjectList(FilmBasePage.credit_panels, heading=_("Credits")),
            ObjectList(FilmBasePage.festival_panels, heading=_("Festivals")),
            ObjectList(FilmBasePage.media_panels + [FieldPanel("price")], heading=_("Media & price")),
            ObjectList(funding_panels, heading=_("Funding")),
            ObjectList(FilmBasePage.rights_panels, heading=_("Rights holders")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("funding project")
        verbose_name_plural = _("funding projects")

    def clean(self):
        super().clean()
        if self.target_amount is not None and self.minimum_donation and self.target_amount < self.minimum_donation:
            raise ValidationError(
                {
                    "target_amount": _("The target (%(target)s KRW) is below the minimum donation (%(minimum)s KRW).")
                    % {"target": f"{self.target_amount:,}", "minimum": f"{self.minimum_donation:,}"}
                }
            )

    # --- funding figures (FundingTotal, kept up to date by the donations app) --
    @cached_property
    def funding_figures(self):
        """(total raised, backers), zero before the first donation."""
        row = FundingTotal.objects.filter(project_id=self.pk).values_list("amount", "backers").first()
        return row or (0, 0)

    @property
    def amount_raised(self) -> int:
        return self.funding_figures[0]

    @property
    def backer_count(self) -> int:
        return self.funding_figures[1]

    @property
    def progress_percent(self) -> int | None:
        """Percent of the target reached (may pass 100), or None when there is no target."""
        if not self.target_amount:
            return None
        return int(self.amount_raised * 100 / self.target_amount)

    @property
    def ordered_tiers(self):
        return sorted(self.tiers.all(), key=lambda t: (t.amount, t.sort_order or 0))

    @property
    def recent_updates(self):
        return self.updates.order_by("-date", "-pk")


class FundingTotal(models.Model):
    """A project's running total and backer count.

    Kept outside the page so that publishing a page revision can never write an
    old total back; the donations app updates it with atomic `F()` expressions when
    a donation is confirmed (and can rebuild it from the ledger).
    """

    project = models.OneToOneField(
        FundingProjectPage, on_delete=models.CASCADE, related_name="funding_total", primary_key=True
    )
    amount = models.PositiveBigIntegerField(_("amount raised (KRW)"), default=0)
    backers = models.PositiveIntegerField(_("backers"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("funding total")
        db_table = "donations_fundingtotal"  # the table it had in the donations app, kept (no rows move)

    def __str__(self):
        return f"{self.project_id}: {self.amount:,} KRW from {self.backers}"

    @classmethod
    def attach_to(cls, projects) -> list:
        """Give each project page its (raised, backers) in one query for them all, so templates and
        serializers reading `funding_figures` (a cached property of the page) do not query per page."""
        projects = list(projects)
        rows = cls.objects.filter(project_id__in=[p.pk for p in projects]).values_list(
            "project_id", "amount", "backers"
        )
        totals = {project_id: (amount, backers) for project_id, amount, backers in rows}
        for project in projects:
            project.funding_figures = totals.get(project.pk, (0, 0))
        return projects


class FilmRating(models.Model):
    """A film's review count and the sum of its ratings (1–5 stars), for its page, cards and the API.

    Kept outside the page, like `FundingTotal`, so that publishing a page revision never writes old
    figures back; the community app, which owns the reviews, recounts it whenever a review appears,
    changes or leaves public view.
    """

    film = models.OneToOneField(FilmBasePage, on_delete=models.CASCADE, related_name="rating", primary_key=True)
    count = models.PositiveIntegerField(_("reviews"), default=0)
    total = models.PositiveIntegerField(_("sum of ratings"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("film rating")

    def __str__(self):
        return f"{self.film_id}: {self.count} reviews"

    @property
    def average(self) -> float | None:
        """The mean rating to one decimal (half up), None without reviews."""
        if not self.count:
            return None
        tenths = (self.total * 20 + self.count) // (2 * self.count)  # round(10 * total / count), half up
        return tenths / 10


class DonationTier(Orderable):
    """An amount the donate button offers on a funding project, with an optional reward (part of the page)."""

    project = ParentalKey("films.FundingProjectPage", on_delete=models.CASCADE, related_name="tiers")
    amount = models.PositiveIntegerField(
        _("amount (KRW)"),
        validators=[MinValueValidator(100)],
        help_text=_("At least the project's minimum donation."),
    )
    title = models.CharField(_("title"), max_length=80, help_text=_("e.g. A coffee for the crew"))
    reward = models.TextField(_("reward"), blank=True, help_text=_("What the backer gets, if anything."))
    ships = models.BooleanField(
        _("sent by post"),
        default=False,
        help_text=_("Tick it when the reward is something you post: backers then give a shipping address."),
    )

    panels = [FieldRowPanel([FieldPanel("amount"), FieldPanel("title")]), FieldPanel("reward"), FieldPanel("ships")]

    class Meta(Orderable.Meta):
        db_table = "donations_donationtier"  # the table it had in the donations app, kept (no rows move)
        verbose_name = _("donation tier")
        verbose_name_plural = _("donation tiers")

    def __str__(self):
        return f"{self.title} ({self.amount:,} KRW)"


class ProductionUpdate(Orderable):
    """A dated note from the set: what happened, what the money did."""

    page = ParentalKey(FundingProjectPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    body = RichTextField(_("text"), features=["bold", "italic", "link", "ol", "ul", "image"])
    body_en = RichTextField(_("text (English)"), blank=True, features=["bold", "italic", "link", "ol", "ul", "image"])

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("title"), FieldPanel("title_en")]),
        FieldPanel("body"),
        FieldPanel("body_en"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("production update")
        verbose_name_plural = _("production updates")


class FilmIndexPage(PagePermissionsMixin, Page):
    """The catalogue: every live film and funding project, filterable and paginated."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    intro_en = RichTextField(_("introduction (English)"), blank=True, features=["bold", "italic", "link"])
    films_per_page = models.PositiveSmallIntegerField(
        _("films per page"), default=24, validators=[MinValueValidator(6), MaxValueValidator(96)]
    )

    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
        FieldPanel("films_per_page"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["films.FilmPage", "films.FundingProjectPage"]
    max_count = 1
    template = "films/film_index_page.html"
    api_fields = [APIField("intro")]
    # The GET parameters the catalogue reads (catalogue.CatalogueFilterForm and the page number):
    # the page cache keys the catalogue on these and ignores any other.
    cache_query_params = ("genre", "year", "status", "festival", "festival_name", "sort", "q", "page")

    class Meta:
        verbose_name = _("film catalogue")

    @property
    def display_title(self):
        return localized(self, "title")

    def get_context(self, request, *args, **kwargs):
        from .catalogue import catalogue_page  # films.catalogue imports the models

        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template renders the listing once per publish, language and query for everyone
        # (`{% fragment %}`), so most renders never run the catalogue's queries.
        context["listing"] = SimpleLazyObject(lambda: catalogue_page(self, request.GET))
        return context


class CollectionPage(PagePermissionsMixin, Page):
    """A staff-curated, ordered list of films, e.g. "2024 Graduation Showcase"."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    intro_en = RichTextField(_("introduction (English)"), blank=True, features=["bold", "italic", "link"])
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
        FieldPanel("cover"),
        InlinePanel("items", label=_("Film"), heading=_("Films in this collection"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("title_en"),
        index.SearchField("intro"),
        index.SearchField("intro_en"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("cover", serializer=rendition(COVER_FILTER)),
        APIField("films", serializer=CollectionFilmsField()),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    template = "films/collection_page.html"

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    @property
    def display_title(self):
        return localized(self, "title")

    def films(self):
        """The collection's live films, in the curator's order."""
        ids = list(self.items.order_by("sort_order").values_list("film_id", flat=True))
        by_id = {f.pk: f for f in FilmBasePage.objects.live().public().filter(pk__in=ids).for_cards()}
        return [by_id[i] for i in ids if i in by_id]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["films"] = self.films()
        return context


class CollectionItem(Orderable):
    page = ParentalKey(CollectionPage, on_delete=models.CASCADE, related_name="items")
    film = models.ForeignKey(FilmBasePage, verbose_name=_("film"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("film")]

    class Meta(Orderable.Meta):
        verbose_name = _("collection item")


class AvailabilityNotice(models.Model):
    """A member asked to hear when a coming-soon film can be watched; e-mailed once, then kept as a record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="availability_notices",
    )
    film = models.ForeignKey(
        FilmBasePage, verbose_name=_("film"), on_delete=models.CASCADE, related_name="availability_notices"
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("availability notice")
        verbose_name_plural = _("availability notices")
        constraints = [models.UniqueConstraint(fields=["user", "film"], name="one_availability_notice_per_member")]

    def __str__(self):
        return f"{self.user} ← {self.film}"


class AgeRatingDecision(models.Model):
    """Staff's confirmation of a film's age rating (`films.ratings.decide`).

    Kept beside the page, not in it: a page's fields are restored from its revisions on publish,
    and a creator's draft written before the decision must not undo it.
    """

    film = models.OneToOneField(
        FilmBasePage, verbose_name=_("film"), on_delete=models.CASCADE, related_name="age_rating_decision"
    )
    rating = models.CharField(_("confirmed rating"), max_length=8, choices=AgeRating.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        verbose_name = _("age rating decision")
        verbose_name_plural = _("age rating decisions")

    def __str__(self):
        return f"{self.film}: {self.get_rating_display()}"
