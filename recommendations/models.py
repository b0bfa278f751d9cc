"""What members said they like, and the tables the recompute task writes for pages to read.

Nothing here is computed while a page is served: `recompute.py` rewrites `Recommendation`,
`SimilarFilm` and `FilmPopularity` from what members watched, bought and backed (a periodic task),
and `rows.py` only reads them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PickedGenre(models.Model):
    """A genre a member said they like: on the onboarding page after sign-up, later from my page, or
    through `PUT /api/v2/me/genres/`. The starting point of a new member's recommendations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="picked_genres"
    )
    genre = models.ForeignKey("films.Genre", verbose_name=_("genre"), on_delete=models.CASCADE, related_name="+")
    picked_at = models.DateTimeField(_("picked"), auto_now_add=True)

    class Meta:
        verbose_name = _("picked genre")
        verbose_name_plural = _("picked genres")
        constraints = [models.UniqueConstraint(fields=["user", "genre"], name="one_pick_per_member_genre")]

    def __str__(self):
        return f"{self.user_id} ♥ {self.genre_id}"


class Reason(models.TextChoices):
    """Why a film is recommended: what the member watched, their genres, or what is popular."""

    WATCHED = "watched", _("Because you watched")
    GENRE = "genre", _("In your genres")
    POPULAR = "popular", _("Popular")


class Recommendation(models.Model):
    """One film for one member, ranked, with its reason. Rewritten for every member by the recompute
    task; the member's rows on the home page and in the API are read from here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    film = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()  # 1 is the best
    score = models.FloatField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    because_film = models.ForeignKey(
        "films.FilmBasePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    because_genre = models.ForeignKey("films.Genre", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "film"], name="one_recommendation_per_member_film")]
        indexes = [models.Index(fields=["user", "rank"])]

    def __str__(self):
        return f"{self.user_id}: #{self.rank} {self.film_id} ({self.reason})"


class SimilarFilm(models.Model):
    """`other` is among `film`'s nearest neighbours: the same members watched, bought or backed both
    (cosine of their members, damped for popularity; `engine.similar_films`). "More like this"."""

    film = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()  # 1 is the most similar
    score = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["film", "other"], name="one_similarity_per_film_pair")]
        indexes = [models.Index(fields=["film", "rank"])]

    def __str__(self):
        return f"{self.film_id} ~ {self.other_id} ({self.score:.3f})"


class FilmPopularity(models.Model):
    """How much a film was watched, finished, bought and backed in one week.

    `week` is the Monday the week starts on. The current week's row counts the seven days up to the
    last recompute and is rewritten by each one, so when the week is over it holds that week.
    """

    film = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    # Viewers (members and anonymous) who watched at least half of the film, once per viewer and day.
    views = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    purchases = models.PositiveIntegerField(default=0)
    donations = models.PositiveIntegerField(default=0)
    score = models.FloatField(default=0)

    class Meta:
        verbose_name_plural = "film popularities"
        constraints = [models.UniqueConstraint(fields=["film", "week"], name="one_popularity_per_film_week")]
        indexes = [models.Index(fields=["week", "score"])]

    def __str__(self):
        return f"{self.film_id} in the week of {self.week}: {self.score:g}"
