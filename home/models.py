"""The site root and the department's notices.

Page tree::

    HomePage
    └── NoticeIndexPage  the notice board, one per site (staff add it once; the demo has one)
        └── NoticePage   a dated notice; `banner_until` pins it to the top of the home page

Only Staff add and edit notices: creators hold "add" on the film catalogue alone
(`members.roles`), and neither the catalogue nor any page under it takes a notice.
"""

from __future__ import annotations

import html
import re

from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from films.models import localized
from films.page_permissions import PagePermissionsMixin
from page_cache.routes import CachedRoutesMixin

from .api_fields import HomeSectionsField
from .blocks import HomeSectionsBlock

NOTICE_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]
BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|ol|ul|blockquote|br)\b[^>]*>", re.IGNORECASE)


class HomePage(CachedRoutesMixin, PagePermissionsMixin, Page):
    """The site root: sections that staff arrange (hero, film rows, funding spotlight, text). Routes
    below it are remembered once per generation (`page_cache.routes`)."""

    body = StreamField(HomeSectionsBlock(), verbose_name=_("sections"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    api_fields = [APIField("body", serializer=HomeSectionsField())]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["films.FilmIndexPage", "films.CollectionPage", "legal.LegalPage", "home.NoticeIndexPage"]
    max_count = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .notices import home_notices  # home.notices reads NoticePage, defined below

        context = super().get_context(request, *args, **kwargs)
        context["notices"] = home_notices(request)
        return context


class NoticeIndexPage(RoutablePageMixin, PagePermissionsMixin, Page):
    """The department's notices, newest first, with their Atom feed at `feed/`."""

    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    intro_en = RichTextField(_("introduction (English)"), blank=True, features=["bold", "italic", "link"])
    notices_per_page = models.PositiveSmallIntegerField(
        _("notices per page"), default=10, validators=[MinValueValidator(5), MaxValueValidator(50)]
    )

    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
        FieldPanel("notices_per_page"),
    ]
    api_fields = [APIField("title_en"), APIField("intro"), APIField("intro_en")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NoticePage"]
    max_count = 1
    template = "home/notice_index_page.html"
    # The page cache keys the listing on its page number and ignores any other parameter.
    cache_query_params = ("page",)

    class Meta:
        verbose_name = _("notice board")
        verbose_name_plural = _("notice boards")

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_intro(self) -> str:
        return localized(self, "intro")

    def notices(self):
        """The live, public notices under this board, newest first."""
        return NoticePage.objects.child_of(self).live().public().newest_first()

    @property
    def feed_url(self) -> str:
        return self.url + self.reverse_subpage("feed")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.notices(), self.notices_per_page)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(page_obj=page_obj, notices=page_obj.object_list)
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import NoticesFeed  # it imports these models

        return NoticesFeed(self)(request)


class NoticeQuerySet(PageQuerySet):
    def newest_first(self):
        """By the notice's date, then the latest published first (several notices on one day)."""
        return self.order_by("-date", models.F("first_published_at").desc(nulls_last=True), "-pk")

    def pinned(self, now=None):
        """The notices whose banner is up at `now` (default: now)."""
        return self.filter(banner_until__gt=now or timezone.now())


NoticeManager = PageManager.from_queryset(NoticeQuerySet)


class NoticePage(PagePermissionsMixin, Page):
    """A dated notice from the department: a text in Korean and English, optionally pinned to the top of the
    home page (`banner_until`)."""

    title_en = models.CharField(
        _("English title"), max_length=255, blank=True, help_text=_("Shown to visitors who read the site in English.")
    )
    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        db_index=True,
        help_text=_("The date the notice is dated (newest first)."),
    )
    body = RichTextField(_("text (Korean)"), features=NOTICE_FEATURES)
    body_en = RichTextField(_("text (English)"), blank=True, features=NOTICE_FEATURES)
    banner_until = models.DateTimeField(
        _("pinned on the home page until"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Optional. Until then the notice shows as a banner at the top of the home page (the newest pinned "
            "notice, if there are several). Leave blank for a notice that is only listed."
        ),
    )

    objects = NoticeManager()

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("banner_until")]),
        MultiFieldPanel([FieldPanel("body"), FieldPanel("body_en")], heading=_("Text")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("title_en"),
        index.SearchField("body"),
        index.SearchField("body_en"),
        index.FilterField("date"),
    ]
    api_fields = [
        APIField("title_en"),
        APIField("date"),
        APIField("body"),
        APIField("body_en"),
        APIField("banner_until"),
        APIField(
            "banner",
            serializer=serializers.BooleanField(
                source="is_banner", read_only=True, help_text="Pinned to the top of the home page now."
            ),
        ),
    ]
    parent_page_types = ["home.NoticeIndexPage"]
    subpage_types = []
    template = "home/notice_page.html"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_body(self) -> str:
        return localized(self, "body")

    @property
    def display_excerpt(self) -> str:
        """The start of the text in the reader's language, as plain text (lists, meta description)."""
        spaced = BLOCK_TAG.sub(" ", self.display_body or "")  # paragraphs apart, inline tags (b, a) not
        text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", spaced)).split())
        return Truncator(text).chars(160)

    @cached_property
    def board(self) -> NoticeIndexPage | None:
        """The notice board this notice is on."""
        return NoticeIndexPage.objects.parent_of(self).first()

    @property
    def is_banner(self) -> bool:
        """Pinned to the top of the home page now."""
        return self.banner_until is not None and self.banner_until > timezone.now()
