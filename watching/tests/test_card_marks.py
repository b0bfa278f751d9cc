"""A member's marks on film cards are filled in after rendering, so one rendered card serves everyone."""

import pytest
from django.utils import translation

from films.tests.factories import film_index
from members.tests.factories import UserFactory
from recommendations.tests.factories import bought, watchable_film, watched
from watching.card_marks import fill_slots
from watching.ownership import Owned

pytestmark = pytest.mark.django_db

PRICE = '<span class="badge badge--price">5,000 KRW</span>'
CARD = "<article><!--mine:{pk}-->" + PRICE + "<!--/mine--><h3>Film {pk}</h3></article>"


def page_of(*pks: int) -> str:
    return "".join(CARD.format(pk=pk) for pk in pks)


def test_a_visitor_gets_each_slots_own_content_without_the_markers():
    html = fill_slots(page_of(1, 2), {})
    assert html == f"<article>{PRICE}<h3>Film 1</h3></article><article>{PRICE}<h3>Film 2</h3></article>"


def test_owned_takes_the_price_badges_place_and_watching_adds_its_mark():
    films = {
        1: Owned(1, 0),  # owned, not started
        2: Owned(2, 40, owned=False),  # a free film half-way
        3: Owned(3, 100, watched=True),  # owned and finished
    }
    with translation.override("en"):
        html = fill_slots(page_of(1, 2, 3, 4), films)
    cards = html.split("</article>")[:4]
    assert "badge--owned" in cards[0] and "badge--price" not in cards[0] and "progress" not in cards[0]
    assert "badge--price" in cards[1] and 'value="40"' in cards[1] and 'aria-label="40% watched"' in cards[1]
    assert "badge--owned" in cards[2] and "badge--watched" in cards[2] and "<progress" not in cards[2]
    assert cards[3] == f"<article>{PRICE}<h3>Film 4</h3>"
    assert "<!--" not in html


def test_the_same_cached_catalogue_shows_each_member_their_own_marks(client, english):
    """Two members, one cache: the card of a film one of them bought says "Owned" only to them."""
    film = watchable_film(title="Shared Card", price=5000)
    free = watchable_film(title="Free Card")
    buyer, other = UserFactory(), UserFactory()
    bought(buyer, film)
    watched(other, free, share=0.5)
    url = film_index().url

    client.force_login(buyer)
    html = client.get(url).content.decode()
    assert html.count("badge--owned") == 1 and "<!--mine" not in html
    client.force_login(other)
    html = client.get(url).content.decode()
    assert "badge--owned" not in html and 'class="film-card__progress" max="100" value="50"' in html
    client.logout()
    html = client.get(url).content.decode()
    assert "badge--owned" not in html and "film-card__progress" not in html and "<!--mine" not in html
