"""The terms of service and the privacy policy: pages staff edit, members agree to at sign-up."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from films.models import localized
from films.page_permissions import PagePermissionsMixin


class LegalPage(PagePermissionsMixin, Page):
    """The terms of service or the privacy policy, under the home page (one of each).

    Sign-up links to both and records the `version` the member agreed to, so staff change the
    version whenever the text changes in substance.
    """

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        PRIVACY = "privacy", _("Privacy policy")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, unique=True)
    version = models.CharField(
        _("version"),
        max_length=20,
        help_text=_("e.g. 2026-12-01. Change it when the text changes in substance: members' consent records it."),
    )
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    body = RichTextField(_("text (Korean)"))
    body_en = RichTextField(_("text (English)"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("version")]),
        FieldPanel("body"),
        FieldPanel("body_en"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 2
    template = "legal/legal_page.html"

    class Meta:
        verbose_name = _("terms or privacy page")
        verbose_name_plural = _("terms and privacy pages")

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_body(self) -> str:
        return localized(self, "body")


def current(kind: str) -> LegalPage | None:
    """The live page of this kind, the one sign-up links to and records the version of."""
    return LegalPage.objects.live().filter(kind=kind).first()
