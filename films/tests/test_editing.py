"""Editing in the admin: the page tree, the edit and preview views, and validation messages.

Validation goes through the real admin create and edit views, so a test only
passes if the message reaches the editor on the field that needs fixing.
"""

from html import escape

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from films.models import CollectionPage, DonationTier, FilmIndexPage, FilmPage, FundingProjectPage
from films.tests.factories import (
    CollectionPageFactory,
    DonationTierFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    PersonFactory,
    film_index,
    home_page,
)
from home.models import HomePage, NoticeIndexPage
from legal.models import LegalPage
from members.tests.admin_forms import client_for, create_form, create_url, edit_form
from members.tests.factories import CreatorFactory


def funding_project_data(person, **overrides):
    """Everything a creator fills in for a new funding project, as the admin posts it."""
    data = {
        "title": "밤버스",
        "slug": "night-bus",
        "title_en": "Night Bus",
        "logline": "막차를 놓친 두 사람.",
        "synopsis": rich_text("<p>막차를 놓친 두 사람이 첫차를 기다린다.</p>"),
        "age_rating": "all",
        "price": "0",
        "stage": "shooting",
        "target_amount": "3000000",
        "minimum_donation": "5000",
        "budget_breakdown": rich_text("<ul><li>장비 대여</li></ul>"),
        "stills": streamfield([]),
        "credits": inline_formset([{"person": person.pk, "role": "director", "character": ""}]),
        "tiers": inline_formset([{"amount": "10000", "title": "응원 한 잔", "reward": ""}]),
        "updates": inline_formset([]),
        "festivals": inline_formset([]),
        "rights_holders": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


class PageTreeTests(WagtailPageTestCase):
    """Where each page type may live, and that every type's editor and preview work."""

    @classmethod
    def setUpTestData(cls):
        cls.person = PersonFactory()
        cls.film = FilmPageFactory(credits=[(cls.person, "director")])
        cls.project = FundingProjectPageFactory()
        DonationTierFactory(project=cls.project, amount=10_000)
        cls.collection = CollectionPageFactory(films=[cls.film])

    def setUp(self):
        super().setUp()
        self.login()

    def test_page_tree_rules(self):
        """Home holds the catalogue, collections, legal pages and the notice board; the catalogue holds films and
        funding projects only."""
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {FilmIndexPage, CollectionPage, LegalPage, NoticeIndexPage})
        self.assertAllowedParentPageTypes(FilmIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(FilmIndexPage, {FilmPage, FundingProjectPage})
        for leaf in (FilmPage, FundingProjectPage):
            self.assertAllowedParentPageTypes(leaf, {FilmIndexPage})
            self.assertAllowedSubpageTypes(leaf, {})
        self.assertAllowedParentPageTypes(CollectionPage, {HomePage})
        self.assertAllowedSubpageTypes(CollectionPage, {})
        self.assertAllowedParentPageTypes(LegalPage, {HomePage})
        self.assertAllowedSubpageTypes(LegalPage, {})

    def test_creatable_where_they_belong(self):
        """Films go in the catalogue, collections under home; neither may stray."""
        self.assertCanCreateAt(FilmIndexPage, FilmPage)
        self.assertCanCreateAt(FilmIndexPage, FundingProjectPage)
        self.assertCanCreateAt(HomePage, CollectionPage)
        self.assertCanNotCreateAt(HomePage, FilmPage)
        self.assertCanNotCreateAt(FilmIndexPage, CollectionPage)
        self.assertCanNotCreateAt(FilmPage, FilmPage)

    def test_a_funding_project_can_be_created_with_credits_and_tiers(self):
        """The whole create form (rich text, credits, tiers) saves and publishes."""
        self.assertCanCreate(film_index(), FundingProjectPage, funding_project_data(self.person))
        project = FundingProjectPage.objects.get(slug="night-bus")
        assert project.live
        assert [(t.amount, t.title) for t in project.tiers.all()] == [(10_000, "응원 한 잔")]
        assert [c.person for c in project.credits.all()] == [self.person]

    def test_every_page_type_is_editable(self):
        """The edit view loads and accepts its own form for every page type."""
        for page in (home_page(), film_index(), self.film, self.project, self.collection):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsEditable(page, post_data=edit_form(page))

    def test_every_page_type_is_previewable(self):
        """Editors can preview every page type from the edit view."""
        for page in (home_page(), film_index(), self.film, self.project, self.collection):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsPreviewable(page, post_data=edit_form(page))


# --- validation through the admin ---------------------------------------------


def post_edit(user, page, **changes):
    return client_for(user).post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_form(page, **changes))


@pytest.fixture
def creator():
    """A creator who reads the admin in English, so the tests can quote the (translated) messages."""
    user = CreatorFactory()
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return user


