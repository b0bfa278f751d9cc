"""The hand-written demo catalogue: people, finished films, funding projects, collections.

Written the way the department's office would describe its graduates' work.
Slugs are the stable keys the loader uses to find what already exists, so
change a slug and the loader treats it as a new page, unless the old one is
listed in `FORMER_SLUGS`. Some slugs are Korean, as Wagtail makes them from
Korean titles, so every address of the site is exercised with them (a page's
slug is part of its URL, its watch page's and every link to them). Names are
invented.
"""

from dataclasses import dataclass, field

from .posters import Palette

DIRECTOR = "director"
WRITER = "writer"
LEAD = "lead_actor"
ACTOR = "actor"
DOP = "cinematographer"
EDITOR = "editor"
COMPOSER = "composer"
PRODUCER = "producer"

# E-mail addresses of the demo creators (made by `ensure_demo_admin`); films
# they "own" are editable by them in the admin.
CREATOR_1 = "creator1@dongguk.edu"
CREATOR_2 = "creator2@dongguk.edu"


@dataclass(frozen=True)
class PersonData:
    slug: str
    name: str
    name_en: str
    bio: str
    bio_en: str


@dataclass(frozen=True)
class FilmData:
    """A finished film (or, with `ProjectData`, one in production). `credits` are (person slug, role[, character])."""

    slug: str
    title: str
    title_en: str
    logline: str
    logline_en: str
    synopsis: str
    synopsis_en: str
    genres: tuple[str, ...]
    year: int
    release: str  # ISO date
    runtime: int
    credits: tuple[tuple[str, ...], ...]
    palette: Palette
    rating: str = "all"
    price: int = 0
    advisory: str = ""
    stills: int = 0
    owner: str = ""


@dataclass(frozen=True)
class TierData:
    amount: int
    title: str
    reward: str = ""
    ships: bool = False  # the reward is posted: backers give a shipping address


@dataclass(frozen=True)
class UpdateData:
    date: str
    title: str
    body: str


@dataclass(frozen=True)
class ProjectData(FilmData):
    stage: str = "development"
    target: int | None = None
    minimum: int = 1000
    budget: str = ""
    tiers: tuple[TierData, ...] = ()
    updates: tuple[UpdateData, ...] = ()
    raised: tuple[int, int] = (0, 0)  # (amount, backers)


@dataclass(frozen=True)
class CollectionData:
    slug: str
    title: str
    intro: str
    films: tuple[str, ...]
    palette: Palette
    motif: str
    tags: tuple[str, ...] = field(default=())
    title_en: str = ""
    intro_en: str = ""


@dataclass(frozen=True)
class NoticeData:
    """A notice on the notice board. Dates are relative to the day the demo is loaded: dated `days_ago`,
    and pinned to the home page for `pinned_days` from the load (0: not pinned)."""

    slug: str
    title: str
    title_en: str
    body: str
    body_en: str
    days_ago: int = 0
    pinned_days: int = 0


# Palettes by mood: gradient top, bottom, accent.
DUSK = Palette("#1d2b4f", "#0b0d17", "#f0a45d")
WINTER = Palette("#31485e", "#0d1620", "#bcd7ec")
NEON = Palette("#3a0f3f", "#0c0612", "#ff4f8b")
EMBER = Palette("#4a1410", "#120605", "#ff7a3d")
FOREST = Palette("#17392f", "#06120e", "#9fe0b5")
OCEAN = Palette("#0f3a4f", "#04121a", "#62d0e6")
BLOOD = Palette("#2b0608", "#080203", "#d2232f")
CANDY = Palette("#4b2a6b", "#171027", "#ffc94d")
STEEL = Palette("#2d3139", "#0b0c0f", "#9fb3c8")
SPRING = Palette("#5b3a52", "#1a1019", "#ffb3c7")
GOLD = Palette("#3d3016", "#100c05", "#e8c268")
VIOLET = Palette("#251a4d", "#0a0717", "#a58cff")

PEOPLE = (
    PersonData(
        "kim-jisu", "김지수", "Kim Jisu",
        "2024년 졸업. 버스 정류장과 교실처럼 매일 지나치는 장소에서 이야기를 찾는다. 단편 「겨울 정류장」으로 학과 졸업영화제 대상을 받았다.",
        "Graduated 2024. Finds stories in places we pass every day, bus stops and classrooms. Her short Winter Bus Stop won the department's graduation festival.",
    ),
    PersonData(
        "park-doyun", "박도윤", "Park Doyun",
        "장르를 비틀어 웃기는 감독. 편의점 야간 근무 경험이 데뷔작의 바탕이 되었다. 현재 장편 데뷔를 준비 중이다.",
        "A director who bends genre until it is funny. Years of night shifts at a convenience store became his first film. Now preparing a feature debut.",
    ),
    PersonData(
        "lee-seoyeon", "이서연", "Lee Seoyeon",
        "다큐멘터리와 극영화의 경계에서 작업한다. 가족과 지방 소도시, 사라지는 직업에 관심이 많다.",
        "Works between documentary and fiction, drawn to families, small towns and jobs that are disappearing.",
    ),
    PersonData(
        "choi-minjun", "최민준", "Choi Minjun",
        "저예산 SF를 고집하는 감독. 학교 스튜디오의 조명만으로 우주를 만든다는 평을 듣는다.",
        "Insists on low-budget science fiction; people say he builds outer space out of the school studio's lights.",
    ),
    PersonData(
        "jung-haeun", "정하은", "Jung Haeun",
        "손으로 그린 2D 애니메이션 감독. 한 편에 1만 장 넘는 그림을 그린다.",
        "Hand-drawn 2D animation director who draws more than ten thousand frames for a short.",
    ),
    PersonData(
        "kang-taeyang", "강태양", "Kang Taeyang",
        "액션 연출과 무술 합을 직접 짜는 감독. 스턴트 팀 출신으로 학과 액션 워크숍을 이끈다.",
        "Designs his own fight choreography; a former stunt performer who runs the department's action workshop.",
    ),
    PersonData(
        "yoon-sua", "윤수아", "Yoon Sua",
        "로맨틱 코미디와 음악영화를 쓰고 연출한다. 대사의 리듬을 위해 배우들과 오래 리허설한다.",
        "Writes and directs romantic comedies and music films, rehearsing at length with actors for the rhythm of the dialogue.",
    ),
    PersonData(
        "han-jiho", "한지호", "Han Jiho",
        "소리로 무서운 영화를 만드는 감독. 사운드 디자인을 전공한 뒤 연출로 옮겼다.",
        "Makes films that frighten through sound; studied sound design before moving to directing.",
    ),
    PersonData(
        "song-yujin", "송유진", "Song Yujin",
        "연기 전공 졸업생. 학과 단편 스무 편 이상에 출연했다.",
        "Acting graduate who has appeared in more than twenty of the department's shorts.",
    ),
    PersonData(
        "oh-jaehyun", "오재현", "Oh Jaehyun",
        "무뚝뚝한 얼굴로 웃기는 배우. 연극 무대에서 경력을 시작했다.",
        "An actor who is funny with a straight face; started out on the theatre stage.",
    ),
    PersonData(
        "shin-minseo", "신민서", "Shin Minseo",
        "스릴러와 호러에서 자주 보는 배우. 대사 없는 장면에 강하다.",
        "Often seen in thrillers and horror; strongest in scenes without a word of dialogue.",
    ),
    PersonData(
        "lim-dohyun", "임도현", "Lim Dohyun",
        "액션 배우. 강태양 감독의 거의 모든 작품에 출연했다.",
        "Action actor who has appeared in nearly every Kang Taeyang film.",
    ),
    PersonData(
        "jang-narae", "장나래", "Jang Narae",
        "성우이자 배우. 애니메이션 목소리 연기와 실사 영화를 오간다.",
        "Voice actor and actor, moving between animation voice work and live action.",
    ),
    PersonData(
        "kwon-hyunwoo", "권현우", "Kwon Hyunwoo",
        "신인 배우. 「첫 번째 눈」으로 데뷔했다.",
        "Newcomer who debuted in First Snow.",
    ),
    PersonData(
        "baek-soyoung", "백소영", "Baek Soyoung",
        "학과 1기 졸업생이자 원로 배우. 후배들의 작품에 할머니, 선생님, 이웃으로 출연한다.",
        "One of the department's first graduates and a veteran actor; plays grandmothers, teachers and neighbours in students' films.",
    ),
    PersonData(
        "moon-jiwon", "문지원", "Moon Jiwon",
        "촬영감독. 자연광과 핸드헬드를 즐긴다.",
        "Cinematographer who loves natural light and handheld camera.",
    ),
    PersonData(
        "seo-eunchae", "서은채", "Seo Eunchae",
        "촬영감독. 어두운 장면의 색을 만드는 데 공을 들인다.",
        "Cinematographer who takes care over colour in the dark.",
    ),
    PersonData(
        "hwang-junseo", "황준서", "Hwang Junseo",
        "편집감독. 코미디의 타이밍을 편집실에서 다시 만든다.",
        "Editor who rebuilds comic timing in the cutting room.",
    ),
    PersonData(
        "ahn-yerin", "안예린", "Ahn Yerin",
        "편집감독이자 컬러리스트.",
        "Editor and colourist.",
    ),
    PersonData(
        "jo-seungmin", "조승민", "Jo Seungmin",
        "작곡가. 실용음악과와 영화과를 잇는 협업 수업 출신.",
        "Composer, from the joint class between the music and film departments.",
    ),
    PersonData(
        "yoo-haneul", "유하늘", "Yoo Haneul",
        "작곡가이자 사운드 디자이너. 피아노 한 대로 영화음악을 만든다.",
        "Composer and sound designer who scores films with a single piano.",
    ),
    PersonData(
        "nam-gyuri", "남규리", "Nam Gyuri",
        "프로듀서. 졸업작품 예산과 일정을 책임진다.",
        "Producer who keeps graduation films on budget and on schedule.",
    ),
    PersonData(
        "cha-minho", "차민호", "Cha Minho",
        "프로듀서. 로케이션 섭외의 달인.",
        "Producer and a master at securing locations.",
    ),
)  # fmt: skip


