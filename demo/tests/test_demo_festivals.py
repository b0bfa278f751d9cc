"""The demo's festivals: laurels on the films `demo/festivals.py` lists, loaded once; pages made by
an earlier demo (before festivals) get theirs, and an editor's choice survives the next load."""

import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase, override_settings

from demo import data
from demo.festivals import FESTIVALS
from films.models import Festival, FilmBasePage
from films.tests.factories import film_index

# The demo loader keeps Wagtail's indexes itself, and its films must be found by search.
pytestmark = pytest.mark.wagtail_indexes


def load() -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def festivals_of(slug: str) -> list[tuple]:
    page = FilmBasePage.objects.get(slug=slug)
    return list(page.festivals.order_by("sort_order").values_list("name", "year", "kind", "award"))


class DemoFestivalTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # The posters go to a throwaway MEDIA_ROOT, set before setUpTestData draws them.
        media = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="demo-media-"))
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.output = load()

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
