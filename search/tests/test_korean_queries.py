"""A fixed list of queries a visitor might type, each with what it must find, on both databases.

Spacing, particles and conjugations, partial nouns, English words and captions,
names in Korean and romanised, and lines of dialogue with the second they are
spoken (±0.5 s). The same list runs on SQLite and PostgreSQL (`.ci/run` runs
the suite on both); results come from the word-root index, not from either
database's own text search.
"""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from films.models import Genre
from films.tests.factories import (
    FilmPageFactory,
    FundingProjectPageFactory,
    GenreFactory,
    PersonFactory,
    ProductionUpdateFactory,
)
from search.models import MatchField
from search.site_search import ResultKind, clean_query, run_search
from search.suggest import suggest
from videos.captions import import_caption
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db

KOREAN_LINES = """1
00:00:04,000 --> 00:00:06,500
버스가 오기를 기다리는 중이에요.

2
00:00:19,000 --> 00:00:21,000
우리 같이 걸을까요?

3
00:01:05,250 --> 00:01:08,000
눈이 오면 정류장이 하얗게 변해요.

4
00:02:10,000 --> 00:02:12,000
사랑했던 사람들은 모두 떠났어요.
"""

ENGLISH_LINES = """WEBVTT

00:00:04.000 --> 00:00:06.500
I'm waiting for the bus to come.

00:00:19.000 --> 00:00:21.000
Shall we walk together?

00:01:05.250 --> 00:01:08.000
When it snows, the stop turns white.
"""


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_ROOT = tmp_path / "videos"
    documentary = GenreFactory(name="다큐멘터리", name_en="Documentary", slug="documentary")
    drama = Genre.objects.get(slug="drama")  # seeded by a migration
    director = PersonFactory(name="박서연", name_en="Park Seo-yeon")
    actor = PersonFactory(name="김도윤", name_en="Kim Doyun")
    video = Video.objects.create(title="겨울 정류장 본편", status=VideoStatus.READY, duration=180)
    import_caption(video, "ko", "", ContentFile(KOREAN_LINES.encode(), name="ko.srt"))
    import_caption(video, "en", "", ContentFile(ENGLISH_LINES.encode(), name="en.vtt"))
    winter = FilmPageFactory(
        title="겨울 정류장",
        title_en="Winter Stop",
        logline="막차를 기다리는 두 사람",
        logline_en="Two people waiting for the last bus",
        synopsis="<p>눈 내리는 밤, 시골 정류장에서 만난 두 사람의 이야기.</p>",
        main_video=video,
        genres=[drama],
        credits=[(director, "director"), (actor, "lead_actor")],
    )
    market = FilmPageFactory(
        title="시장의 아침",
        title_en="Market Morning",
        logline="새벽 시장 상인들의 하루",
        logline_en="A day with the traders of a dawn market",
        synopsis="<p>재래시장을 삼 년 동안 기록한 다큐멘터리.</p>",
        genres=[documentary],
    )
    lighthouse = FundingProjectPageFactory(
        title="등대지기의 노래",
        title_en="The Lighthouse Keeper's Song",
        logline="섬에 남은 마지막 등대지기",
        logline_en="The last lighthouse keeper on the island",
    )
    ProductionUpdateFactory(page=lighthouse, title="촬영 시작", body="<p>태풍이 지나간 뒤 첫 촬영을 마쳤습니다.</p>")
    return SimpleNamespace(winter=winter, market=market, lighthouse=lighthouse, director=director, actor=actor)


