from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    WRITER = "writer", _("Writer")
    LEAD_ACTOR = "lead_actor", _("Lead actor")
    ACTOR = "actor", _("Actor")
    CINEMATOGRAPHER = "cinematographer", _("Cinematographer")
    EDITOR = "editor", _("Editor")
    COMPOSER = "composer", _("Composer")
    PRODUCER = "producer", _("Producer")
    OTHER = "other", _("Other")


class ProductionStage(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    PRE_PRODUCTION = "pre_production", _("Pre-production")
    SHOOTING = "shooting", _("Shooting")
    POST_PRODUCTION = "post_production", _("Post-production")
    COMPLETED = "completed", _("Completed")


class AgeRating(models.TextChoices):
    """Korea Media Rating Board classes."""

    ALL = "all", _("All ages")
    AGE_12 = "12", _("12+")
    AGE_15 = "15", _("15+")
    AGE_19 = "19", _("19+ (adults only)")

    @classmethod
    def strictest(cls, *ratings: str | None) -> str:
        """The strictest of the ratings given (None and "" are skipped); all ages when none is.

        The classes are declared from the most open to the strictest, so their order is the rank.
        """
        order = list(cls.values)
        ranks = [order.index(rating) for rating in ratings if rating]
        return order[max(ranks)] if ranks else cls.ALL.value


class CatalogueStatus(models.TextChoices):
    """The catalogue's status filter.

    Free, paid, in production and coming soon never overlap: free and paid are finished films one
    can watch now, coming soon is a finished film whose video is not ready yet, and a film in
    production is a funding project whatever its price. "Finished" is free, paid and coming soon.
    """

    FINISHED = "finished", _("Finished")
    FUNDING = "funding", _("In production (funding)")
    FREE = "free", _("Free")
    PAID = "paid", _("Paid")
    COMING_SOON = "coming_soon", _("Coming soon")


class CatalogueSort(models.TextChoices):
    NEWEST = "newest", _("Newest")
    TITLE = "title", _("Title")


class FestivalKind(models.TextChoices):
    """What a film got at a festival, from the highest honour down."""

    AWARD = "award", _("Award winner")
    SPECIAL_MENTION = "special_mention", _("Special mention")
    NOMINEE = "nominee", _("Nominee")
    OFFICIAL_SELECTION = "official_selection", _("Official selection")


class FestivalFilter(models.TextChoices):
    """The catalogue's festival filter: films that won an award, or that any festival showed."""

    AWARDED = "awarded", _("Award winners")
    SELECTED = "selected", _("Shown at festivals")
