"""Money around funding projects. Orders, providers and the ledger arrive with
the payments work; this holds what project pages already show."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class DonationTier(Orderable):
    """An amount the donate button offers on a project, with an optional reward."""

    project = ParentalKey("films.FundingProjectPage", on_delete=models.CASCADE, related_name="tiers")
    amount = models.PositiveIntegerField(
        _("amount (KRW)"),
        validators=[MinValueValidator(100)],
        help_text=_("At least the project's minimum donation."),
    )
    title = models.CharField(_("title"), max_length=80, help_text=_("e.g. 응원 한 잔 / A coffee for the crew"))
    reward = models.TextField(_("reward"), blank=True, help_text=_("What the backer gets, if anything."))

    panels = [FieldRowPanel([FieldPanel("amount"), FieldPanel("title")]), FieldPanel("reward")]

    class Meta(Orderable.Meta):
        verbose_name = _("donation tier")
        verbose_name_plural = _("donation tiers")

    def __str__(self):
        return f"{self.title} ({self.amount:,} KRW)"


class FundingTotal(models.Model):
    """A project's running total and backer count.

    Kept outside the page so that publishing a page revision can never write an
    old total back; updated with atomic `F()` expressions when a donation is
    confirmed, and rebuildable from the ledger.
    """

    project = models.OneToOneField(
        "films.FundingProjectPage", on_delete=models.CASCADE, related_name="funding_total", primary_key=True
    )
    amount = models.PositiveBigIntegerField(_("amount raised (KRW)"), default=0)
    backers = models.PositiveIntegerField(_("backers"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("funding total")

    def __str__(self):
        return f"{self.project_id}: {self.amount:,} KRW from {self.backers}"
