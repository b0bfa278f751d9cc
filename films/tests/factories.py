"""Test data for the catalogue: people, genres and the page tree (members come from
`members.tests.factories`).

Pages are created under the site's film catalogue (made by migration
`home.0002_create_site_tree`), so every factory-built film is reachable at a
real URL. `FilmPageFactory(genres=[...], credits=[...])` fills relations after
the page exists.
"""

import factory
import wagtail_factories
from wagtail.images import get_image_model
from wagtail.models import Collection

from films.models import (
    CollectionItem,
    CollectionPage,
    Credit,
    DonationTier,
    FilmIndexPage,
    FilmPage,
    FundingProjectPage,
    FundingTotal,
    Genre,
    Person,
    ProductionUpdate,
)
from home.models import HomePage


def home_page() -> HomePage:
    return HomePage.objects.order_by("path").first()


def film_index() -> FilmIndexPage:
    return FilmIndexPage.objects.order_by("path").first()


class GenreFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"장르 {n}")
    name_en = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")

    class Meta:
        model = Genre


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"김감독{n}")
    name_en = factory.Sequence(lambda n: f"Director Kim {n}")

    class Meta:
        model = Person


class ImageFactory(wagtail_factories.ImageFactory):
    # The site's root collection, where Staff and Creators hold their permissions
    # (wagtail-factories would make a second root that only superusers can see).
    collection = factory.LazyFunction(Collection.get_first_root_node)
    uploaded_by_user = None

    class Meta:
        model = get_image_model()


class _FilmBaseFactory(wagtail_factories.PageFactory):
    """Shared by finished films and funding projects; parent defaults to the catalogue."""

    title = factory.Sequence(lambda n: f"졸업작품 {n}")
    # English pages show title_en: a test that names its film in English gets that name in both languages.
    title_en = factory.LazyAttributeSequence(lambda o, n: o.title if o.title.isascii() else f"Graduation Film {n}")
    logline = "한 문장으로 말하는 영화."
    logline_en = "A film in one sentence."
    graduation_year = 2024
    runtime_minutes = 20
    price = 0
    parent = factory.LazyFunction(film_index)

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def genres(self, create, genres, **kwargs):
        if create and genres:
            self.genres.set(genres)
            self.save_revision().publish() if self.live else self.save()

    @factory.post_generation
    def credits(self, create, credits, **kwargs):
        """`credits=[(person, "director"), ...]`."""
        if create and credits:
            for order, (person, role) in enumerate(credits):
                Credit.objects.create(page=self, person=person, role=role, sort_order=order)
            # The search index holds credited names; refresh it as a publish would.
            from wagtail.search.index import insert_or_update_object

            insert_or_update_object(self)


class FilmPageFactory(_FilmBaseFactory):
    class Meta:
        model = FilmPage


class FundingProjectPageFactory(_FilmBaseFactory):
    target_amount = 5_000_000
    minimum_donation = 1000

    class Meta:
        model = FundingProjectPage

    @factory.post_generation
    def raised(self, create, raised, **kwargs):
        """`raised=(amount, backers)` sets the running total."""
        if create and raised:
            amount, backers = raised
            FundingTotal.objects.update_or_create(project=self, defaults={"amount": amount, "backers": backers})


class DonationTierFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(FundingProjectPageFactory)
    amount = 10_000
    title = "응원 한 잔"

    class Meta:
        model = DonationTier


class ProductionUpdateFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(FundingProjectPageFactory)
    title = "촬영 시작"
    body = "<p>첫 촬영을 마쳤습니다.</p>"

    class Meta:
        model = ProductionUpdate


class CollectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"컬렉션 {n}")
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = CollectionPage
        skip_postgeneration_save = True

    @factory.post_generation
    def films(self, create, films, **kwargs):
        if create and films:
            for order, film in enumerate(films):
                CollectionItem.objects.create(page=self, film=film, sort_order=order)
