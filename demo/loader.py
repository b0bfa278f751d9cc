"""Write the demo catalogue into the database, idempotently.

Everything is found by a stable key before it is made: pages by slug under
their parent (or a slug they had before, see `data.FORMER_SLUGS`), people by
slug, images by title among the images tagged `DEMO_TAG`. What exists is left
as it is (an editor's changes to a demo page survive the next run); only what
is missing is created, so a second run creates nothing and a restart of
`bin/run` costs a few queries.

The hand-written set (`data.py`) is published the way an editor would, one
revision per page. `scale` adds generated films beyond it for benchmarks;
those are created live without a revision (a revision per page is most of the
cost), share a small pool of posters and a pool of generated people, and are
still in the tree, public and in the search index.
"""

import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch import index
from modelsearch.backends import get_search_backends
from modelsearch.index import get_indexed_instance
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from films.models import (
    AgeRatingDecision,
    CollectionItem,
    CollectionPage,
    Credit,
    DonationTier,
    Festival,
    FilmBasePage,
    FilmIndexPage,
    FilmPage,
    FundingProjectPage,
    FundingTotal,
    Genre,
    Person,
    ProductionUpdate,
)
from home.models import HomePage, NoticeIndexPage, NoticePage
from members import badges
from page_cache.cache import invalidate_all_pages

from . import data, posters
from .backers import backer_pool, donate_for_demo
from .bulk import bulk_film, bulk_people
from .community import ensure_community
from .festivals import FESTIVALS
from .premieres import ensure_premieres

DEMO_TAG = "reelvision-demo"
STAFF_EMAIL = "staff@reelvision.local"
BULK_SLUG_PREFIX = "archive-"
RATING_BADGES = {"all": "ALL", "12": "12", "15": "15", "19": "19"}
ROLE_BILLING = {data.DIRECTOR: "감독", data.LEAD: "출연"}


@dataclass
class LoadResult:
    """What one run created, by kind, e.g. {"films": 30, "images": 52}; empty on a repeat run."""

    created: Counter = field(default_factory=Counter)
    films_total: int = 0
    projects_total: int = 0

    def summary(self) -> str:
        made = ", ".join(f"{count} {kind}" for kind, count in sorted(self.created.items()) if count) or "nothing new"
        return f"Demo content: created {made}. Catalogue: {self.films_total} films, {self.projects_total} funding projects."


