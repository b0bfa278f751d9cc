"""After sign-up a new member is sent once to pick the genres they like; my page links to it later."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from films.models import Genre
from members.tests.helpers import PASSWORD, sign_up, verified_member
from recommendations.models import PickedGenre

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PICK = reverse("recommendations:pick_genres")


def confirm_sign_up(client):
    """Sign up and enter the mailed code, as a new member does; returns the answer to the code."""
    sign_up(client)
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\b", mail.outbox[-1].body).group(1)
    return client.post(reverse("account_email_verification_sent"), {"code": code})


def test_a_new_member_lands_on_the_genre_picker_after_signing_up(client):
    """Once the code is entered, the member is sent to pick genres."""
    response = confirm_sign_up(client)
    assert response.status_code == 302 and response.url == PICK
    page = client.get(PICK).content.decode()
    assert "Pick at least three genres you like" in page and "Skip for now" in page


def test_the_picker_is_offered_once_later_log_ins_go_to_my_page(client):
    """Logging in again goes where log-ins go (the library), not to the picker."""
    confirm_sign_up(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("members:my_library")


def test_every_genre_is_a_checkbox_and_saving_three_keeps_them(client):
    """The twelve genres as checkboxes; three ticked are saved and the member goes on to the home page."""
    client.force_login(verified_member())
    page = client.get(PICK).content.decode()
    assert page.count('type="checkbox"') == Genre.objects.count() == 12
    chosen = list(Genre.objects.values_list("pk", flat=True)[:3])
    response = client.post(PICK, {"genres": chosen})
    assert response.status_code == 302 and response.url == "/"
    assert sorted(PickedGenre.objects.values_list("genre_id", flat=True)) == sorted(chosen)


def test_fewer_than_three_are_refused_with_a_reason(client):
    """Two genres: the page again, saying why, nothing saved."""
    client.force_login(verified_member())
    response = client.post(PICK, {"genres": list(Genre.objects.values_list("pk", flat=True)[:2])})
    assert response.status_code == 200
    assert "Pick at least three genres, or skip this for now." in response.content.decode()
    assert not PickedGenre.objects.exists()


def test_skipping_goes_on_without_saving(client):
    """ "Skip for now" is a plain link on to where the member was going: nothing is saved."""
    client.force_login(verified_member())
    page = client.get(PICK, {"next": "/films/"}).content.decode()
    assert 'href="/films/">Skip for now' in page
    assert not PickedGenre.objects.exists()


def test_my_page_links_to_the_picker_with_the_picks_ticked(client):
    """My page's menu leads back to the picker; the member's genres are ticked; saving returns to my page."""
    member = verified_member()
    drama = Genre.objects.get(slug="drama")
    PickedGenre.objects.create(user=member, genre=drama)
    client.force_login(member)
    library = client.get(reverse("members:my_library")).content.decode()
    assert f'href="{PICK}?next=/me/"' in library
    page = client.get(PICK, {"next": "/me/"}).content.decode()
    assert re.search(rf'value="{drama.pk}"[^>]*checked', page)
    response = client.post(PICK, {"genres": list(Genre.objects.values_list("pk", flat=True)[:3]), "next": "/me/"})
    assert response.url == "/me/"


def test_the_picker_sends_visitors_to_log_in_and_refuses_outside_addresses(client):
    """Members only; a `next` to another site is ignored (the home page instead)."""
    assert client.get(PICK).status_code == 302
    client.force_login(verified_member())
    response = client.post(
        PICK, {"genres": list(Genre.objects.values_list("pk", flat=True)[:3]), "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_a_member_who_signed_up_on_their_way_somewhere_picks_genres_first_then_goes_on(client):
    """Signing up from a page (`?next=`) still offers the picker once; it leads back to that page."""
    film = "/films/some-film/"
    sign_up(client, next=film)
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\b", mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302 and response.url == f"{PICK}?next=%2Ffilms%2Fsome-film%2F"
    page = client.get(response.url).content.decode()
    assert f'href="{film}"' in page  # "Skip for now"
    chosen = list(Genre.objects.values_list("pk", flat=True)[:3])
    response = client.post(PICK, {"genres": chosen, "next": film})
    assert response.status_code == 302 and response.url == film
