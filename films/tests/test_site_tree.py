import pytest
from wagtail.models import Site

from films.models import FilmIndexPage, Genre
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_migrations_create_home_and_catalogue():
    """A fresh database has the home page as the default site's root and the catalogue under it."""
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    index = FilmIndexPage.objects.get()
    assert index.get_parent().pk == site.root_page.pk
    assert index.live


def test_the_twelve_genres_are_seeded():
    """The genre snippet starts with the department's twelve genres, in order."""
    assert list(Genre.objects.values_list("name_en", flat=True)) == [
        "Action",
        "Comedy",
        "Drama",
        "SF",
        "Romance",
        "Thriller",
        "Horror",
        "Animation",
        "Crime",
        "Fantasy",
        "Adventure",
        "Etc.",
    ]
