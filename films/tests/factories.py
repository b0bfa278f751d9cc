"""Test data for the catalogue: users, people, genres and the page tree.

Pages are created under the site's film catalogue (made by migration
`home.0002_create_site_tree`), so every factory-built film is reachable at a
real URL. `FilmPageFactory(genres=[...], credits=[...])` fills relations after
the page exists.
"""

from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.models import Collection

from donations.models import RightsHolder
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
from members.models import PayoutAccount


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("password")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        """`UserFactory(groups=["Creators"])` puts the user in those (existing) groups."""
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))

    @factory.post_generation
    def verified_email(self, create, verified, **kwargs):
        """Members have confirmed their address (allauth); `UserFactory(verified_email=False)` has not."""
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": verified is not False, "primary": True}
            )


def _in_group(name):
    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create:
            self.groups.add(*Group.objects.filter(name__in=names or [name]))

    return groups


class StaffUserFactory(UserFactory):
    is_staff = False  # Wagtail admin access comes from the group, not Django's is_staff
    groups = _in_group("Staff")


class CreatorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"creator{n}@dongguk.edu")
    groups = _in_group("Creators")


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


class PayoutAccountFactory(factory.django.DjangoModelFactory):
    """`PayoutAccountFactory(user=member, number="110123456789")`: the number is encrypted like the real form does."""

    user = factory.SubFactory(UserFactory)
    bank = "국민은행"
    holder = factory.LazyAttribute(lambda account: account.user.display_name or "예금주")

    class Meta:
        model = PayoutAccount
        skip_postgeneration_save = True

    @factory.post_generation
    def number(self, create, number, **kwargs):
        self.set_number(number or "110123456789")
        if create:
            self.save()


class RightsHolderFactory(factory.django.DjangoModelFactory):
    """A member's share of a film (`member=...`) or a person's (`member=None, person=...`)."""

    page = factory.SubFactory(FilmPageFactory)
    member = factory.SubFactory(UserFactory)
    person = None
    share = Decimal("100")
    role = ""
    sort_order = factory.Sequence(int)

    class Meta:
        model = RightsHolder


def paid_donation(project, member=None, amount: int = 5000, **fields):
    """A donation to `project` confirmed through the real `payments.settle()`: order paid, ledger
    entry, funding total and backers, exactly as a payment would leave them. `fields` go on the
    order (`tier`, `is_anonymous`, `message`, `provider`, ...)."""
    import secrets

    from donations import payments
    from donations.models import Order
    from donations.providers import Payment

    fields.setdefault("provider", "sandbox")
    order = Order.objects.create(
        member=member or UserFactory(),
        kind="donation",
        project=project,
        amount=amount,
        client_token="test-" + secrets.token_hex(12),
        **fields,
    )
    return payments.settle(order, Payment(reference=f"ref-{order.pk}", status="paid", amount=amount))


def ready_video(duration: float = 60):
    """A `Video` that is ready to play, as far as access and progress rules can tell (no files)."""
    from videos.models import Video, VideoStatus

    video = Video.objects.create(title="v", status=VideoStatus.READY, duration=duration)
    video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
    video.save(update_fields=["hls_master_key"])
    return video