@pytest.fixture
def project(creator):
    page = FundingProjectPageFactory(
        title="밤버스", live=False, owner=creator, target_amount=3_000_000, minimum_donation=5_000
    )
    DonationTierFactory(project=page, amount=10_000, title="응원 한 잔")
    page.save_revision(user=creator)
    return page


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


@pytest.mark.django_db
def test_target_below_the_minimum_donation_is_refused_on_the_target_field(creator, project):
    """A target smaller than one minimum donation is explained on the target field and nothing is saved."""
    revisions = project.revisions.count()

    response = post_edit(creator, project, target_amount="3000", minimum_donation="5000")

    assert response.status_code == 200
    assert response.context["form"].errors["target_amount"] == [
        "The target (3,000 KRW) is below the minimum donation (5,000 KRW)."
    ]
    assert "The target (3,000 KRW) is below the minimum donation (5,000 KRW)." in response.content.decode()
    assert project.revisions.count() == revisions


@pytest.mark.django_db
def test_tier_below_the_minimum_donation_is_refused_on_the_tier(creator, project):
    """A donation tier under the project's minimum shows the reason on that tier and is not saved."""
    response = post_edit(creator, project, **{"tiers-0-amount": "3000"})

    assert response.status_code == 200
    tier_form = response.context["form"].formsets["tiers"].forms[0]
    message = "This tier (3,000 KRW) is below the project's minimum donation (5,000 KRW)."
    assert tier_form.errors["amount"] == [message]
    assert escape(message) in response.content.decode()
    assert [t.amount for t in latest(project).tiers.all()] == [10_000]


@pytest.mark.django_db
def test_raising_the_minimum_above_a_tier_is_refused_on_the_tier(creator, project):
    """Raising the minimum donation past an existing tier flags that tier rather than saving a broken page."""
    response = post_edit(creator, project, minimum_donation="20000")

    assert response.status_code == 200
    assert response.context["form"].formsets["tiers"].forms[0].errors["amount"]
    assert latest(project).minimum_donation == 5_000


@pytest.mark.django_db
def test_a_new_project_with_a_tier_below_the_minimum_is_not_created(creator):
    """Creating a project checks its tiers too: the page is not created until the tier is fixed."""
    data = create_form(
        FundingProjectPage,
        film_index(),
        title="첫차",
        slug="first-bus",
        minimum_donation="5000",
        **{"tiers-TOTAL_FORMS": "1", "tiers-0-amount": "1000", "tiers-0-title": "응원", "tiers-0-reward": ""},
    )
    data.update({"tiers-0-id": "", "tiers-0-ORDER": "1", "tiers-0-DELETE": ""})

    response = client_for(creator).post(create_url(FundingProjectPage, film_index()), data)

    assert response.status_code == 200
    assert response.context["form"].formsets["tiers"].forms[0].errors["amount"]
    assert not FundingProjectPage.objects.filter(slug="first-bus").exists()


@pytest.mark.django_db
def test_a_deleted_tier_below_the_minimum_does_not_block_saving(creator, project):
    """Removing a too-small tier is how the editor fixes it, so a deleted tier is not checked."""
    response = post_edit(creator, project, **{"tiers-0-amount": "3000", "tiers-0-DELETE": "1"})

    assert response.status_code == 302
    assert list(latest(project).tiers.all()) == []


@pytest.mark.django_db
def test_negative_price_is_refused_with_a_message(creator, project):
    """A negative price is explained on the price field; the film keeps its price."""
    response = post_edit(creator, project, price="-500")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["price"]
    # The message is a lazy translation, so it is read where it was rendered: in the creator's English page.
    assert "The price cannot be negative. Use 0 for a free film." in response.content.decode()
    assert latest(project).price == 0


@pytest.mark.django_db
def test_a_valid_edit_saves_a_new_revision(creator, project):
    """Sensible values save: target, minimum, price and the tiers all land in the new revision."""
    response = post_edit(
        creator,
        project,
        target_amount="4000000",
        minimum_donation="10000",
        price="3000",
        **{"tiers-0-amount": "10000"},
    )

    assert response.status_code == 302
    saved = latest(project)
    assert (saved.target_amount, saved.minimum_donation, saved.price) == (4_000_000, 10_000, 3_000)
    assert [t.amount for t in saved.tiers.all()] == [10_000]
    assert DonationTier.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_film_editor_has_story_credits_media_and_funding_tabs(creator, project):
    """The funding project editor groups its fields into the four working tabs, with help texts."""
    html = client_for(creator).get(reverse("wagtailadmin_pages:edit", args=[project.pk])).content.decode()

    for tab in ("Story", "Credits", "Media &amp; price", "Funding"):
        assert f">{tab}<" in html or f"{tab}\n" in html, tab
    assert "The amounts the donate button offers." in html