# (query, kind, expected title of the first hit, what it matched)
FINDS = [
    # spacing
    ("겨울정류장", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("겨울 정류장", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("겨울  정류 장", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("등대 지기", ResultKind.PROJECT, "등대지기의 노래", MatchField.TITLE),
    ("시장의아침", ResultKind.FILM, "시장의 아침", MatchField.TITLE),
    # particles and conjugations
    ("정류장에서", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("등대지기가", ResultKind.PROJECT, "등대지기의 노래", MatchField.TITLE),
    ("막차를 기다렸다", ResultKind.FILM, "겨울 정류장", MatchField.LOGLINE),
    ("시장에", ResultKind.FILM, "시장의 아침", MatchField.TITLE),
    ("상인들이", ResultKind.FILM, "시장의 아침", MatchField.LOGLINE),
    # partial nouns
    ("다큐", ResultKind.FILM, "시장의 아침", MatchField.GENRE),
    ("다큐멘", ResultKind.FILM, "시장의 아침", MatchField.GENRE),
    ("재래", ResultKind.FILM, "시장의 아침", MatchField.SYNOPSIS),
    ("정류", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("docu", ResultKind.FILM, "시장의 아침", MatchField.GENRE),
    # English words
    ("winter", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("WINTER STOP", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("Ｗｉｎｔｅｒ", ResultKind.FILM, "겨울 정류장", MatchField.TITLE),
    ("lighthouse keeper", ResultKind.PROJECT, "등대지기의 노래", MatchField.TITLE),
    ("traders", ResultKind.FILM, "시장의 아침", MatchField.LOGLINE),
    # names, Korean and romanised
    ("박서연", ResultKind.PERSON, "박서연", MatchField.TITLE),
    ("서연", ResultKind.PERSON, "박서연", MatchField.TITLE),
    ("seoyeon", ResultKind.PERSON, "박서연", MatchField.TITLE),
    ("Park Seo-yeon", ResultKind.PERSON, "박서연", MatchField.TITLE),
    ("seo-yeon park", ResultKind.PERSON, "박서연", MatchField.TITLE),
    ("김도윤", ResultKind.FILM, "겨울 정류장", MatchField.PERSON),
    ("doyun", ResultKind.FILM, "겨울 정류장", MatchField.PERSON),
    # production updates
    ("태풍", ResultKind.PROJECT, "등대지기의 노래", MatchField.UPDATE),
]

# (query, expected line's start in seconds, its language)
SPOKEN = [
    ("기다리다", 4.0, "ko"),
    ("기다리는 중이에요", 4.0, "ko"),
    ("걷다", 19.0, "ko"),
    ("같이 걸을까", 19.0, "ko"),
    ("하얗게 변하다", 65.25, "ko"),
    ("사랑하다", 130.0, "ko"),
    ("떠나다", 130.0, "ko"),
    ("walk together", 19.0, "en"),
    ("waiting for the bus", 4.0, "en"),
    ("SNOWS", 65.25, "en"),
]

NOTHING = ["잠수함", "submarine", "!!!", "박서윤", "겨울 잠수함"]


def first_hit(query, kind):
    outcome = run_search(clean_query(query), [kind])
    assert outcome.ids[kind], f"{query!r} found nothing among {kind}"
    pk = outcome.ids[kind][0]
    return outcome, pk


@pytest.mark.parametrize(("query", "kind", "title", "field"), FINDS)
def test_query_finds(site, query, kind, title, field):
    outcome, pk = first_hit(query, kind)
    found = {site.winter.pk: "겨울 정류장", site.market.pk: "시장의 아침", site.lighthouse.pk: "등대지기의 노래"}
    found |= {site.director.pk: "박서연", site.actor.pk: "김도윤"} if kind == ResultKind.PERSON else {}
    assert found.get(pk) == title
    assert outcome.matches[(kind, pk)], "a hit from the index says what it matched"
    assert outcome.matches[(kind, pk)][0].kind == field


@pytest.mark.parametrize(("query", "start", "language"), SPOKEN)
def test_a_line_of_dialogue_finds_the_film_and_the_moment(site, query, start, language):
    outcome, pk = first_hit(query, ResultKind.FILM)
    assert pk == site.winter.pk
    lines = [m for m in outcome.matches[(ResultKind.FILM, pk)] if m.kind == MatchField.DIALOGUE]
    assert lines, f"{query!r} matched no line"
    assert lines[0].start == pytest.approx(start, abs=0.5)
    assert lines[0].language == language


@pytest.mark.parametrize("query", NOTHING)
def test_query_finds_nothing(site, query):
    assert run_search(clean_query(query)).total == 0


def test_dialogue_is_not_searched_in_projects_or_people(site):
    outcome = run_search("기다리다")
    assert outcome.ids[ResultKind.PROJECT] == [] and outcome.ids[ResultKind.PERSON] == []


def test_an_unpublished_film_leaves_the_index(site):
    assert run_search("다큐").ids[ResultKind.FILM] == [site.market.pk]
    site.market.unpublish()
    assert run_search("다큐").ids[ResultKind.FILM] == []
    assert "시장의 아침" not in [s.text for s in suggest("시장")]


def test_a_renamed_person_is_found_by_the_new_name_on_films_that_credit_them(site):
    site.actor.name = "김하늘"
    site.actor.save()
    assert run_search("하늘").ids[ResultKind.FILM] == [site.winter.pk]
    assert run_search("김도윤").ids[ResultKind.FILM] == []


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("겨우", "겨울 정류장"),  # a syllable still being typed
        ("겨울저", "겨울 정류장"),
        ("겨을", "겨울 정류장"),  # a typo
        ("정류", "겨울 정류장"),  # a word inside
        ("wintr", "Winter Stop"),
        ("lighthuose", "The Lighthouse Keeper's Song"),
        ("박서", "박서연"),
        ("seo-yeon", "Park Seo-yeon"),
        ("다큐", "다큐멘터리"),
        ("docum", "Documentary"),
    ],
)
def test_suggestions_as_you_type(site, typed, suggested):
    assert suggested in [s.text for s in suggest(typed)]


def test_suggestions_are_few_and_one_per_thing(site):
    suggestions = suggest("ㄱ")
    assert len(suggestions) <= 8
    owners = [(s.kind, s.id if s.id is not None else s.text) for s in suggestions]
    assert len(owners) == len(set(owners))
