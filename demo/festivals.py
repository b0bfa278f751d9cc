"""Festivals that showed or honoured demo films: laurels on their pages, marks on their cards.

Keyed by the film's slug (`data.FILMS`, `data.PROJECTS`), in the order the page shows them. The
festivals are invented, like the people; each is named the same way on every film, so the
catalogue's festival filter finds all of a festival's films.
"""

from dataclasses import dataclass

AWARD = "award"
SPECIAL_MENTION = "special_mention"
NOMINEE = "nominee"
SELECTION = "official_selection"


@dataclass(frozen=True)
class FestivalData:
    name: str
    name_en: str
    year: int
    kind: str
    award: str = ""
    award_en: str = ""


HAN_RIVER = ("한강국제단편영화제", "Han River International Short Film Festival")
NAMSAN = ("남산독립영화제", "Namsan Independent Film Festival")
EAST_SEA = ("동해판타스틱영화제", "East Sea Fantastic Film Festival")
JEJU = ("제주청년영화제", "Jeju Youth Film Festival")
STUDENTS = ("서울학생영화제", "Seoul Student Film Festival")
LISBON = ("리스본 학생영화제", "Lisbon Student Film Festival")

FESTIVALS: dict[str, tuple[FestivalData, ...]] = {
    "winter-bus-stop": (
        FestivalData(*HAN_RIVER, 2025, AWARD, "최우수 작품상", "Best Film"),
        FestivalData(*NAMSAN, 2025, SELECTION, "경쟁 부문", "Competition"),
    ),
    "the-last-screening": (
        FestivalData(*STUDENTS, 2024, AWARD, "관객상", "Audience Award"),
        FestivalData(*LISBON, 2024, SELECTION),
    ),
    "붉은-골목": (FestivalData(*EAST_SEA, 2023, AWARD, "최우수 장르영화상", "Best Genre Film"),),
    "far-side-of-the-moon": (FestivalData(*NAMSAN, 2025, NOMINEE, "신인감독상", "Best New Director"),),
    "the-cat-post-office": (FestivalData(*STUDENTS, 2024, AWARD, "애니메이션상", "Best Animation"),),
    "the-silent-room": (FestivalData(*EAST_SEA, 2022, SELECTION, "미드나잇 섹션", "Midnight Section"),),
    "grandmas-kitchen": (FestivalData(*HAN_RIVER, 2020, SPECIAL_MENTION, "심사위원 특별언급", "Jury Special Mention"),),
    "the-glass-forest": (FestivalData(*JEJU, 2026, SELECTION),),
    "first-snow": (FestivalData(*HAN_RIVER, 2024, SELECTION),),
    "room-404": (FestivalData(*EAST_SEA, 2025, AWARD, "심사위원상", "Jury Prize"),),
    "the-last-lesson": (FestivalData(*JEJU, 2026, NOMINEE, "최우수 작품상", "Best Film"),),
    # Projects: their pitch, before the film exists.
    "무대-뒤의-사람들": (FestivalData(*HAN_RIVER, 2026, SELECTION, "프로젝트 마켓", "Project Market"),),
    "detective-of-the-last-alley": (FestivalData(*STUDENTS, 2025, AWARD, "피칭상", "Best Pitch"),),
}