class DemoLoader:
    """One run of the loader. Use `load_demo_content()`."""

    def __init__(self):
        self.result = LoadResult()
        # What this run created: indexed for search and references at the end; see `run()`.
        self.created_objects = []
        self.home = HomePage.objects.order_by("path").first()
        self.index = FilmIndexPage.objects.order_by("path").first()
        if self.home is None or self.index is None:
            raise RuntimeError("The site tree is missing: run `manage.py migrate` first (home.0002 creates it).")
        self.genres = {genre.slug: genre for genre in Genre.objects.all()}
        Image = get_image_model()
        self.Image = Image
        self.images = {image.title: image for image in Image.objects.filter(tags__name=DEMO_TAG)}
        self.people = {person.slug: person for person in Person.objects.all()}
        users = get_user_model().objects.filter(email__in=[data.CREATOR_1, data.CREATOR_2, STAFF_EMAIL])
        self.users = {user.email: user for user in users}
        self._backers = None  # the demo backer accounts, made on first use

    # --- images --------------------------------------------------------------
    def image(self, title: str, filename: str, draw: Callable[[], bytes]):
        """The demo image called `title`, drawn and saved the first time only."""
        if title in self.images:
            return self.images[title]
        content = draw()
        image = self.Image(title=title, file=ImageFile(io.BytesIO(content), name=filename))
        image.save()
        image.tags.add(DEMO_TAG)
        self.created_objects.append(image)
        self.images[title] = image
        self.result.created["images"] += 1
        return image

    def poster_for(self, film: data.FilmData, *, in_production: bool):
        names = {person.slug: person.name for person in data.PEOPLE}
        billing = []
        for role, label in ROLE_BILLING.items():
            credited = [names[c[0]] for c in film.credits if c[1] == role]
            if credited:
                billing.append(f"{label} {' · '.join(dict.fromkeys(credited))}")
        kicker = (
            f"제작 중 · {film.year} 공개 예정" if in_production else f"동국대학교 영화영상학과 {film.year} 졸업작품"
        )
        return self.image(
            f"포스터 · {film.title}",
            f"poster-{film.slug}.jpg",
            lambda: _draw_poster(
                seed=film.slug,
                palette=film.palette,
                motif=film.genres[0],
                title=film.title,
                title_en=film.title_en,
                kicker=kicker,
                billing=tuple(billing),
                badge=RATING_BADGES[film.rating],
            ),
        )

    def stills_for(self, film: data.FilmData) -> list[dict]:
        blocks = []
        for n in range(1, film.stills + 1):
            still = self.image(
                f"스틸 {n} · {film.title}",
                f"still-{film.slug}-{n}.jpg",
                lambda n=n: _draw_still(seed=f"{film.slug}-still-{n}", palette=film.palette, motif=film.genres[0]),
            )
            blocks.append(
                {
                    "type": "still",
                    "value": {"image": still.pk, "alt_text": f"{film.title} 스틸 {n}", "decorative": False},
                }
            )
        return blocks

    # --- people ----------------------------------------------------------------
    def ensure_people(self) -> None:
        missing = [p for p in data.PEOPLE if p.slug not in self.people]
        for person in missing:
            self.people[person.slug] = Person.objects.create(
                slug=person.slug, name=person.name, name_en=person.name_en, bio=person.bio, bio_en=person.bio_en
            )
            self.created_objects.append(self.people[person.slug])
        self.result.created["people"] += len(missing)

    # --- pages -----------------------------------------------------------------
    def _film_fields(self, film: data.FilmData, published_on: datetime.date) -> dict:
        return {
            "title": film.title,
            "draft_title": film.title,
            "slug": film.slug,
            "title_en": film.title_en,
            "logline": film.logline,
            "logline_en": film.logline_en,
            "synopsis": film.synopsis,
            "synopsis_en": film.synopsis_en,
            "runtime_minutes": film.runtime,
            "graduation_year": film.year,
            "release_date": datetime.date.fromisoformat(film.release),
            "age_rating": film.rating,
            "content_advisory": film.advisory,
            "price": film.price,
            "owner": self.users.get(film.owner),
            # Spread over the years so "newest first" means something.
            "first_published_at": _aware(published_on),
        }

    def _credits(self, film: data.FilmData) -> list[Credit]:
        return [
            Credit(person=self.people[slug], role=role, character=rest[0] if rest else "", sort_order=order)
            for order, (slug, role, *rest) in enumerate(film.credits)
        ]

    def _festivals(self, slug: str) -> list[Festival]:
        festivals = [
            Festival(name=f.name, name_en=f.name_en, year=f.year, kind=f.kind, award=f.award, award_en=f.award_en,
                     sort_order=n)
            for n, f in enumerate(FESTIVALS.get(slug, ()))
        ]  # fmt: skip
        self.result.created["festivals"] += len(festivals)
        return festivals

    def _publish(self, parent: Page, page: Page) -> None:
        parent.add_child(instance=page)
        page.save_revision(user=page.owner).publish(user=self.users.get(STAFF_EMAIL))
        self.created_objects.append(page)

    def ensure_films(self, existing: set[str]) -> None:
        for film in data.FILMS:
            if film.slug in existing:
                continue
            page = FilmPage(
                **self._film_fields(film, min(datetime.date.fromisoformat(film.release), timezone.localdate())),
                poster=self.poster_for(film, in_production=False),
                stills=self.stills_for(film),
            )
            page.genres = [self.genres[slug] for slug in film.genres]
            page.credits = self._credits(film)
            page.festivals = self._festivals(film.slug)
            self._publish(self.index, page)
            self.result.created["films"] += 1
            self.result.created["credits"] += len(film.credits)

    def ensure_projects(self, existing: set[str]) -> None:
        for project in data.PROJECTS:
            if project.slug in existing:
                continue
            first_update = min(datetime.date.fromisoformat(u.date) for u in project.updates)
            page = FundingProjectPage(
                **self._film_fields(project, min(first_update, timezone.localdate()) - datetime.timedelta(days=30)),
                poster=self.poster_for(project, in_production=True),
                stills=self.stills_for(project),
                stage=project.stage,
                target_amount=project.target,
                minimum_donation=project.minimum,
                budget_breakdown=project.budget,
            )
            page.genres = [self.genres[slug] for slug in project.genres]
            page.credits = self._credits(project)
            page.festivals = self._festivals(project.slug)
            page.tiers = [
                DonationTier(amount=t.amount, title=t.title, reward=t.reward, ships=t.ships, sort_order=n)
                for n, t in enumerate(project.tiers)
            ]
            page.updates = [
                ProductionUpdate(date=datetime.date.fromisoformat(u.date), title=u.title, body=u.body, sort_order=n)
                for n, u in enumerate(project.updates)
            ]
            self._publish(self.index, page)
            # Real (sandbox) donations, so the public ledger adds up to what the page shows.
            amount, backers = project.raised
            FundingTotal.objects.get_or_create(project=page)
            self.result.created["donations"] += donate_for_demo(page, amount, backers, self.backer_pool())
            self.result.created["projects"] += 1
            self.result.created["credits"] += len(project.credits)
            self.result.created["tiers"] += len(project.tiers)
            self.result.created["updates"] += len(project.updates)

    def adopt_former_slugs(self, existing: set[str]) -> None:
        """Give pages an earlier demo made under a since-changed slug (`data.FORMER_SLUGS`) today's slug.

        Either way today's slug counts as existing afterwards, so no second copy is made. A page
        with unpublished changes keeps its old slug: publishing the rename would publish an
        editor's draft too. Wagtail redirects the old address to the new one.
        """
        staff = self.users.get(STAFF_EMAIL)
        for slug, former in data.FORMER_SLUGS.items():
            old = next((s for s in former if s in existing), None)
            if slug in existing or old is None:
                continue
            existing.add(slug)
            page = Page.objects.child_of(self.index).get(slug=old).specific
            if page.has_unpublished_changes or not page.live:
                continue
            page.slug = slug
            page.save_revision(user=staff).publish(user=staff)
            self.created_objects.append(page)
            self.result.created["renamed pages"] += 1

    def ensure_festivals(self, existing: set[str]) -> None:
        """Give demo pages made before festivals existed their laurels, published as an editor would.

        Only a page no one has saved since then: its latest revision has no `festivals` at all (a
        revision made since holds the list, empty or not), so an editor's choice, removing every
        festival included, survives the next run. A page with unpublished changes is left alone:
        publishing would publish the editor's draft too.
        """
        staff = self.users.get(STAFF_EMAIL)
        pages = FilmBasePage.objects.child_of(self.index).filter(slug__in=set(FESTIVALS) & existing)
        for page in pages.specific():
            revision = page.latest_revision
            if page.has_unpublished_changes or revision is None or "festivals" in revision.content:
                continue
            if page.festivals.exists():
                continue
            page.festivals = self._festivals(page.slug)
            page.save_revision(user=staff).publish(user=staff)
            self.created_objects.append(page)

    def backer_pool(self) -> list:
        if self._backers is None:
            self._backers = backer_pool(max(project.raised[1] for project in data.PROJECTS))
        return self._backers

    def ensure_backer_badges(self) -> None:
        """Demo donations settle without receipts or e-mails, and so without the badges a paid order
        awards; the backers of this run's projects get them here, as quietly (badges send nothing)."""

        for user in self._backers or ():
            self.result.created["badges"] += len(badges.evaluate(user))

    def ensure_collections(self) -> None:
        existing = set(Page.objects.child_of(self.home).values_list("slug", flat=True))
        films = {f.slug: f for f in FilmPage.objects.child_of(self.index)}
        for collection in data.COLLECTIONS:
            if collection.slug in existing:
                continue
            cover = self.image(
                f"표지 · {collection.title}",
                f"cover-{collection.slug}.jpg",
                lambda c=collection: _draw_cover(seed=c.slug, palette=c.palette, motif=c.motif),
            )
            chosen = [films[slug] for slug in collection.films if slug in films]
            page = CollectionPage(
                title=collection.title,
                title_en=collection.title_en,
                slug=collection.slug,
                intro=collection.intro,
                intro_en=collection.intro_en,
                cover=cover,
            )
            page.items = [CollectionItem(film=film, sort_order=n) for n, film in enumerate(chosen)]
            self._publish(self.home, page)
            self.result.created["collections"] += 1
            self.result.created["collection items"] += len(chosen)

    def ensure_home_sections(self) -> None:
        """Fill the home page's sections, unless someone already arranged them."""
        home = self.home.specific
        if home.body:
            return
        pages = {p.slug: p for p in Page.objects.child_of(self.index).specific()}
        showcase = CollectionPage.objects.child_of(self.home).filter(slug=data.COLLECTIONS[0].slug).first()
        hero_film = pages.get(data.HOME_HERO["film"])
        sections = []
        if hero_film:
            hero = {key: value for key, value in data.HOME_HERO.items() if key != "film"}
            sections.append({"type": "hero", "value": {**hero, "film": hero_film.pk, "image": None}})
        sections.append(
            {
                "type": "film_row",
                "value": {
                    "title": "이번 주 추천작",
                    "title_en": "Picks of the week",
                    "films": [pages[s].pk for s in data.HOME_PICKS if s in pages],
                },
            }
        )
        sections.append(
            {
                "type": "funding_spotlight",
                "value": {
                    "title": "제작 중인 작품을 응원하세요",
                    "title_en": "Back a film in production",
                    "projects": [pages[s].pk for s in data.HOME_SPOTLIGHT if s in pages],
                    "limit": 4,
                },
            }
        )
        rows = (
            ("마음을 울리는 드라마", "Dramas that move you", "drama"),
            ("손으로 그린 세계: 애니메이션", "Hand-drawn worlds: animation", "animation"),
        )
        for title, title_en, genre in rows:
            sections.append(
                {
                    "type": "auto_film_row",
                    "value": {
                        "title": title,
                        "title_en": title_en,
                        "genre": self.genres[genre].pk,
                        "collection": None,
                        "limit": 12,
                    },
                }
            )
        if showcase:
            sections.append(
                {
                    "type": "auto_film_row",
                    "value": {
                        "title": showcase.title,
                        "title_en": showcase.title_en,
                        "genre": None,
                        "collection": showcase.pk,
                        "limit": 12,
                    },
                }
            )
        sections.append(
            {
                "type": "text",
                "value": {
                    "heading": "ReelVision에 대하여",
                    "heading_en": "About ReelVision",
                    "text": data.HOME_INTRO,
                    "text_en": data.HOME_INTRO_EN,
                },
            }
        )
        home.body = sections
        home.save_revision(user=self.users.get(STAFF_EMAIL)).publish(user=self.users.get(STAFF_EMAIL))
        self.created_objects.append(home)
        self.result.created["home sections"] += len(sections)

    def ensure_english_catalogue(self) -> None:
        """The catalogue page (made in Korean by a migration) gets its English title and introduction once."""
        index = self.index.specific
        if index.title_en or index.has_unpublished_changes:
            return
        index.title_en = data.CATALOGUE_TITLE_EN
        index.intro_en = data.CATALOGUE_INTRO_EN
        index.save_revision(user=self.users.get(STAFF_EMAIL)).publish()

    def ensure_notices(self) -> None:
        """The notice board under the home page, when there is none, and its demo notices, published by the
        demo staff member. A notice's dates count from the day it is created (a later run leaves it as it is)."""
        board = NoticeIndexPage.objects.child_of(self.home).order_by("path").first()
        if board is None:
            board = NoticeIndexPage(**data.NOTICE_BOARD)
            self._publish(self.home, board)
            self.result.created["notice boards"] += 1
        existing = set(Page.objects.child_of(board).values_list("slug", flat=True))
        today, now = timezone.localdate(), timezone.now()
        for notice in reversed(data.NOTICES):  # oldest first, as the office would have published them
            if notice.slug in existing:
                continue
            page = NoticePage(
                title=notice.title,
                title_en=notice.title_en,
                slug=notice.slug,
                date=today - datetime.timedelta(days=notice.days_ago),
                body=notice.body,
                body_en=notice.body_en,
                banner_until=now + datetime.timedelta(days=notice.pinned_days) if notice.pinned_days else None,
                owner=self.users.get(STAFF_EMAIL),
            )
            self._publish(board, page)
            self.result.created["notices"] += 1

    def ensure_community(self) -> None:
        films = list(FilmPage.objects.child_of(self.index).live().order_by("path")[:8])
        projects = list(FundingProjectPage.objects.child_of(self.index).live().order_by("path")[:3])
        self.result.created["community posts"] += ensure_community(films, projects, self.backer_pool())

    def ensure_premieres(self) -> None:
        films = list(FilmPage.objects.child_of(self.index).live().order_by("path")[:2])
        if len(films) == 2:
            self.result.created["premieres"] += ensure_premieres(films[0], films[1], self.backer_pool())

    def ensure_owners(self) -> None:
        """Give demo pages without an owner to their demo creator, e.g. when the logins were made after the pages."""
        for email, user in self.users.items():
            films = [film for film in (*data.FILMS, *data.PROJECTS) if film.owner == email]
            slugs = [slug for film in films for slug in (film.slug, *data.FORMER_SLUGS.get(film.slug, ()))]
            if slugs:
                changed = (
                    Page.objects.child_of(self.index).filter(slug__in=slugs, owner__isnull=True).update(owner=user)
                )
                self.result.created["owners set"] += changed

    def ensure_rating_decisions(self) -> None:
        """Staff have confirmed the demo films' ratings as their creators gave them, but for the newest
        film's: it waits in the admin's Age ratings list."""
        waiting = data.FILMS[-1].slug
        slugs = [film.slug for film in (*data.FILMS, *data.PROJECTS) if film.slug != waiting]
        films = FilmBasePage.objects.child_of(self.index).filter(slug__in=slugs, age_rating_decision__isnull=True)
        staff = self.users.get(STAFF_EMAIL)
        decisions = [AgeRatingDecision(film=film, rating=film.age_rating, decided_by=staff) for film in films]
        AgeRatingDecision.objects.bulk_create(decisions)
        self.result.created["age ratings confirmed"] += len(decisions)

    # --- generated films for benchmarks ---------------------------------------
    def ensure_scale(self, total: int) -> None:
        """Add generated films until the catalogue holds `total` finished films."""
        have = FilmPage.objects.child_of(self.index).count()
        if have >= total:
            return
        taken = set(Page.objects.child_of(self.index).values_list("slug", flat=True))
        pool = {slug: self._bulk_poster(genre) for slug, genre in self.genres.items()}
        people = self._ensure_bulk_people(max(20, (total - have) // 4))
        number, created = 0, 0
        while have + created < total:
            number += 1
            film = bulk_film(number, list(self.genres), people)
            slug = f"{BULK_SLUG_PREFIX}{number:05d}"
            if slug in taken:
                continue
            page = FilmPage(
                slug=slug,
                title=film.title,
                draft_title=film.title,
                title_en=film.title_en,
                logline=film.logline,
                logline_en=film.logline_en,
                synopsis=film.synopsis,
                synopsis_en=film.synopsis_en,
                runtime_minutes=film.runtime,
                graduation_year=film.year,
                release_date=film.release,
                price=film.price,
                age_rating=film.rating,
                poster=pool[film.genres[0]],
                first_published_at=_aware(film.release),
                last_published_at=_aware(film.release),
            )
            page.genres = [self.genres[slug] for slug in film.genres]
            page.credits = [
                Credit(person=person, role=role, character=character, sort_order=n)
                for n, (person, role, character) in enumerate(film.credits)
            ]
            # Live without a revision: the admin makes one on the first edit.
            self.index.add_child(instance=page)
            self.created_objects.append(page)
            created += 1
            self.result.created["credits"] += len(film.credits)
        self.result.created["generated films"] += created

    def _bulk_poster(self, genre: Genre):
        return self.image(
            f"포스터 · 아카이브 {genre.name}",
            f"poster-archive-{genre.slug}.jpg",
            lambda: _draw_poster(
                seed=f"archive-{genre.slug}",
                palette=data.GENRE_PALETTES.get(genre.slug, data.DUSK),
                motif=genre.slug,
                title=genre.name,
                title_en=genre.name_en,
                kicker="REELVISION ARCHIVE",
                billing=("동국대학교 영화영상학과 졸업작품",),
            ),
        )

    def _ensure_bulk_people(self, count: int) -> list[Person]:
        wanted = bulk_people(count)
        missing = [Person(slug=p.slug, name=p.name, name_en=p.name_en, bio=p.bio, bio_en=p.bio_en)
                   for p in wanted if p.slug not in self.people]  # fmt: skip
        for person in Person.objects.bulk_create(missing):
            self.people[person.slug] = person
            self.created_objects.append(person)
        self.result.created["people"] += len(missing)
        return [self.people[p.slug] for p in wanted]

    # --- entry point -----------------------------------------------------------
    def run(self, scale: int | None = None) -> LoadResult:
        existing = set(Page.objects.child_of(self.index).values_list("slug", flat=True))
        # Wagtail updates the search index after every save of a page (three
        # per published page) and the reference index after every save of a
        # page and of each of its credits, tiers and updates: thousands of runs
        # of the same work, most of the time on PostgreSQL. Doing both once at
        # the end for what was created gives the same indexes.
        # One transaction: a run that fails half-way leaves nothing (not even
        # unindexed pages), and the next run starts over.
        with transaction.atomic(), disable_reference_index_auto_update(), search_indexing_deferred():
            self.ensure_people()
            self.adopt_former_slugs(existing)
            self.ensure_films(existing)
            self.ensure_projects(existing)
            self.ensure_festivals(existing)
            self.ensure_backer_badges()
            self.ensure_owners()
            self.ensure_rating_decisions()
            self.ensure_collections()
            self.ensure_home_sections()
            self.ensure_english_catalogue()
            self.ensure_notices()
            self.ensure_community()
            self.ensure_premieres()
            if scale:
                self.ensure_scale(scale)
            for obj in self.created_objects:
                ReferenceIndex.create_or_update_for_object(obj)
            index_for_search(self.created_objects)
        if self.created_objects:
            # Generated films are added without a publish signal; cached pages would not list them.
            invalidate_all_pages()
        self.result.films_total = FilmPage.objects.child_of(self.index).count()
        self.result.projects_total = FundingProjectPage.objects.child_of(self.index).count()
        return self.result


def load_demo_content(*, scale: int | None = None) -> LoadResult:
    """Create whatever part of the demo catalogue is missing; with `scale`, top the films up to that many."""
    return DemoLoader().run(scale=scale)


@contextmanager
def search_indexing_deferred():
    """Switch off modelsearch's index-on-save for this block (this process only); see `index_for_search`."""

    models = [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def index_for_search(objects) -> None:
    """Add `objects` to every auto-updated search backend, one bulk insert per model."""

    by_model = defaultdict(list)
    for obj in objects:
        if indexed := get_indexed_instance(obj, check_exists=False):
            by_model[type(indexed)].append(indexed)
    for backend in get_search_backends(with_auto_update=True):
        for model, instances in by_model.items():
            backend.add_bulk(model, instances)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


# Drawing is deterministic, so within one process the same picture is drawn once
# (the tests load the demo several times into fresh databases).
_draw_poster = cache(posters.draw_poster)
_draw_still = cache(posters.draw_still)
_draw_cover = cache(posters.draw_cover)
