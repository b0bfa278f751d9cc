"""`manage.py load_demo_content`: a believable, complete, idempotent demo catalogue."""

import tempfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from demo import data
from demo.festivals import FESTIVALS
from films.choices import CreditRole
from films.models import (
    CollectionItem,
    CollectionPage,
    Credit,
    DonationTier,
    Festival,
    FilmBasePage,
    FilmPage,
    FundingProjectPage,
    FundingTotal,
    Genre,
    Person,
    ProductionUpdate,
)
from films.tests.factories import film_index, home_page
from home.models import NoticeIndexPage
from page_cache.cache import current_generation

# The demo loader keeps Wagtail's indexes itself, and its films must be found by search.
pytestmark = pytest.mark.wagtail_indexes

Image = get_image_model()


def load(*args):
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def content_counts() -> dict[str, int]:
    """How many of each thing the demo makes exist now."""
    Rendition = Image.get_rendition_model()
    models = (Page, Revision, Image, Rendition, Person, Credit, DonationTier, ProductionUpdate, FundingTotal)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["CollectionItem"] = CollectionItem.objects.count()
    counts["genre links"] = FilmBasePage.genres.through.objects.count()
    return counts


def festivals_of(slug: str) -> list[tuple]:
    """A page's festivals, in order, as (name, year, kind, award)."""
    page = FilmBasePage.objects.get(slug=slug)
    return list(page.festivals.order_by("sort_order").values_list("name", "year", "kind", "award"))


def korean_pages() -> dict:
    """The demo pages with Korean slugs, by slug."""
    return {page.slug: page for page in FilmBasePage.objects.filter(slug__in=data.FORMER_SLUGS).specific()}


def back_to_former_slugs() -> None:
    """Make the database look like one loaded by an earlier demo: those pages under their old slugs."""
    for slug, (former, *_) in data.FORMER_SLUGS.items():
        page = FilmBasePage.objects.get(slug=slug).specific
        page.slug = former
        page.save_revision().publish()


class DemoMediaMixin:
    """Images go to a throwaway MEDIA_ROOT (set before setUpTestData draws them)."""

    @classmethod
    def setUpClass(cls):
        media = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="demo-media-"))
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()