def _crew(dop: str, editor: str, composer: str, producer: str) -> tuple[tuple[str, str], ...]:
    return ((dop, DOP), (editor, EDITOR), (composer, COMPOSER), (producer, PRODUCER))


FILMS = (
    FilmData(
        "winter-bus-stop", "겨울 정류장", "Winter Bus Stop",
        "막차를 기다리는 두 사람, 오지 않는 버스, 끝나지 않는 대화.",
        "Two strangers wait for a last bus that never comes.",
        "<p>눈 내리는 시골 정류장. 서울로 떠나려는 수진과 고향에 돌아온 민호는 막차를 기다리며 서로의 이유를 묻는다. 버스는 오지 않고, 두 사람은 밤새 걷기로 한다.</p>",
        "<p>A snowed-in country bus stop. Sujin is leaving for Seoul, Minho has just come home, and while they wait for the last bus they ask each other why. The bus never comes, so they decide to walk through the night.</p>",
        ("drama", "romance"), 2024, "2024-11-22", 24,
        (("kim-jisu", DIRECTOR), ("kim-jisu", WRITER), ("song-yujin", LEAD, "수진"), ("oh-jaehyun", LEAD, "민호"),
         *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        WINTER, stills=2, owner=CREATOR_1,
    ),
    FilmData(
        "우리들의-졸업작품", "우리들의 졸업작품", "Our Graduation Film",
        "촬영 3일 전, 주연 배우가 사라졌다. 졸업은 할 수 있을까?",
        "Three days before the shoot, the lead actor vanishes. Will anyone graduate?",
        "<p>졸업작품 촬영을 사흘 앞두고 주연 배우가 연락을 끊는다. 감독 지은은 동기들과 함께 대본을 고치고, 조명을 빌리고, 결국 자신이 카메라 앞에 선다. 영화과 학생이라면 누구나 아는 그 일주일에 대한 코미디.</p>",
        "<p>Three days before the graduation shoot, the lead actor stops answering. Director Jieun rewrites the script with her classmates, borrows lights, and ends up in front of the camera herself. A comedy about the week every film student knows.</p>",
        ("comedy", "drama", "etc"), 2025, "2025-11-28", 31,
        (("yoon-sua", DIRECTOR), ("yoon-sua", WRITER), ("jang-narae", LEAD, "지은"), ("oh-jaehyun", ACTOR, "조감독 태식"),
         ("baek-soyoung", ACTOR, "지도교수"), *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        CANDY, stills=2,
    ),
    FilmData(
        "the-last-screening", "마지막 상영", "The Last Screening",
        "문을 닫는 동네 극장의 마지막 밤, 영사기사는 필름 한 통을 더 건다.",
        "On the closing night of a neighbourhood cinema, the projectionist threads one more reel.",
        "<p>40년 된 단관 극장이 문을 닫는다. 영사기사 정 씨는 마지막 상영이 끝난 뒤에도 집에 가지 않고, 창고에서 아무도 본 적 없는 필름 한 통을 찾아낸다.</p>",
        "<p>A forty-year-old single-screen cinema is closing. After the final show, projectionist Mr Jeong stays behind and finds, in the storeroom, a reel nobody has ever seen.</p>",
        ("drama", "etc"), 2023, "2023-12-01", 28,
        (("lee-seoyeon", DIRECTOR), ("lee-seoyeon", WRITER), ("baek-soyoung", LEAD, "매표원 순자"), ("kwon-hyunwoo", ACTOR, "정 씨의 아들"),
         *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        GOLD, stills=2,
    ),
    FilmData(
        "붉은-골목", "붉은 골목", "Red Alley",
        "빚을 갚으려던 배달 기사가 하룻밤 사이 조직의 표적이 된다.",
        "A delivery rider trying to clear his debt becomes a gang's target overnight.",
        "<p>오토바이 배달 기사 준호는 마지막 배달지에서 열어서는 안 될 가방을 본다. 좁은 골목과 옥상을 달리는 추격 끝에, 그는 자신을 쫓는 사람이 누구인지 알게 된다.</p>",
        "<p>Motorbike courier Junho sees inside a bag he should never have opened. After a chase through narrow alleys and across rooftops, he learns who is really after him.</p>",
        ("crime", "thriller", "action"), 2022, "2022-11-18", 38,
        (("kang-taeyang", DIRECTOR), ("kang-taeyang", WRITER), ("lim-dohyun", LEAD, "준호"), ("shin-minseo", ACTOR, "형사 윤"),
         *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        EMBER, rating="15", price=5000, advisory="폭력, 욕설", stills=2,
    ),
    FilmData(
        "far-side-of-the-moon", "달의 뒷면", "Far Side of the Moon",
        "달 기지에 홀로 남은 정비사에게 지구에서 온 적 없는 신호가 닿는다.",
        "Alone on a lunar base, a mechanic receives a signal that never came from Earth.",
        "<p>교대 인원이 오지 않은 지 백일째. 정비사 하윤은 달의 뒷면에서 반복되는 신호를 듣는다. 그것은 10년 전 세상을 떠난 동생의 목소리다.</p>",
        "<p>It has been a hundred days since the relief crew failed to arrive. Mechanic Hayun picks up a repeating signal from the far side of the Moon: the voice of her brother, who died ten years ago.</p>",
        ("sf", "drama"), 2024, "2024-11-29", 42,
        (("choi-minjun", DIRECTOR), ("choi-minjun", WRITER), ("song-yujin", LEAD, "하윤"), ("kwon-hyunwoo", ACTOR, "하준 (목소리)"),
         *_crew("seo-eunchae", "ahn-yerin", "jo-seungmin", "nam-gyuri")),
        STEEL, rating="12", price=7000, stills=2,
    ),
    FilmData(
        "the-cat-post-office", "고양이 우체국", "The Cat Post Office",
        "고양이들이 운영하는 우체국에 사람이 보낸 편지 한 통이 도착한다.",
        "A letter from a human arrives at a post office run by cats.",
        "<p>골목 끝 우체국은 밤이 되면 고양이들의 것이다. 신참 배달부 치즈는 주소가 '하늘나라'라고 적힌 편지를 받고, 배달을 포기하지 않기로 한다.</p>",
        "<p>At night the post office at the end of the lane belongs to the cats. Rookie carrier Cheese is handed a letter addressed to 'Heaven' and refuses to give up on delivering it.</p>",
        ("animation", "fantasy", "comedy"), 2023, "2023-11-24", 14,
        (("jung-haeun", DIRECTOR), ("jung-haeun", WRITER), ("jang-narae", LEAD, "치즈 (목소리)"),
         *_crew("jung-haeun", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        CANDY,
    ),
    FilmData(
        "the-silent-room", "소리 없는 방", "The Silent Room",
        "방음 연습실에 갇힌 밤, 들리지 않아야 할 소리가 들린다.",
        "Locked in a soundproof practice room, she hears what should be inaudible.",
        "<p>입시를 앞둔 첼리스트 서영은 방음 연습실에서 밤을 새운다. 새벽 세 시, 완벽하게 막힌 방 안에서 누군가 그녀의 연주를 따라 하기 시작한다.</p>",
        "<p>Cellist Seoyoung practises through the night before her entrance audition. At three in the morning, inside a perfectly sealed room, someone begins to play along.</p>",
        ("horror", "thriller"), 2021, "2021-11-26", 22,
        (("han-jiho", DIRECTOR), ("han-jiho", WRITER), ("shin-minseo", LEAD, "서영"),
         *_crew("seo-eunchae", "hwang-junseo", "yoo-haneul", "cha-minho")),
        BLOOD, rating="15", price=4000, advisory="공포 장면",
    ),
    FilmData(
        "summer-sea-radio", "여름, 바다, 라디오", "Summer, Sea, Radio",
        "바닷가 마을 라디오 DJ와 매일 사연을 보내는 익명의 청취자.",
        "A seaside radio DJ and the anonymous listener who writes in every day.",
        "<p>작은 항구 도시의 지역 라디오. DJ 은호는 매일 같은 시각에 도착하는 익명의 사연을 읽는다. 여름이 끝나기 전에 그 사람을 찾고 싶다.</p>",
        "<p>A local radio station in a small harbour town. DJ Eunho reads an anonymous letter that arrives at the same time every day, and wants to find its writer before summer ends.</p>",
        ("romance", "drama"), 2020, "2020-12-04", 26,
        (("yoon-sua", DIRECTOR), ("yoon-sua", WRITER), ("kwon-hyunwoo", LEAD, "은호"), ("jang-narae", LEAD, "바다"),
         *_crew("moon-jiwon", "hwang-junseo", "jo-seungmin", "nam-gyuri")),
        OCEAN,
    ),
    FilmData(
        "escape-from-seoul", "서울 탈출", "Escape from Seoul",
        "출근길 지하철이 멈췄다. 회의까지 남은 시간은 40분.",
        "The morning subway stops dead. The meeting starts in forty minutes.",
        "<p>신입 사원 동수는 인생을 건 발표를 앞두고 멈춘 지하철에 갇힌다. 자전거, 퀵서비스, 한강 유람선까지, 서울을 가로지르는 40분짜리 액션 코미디.</p>",
        "<p>New recruit Dongsu is stuck on a stalled subway train on the morning of the presentation of his life. Bicycles, couriers, even a Han River cruise boat: a forty-minute action comedy across Seoul.</p>",
        ("action", "adventure", "comedy"), 2022, "2022-12-02", 40,
        (("kang-taeyang", DIRECTOR), ("park-doyun", WRITER), ("oh-jaehyun", LEAD, "동수"), ("lim-dohyun", ACTOR, "퀵서비스 기사"),
         *_crew("moon-jiwon", "hwang-junseo", "jo-seungmin", "cha-minho")),
        NEON, rating="12", price=6000,
    ),
    FilmData(
        "grandmas-kitchen", "할머니의 부엌", "Grandma's Kitchen",
        "레시피 없이 전해진 맛을 기록하려는 손녀의 일 년.",
        "A granddaughter spends a year recording recipes that were never written down.",
        "<p>치매 진단을 받은 할머니의 손맛을 잊기 전에 기록하려는 손녀. 계절마다 김치를 담그며, 두 사람은 부엌에서 오래된 이야기를 나눈다.</p>",
        "<p>After her grandmother's dementia diagnosis, a granddaughter sets out to record her cooking before it is forgotten. Season by season, making kimchi, the two share old stories in the kitchen.</p>",
        ("drama", "etc"), 2019, "2019-11-29", 35,
        (("lee-seoyeon", DIRECTOR), ("lee-seoyeon", WRITER), ("baek-soyoung", LEAD, "할머니"), ("song-yujin", LEAD, "손녀 다은"),
         *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        SPRING,
    ),
    FilmData(
        "the-glass-forest", "유리 숲", "The Glass Forest",
        "모든 나무가 유리로 변한 숲, 소녀는 마지막 살아 있는 씨앗을 지킨다.",
        "In a forest turned to glass, a girl guards the last living seed.",
        "<p>어느 날 숲의 나무들이 유리로 변했다. 소녀 아린은 말하는 여우와 함께 마지막 살아 있는 씨앗을 품고 숲의 심장을 찾아 떠난다.</p>",
        "<p>One day the trees of the forest turned to glass. With a talking fox, the girl Arin carries the last living seed in search of the forest's heart.</p>",
        ("fantasy", "adventure", "animation"), 2025, "2025-11-21", 19,
        (("jung-haeun", DIRECTOR), ("jung-haeun", WRITER), ("jang-narae", LEAD, "아린 (목소리)"), ("oh-jaehyun", ACTOR, "여우 (목소리)"),
         *_crew("jung-haeun", "ahn-yerin", "jo-seungmin", "nam-gyuri")),
        FOREST, price=9000, stills=2,
    ),
    FilmData(
        "night-shift", "야간 편의점", "Night Shift",
        "새벽 두 시 편의점, 손님들은 모두 무언가를 숨기고 있다.",
        "At 2 a.m. in a convenience store, every customer is hiding something.",
        "<p>아르바이트생 태오의 야간 근무는 늘 조용했다. 오늘 밤만 빼고. 컵라면을 사러 온 형사, 우산을 빌리러 온 신부, 그리고 계산대 밑의 검은 봉투.</p>",
        "<p>Part-timer Taeo's night shifts are always quiet, except tonight: a detective buying instant noodles, a bride borrowing an umbrella, and a black bag under the counter.</p>",
        ("comedy", "thriller"), 2021, "2021-12-03", 27,
        (("park-doyun", DIRECTOR), ("park-doyun", WRITER), ("oh-jaehyun", LEAD, "태오"), ("shin-minseo", ACTOR, "신부"),
         ("lim-dohyun", ACTOR, "형사"), *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        NEON, rating="12", owner=CREATOR_2,
    ),
    FilmData(
        "island-in-the-fog", "안개 속의 섬", "Island in the Fog",
        "지도에 없는 섬으로 떠난 대학 동아리 MT, 안개가 걷히지 않는다.",
        "A university club trip to an island that is not on any map, and a fog that never lifts.",
        "<p>등산 동아리 다섯 명은 선배가 알려준 섬으로 MT를 떠난다. 배는 돌아가지 않고 안개는 짙어지며, 섬 주민들은 모두 같은 노래를 부른다.</p>",
        "<p>Five members of a hiking club take a trip to an island a senior told them about. The boat does not come back, the fog thickens, and the islanders all sing the same song.</p>",
        ("horror", "adventure"), 2020, "2020-11-27", 33,
        (("han-jiho", DIRECTOR), ("han-jiho", WRITER), ("shin-minseo", LEAD, "유나"), ("kwon-hyunwoo", ACTOR, "동아리 회장"),
         *_crew("seo-eunchae", "ahn-yerin", "yoo-haneul", "cha-minho")),
        STEEL, rating="15", advisory="공포, 약한 유혈",
    ),
    FilmData(
        "the-light-counter", "빛을 세는 사람", "The Light Counter",
        "도시의 불빛을 하나씩 세는 공무원, 어느 밤 하나가 남는다.",
        "A civil servant who counts the city's lights finds one too many.",
        "<p>2049년 서울, 에너지청 직원 도경은 밤마다 도시의 불빛을 센다. 어느 날, 기록에 없는 창문 하나가 켜져 있다.</p>",
        "<p>Seoul, 2049. Energy agency clerk Dokyung counts the city's lights every night, until one evening a window that is on no register is lit.</p>",
        ("sf", "drama"), 2019, "2019-12-06", 29,
        (("choi-minjun", DIRECTOR), ("choi-minjun", WRITER), ("kwon-hyunwoo", LEAD, "도경"), ("baek-soyoung", ACTOR, "창문 속 노인"),
         *_crew("moon-jiwon", "hwang-junseo", "jo-seungmin", "nam-gyuri")),
        VIOLET, price=3000,
    ),
    FilmData(
        "first-snow", "첫 번째 눈", "First Snow",
        "첫눈이 오면 만나자던 약속, 10년 뒤의 첫눈.",
        "A promise to meet at the first snow, ten years later.",
        "<p>고등학교 졸업식 날, 두 사람은 첫눈이 오는 날 학교 앞에서 만나자고 약속했다. 그리고 10년이 지난 첫눈.</p>",
        "<p>On their high-school graduation day they promised to meet outside the school at the first snow. Ten years later, it snows.</p>",
        ("romance",), 2023, "2023-12-08", 12,
        (("kim-jisu", DIRECTOR), ("kim-jisu", WRITER), ("kwon-hyunwoo", LEAD, "현우"), ("song-yujin", LEAD, "지원"),
         *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        WINTER, owner=CREATOR_1,
    ),
    FilmData(
        "room-404", "404호", "Room 404",
        "존재하지 않는 호실에서 온 택배, 받는 사람은 나.",
        "A parcel from a flat that does not exist, addressed to me.",
        "<p>오피스텔 관리인 민재는 404호로 가는 택배를 받는다. 이 건물에는 4층이 없다. 택배를 열자, 내일 날짜의 신문이 들어 있다.</p>",
        "<p>Building manager Minjae signs for a parcel for Room 404. The building has no fourth floor. Inside the parcel is tomorrow's newspaper.</p>",
        ("thriller", "crime", "sf"), 2024, "2024-12-06", 36,
        (("park-doyun", DIRECTOR), ("park-doyun", WRITER), ("lim-dohyun", LEAD, "민재"), ("shin-minseo", ACTOR, "택배 기사"),
         *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        STEEL, rating="15", price=5000, owner=CREATOR_2,
    ),
    FilmData(
        "neighbourhood-hero", "우리 동네 히어로", "Our Neighbourhood Hero",
        "초능력은 없지만 동네 일은 다 해결하는 치킨집 사장.",
        "No superpowers, but the fried-chicken shop owner fixes everything in the neighbourhood.",
        "<p>재개발을 앞둔 동네, 치킨집 사장 병철은 배달 오토바이를 타고 동네 문제를 해결한다. 그러던 어느 날 진짜 악당이 나타난다.</p>",
        "<p>In a neighbourhood facing redevelopment, chicken-shop owner Byungchul solves everyone's problems on his delivery bike, until a real villain turns up.</p>",
        ("action", "comedy"), 2020, "2020-11-20", 25,
        (("kang-taeyang", DIRECTOR), ("kang-taeyang", WRITER), ("lim-dohyun", LEAD, "병철"), ("baek-soyoung", ACTOR, "세탁소 할머니"),
         *_crew("moon-jiwon", "hwang-junseo", "jo-seungmin", "cha-minho")),
        EMBER, rating="12",
    ),
    FilmData(
        "paper-plane", "종이비행기", "Paper Plane",
        "병원 창문 밖으로 날린 종이비행기가 맞은편 병동에 닿는다.",
        "A paper plane thrown from a hospital window lands in the ward across the way.",
        "<p>입원한 아이 도윤은 매일 종이비행기에 그림을 그려 날린다. 어느 날 맞은편 병동에서 답장이 날아온다.</p>",
        "<p>Doyun, a child in hospital, draws on paper planes and throws them from the window. One day an answer flies back from the ward opposite.</p>",
        ("animation", "drama"), 2022, "2022-11-25", 11,
        (("jung-haeun", DIRECTOR), ("jung-haeun", WRITER), ("jang-narae", LEAD, "도윤 (목소리)"),
         *_crew("jung-haeun", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        SPRING,
    ),
    FilmData(
        "black-water", "검은 물", "Black Water",
        "저수지에서 발견된 차량, 실종 신고는 없었다.",
        "A car is pulled from the reservoir. Nobody was reported missing.",
        "<p>가뭄으로 바닥을 드러낸 저수지에서 20년 전의 차가 발견된다. 마을 순경 혜진은 아무도 그 차를 기억하지 못한다는 사실이 이상하다.</p>",
        "<p>Drought exposes the bed of the reservoir and a car from twenty years ago. Village officer Hyejin finds it strange that nobody remembers it.</p>",
        ("horror", "crime"), 2023, "2023-11-17", 41,
        (("han-jiho", DIRECTOR), ("han-jiho", WRITER), ("shin-minseo", LEAD, "혜진"), ("baek-soyoung", ACTOR, "이장"),
         *_crew("seo-eunchae", "ahn-yerin", "yoo-haneul", "cha-minho")),
        BLOOD, rating="19", price=6000, advisory="유혈, 공포",
    ),
    FilmData(
        "the-letter-carrier", "편지 배달부", "The Letter Carrier",
        "산골 마을의 마지막 집배원, 은퇴 전 마지막 한 주.",
        "The last postman of a mountain village, in his final week before retirement.",
        "<p>30년 동안 같은 산길을 오른 집배원 상철. 은퇴를 일주일 앞두고, 그는 주소가 지워진 편지의 주인을 찾아 나선다.</p>",
        "<p>For thirty years postman Sangcheol has climbed the same mountain roads. A week before he retires he sets out to find who a letter with a smudged address belongs to.</p>",
        ("drama", "adventure"), 2021, "2021-11-19", 30,
        (("lee-seoyeon", DIRECTOR), ("lee-seoyeon", WRITER), ("oh-jaehyun", LEAD, "상철"), ("baek-soyoung", ACTOR, "편지의 주인"),
         *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        FOREST,
    ),
    FilmData(
        "the-editing-room-of-time", "시간의 편집실", "The Editing Room of Time",
        "지난 사랑을 편집할 수 있다면, 어디를 자르겠습니까?",
        "If you could edit a past love, where would you cut?",
        "<p>편집실 막내 해나는 타임라인을 자르면 실제 과거가 바뀐다는 사실을 알게 된다. 헤어진 연인과의 일 년을 다시 편집하기 시작한다.</p>",
        "<p>Junior editor Haena discovers that cutting the timeline changes the real past, and starts re-editing the year she spent with her ex.</p>",
        ("sf", "fantasy", "romance"), 2025, "2025-12-05", 34,
        (("yoon-sua", DIRECTOR), ("yoon-sua", WRITER), ("song-yujin", LEAD, "해나"), ("kwon-hyunwoo", LEAD, "준"),
         *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "nam-gyuri")),
        VIOLET, rating="12", price=7000,
    ),
    FilmData(
        "paradise-motel", "낙원 모텔", "Paradise Motel",
        "망해가는 모텔에 현상금이 걸린 손님이 체크인한다.",
        "A guest with a price on his head checks into a failing motel.",
        "<p>손님 없는 국도변 낙원 모텔. 사장 남매는 현상금이 걸린 손님을 알아보고 한탕을 계획하지만, 손님을 노리는 사람은 그들만이 아니다.</p>",
        "<p>The Paradise Motel on the old highway has no guests. The siblings who run it recognise a man with a bounty on him and plan one big score, but they are not the only ones after him.</p>",
        ("crime", "comedy"), 2019, "2019-11-22", 37,
        (("park-doyun", DIRECTOR), ("park-doyun", WRITER), ("oh-jaehyun", LEAD, "오빠 진수"), ("jang-narae", LEAD, "동생 진희"),
         ("lim-dohyun", ACTOR, "손님"), *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        GOLD, rating="15", advisory="약한 폭력",
    ),
    FilmData(
        "spring-audition", "봄날의 오디션", "Spring Audition",
        "오디션 대기실에서 만난 두 사람, 합격자는 한 명.",
        "Two singers meet in an audition waiting room. Only one gets through.",
        "<p>뮤지컬 오디션 대기실. 열 번째 낙방을 앞둔 민서와 첫 오디션인 준영은 같은 배역을 두고 노래한다. 음악으로 말하는 로맨틱 코미디.</p>",
        "<p>A musical audition waiting room. Minseo, heading for her tenth rejection, and Junyoung, at his very first audition, sing for the same part. A romantic comedy told in songs.</p>",
        ("comedy", "romance", "etc"), 2024, "2024-11-15", 23,
        (("yoon-sua", DIRECTOR), ("yoon-sua", WRITER), ("jang-narae", LEAD, "민서"), ("kwon-hyunwoo", LEAD, "준영"),
         *_crew("moon-jiwon", "hwang-junseo", "jo-seungmin", "cha-minho")),
        SPRING,
    ),
    FilmData(
        "train-going-north", "북쪽으로 가는 기차", "The Train Going North",
        "아버지의 유골함을 들고 기차에 오른 세 남매.",
        "Three siblings board a train with their father's ashes.",
        "<p>아버지의 마지막 부탁은 고향 바다에 뿌려 달라는 것. 10년 동안 연락하지 않은 세 남매가 북쪽으로 가는 완행열차에서 다시 가족이 되어 간다.</p>",
        "<p>Their father's last wish was to be scattered in the sea where he grew up. Three siblings who have not spoken in ten years become a family again on the slow train north.</p>",
        ("adventure", "drama"), 2022, "2022-12-09", 44,
        (("lee-seoyeon", DIRECTOR), ("lee-seoyeon", WRITER), ("song-yujin", LEAD, "첫째 은영"), ("oh-jaehyun", ACTOR, "둘째 은호"),
         ("jang-narae", ACTOR, "막내 은비"), *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        DUSK, price=3000, stills=2,
    ),
    FilmData(
        "shadow-hunter", "그림자 사냥꾼", "Shadow Hunter",
        "사람의 그림자를 훔치는 존재를 쫓는 사냥꾼.",
        "A hunter on the trail of a creature that steals people's shadows.",
        "<p>그림자를 잃은 사람은 사흘 뒤 사라진다. 사냥꾼 강현은 그림자 도둑을 쫓아 밤의 시장으로 들어간다.</p>",
        "<p>People who lose their shadows disappear three days later. Hunter Kanghyun follows the shadow thief into the night market.</p>",
        ("action", "fantasy"), 2023, "2023-12-01", 39,
        (("kang-taeyang", DIRECTOR), ("kang-taeyang", WRITER), ("lim-dohyun", LEAD, "강현"), ("shin-minseo", ACTOR, "그림자 도둑"),
         *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        VIOLET, rating="15", price=8000, advisory="액션 폭력",
    ),
    FilmData(
        "the-last-lesson", "마지막 수업", "The Last Lesson",
        "폐교를 앞둔 분교의 마지막 학생과 마지막 선생님.",
        "The last pupil and the last teacher of a village school about to close.",
        "<p>학생이 한 명뿐인 섬 분교가 내년에 문을 닫는다. 선생님은 마지막 학기 동안 아이와 함께 학교의 모든 것을 영화로 남기기로 한다.</p>",
        "<p>The island school with a single pupil will close next year. For its last term the teacher and the child decide to film everything about the school.</p>",
        ("drama",), 2025, "2025-11-14", 27,
        (("kim-jisu", DIRECTOR), ("kim-jisu", WRITER), ("baek-soyoung", LEAD, "선생님"), ("song-yujin", ACTOR, "어른이 된 제자"),
         *_crew("moon-jiwon", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        GOLD, owner=CREATOR_1,
    ),
    FilmData(
        "a-small-universe", "작은 우주", "A Small Universe",
        "어항 속에 생긴 작은 우주를 돌보는 아이.",
        "A child looks after a tiny universe that appears in a fish tank.",
        "<p>금붕어가 떠난 어항에 별이 생겼다. 아이는 매일 밤 어항 속 행성들에게 이름을 지어 준다. 손그림과 스톱모션을 섞은 실험 애니메이션.</p>",
        "<p>Stars appear in the fish tank after the goldfish is gone, and every night the child names its planets. An experimental animation mixing drawings and stop motion.</p>",
        ("sf", "animation", "etc"), 2021, "2021-12-10", 9,
        (("jung-haeun", DIRECTOR), ("jung-haeun", WRITER), ("jang-narae", LEAD, "아이 (목소리)"),
         *_crew("jung-haeun", "ahn-yerin", "yoo-haneul", "nam-gyuri")),
        OCEAN,
    ),
    FilmData(
        "practising-lies", "거짓말 연습", "Practising Lies",
        "면접에서 거짓말을 연습하던 청년이 진짜 사기극에 휘말린다.",
        "A young man rehearsing lies for job interviews gets drawn into a real con.",
        "<p>취업 준비생 시우는 면접용 거짓말을 연습하다가 사기꾼에게 재능을 들킨다. 한 번만 도와주면 된다는 제안은 점점 커진다.</p>",
        "<p>Job-seeker Siwoo is practising interview lies when a con artist notices his talent. The offer, just help once, keeps growing.</p>",
        ("thriller", "drama"), 2024, "2024-11-08", 32,
        (("choi-minjun", DIRECTOR), ("choi-minjun", WRITER), ("kwon-hyunwoo", LEAD, "시우"), ("shin-minseo", ACTOR, "사기꾼 유 실장"),
         *_crew("seo-eunchae", "hwang-junseo", "jo-seungmin", "cha-minho")),
        NEON, rating="15", price=4000,
    ),
    FilmData(
        "rooftop-band", "옥상 위의 밴드", "The Rooftop Band",
        "철거를 앞둔 아파트 옥상에서 열리는 단 한 번의 공연.",
        "One concert on the roof of a block about to be demolished.",
        "<p>해체 직전의 인디 밴드가 철거를 앞둔 아파트 옥상에서 마지막 공연을 연다. 관객은 주민 열두 명과 철거반장.</p>",
        "<p>An indie band on the verge of splitting plays a last gig on the roof of a block of flats about to be demolished, for twelve residents and the demolition foreman.</p>",
        ("comedy", "etc"), 2020, "2020-12-11", 28,
        (("park-doyun", DIRECTOR), ("yoon-sua", WRITER), ("oh-jaehyun", LEAD, "보컬 기타"), ("jang-narae", ACTOR, "드러머"),
         *_crew("moon-jiwon", "hwang-junseo", "jo-seungmin", "cha-minho")),
        CANDY,
    ),
    FilmData(
        "night-the-wolf-comes", "늑대가 오는 밤", "The Night the Wolf Comes",
        "보름달마다 아이를 숨기는 마을, 올해는 숨길 곳이 없다.",
        "A village hides its children every full moon. This year there is nowhere left to hide.",
        "<p>산골 마을에는 보름달이 뜨면 아이들을 곳간에 숨기는 풍습이 있다. 올해 처음 마을에 온 교사 지현은 그 이유를 알아내려 한다.</p>",
        "<p>In a mountain village the children are hidden in the storehouse every full moon. Jihyun, a teacher new to the village this year, sets out to learn why.</p>",
        ("horror", "fantasy", "thriller"), 2022, "2022-11-11", 43,
        (("han-jiho", DIRECTOR), ("han-jiho", WRITER), ("song-yujin", LEAD, "지현"), ("lim-dohyun", ACTOR, "사냥꾼"),
         *_crew("seo-eunchae", "ahn-yerin", "yoo-haneul", "cha-minho")),
        BLOOD, rating="15", price=5000, advisory="공포, 동물 위험 장면",
    ),
)  # fmt: skip


PROJECTS = (
    ProjectData(
        "blue-memory", "파란 기억", "Blue Memory",
        "기억을 파는 가게에서 엄마의 기억을 되사려는 딸.",
        "A daughter tries to buy back her mother's memories from a shop that sells them.",
        "<p>기억을 사고파는 근미래. 엄마가 생활비를 위해 팔아 버린 가족의 기억을 되찾으려는 딸의 이야기. 김지수 감독의 첫 중편.</p>",
        "<p>In a near future where memories are bought and sold, a daughter tries to recover the family memories her mother sold to pay the bills. Kim Jisu's first mid-length film.</p>",
        ("sf", "drama"), 2026, "2026-11-27", 50,
        (("kim-jisu", DIRECTOR), ("kim-jisu", WRITER), ("song-yujin", LEAD, "딸 서하"), ("baek-soyoung", LEAD, "엄마"),
         ("moon-jiwon", DOP), ("nam-gyuri", PRODUCER)),
        OCEAN, owner=CREATOR_1,
        stage="development", target=5_000_000, minimum=1000,
        budget="<ul><li>미술 및 소품: 180만 원</li><li>장비 대여: 150만 원</li><li>배우 출연료와 식비: 170만 원</li></ul>",
        tiers=(TierData(5000, "응원 한 잔", "엔딩 크레딧에 이름"), TierData(30000, "제작 노트", "제작 노트 PDF와 크레딧"),
               TierData(100000, "시사회 초대", "시사회 초대 2인")),
        updates=(UpdateData("2026-03-14", "시나리오 3고 완성", "<p>지도교수님 피드백을 반영한 3고가 나왔습니다. 다음 달 배우 리딩을 합니다.</p>"),),
        raised=(1_250_000, 48),
    ),
    ProjectData(
        "garden-in-the-desert", "사막의 정원", "A Garden in the Desert",
        "사막 한가운데 정원을 가꾸는 노인과 길 잃은 소년.",
        "An old man tending a garden in the middle of the desert, and a boy who has lost his way.",
        "<p>모래 폭풍 속에서 길을 잃은 소년은 사막 한가운데 정원을 발견한다. 제주 해안 사구에서 촬영할 판타지 어드벤처.</p>",
        "<p>Lost in a sandstorm, a boy stumbles on a garden in the middle of the desert. A fantasy adventure to be shot on the dunes of Jeju's coast.</p>",
        ("adventure", "fantasy"), 2026, "2026-12-04", 45,
        (("lee-seoyeon", DIRECTOR), ("lee-seoyeon", WRITER), ("oh-jaehyun", LEAD, "노인"), ("seo-eunchae", DOP),
         ("cha-minho", PRODUCER)),
        GOLD,
        stage="pre_production", target=8_000_000, minimum=2000,
        budget="<ul><li>제주 로케이션 숙박·교통: 350만 원</li><li>정원 세트 제작: 300만 원</li><li>후반 작업: 150만 원</li></ul>",
        tiers=(TierData(10000, "모래 한 줌", "감사 엽서", ships=True), TierData(50000, "정원사", "포스터와 크레딧", ships=True),
               TierData(150000, "현장 방문", "촬영 현장 방문 하루"), TierData(300000, "제작자", "제작자 크레딧")),
        updates=(
            UpdateData("2026-02-10", "로케이션 헌팅", "<p>제주 서쪽 해안 사구 세 곳을 둘러봤습니다.</p>"),
            UpdateData("2026-04-02", "캐스팅 완료", "<p>소년 역 배우가 정해졌습니다.</p>"),
        ),
        raised=(3_400_000, 121),
    ),
    ProjectData(
        "무대-뒤의-사람들", "무대 뒤의 사람들", "People Backstage",
        "대학로 소극장의 무대 감독과 스태프들의 일 년.",
        "A year with the stage manager and crew of a small theatre in Daehak-ro.",
        "<p>막이 오르기 전과 내린 후의 사람들. 대학로 소극장 한 곳을 일 년 동안 따라가는 관찰 영화. 목표 금액 없이, 모인 만큼 촬영 회차를 늘립니다.</p>",
        "<p>The people before the curtain rises and after it falls: an observational film following one small Daehak-ro theatre for a year. There is no target; every donation adds shooting days.</p>",
        ("drama", "etc"), 2026, "2026-11-20", 70,
        (("lee-seoyeon", DIRECTOR), ("moon-jiwon", DOP), ("ahn-yerin", EDITOR), ("nam-gyuri", PRODUCER)),
        DUSK,
        stage="shooting", target=None, minimum=1000,
        tiers=(TierData(3000, "커튼콜 박수"), TierData(20000, "무대 스태프", "크레딧에 이름")),
        updates=(
            UpdateData("2026-01-20", "촬영 시작", "<p>첫 공연 준비 과정을 찍었습니다.</p>"),
            UpdateData("2026-03-05", "50회차 돌파", "<p>여러분 덕분에 촬영 회차를 열 번 늘렸습니다.</p>"),
            UpdateData("2026-05-18", "마지막 공연", "<p>시즌 마지막 공연을 네 대의 카메라로 담았습니다.</p>"),
        ),
        raised=(2_180_000, 87),
    ),
    ProjectData(
        "detective-of-the-last-alley", "마지막 골목의 탐정", "The Detective of the Last Alley",
        "재개발 구역에 남은 유일한 탐정 사무소, 마지막 의뢰.",
        "The only detective agency left in a redevelopment zone takes its last case.",
        "<p>모두 떠난 재개발 구역에 탐정 사무소 하나가 남았다. 의뢰인은 사라진 고양이를 찾아 달라는 철거반장. 박도윤 감독의 범죄 코미디.</p>",
        "<p>Everyone has left the redevelopment zone except one detective agency. The client: the demolition foreman, looking for his missing cat. A crime comedy by Park Doyun.</p>",
        ("crime", "comedy"), 2025, "2025-12-12", 35,
        (("park-doyun", DIRECTOR), ("park-doyun", WRITER), ("lim-dohyun", LEAD, "탐정 오"), ("oh-jaehyun", ACTOR, "철거반장"),
         ("seo-eunchae", DOP), ("hwang-junseo", EDITOR), ("cha-minho", PRODUCER)),
        STEEL, owner=CREATOR_2,
        stage="post_production", target=3_000_000, minimum=1000,
        budget="<ul><li>색보정·사운드 믹싱: 200만 원</li><li>영화제 출품비: 100만 원</li></ul>",
        tiers=(TierData(5000, "탐정 수첩", "감사 메시지"), TierData(25000, "조수", "크레딧과 스틸 엽서", ships=True),
               TierData(80000, "의뢰인", "온라인 시사회 초대")),
        updates=(
            UpdateData("2025-08-30", "촬영 종료", "<p>12회차 촬영을 마쳤습니다.</p>"),
            UpdateData("2025-10-12", "목표 달성!", "<p>목표 금액을 넘었습니다. 초과 금액은 영화제 출품에 씁니다.</p>"),
        ),
        raised=(3_650_000, 142),
    ),
    ProjectData(
        "under-the-red-moon", "붉은 달 아래", "Under the Red Moon",
        "월식이 뜨는 밤, 폐병원에서 열리는 졸업 파티.",
        "On the night of a lunar eclipse, a graduation party in an abandoned hospital.",
        "<p>졸업을 축하하려고 폐병원에 모인 친구들. 월식이 시작되자 병원의 엘리베이터가 혼자 움직인다.</p>",
        "<p>Friends gather in an abandoned hospital to celebrate graduating. When the eclipse begins, the lift starts moving on its own.</p>",
        ("horror", "thriller"), 2026, "2026-11-13", 40,
        (("han-jiho", DIRECTOR), ("han-jiho", WRITER), ("shin-minseo", LEAD, "수빈"), ("kwon-hyunwoo", ACTOR, "재민"),
         ("seo-eunchae", DOP), ("yoo-haneul", COMPOSER), ("cha-minho", PRODUCER)),
        BLOOD, rating="15",
        stage="shooting", target=6_000_000, minimum=2000,
        budget="<ul><li>특수분장: 200만 원</li><li>조명 장비: 180만 원</li><li>로케이션 사용료: 220만 원</li></ul>",
        tiers=(TierData(10000, "손전등", "크레딧에 이름"), TierData(40000, "생존자", "한정판 포스터", ships=True),
               TierData(120000, "특수분장 체험", "촬영장 특수분장 체험")),
        updates=(UpdateData("2026-04-22", "크랭크인", "<p>첫날 밤샘 촬영을 무사히 마쳤습니다.</p>"),),
        raised=(2_900_000, 96),
    ),
    ProjectData(
        "fly-paper-crane", "날아라 종이학", "Fly, Paper Crane",
        "천 마리 종이학을 접으면 소원이 이루어진다고 믿는 두 아이.",
        "Two children who believe a thousand paper cranes will grant a wish.",
        "<p>전학 가는 친구를 붙잡고 싶은 아이가 천 마리 종이학을 접기 시작한다. 종이 질감을 살린 컷아웃 애니메이션.</p>",
        "<p>A child who wants to stop a friend from moving away starts folding a thousand paper cranes. A cut-out animation that keeps the texture of paper.</p>",
        ("animation", "romance"), 2026, "2026-12-11", 15,
        (("jung-haeun", DIRECTOR), ("jung-haeun", WRITER), ("jang-narae", LEAD, "하나 (목소리)"), ("yoo-haneul", COMPOSER)),
        SPRING,
        stage="development", target=4_000_000, minimum=1000,
        tiers=(TierData(1000, "종이학 한 마리"), TierData(10000, "종이학 백 마리", "손으로 접은 종이학 엽서", ships=True)),
        updates=(UpdateData("2026-05-02", "캐릭터 디자인 공개", "<p>두 주인공의 디자인이 나왔습니다.</p>"),),
        raised=(320_000, 15),
    ),
    ProjectData(
        "han-river-racer", "한강 레이서", "Han River Racer",
        "한강 자전거 길의 전설적인 배달 레이서가 돌아왔다.",
        "The legendary delivery racer of the Han River cycle path is back.",
        "<p>은퇴한 자전거 배달 레이서가 동네 치킨집을 지키려고 한강 불법 레이스에 다시 나선다. 목표 금액 없이 모이는 만큼 액션 장면을 늘립니다.</p>",
        "<p>A retired bicycle courier races again in an illegal Han River race to save the local chicken shop. No target: the more you give, the more action we shoot.</p>",
        ("action", "adventure"), 2026, "2026-11-06", 38,
        (("kang-taeyang", DIRECTOR), ("kang-taeyang", WRITER), ("lim-dohyun", LEAD, "레이서 강"), ("moon-jiwon", DOP),
         ("jo-seungmin", COMPOSER)),
        EMBER, rating="12",
        stage="pre_production", target=None, minimum=3000,
        tiers=(TierData(3000, "물 한 병"), TierData(30000, "페이서", "스티커와 크레딧", ships=True), TierData(100000, "스폰서", "자전거에 이름 스티커")),
        updates=(UpdateData("2026-03-28", "스턴트 리허설", "<p>한강 공원에서 첫 스턴트 리허설을 했습니다.</p>"),),
        raised=(540_000, 22),
    ),
    ProjectData(
        "child-who-swallowed-a-star", "별을 삼킨 아이", "The Child Who Swallowed a Star",
        "별을 삼킨 아이의 몸이 밤마다 빛나기 시작한다.",
        "After swallowing a star, a child begins to glow every night.",
        "<p>별똥별을 삼킨 아이는 밤마다 빛이 나고, 마을은 더 이상 가로등이 필요 없다. 완성된 작품이지만 영화제 순회를 위해 후원을 계속 받습니다.</p>",
        "<p>The child who swallowed a shooting star glows at night, and the village no longer needs street lights. The film is finished; donations keep funding its festival tour.</p>",
        ("fantasy", "sf", "animation"), 2025, "2025-11-07", 18,
        (("jung-haeun", DIRECTOR), ("choi-minjun", WRITER), ("jang-narae", LEAD, "별이 (목소리)"), ("ahn-yerin", EDITOR),
         ("jo-seungmin", COMPOSER), ("nam-gyuri", PRODUCER)),
        VIOLET,
        stage="completed", target=2_500_000, minimum=1000,
        tiers=(TierData(5000, "반짝임", "크레딧에 이름"), TierData(20000, "별빛", "디지털 아트북")),
        updates=(
            UpdateData("2025-06-15", "애니메이션 작화 완료", "<p>마지막 컷까지 그렸습니다.</p>"),
            UpdateData("2025-11-07", "완성 및 공개", "<p>졸업영화제에서 첫 상영을 했습니다. 영화제 출품을 위한 후원은 계속 열려 있습니다.</p>"),
        ),
        raised=(2_430_000, 77),
    ),
)  # fmt: skip


COLLECTIONS = (
    CollectionData(
        "showcase-2024", "2024 졸업영화제 쇼케이스",
        "<p>2024년 12월 졸업영화제에서 상영된 작품들. 관객상과 심사위원상 수상작을 포함합니다.</p>",
        ("winter-bus-stop", "far-side-of-the-moon", "room-404", "spring-audition", "practising-lies"),
        WINTER, "drama",
        title_en="2024 Graduation Festival Showcase",
        intro_en="<p>The films shown at the December 2024 graduation festival, with the audience and jury award winners.</p>",
    ),
    CollectionData(
        "free-shorts", "처음 오셨다면: 무료 단편",
        "<p>돈 내지 않고 바로 볼 수 있는 단편들. 학과를 처음 알게 된 분께 권합니다.</p>",
        ("the-cat-post-office", "first-snow", "paper-plane", "the-letter-carrier", "rooftop-band", "the-last-lesson",
         "우리들의-졸업작품"),
        CANDY, "animation",
        title_en="New here? Free shorts",
        intro_en="<p>Shorts you can watch right away, for free. A good start if you are new to the department.</p>",
    ),
    CollectionData(
        "midnight-genre", "한밤의 장르영화",
        "<p>불 끄고 보세요. 스릴러, 호러, 범죄 영화 모음.</p>",
        ("the-silent-room", "black-water", "night-the-wolf-comes", "붉은-골목", "island-in-the-fog", "night-shift"),
        BLOOD, "horror",
        title_en="Genre films after midnight",
        intro_en="<p>Watch with the lights off: thrillers, horror and crime.</p>",
    ),
)  # fmt: skip


# Slugs earlier versions of the demo used, by today's slug. A database loaded back then has the page
# under the old slug: the loader renames it (or, with unpublished changes, leaves it) instead of
# adding a second copy.
FORMER_SLUGS = {
    "우리들의-졸업작품": ("our-graduation-film",),
    "붉은-골목": ("red-alley",),
    "무대-뒤의-사람들": ("people-backstage",),
}


# The home page, top to bottom. Films and projects by slug.
HOME_HERO = {
    "film": "winter-bus-stop",
    "headline": "2024 졸업영화제 대상 「겨울 정류장」",
    "text": "막차를 기다리는 두 사람의 밤. 지금 무료로 감상하세요.",
    "call_to_action": "지금 보기",
    "headline_en": "Grand prize, 2024 graduation festival: Winter Bus Stop",
    "text_en": "Two people's night, waiting for the last bus. Watch it free now.",
    "call_to_action_en": "Watch now",
}
HOME_PICKS = ("우리들의-졸업작품", "far-side-of-the-moon", "the-glass-forest", "붉은-골목", "the-last-screening",
              "train-going-north")  # fmt: skip
HOME_SPOTLIGHT = ("detective-of-the-last-alley", "blue-memory", "garden-in-the-desert", "무대-뒤의-사람들")
HOME_INTRO = (
    "<p>ReelVision은 동국대학교 영화영상학과 학생들의 졸업작품이 영화제가 끝난 뒤에도 관객을 만나는 곳입니다. "
    "완성된 영화는 무료로 또는 한 번 구매로 보고, 제작 중인 영화는 원하는 만큼 후원할 수 있습니다. "
    "후원에는 마감도, 전부 아니면 전무도 없습니다.</p>"
)
HOME_INTRO_EN = (
    "<p>ReelVision is where the graduation films of Dongguk University's film department meet audiences "
    "after the festival is over. Watch finished films for free or buy them once, and back films still in "
    "production with as much as you like. Backing has no deadline and is never all-or-nothing.</p>"
)
# The catalogue page (made by a migration in Korean) in English.
CATALOGUE_TITLE_EN = "Films"
CATALOGUE_INTRO_EN = "<p>The archive of graduation films of Dongguk University's department of film.</p>"

# The notice board (the loader adds it under the home page when there is none) and its notices,
# newest first. One is pinned to the top of the home page; one has the Korean slug Wagtail makes.
NOTICE_BOARD = {
    "slug": "notices",
    "title": "공지사항",
    "title_en": "Notices",
    "intro": "<p>영화영상학과의 소식과 안내.</p>",
    "intro_en": "<p>News and announcements from the department of film.</p>",
}
NOTICES = (
    NoticeData(
        slug="2026-graduation-screenings",
        title="2026 졸업영화제 상영 일정 안내",
        title_en="2026 graduation festival: screening schedule",
        body=(
            "<p>올해 졸업영화제는 12월 둘째 주에 사흘 동안 문화관 학과 시사실에서 열립니다. "
            "상영작과 시간표는 작품 페이지에서 확인하세요.</p>"
            "<ul><li>입장은 무료이며 좌석은 선착순입니다.</li>"
            "<li>매 회차 상영이 끝나면 감독과의 대화가 이어집니다.</li></ul>"
        ),
        body_en=(
            "<p>This year's graduation festival runs for three days in the second week of December, in the "
            "department's screening room. See each film's page for the programme and times.</p>"
            "<ul><li>Entry is free; seats are first come, first served.</li>"
            "<li>Every screening is followed by a talk with the director.</li></ul>"
        ),
        days_ago=0,
        pinned_days=30,
    ),
    NoticeData(
        slug="촬영-장비-대여-시간-변경",
        title="촬영 장비 대여 시간 변경",
        title_en="New hours for equipment loans",
        body=(
            "<p>다음 달부터 촬영 장비 대여는 평일 오전 10시부터 오후 5시까지 학과 사무실에서 받습니다. "
            "주말 촬영은 금요일 오후 4시까지 대여해 주세요.</p>"
        ),
        body_en=(
            "<p>From next month, equipment is lent on weekdays from 10 am to 5 pm at the department office. "
            "For a weekend shoot, collect it by 4 pm on Friday.</p>"
        ),
        days_ago=6,
    ),
    NoticeData(
        slug="archive-upload-guide",
        title="졸업작품 아카이브 등록 안내",
        title_en="Adding your film to the archive",
        body=(
            "<p>졸업생과 재학생은 학교 이메일(@dongguk.edu)로 인증하면 ReelVision에 작품을 올릴 수 있습니다. "
            "올린 작품은 학과의 검토를 거쳐 공개됩니다.</p>"
        ),
        body_en=(
            "<p>Graduates and students can add their films to ReelVision once they confirm their university "
            "address (@dongguk.edu). Films go live after the department has reviewed them.</p>"
        ),
        days_ago=14,
    ),
)

# Posters of generated (benchmark) films, one per genre.
GENRE_PALETTES = {
    "action": EMBER,
    "comedy": CANDY,
    "drama": DUSK,
    "sf": STEEL,
    "romance": SPRING,
    "thriller": NEON,
    "horror": BLOOD,
    "animation": OCEAN,
    "crime": GOLD,
    "fantasy": VIOLET,
    "adventure": FOREST,
    "etc": WINTER,
}
