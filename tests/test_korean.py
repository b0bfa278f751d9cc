"""Korean particles agree with the word before them."""

import pytest
from django.template import Context, Template

from reelvision.korean import agree, josa


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("김지수", "이/가", "김지수가"),
        ("박도윤", "이/가", "박도윤이"),
        ("영화", "을/를", "영화를"),
        ("작품", "을/를", "작품을"),
        ("영화", "은/는", "영화는"),
        ("작품", "은/는", "작품은"),
        ("영화", "과/와", "영화와"),
        ("작품", "과/와", "작품과"),
        ("영화", "으로/로", "영화로"),
        ("작품", "으로/로", "작품으로"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("서울", "이/가", "서울이"),  # but 이 like any final consonant
        ("3", "이/가", "3이"),  # 삼
        ("2", "을/를", "2를"),  # 이
        ("7", "으로/로", "7로"),  # 칠
        ("10", "은/는", "10은"),  # 영 → read as 십, a consonant either way
        ("film", "을/를", "film을"),  # 필름
        ("Seoul", "으로/로", "Seoul로"),
        ("movie", "이/가", "movie가"),
        ("KBS", "은/는", "KBS는"),  # 에스
        ("kim@dongguk.edu", "으로/로", "kim@dongguk.edu로"),  # 에듀
        ("\u201c작품\u201d", "을/를", "\u201c작품\u201d을"),  # a closing quote is looked through
        ("★", "이/가", "★이(가)"),  # unknown: both forms, as Korean writing does
        ("", "을/를", "을(를)"),
    ],
)
def test_josa_picks_the_particle_by_the_last_syllable(word, pair, expected):
    """josa() picks the particle by how the word's last syllable is read."""
    assert josa(word, pair) == expected


def test_agree_fixes_particles_written_both_ways_after_the_inserted_words():
    """agree() resolves "을(를)", "이(가)", "(으)로" after the words a message inserted, through quotes."""
    assert (
        agree("영상 “겨울 정류장”을(를) 처리하지 못했습니다.", ["겨울 정류장"])
        == "영상 “겨울 정류장”을 처리하지 못했습니다."
    )
    assert agree("a@b.kr(으)로 코드를 보냈습니다.", ["a@b.kr"]) == "a@b.kr로 코드를 보냈습니다."
    assert agree("바다이(가) 준비되었습니다", ["바다"]) == "바다가 준비되었습니다"
    assert agree("그대로 둡니다(으)로", []) == "그대로 둡니다(으)로"  # nothing inserted, nothing changed


def test_the_template_filter_appends_the_particle():
    """{{ name|josa:"이/가" }} in a template."""
    html = Template('{% load reelvision_tags %}{{ name|josa:"이/가" }} {{ title|josa:"을/를" }}').render(
        Context({"name": "김지수", "title": "작품"})
    )
    assert html == "김지수가 작품을"


# Words our Korean catalogue translates for a use of its own, which Django, Wagtail or allauth
# translate otherwise for theirs: a context-free msgid would replace their translation in their
# screens too (the project's catalogue wins), so our uses carry a context (pgettext).
def test_the_frameworks_words_keep_their_own_translations():
    from django.utils import translation

    with translation.override("ko"):
        assert translation.gettext("Confirm") == "확인"  # allauth's e-mail code page, Wagtail's dialogs
        assert translation.gettext("Name") == "이름"  # Wagtail's listings (ours: "이름순", a sort order)
        assert translation.gettext("Order") == "순서"  # Django's ordering (ours: "주문", a payment)
        assert translation.pgettext("staff decision", "Confirm") == "확정"
        assert translation.pgettext("sort order", "Name") == "이름순"