class DemoCatalogueTests(DemoMediaMixin, TestCase):
    """One load of the hand-written demo set, then what a visitor and an editor would find."""

    @classmethod
    def setUpTestData(cls):
        # As bin/run does: logins first, so the demo creators own their films.
        with override_settings(DEBUG=True):
            call_command("ensure_demo_admin", stdout=StringIO())
        cls.output = load()
        cls.films = list(FilmPage.objects.child_of(film_index()).live().public())
        cls.projects = list(FundingProjectPage.objects.child_of(film_index()).live().public())

    def test_prints_a_summary(self):
        """The command says what it created."""
        self.assertIn("30 films", self.output)
        self.assertIn("8 projects", self.output)

    def test_at_least_thirty_live_films_and_eight_funding_projects(self):
        """The catalogue has ≥30 finished films and ≥8 funding projects, all live and public."""
        self.assertGreaterEqual(len(self.films), 30)
        self.assertGreaterEqual(len(self.projects), 8)

    def test_every_genre_has_films(self):
        """Each of the twelve seeded genres has at least one live film, and films carry several genres."""
        live = FilmBasePage.objects.live()
        for genre in Genre.objects.all():
            with self.subTest(genre=genre.slug):
                self.assertTrue(live.filter(genres=genre).exists())
        several = [f for f in self.films if f.genres.count() >= 2]
        self.assertGreaterEqual(len(several), len(self.films) // 2)

    def test_korean_and_english_text_filled(self):
        """Every demo film has a title, logline and synopsis in Korean and in English."""
        for film in [*self.films, *self.projects]:
            with self.subTest(film=film.slug):
                for field in ("title_en", "logline", "logline_en", "synopsis", "synopsis_en"):
                    self.assertTrue(getattr(film, field), field)
                self.assertRegex(film.title + film.logline, "[가-힣]")

    def test_every_film_has_a_portrait_poster(self):
        """Posters are 600×900 Wagtail images whose files exist in storage."""
        for film in [*self.films, *self.projects]:
            with self.subTest(film=film.slug):
                self.assertIsNotNone(film.poster)
                self.assertEqual((film.poster.width, film.poster.height), (600, 900))
                self.assertTrue(film.poster.file.storage.exists(film.poster.file.name))

    def test_some_films_have_stills(self):
        """A few films show stills, each an image block pointing at a real image."""
        with_stills = [f for f in self.films if len(f.stills)]
        self.assertGreaterEqual(len(with_stills), 3)
        self.assertEqual(with_stills[0].stills[0].value.width, 1280)

    def test_years_prices_and_ratings_vary(self):
        """Graduation years span 2019–2025; some films are paid (3,000–9,000 KRW), most are free."""
        self.assertEqual({f.graduation_year for f in self.films}, set(range(2019, 2026)))
        paid = [f.price for f in self.films if f.price]
        self.assertTrue(paid)
        self.assertTrue(all(3000 <= price <= 9000 for price in paid))
        self.assertGreater(len(self.films) - len(paid), len(paid))
        self.assertGreater(len({f.age_rating for f in self.films}), 2)
        self.assertTrue(all(f.runtime_minutes and f.release_date for f in self.films))

    def test_graduation_film_is_searchable(self):
        """Searching 졸업작품 finds the film with that word in its title."""
        titles = [page.title for page in FilmBasePage.objects.live().search("졸업작품")]
        self.assertIn("우리들의 졸업작품", titles)

    def test_credits_cover_every_role_in_order(self):
        """Credits use every role from director to producer, in the order they were written."""
        used = set(Credit.objects.values_list("role", flat=True))
        self.assertLessEqual(set(CreditRole.values) - {CreditRole.OTHER}, used)
        film = FilmPage.objects.get(slug="winter-bus-stop")
        self.assertEqual(film.ordered_credits[0].role, CreditRole.DIRECTOR)
        self.assertEqual(film.ordered_credits[2].character, "수진")

    def test_people_are_shared_between_films(self):
        """People have Korean and English names and appear on several films, so person pages list a filmography."""
        director = Person.objects.get(slug="kim-jisu")
        self.assertEqual((director.name, director.name_en), ("김지수", "Kim Jisu"))
        self.assertTrue(director.bio and director.bio_en)
        self.assertGreaterEqual(director.credits.values("page").distinct().count(), 3)

    def test_people_are_searchable(self):
        """People are in the search index by their English name."""
        self.assertIn("kim-jisu", [p.slug for p in get_search_backend().search("Kim Jisu", Person)])

    def test_posters_show_where_they_are_used(self):
        """The reference index knows which page uses a poster (the admin's "usage" count)."""
        film = FilmPage.objects.get(slug="winter-bus-stop")
        self.assertTrue(ReferenceIndex.get_references_to(film.poster).filter(object_id=str(film.pk)).exists())

    def test_funding_projects_have_tiers_updates_and_totals(self):
        """Each project has 2–4 tiers at or above its minimum, 1–3 dated updates and a funding total."""
        for project in self.projects:
            with self.subTest(project=project.slug):
                tiers = list(project.tiers.all())
                self.assertTrue(2 <= len(tiers) <= 4)
                self.assertTrue(all(t.amount >= project.minimum_donation for t in tiers))
                self.assertTrue(1 <= project.updates.count() <= 3)
                self.assertTrue(FundingTotal.objects.filter(project=project, backers__gt=0).exists())
        self.assertGreater(len({p.stage for p in self.projects}), 3)

    def test_every_demo_total_is_the_sum_of_its_public_ledger(self):
        """Demo donations go through payments.settle: each ledger verifies and adds up to the page's figures."""
        from django_tasks_db.models import DBTaskResult

        from demo import data
        from donations import ledger

        raised = {project.slug: project.raised for project in data.PROJECTS}
        for project in self.projects:
            with self.subTest(project=project.slug):
                key = f"project:{project.pk}"
                self.assertTrue(ledger.verify(key).ok)
                total = FundingTotal.objects.get(project=project)
                self.assertEqual((total.amount, total.backers), raised[project.slug])
                self.assertEqual(ledger.project_totals_from_ledger(project.pk), raised[project.slug])
        # Demo backers get no receipts or e-mails (settle(notify=False)).
        self.assertFalse(DBTaskResult.objects.filter(task_path="donations.tasks.send_receipt").exists())

    def test_demo_backers_hold_the_badges_their_donations_earn(self):
        """The staff's badge counts match the demo ledger: every backer has "first donation", and the
        badges they hold are exactly those the rules give them."""
        from donations.models import Order, OrderStatus
        from members import badges
        from members.models import BadgeAward

        backers = get_user_model().objects.filter(orders__status=OrderStatus.PAID).distinct()
        self.assertTrue(backers.exists())
        first = set(BadgeAward.objects.filter(code="first_donation").values_list("user_id", flat=True))
        self.assertEqual(first, set(backers.values_list("pk", flat=True)))
        self.assertTrue(BadgeAward.objects.filter(code="early_backer").exists())
        for user in backers[:20]:
            with self.subTest(user=user.email):
                self.assertEqual(badges.recompute(user), ([], []))
        self.assertTrue(Order.objects.filter(status=OrderStatus.PAID).exists())

    def test_funding_figures_include_an_overfunded_and_an_open_ended_project(self):
        """One project has passed its target; another has no target at all."""
        progress = [p.progress_percent for p in self.projects]
        self.assertTrue(any(percent is not None and percent > 100 for percent in progress))
        self.assertIn(None, progress)

    def test_three_collections_with_films_under_the_home_page(self):
        """Collections sit under the home page, have a cover and list live films in order."""
        collections = CollectionPage.objects.child_of(home_page()).live()
        self.assertEqual(sorted(collections.values_list("slug", flat=True)), sorted(c.slug for c in data.COLLECTIONS))
        showcase = collections.get(slug="showcase-2024")
        self.assertIsNotNone(showcase.cover)
        self.assertEqual([f.slug for f in showcase.films()], list(data.COLLECTIONS[0].films))

    def test_home_page_sections(self):
        """The home page has a hero, a hand-picked row, rows by genre and by collection, a spotlight and text."""
        body = home_page().specific.body
        types = [block.block_type for block in body]
        for expected in ("hero", "film_row", "auto_film_row", "funding_spotlight", "text"):
            self.assertIn(expected, types)
        auto_rows = [block.value for block in body if block.block_type == "auto_film_row"]
        self.assertTrue(any(row["genre"] for row in auto_rows))
        self.assertTrue(any(row["collection"] for row in auto_rows))
        hero = next(block.value for block in body if block.block_type == "hero")
        self.assertEqual(hero["film"].slug, data.HOME_HERO["film"])

    def test_home_page_renders(self):
        """The home page with all its demo sections answers 200."""
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_three_korean_notices_one_pinned_to_the_home_page(self):
        """The notice board holds the demo notices in Korean and English, newest first; the pinned one is
        the home page's banner."""
        board = NoticeIndexPage.objects.get()
        notices = list(board.notices())
        self.assertEqual([n.slug for n in notices], [n.slug for n in data.NOTICES])
        for notice in notices:
            with self.subTest(notice=notice.slug):
                self.assertTrue(notice.title and notice.title_en and notice.body and notice.body_en)
                self.assertIsNotNone(notice.live_revision_id)
        self.assertEqual([n.slug for n in notices if n.is_banner], ["2026-graduation-screenings"])
        home = self.client.get("/").content.decode()
        self.assertIn('class="notice-banner"', home)
        self.assertIn(data.NOTICES[0].title, home)
        self.assertEqual(self.client.get(notices[1].url).status_code, 200)  # the Korean slug

    def test_a_deleted_notice_and_board_come_back(self):
        NoticeIndexPage.objects.get().delete()
        load()
        board = NoticeIndexPage.objects.get()
        self.assertEqual(board.notices().count(), len(data.NOTICES))
        self.assertEqual(board.url, "/notices/")

    def test_pages_are_published_with_revisions(self):
        """Every demo page has a live revision and no unpublished changes, as if an editor had published it."""
        pages = [*self.films, *self.projects, *CollectionPage.objects.all(), home_page()]
        for page in pages:
            with self.subTest(page=page.slug):
                self.assertIsNotNone(page.live_revision_id)
                self.assertFalse(page.has_unpublished_changes)
                self.assertIsNotNone(page.first_published_at)

    def test_second_run_creates_nothing(self):
        """Running the command again leaves every count unchanged: no duplicate pages, images or relations."""
        before = content_counts()
        output = load()
        self.assertEqual(content_counts(), before)
        self.assertIn("nothing new", output)

    def test_second_run_keeps_editor_changes(self):
        """A demo page an editor has changed is left as it is."""
        film = FilmPage.objects.get(slug="winter-bus-stop")
        film.title = "겨울 정류장 (감독판)"
        film.save_revision().publish()
        load()
        self.assertEqual(FilmPage.objects.get(slug="winter-bus-stop").title, "겨울 정류장 (감독판)")

    def test_deleted_page_is_restored_without_new_images(self):
        """A deleted demo film comes back on the next run, reusing its poster."""
        FilmPage.objects.get(slug="first-snow").delete()
        images = Image.objects.count()
        load()
        self.assertTrue(FilmPage.objects.filter(slug="first-snow").live().exists())
        self.assertEqual(Image.objects.count(), images)

    def test_creators_own_their_demo_films(self):
        """Films written with an owner belong to that demo creator; the others have none."""
        for film in (*data.FILMS, *data.PROJECTS):
            with self.subTest(film=film.slug):
                page = FilmBasePage.objects.get(slug=film.slug)
                self.assertEqual(page.owner.email if page.owner else "", film.owner)

    # --- Korean slugs, and databases loaded before the demo had them ---------

    def test_a_free_film_a_paid_film_and_a_project_have_the_korean_slugs_wagtail_makes(self):
        """Their slugs are what Wagtail derives from their Korean titles, and they are live."""
        pages = korean_pages()
        self.assertEqual(set(pages), set(data.FORMER_SLUGS))
        for page in pages.values():
            self.assertTrue(page.live)
            self.assertEqual(page.slug, slugify(page.title, allow_unicode=True))
        films = [p for p in pages.values() if isinstance(p, FilmPage)]
        self.assertEqual({p.is_free for p in films}, {True, False})
        self.assertTrue(any(isinstance(p, FundingProjectPage) for p in pages.values()))

    def test_the_home_page_links_to_the_korean_pages_which_render(self):
        """The home page links to the Korean pages by their encoded addresses, and each of them answers."""
        home = self.client.get("/").content.decode()
        for page in korean_pages().values():
            with self.subTest(page=page.slug):
                self.assertIn(page.url, home)
                self.assertEqual(self.client.get(page.url).status_code, 200)

    def test_an_older_database_has_its_pages_renamed_not_copied(self):
        """A run over pages under their former slugs renames them, adds no page, and redirects the old address."""
        back_to_former_slugs()
        pages_before = Page.objects.count()

        with self.captureOnCommitCallbacks(execute=True):  # Wagtail makes the redirect once the rename commits
            output = load()

        self.assertIn(f"{len(data.FORMER_SLUGS)} renamed pages", output)
        self.assertEqual(Page.objects.count(), pages_before)
        self.assertEqual(set(korean_pages()), set(data.FORMER_SLUGS))
        response = self.client.get(f"/films/{data.FORMER_SLUGS['붉은-골목'][0]}/")
        self.assertEqual((response.status_code, response["Location"]), (301, korean_pages()["붉은-골목"].url))
        self.assertIn("nothing new", load())

    def test_a_former_page_with_an_unpublished_draft_keeps_its_slug_and_gets_no_copy(self):
        """An editor's pending changes are not published by a rename: the page stays as it is, and is not duplicated."""
        back_to_former_slugs()
        page = FilmBasePage.objects.get(slug="red-alley").specific
        page.logline = "편집 중인 로그라인"
        page.save_revision()
        pages_before = Page.objects.count()

        load()

        self.assertEqual(Page.objects.count(), pages_before)
        page = FilmBasePage.objects.get(pk=page.pk).specific
        self.assertEqual(page.slug, "red-alley")
        self.assertTrue(page.has_unpublished_changes)

    # --- festivals: laurels on the films demo/festivals.py lists -------------

    def test_listed_films_and_projects_have_their_laurels_live(self):
        """Every listed film has its festivals, in order; an award winner, a selection and a project among them."""
        self.assertIn("festivals", self.output)
        for slug, festivals in FESTIVALS.items():
            with self.subTest(slug=slug):
                self.assertEqual(festivals_of(slug), [(f.name, f.year, f.kind, f.award) for f in festivals])
        live = FilmBasePage.objects.live().child_of(film_index())
        self.assertTrue(live.filter(festivals__kind="award").exists())
        self.assertTrue(live.filter(festivals__kind="official_selection").exists())
        self.assertTrue(live.filter(slug__in=[p.slug for p in data.PROJECTS], festivals__isnull=False).exists())
        self.assertFalse(Festival.objects.exclude(page__slug__in=FESTIVALS).exists())

    def test_the_laurels_show_on_the_page_in_both_languages(self):
        page = FilmBasePage.objects.get(slug="winter-bus-stop")
        html = self.client.get(page.url).content.decode()
        self.assertIn("최우수 작품상", html)
        self.assertIn("한강국제단편영화제", html)
        english = self.client.get(page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        self.assertIn("Han River International Short Film Festival", english)

    def test_a_second_run_adds_no_festival(self):
        count = Festival.objects.count()
        self.assertIn("nothing new", load())
        self.assertEqual(Festival.objects.count(), count)

    def test_pages_from_before_festivals_get_them_once(self):
        """A demo page whose revisions predate festivals (no `festivals` in them) gets its laurels,
        published; the next run leaves it alone."""
        page = FilmBasePage.objects.get(slug="the-last-screening").specific
        Festival.objects.filter(page=page).delete()
        revision = page.latest_revision
        del revision.content["festivals"]
        revision.save(update_fields=["content"])

        output = load()
        self.assertIn("2 festivals", output)
        self.assertEqual([f[0] for f in festivals_of("the-last-screening")], ["서울학생영화제", "리스본 학생영화제"])
        page.refresh_from_db()
        self.assertFalse(page.has_unpublished_changes)
        self.assertIn("nothing new", load())

    def test_an_editor_who_removed_every_festival_keeps_it_so(self):
        page = FilmBasePage.objects.get(slug="붉은-골목").specific
        page.festivals = []
        page.save_revision().publish()
        self.assertEqual(festivals_of("붉은-골목"), [])
        self.assertIn("nothing new", load())
        self.assertEqual(festivals_of("붉은-골목"), [])

    # --- --scale N: generated films on top of the hand-written set ------------

    def test_scale_reaches_the_requested_number_of_films(self):
        """After --scale 50 the catalogue holds exactly 50 live, public finished films."""
        output = load("--scale", "50")
        self.assertEqual(FilmPage.objects.child_of(film_index()).live().public().count(), 50)
        self.assertIn("20 generated films", output)

    def test_generated_films_are_complete_and_share_a_poster_pool(self):
        """Generated films have both languages, genres, credits and a poster from a pool of one per genre."""
        images_before = Image.objects.count()
        load("--scale", "50")
        generated = FilmPage.objects.filter(slug__startswith="archive-")
        self.assertEqual(generated.count(), 20)
        for film in generated:
            with self.subTest(film=film.slug):
                self.assertTrue(film.title_en and film.logline and film.synopsis_en)
                self.assertTrue(film.genres.exists())
                self.assertTrue(film.credits.filter(role=CreditRole.DIRECTOR).exists())
                self.assertIsNotNone(film.poster_id)
        self.assertLessEqual(Image.objects.count() - images_before, Genre.objects.count())

    def test_generated_films_are_searchable(self):
        """Generated films are in the search index by their English title."""
        load("--scale", "50")
        film = FilmPage.objects.filter(slug__startswith="archive-").first()
        results = FilmBasePage.objects.live().search(film.title_en)
        self.assertIn(film.pk, [page.pk for page in results])

    def test_repeating_the_same_scale_creates_nothing(self):
        """A second --scale 50 creates no films, people or images."""
        load("--scale", "50")
        before = content_counts()
        output = load("--scale", "50")
        self.assertEqual(content_counts(), before)
        self.assertIn("nothing new", output)

    def test_scale_empties_the_page_cache(self):
        """Generated films are published without signals, so the loader empties the page cache itself."""
        generation = current_generation()
        load("--scale", "31")
        self.assertGreater(current_generation(), generation)

    def test_scale_below_the_hand_written_set_is_refused(self):
        """--scale smaller than the hand-written set is an error, not a silent no-op."""
        with self.assertRaisesMessage(CommandError, "--scale must be at least"):
            load("--scale", "5")
