"""What pages get: the member's home rows, more like this, the director's other films, what next."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from films.tests.factories import GenreFactory, ImageFactory, PersonFactory
from members.tests.factories import UserFactory
from recommendations.models import PickedGenre
from recommendations.recompute import recompute_all
from recommendations.rows import Rows, more_like_this, next_film, other_films_by_director, rows_for
from recommendations.tests.factories import bought, viewed, watchable_film, watched

pytestmark = pytest.mark.django_db


def keys(rows):
    return [row.key for row in rows]


def ids(films) -> list[int]:
    """Cards are FilmBasePage objects, factories make FilmPages: compare them by id."""
    return [film.pk for film in films]


class Site:
    """A member who finished one film and is halfway through another; others who watched more."""

    def __init__(self, films: int = 4):
        self.genre = GenreFactory()
        self.member = UserFactory()
        self.finished = watchable_film(genres=[self.genre], poster=ImageFactory())
        self.halfway = watchable_film(genres=[self.genre], poster=ImageFactory())
        self.others = []
        watched(self.member, self.finished)
        watched(self.member, self.halfway, share=0.5)
        self.grow_to(films)

    def grow_to(self, count: int) -> None:
        while len(self.others) < count:
            film = watchable_film(genres=[self.genre, GenreFactory()], poster=ImageFactory())
            self.others.append(film)
            fan = UserFactory()
            for seen in (self.finished, film):
                watched(fan, seen)
            viewed(film, f"anonymous-{film.pk}")
        recompute_all()


@pytest.fixture
def site():
    return Site()


def test_a_members_rows_continue_watching_because_for_you_and_popular(site):
    """The film half watched, with where to resume; films watched with the finished one, because of it."""
    with translation.override("en"):
        rows = {row.key: row for row in rows_for(site.member)}
    continuing = rows[Rows.CONTINUE_WATCHING]
    assert ids(continuing.films) == [site.halfway.pk]
    assert (
        continuing.films[0].resume.percent == 50 and continuing.films[0].resume.video_id == site.halfway.main_video_id
    )
    because = rows[Rows.BECAUSE_WATCHED]
    assert because.reason_film.pk == site.finished.pk
    assert because.title == f"Because you watched {site.finished.title_en}"
    assert set(ids(because.films)) == set(ids(site.others))
    assert set(ids(rows[Rows.POPULAR_THIS_WEEK].films)) == set(ids(site.others))


def test_rows_never_offer_what_the_member_has_bought_or_finished_since_the_recompute(site):
    """A film bought a minute ago leaves every row at once, without waiting for the next recompute."""
    bought(site.member, site.others[0])
    watched(site.member, site.others[1])
    for row in rows_for(site.member):
        assert not {site.others[0].pk, site.others[1].pk} & set(ids(row.films)), row.key


def test_a_visitor_gets_only_popular_this_week(site):
    """No member, nothing personal: the week's most watched films."""
    assert keys(rows_for(AnonymousUser())) == [Rows.POPULAR_THIS_WEEK]


def test_new_genres_show_at_once_before_any_recompute():
    """A member who just picked genres gets the newest films in them, newest first, from the next page view."""
    drama, comedy = GenreFactory(), GenreFactory()
    old, new = watchable_film(genres=[drama]), watchable_film(genres=[comedy])
    watchable_film(genres=[GenreFactory()])
    member = UserFactory()
    PickedGenre.objects.create(user=member, genre=drama)
    PickedGenre.objects.create(user=member, genre=comedy)
    [row] = rows_for(member)
    assert row.key == Rows.NEW_IN_GENRES and ids(row.films) == [new.pk, old.pk]


def test_rows_for_runs_a_fixed_number_of_queries_whatever_the_catalogue(site):
    """At most eleven queries, the same with four films and with twelve (cards, genres, festivals, posters included)."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = rows_for(site.member)
            for row in rows:
                for film in row.films:
                    list(film.genres.all())
                    film.poster.get_rendition("fill-360x540|format-webp") if film.poster else None
        return len(queries), sum(len(row.films) for row in rows)

    count()  # renditions made once
    few, shown_few = count()
    site.grow_to(12)
    count()
    many, shown_many = count()
    assert shown_many > shown_few
    assert few == many <= 11


def test_more_like_this_is_the_similar_films_then_the_same_genre():
    """Neighbours first, in order; topped up with the newest films sharing a genre; never the film itself."""
    genre = GenreFactory()
    film, neighbour, same_genre = (watchable_film(genres=[genre]) for _ in range(3))
    unrelated = watchable_film(genres=[GenreFactory()])
    fan = UserFactory()
    watched(fan, film)
    watched(fan, neighbour)
    recompute_all()
    assert ids(more_like_this(film)) == [neighbour.pk, same_genre.pk]
    assert unrelated.pk not in ids(more_like_this(film))


def test_other_films_by_the_director_are_the_ones_they_directed():
    """Films the director directed, not the ones they acted in, never the film itself."""
    director = PersonFactory()
    film = watchable_film(credits=[(director, "director")])
    other = watchable_film(credits=[(director, "director")], graduation_year=2025)
    older = watchable_film(credits=[(director, "director"), (PersonFactory(), "director")], graduation_year=2020)
    watchable_film(credits=[(director, "actor")])
    assert ids(other_films_by_director(film)) == [other.pk, older.pk]


def test_next_film_is_the_most_similar_one_the_member_has_not_seen(site):
    """At the end of a film: its nearest film not bought or finished; a visitor gets the nearest one."""
    assert next_film(site.member, site.finished).pk in ids(site.others)
    bought(site.member, site.others[0])
    for film in site.others[1:3]:
        watched(site.member, film)
    assert next_film(site.member, site.finished).pk == site.others[3].pk
    assert next_film(AnonymousUser(), site.finished).pk in ids(site.others)


def test_next_film_falls_back_to_this_weeks_most_popular():
    """A film nobody else watched: the week's most watched film instead."""
    lonely, popular = watchable_film(), watchable_film()
    viewed(popular, "anonymous-1")
    recompute_all()
    assert next_film(UserFactory(), lonely).pk == popular.pk
