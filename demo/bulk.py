"""Generated films and people for `load_demo_content --scale N` (benchmarks).

Deterministic: film number n always gets the same title, genres and credits,
so repeated runs agree. Titles are built from a small Korean/English
vocabulary rather than lorem ipsum, so search and sorting behave as they would
on real titles.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils.text import slugify

from .data import ACTOR, DIRECTOR, LEAD

ADJECTIVES = (
    ("푸른", "Blue"), ("마지막", "Last"), ("조용한", "Quiet"), ("낯선", "Strange"), ("오래된", "Old"),
    ("작은", "Little"), ("먼", "Distant"), ("뜨거운", "Burning"), ("잃어버린", "Lost"), ("두 번째", "Second"),
    ("한밤의", "Midnight"), ("하얀", "White"),
)  # fmt: skip
NOUNS = (
    ("정원", "Garden"), ("기차", "Train"), ("편지", "Letter"), ("여름", "Summer"), ("골목", "Alley"),
    ("바다", "Sea"), ("방", "Room"), ("노래", "Song"), ("섬", "Island"), ("약속", "Promise"), ("창문", "Window"),
    ("거리", "Street"), ("계단", "Stairs"), ("비밀", "Secret"), ("손님", "Guest"), ("밤", "Night"),
)  # fmt: skip
PLACES = (
    ("부산", "Busan"),
    ("강릉", "Gangneung"),
    ("서울", "Seoul"),
    ("목포", "Mokpo"),
    ("제주", "Jeju"),
    ("대구", "Daegu"),
)
SURNAMES = (
    ("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"), ("강", "Kang"), ("조", "Jo"),
    ("윤", "Yoon"), ("장", "Jang"), ("임", "Lim"), ("한", "Han"), ("오", "Oh"), ("서", "Seo"), ("신", "Shin"),
    ("권", "Kwon"), ("황", "Hwang"), ("안", "Ahn"), ("송", "Song"), ("류", "Ryu"), ("홍", "Hong"),
)  # fmt: skip
GIVEN_NAMES = (
    ("민준", "Minjun"), ("서윤", "Seoyun"), ("도현", "Dohyun"), ("하윤", "Hayun"), ("지호", "Jiho"),
    ("지우", "Jiwoo"), ("예준", "Yejun"), ("수아", "Sua"), ("시우", "Siwoo"), ("지유", "Jiyu"),
    ("주원", "Juwon"), ("채원", "Chaewon"), ("건우", "Gunwoo"), ("다은", "Daeun"), ("우진", "Woojin"),
    ("소율", "Soyul"), ("선우", "Sunwoo"), ("예린", "Yerin"), ("연우", "Yeonwoo"), ("하린", "Harin"),
    ("유찬", "Yuchan"), ("윤서", "Yunseo"), ("은호", "Eunho"), ("가은", "Gaeun"), ("태윤", "Taeyun"),
    ("나연", "Nayeon"), ("재원", "Jaewon"), ("서진", "Seojin"), ("현준", "Hyunjun"), ("아인", "Ain"),
)  # fmt: skip
RATINGS = ("all", "all", "12", "12", "15", "19")


@dataclass(frozen=True)
class BulkPerson:
    slug: str
    name: str
    name_en: str
    bio: str
    bio_en: str


@dataclass(frozen=True)
class BulkFilm:
    title: str
    title_en: str
    logline: str
    logline_en: str
    synopsis: str
    synopsis_en: str
    genres: tuple[str, ...]
    year: int
    release: datetime.date
    runtime: int
    price: int
    rating: str
    credits: tuple  # (Person, role, character)


def bulk_people(count: int) -> list[BulkPerson]:
    """`count` generated alumni; person k is always the same person."""
    people = []
    for k in range(1, count + 1):
        surname, surname_en = SURNAMES[k % len(SURNAMES)]
        # 11 is coprime with 30: the first 600 people all have different names.
        given, given_en = GIVEN_NAMES[(k * 11 + k // len(SURNAMES)) % len(GIVEN_NAMES)]
        year = 2019 + k % 7
        people.append(
            BulkPerson(
                slug=f"{slugify(f'{surname_en} {given_en}')}-{k}",
                name=f"{surname}{given}",
                name_en=f"{surname_en} {given_en}",
                bio=f"{year}년 졸업. 학과 졸업영화에서 연출과 연기를 함께 했다.",
                bio_en=f"Graduated {year}; directed and acted in the department's graduation films.",
            )
        )
    return people


def bulk_film(number: int, genre_slugs: list[str], people: list) -> BulkFilm:
    """Generated film `number` (1-based), credited to people from `people`."""
    rng = random.Random(number)  # noqa: S311 — not security: a stable film per number
    adjective, adjective_en = ADJECTIVES[number % len(ADJECTIVES)]
    noun, noun_en = NOUNS[(number // len(ADJECTIVES)) % len(NOUNS)]
    series = number // (len(ADJECTIVES) * len(NOUNS))
    title, title_en = f"{adjective} {noun}", f"The {adjective_en} {noun_en}"
    if series:
        title, title_en = f"{title} {series + 1}", f"{title_en} {series + 1}"
    place, place_en = rng.choice(PLACES)
    year = rng.randint(2019, 2025)
    genres = tuple(rng.sample(genre_slugs, rng.randint(1, 3)))
    director, lead, actor = (
        people[(number * step + offset) % len(people)] for step, offset in ((3, 0), (5, 1), (11, 2))
    )
    return BulkFilm(
        title=title,
        title_en=title_en,
        logline=f"{place}의 {noun}에서 시작된 하루, {lead.name}이 연기하는 인물은 돌아갈 수 없다.",
        logline_en=f"A day that begins at a {noun_en.lower()} in {place_en}, and a character who cannot go back.",
        synopsis=f"<p>{year}년 졸업영화제 상영작. {place}에서 촬영한 {rng.randint(8, 60)}분짜리 이야기로, "
        f"{director.name} 감독이 연출했다.</p>",
        synopsis_en=f"<p>A {year} graduation film shot in {place_en}, directed by {director.name_en}.</p>",
        genres=genres,
        year=year,
        release=datetime.date(year, rng.choice((11, 12)), rng.randint(1, 28)),
        runtime=rng.randint(8, 60),
        price=0 if rng.random() < 0.7 else rng.randrange(3000, 10000, 1000),
        rating=rng.choice(RATINGS),
        credits=((director, DIRECTOR, ""), (lead, LEAD, "주인공"), (actor, ACTOR, "")),
    )
