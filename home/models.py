from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page

from films.page_permissions import PagePermissionsMixin

from .api import HomeSectionsField
from .blocks import HomeSectionsBlock


class HomePage(PagePermissionsMixin, Page):
    """The site root: sections that staff arrange (hero, film rows, funding spotlight, text)."""

    body = StreamField(HomeSectionsBlock(), verbose_name=_("sections"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    api_fields = [APIField("body", serializer=HomeSectionsField())]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["films.FilmIndexPage", "films.CollectionPage", "legal.LegalPage"]
    max_count = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")
