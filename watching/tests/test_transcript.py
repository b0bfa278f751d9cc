"""Dialogue on the watch page: opening at a moment (?t=), the transcript and search within the film,
and what a viewer who has not bought the film sees of it (the line, never the stream or the whole text)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory
from videos.captions import import_caption
from videos.tests.factories import ready_video_record
from watching.models import Entitlement

pytestmark = pytest.mark.django_db

KOREAN = (
    "1\n00:00:04,000 --> 00:00:06,000\n버스를 기다리는 중이에요.\n\n"
    "2\n00:00:19,000 --> 00:00:21,000\n우리 같이 걸을까요?\n\n"
    "3\n00:01:05,000 --> 00:01:07,000\n눈이 오면 하얗게 변해요.\n"
)
ENGLISH = "WEBVTT\n\n00:00:04.000 --> 00:00:06.000\nI'm waiting for the bus.\n\n00:00:19.000 --> 00:00:21.000\nShall we walk?\n"


@pytest.fixture
def films(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_ROOT = tmp_path / "videos"
    main = ready_video_record(duration=120)
    import_caption(main, "ko", "", ContentFile(KOREAN.encode(), name="ko.srt"))
    import_caption(main, "en", "", ContentFile(ENGLISH.encode(), name="en.vtt"))
    trailer = ready_video_record(duration=30)
    paid = FilmPageFactory(title="걷는 사람", slug="걷는-사람", price=5000, main_video=main, trailer=trailer)
    free_video = ready_video_record(duration=120)
    import_caption(free_video, "ko", "", ContentFile(KOREAN.encode(), name="ko.srt"))
    free = FilmPageFactory(title="무료 영화", slug="무료-영화", price=0, main_video=free_video)
    return paid, free, main, trailer


def player_config(response):
    marker = '<script id="player-config" type="application/json">'
    html = response.content.decode()
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def watch(client, film, **params):
    return client.get(reverse("watching:watch_film", args=[film.slug]), params)


def transcript(client, film, status=200, **params):
    response = client.get(reverse("api_transcript", args=[film.pk]), params)
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.parametrize(("t", "expected"), [("19", 19.0), ("65.5", 65.5), ("0", 0.0)])
def test_the_watch_page_opens_at_the_moment_asked(client, films, t, expected):
    _paid, free, *_ = films
    response = watch(client, free, t=t)
    assert player_config(response)["start_at"] == expected
    assert "data-transcript" in response.content.decode()


@pytest.mark.parametrize("t", ["", "abc", "-5", "nan", "inf", "1e9", "19s"])
def test_a_broken_moment_opens_the_film_as_usual(client, films, t):
    _paid, free, *_ = films
    response = watch(client, free, t=t)
    assert response.status_code == 200
    assert player_config(response)["start_at"] is None


def test_a_viewer_who_has_not_bought_the_film_sees_the_line_and_the_trailer_never_the_stream(client, films):
    paid, _free, main, trailer = films
    response = watch(client, paid, t="19")
    html = response.content.decode()
    config = player_config(response)
    assert config["is_trailer"] and config["video_id"] == trailer.pk
    assert config["start_at"] is None  # the trailer starts at its beginning
    assert "우리 같이 걸을까요?" in html
    assert reverse("donations:buy", args=[paid.pk]) in html  # in the log-in link's next
    assert f"/videos/{main.pk}/" not in html and "data-transcript" not in html


def test_a_buyer_gets_the_film_at_that_moment_with_its_transcript(client, films):
    paid, *_ = films
    buyer = UserFactory()
    Entitlement.objects.create(user=buyer, film=paid)
    client.force_login(buyer)
    response = watch(client, paid, t="19")
    config = player_config(response)
    assert not config["is_trailer"] and config["start_at"] == 19.0
    data = transcript(client, paid)
    assert data["can_watch"] and data["languages"] == ["en", "ko"]
    assert [(line["start"], line["text"]) for line in data["lines"]] == [
        (4.0, "버스를 기다리는 중이에요."),
        (19.0, "우리 같이 걸을까요?"),
        (65.0, "눈이 오면 하얗게 변해요."),
    ]
    english = transcript(client, paid, language="en")
    assert english["language"] == "en" and english["lines"][1]["text"] == "Shall we walk?"


def test_search_within_the_film_understands_korean(client, films):
    _paid, free, *_ = films
    data = transcript(client, free, q="걷다")
    assert [(line["start"], line["text"]) for line in data["lines"]] == [(19.0, "우리 같이 걸을까요?")]
    assert transcript(client, free, q="잠수함")["lines"] == []


def test_the_whole_transcript_of_a_paid_film_is_for_those_who_may_watch_it(client, films):
    paid, *_ = films
    refused = transcript(client, paid, status=403)
    assert refused["detail"]
    # A search answers with the lines that match, as the site search shows them to anyone.
    data = transcript(client, paid, q="기다리다")
    assert not data["can_watch"]
    assert [line["start"] for line in data["lines"]] == [4.0]


def test_the_search_api_links_a_line_to_its_moment(client, films):
    _paid, free, *_ = films
    response = client.get(reverse("api_search"), {"q": "같이 걷다"})
    [hit] = [item for item in response.json()["items"] if item["id"] == free.pk]
    [line] = [m for m in hit["matches"] if m["kind"] == "dialogue"]
    assert line["text"] == "우리 같이 걸을까요?" and line["start"] == 19.0 and line["language"] == "ko"
    assert line["watch_url"].endswith(reverse("watching:watch_film", args=[free.slug]) + "?t=19")


def test_the_search_page_lists_the_line_with_a_link_to_its_moment(client, films):
    _paid, free, *_ = films
    html = client.get(reverse("search:search"), {"q": "같이 걸을까"}).content.decode()
    assert "우리 같이 걸을까요?" in html
    assert 'href="' + reverse("watching:watch_film", args=[free.slug]) + '?t=19"' in html
