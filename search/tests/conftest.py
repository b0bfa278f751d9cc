"""Search test data: a small catalogue with Korean compound titles, a funding project and people."""

from types import SimpleNamespace

import pytest

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, GenreFactory, PersonFactory


def republish(page):
    """Publish the page again, as the admin does after credits change; this re-indexes it with its credits."""
    page.save_revision().publish()
    return page


@pytest.fixture
def catalogue(db):
    """Two films, a funding project and two people; `catalogue.<name>` gives each."""
    director = PersonFactory(name="박서연", name_en="Park Seoyeon")
    actor = PersonFactory(name="김도윤", name_en="Kim Doyun")
    drama = GenreFactory(name="성장드라마", name_en="Coming of age", slug="coming-of-age")
    odyssey = FilmPageFactory(
        title="졸업작품 오디세이",
        title_en="Graduation Odyssey",
        logline="바다로 떠나는 마지막 여름",
        logline_en="One last summer, out to sea",
        graduation_year=2024,
        genres=[drama],
        credits=[(director, "director"), (actor, "lead_actor")],
    )
    republish(odyssey)
    night_bus = FilmPageFactory(
        title="심야버스",
        title_en="Night Bus",
        logline="막차를 놓친 두 사람",
        logline_en="Two people who missed the last bus",
        graduation_year=2023,
    )
    lighthouse = FundingProjectPageFactory(
        title="등대지기의 노래",
        title_en="The Lighthouse Keeper's Song",
        logline="섬에 남은 마지막 등대지기",
        logline_en="The last lighthouse keeper on the island",
        graduation_year=2025,
    )
    return SimpleNamespace(
        director=director, actor=actor, drama=drama, odyssey=odyssey, night_bus=night_bus, lighthouse=lighthouse
    )
