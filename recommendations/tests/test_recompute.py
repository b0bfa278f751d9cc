"""The recompute reads what members did on the site and rewrites the tables pages read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from films.tests.factories import FundingProjectPageFactory, GenreFactory
from members.tests.factories import UserFactory
from recommendations import activity
from recommendations.models import FilmPopularity, PickedGenre, Reason, Recommendation, SimilarFilm
from recommendations.recompute import recompute_all, week_of
from recommendations.tests.factories import backed, bought, viewed, watchable_film, watched

pytestmark = pytest.mark.django_db


def recommended_to(user) -> list[int]:
    return list(Recommendation.objects.filter(user=user).order_by("rank").values_list("film_id", flat=True))


def test_films_watched_together_become_similar_films():
    """Three members finished A and B, one A and C: B is A's most similar film."""
    a, b, c = watchable_film(), watchable_film(), watchable_film()
    for _ in range(3):
        member = UserFactory()
        watched(member, a)
        watched(member, b)
    member = UserFactory()
    watched(member, a)
    watched(member, c)
    recompute_all()
    neighbours = list(SimilarFilm.objects.filter(film=a).order_by("rank").values_list("other_id", flat=True))
    assert neighbours == [b.pk, c.pk]


def test_a_film_watched_less_than_half_is_no_signal():
    """Starting a film is not a view: it makes no neighbour (and it is "continue watching", not a recommendation)."""
    a, b = watchable_film(), watchable_film()
    for _ in range(3):
        member = UserFactory()
        watched(member, a)
        watched(member, b, share=0.3)
    recompute_all()
    assert not SimilarFilm.objects.filter(film=a).exists()


def test_purchases_views_and_donations_are_signals_too():
    """Bought A and viewed B (half, on a day), or backed project P and finished A: all make pairs."""
    a, b = watchable_film(price=3000), watchable_film()
    project = FundingProjectPageFactory()
    buyer, backer = UserFactory(), UserFactory()
    bought(buyer, a)
    viewed(b, f"u{buyer.pk}", user=buyer, share=0.6)
    backed(backer, project)
    watched(backer, a)
    log = activity.read_viewing_log()
    assert set(log.histories[buyer.pk]) == {a.pk, b.pk}
    assert set(log.histories[backer.pk]) == {project.pk, a.pk}
    assert a.pk in log.excluded[buyer.pk]
    assert project.pk not in log.recommendable  # backed, so a signal; never itself a recommendation


def test_owned_and_finished_films_are_not_recommended():
    """A member who bought one neighbour and finished another gets only the third."""
    seen, owned, finished, fresh = (watchable_film() for _ in range(4))
    for _ in range(3):
        other = UserFactory()
        for film in (seen, owned, finished, fresh):
            watched(other, film)
    member = UserFactory()
    watched(member, seen, share=0.6)
    watched(member, finished)
    bought(member, owned)
    recompute_all()
    assert recommended_to(member) == [fresh.pk]
    row = Recommendation.objects.get(user=member)
    assert row.reason == Reason.WATCHED and row.because_film_id in {seen.pk, finished.pk}


def test_a_new_member_who_picked_three_genres_gets_them_first():
    """Cold start: twelve films in the picked genres and some popular ones elsewhere: the first ten are in them."""
    picked = [GenreFactory() for _ in range(3)]
    elsewhere = GenreFactory()
    in_genres = [watchable_film(genres=[picked[n % 3]]) for n in range(12)]
    popular = [watchable_film(genres=[elsewhere]) for _ in range(4)]
    for film in popular:
        for _ in range(3):
            watched(UserFactory(), film)
    newcomer = UserFactory()
    PickedGenre.objects.bulk_create([PickedGenre(user=newcomer, genre=genre) for genre in picked])
    recompute_all()
    first_ten = recommended_to(newcomer)[:10]
    assert len(first_ten) == 10 and set(first_ten) <= {film.pk for film in in_genres}
    assert set(Recommendation.objects.filter(user=newcomer, rank__lte=10).values_list("reason", flat=True)) == {
        Reason.GENRE
    }


def test_this_weeks_popularity_counts_half_views_completions_purchases_and_donations():
    """Views of at least half (anonymous ones too), completions, purchases and donations of the last seven days."""
    film, project = watchable_film(price=1000), FundingProjectPageFactory()
    member = UserFactory()
    viewed(film, "anonymous-1")
    viewed(film, "anonymous-2", share=0.4)  # less than half: no view
    viewed(film, "anonymous-3", day=timezone.localdate() - timedelta(days=8))  # before the week
    watched(member, film)
    bought(member, film)
    backed(member, project)
    recompute_all()
    row = FilmPopularity.objects.get(film=film)
    assert (row.views, row.completions, row.purchases, row.week) == (1, 1, 1, week_of(timezone.localdate()))
    assert row.score == 1 + 2 + 3
    assert FilmPopularity.objects.get(film=project).donations == 1


def test_a_second_recompute_replaces_the_tables_and_drops_members_with_nothing_left():
    """Rows are rewritten, not added to; a member whose only signal went away has no rows any more."""
    a, b = watchable_film(), watchable_film()
    member = UserFactory()
    progress = watched(member, a)
    other = UserFactory()
    watched(other, a)
    watched(other, b)
    recompute_all()
    assert recommended_to(member) == [b.pk]
    recompute_all()
    assert Recommendation.objects.filter(user=member).count() == 1
    progress.delete()
    recompute_all()
    assert recommended_to(member) == []
