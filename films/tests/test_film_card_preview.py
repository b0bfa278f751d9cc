"""The film card's hover preview: which clip a card links (the trailer's, else a free film's own), for
whom the link works, what it costs in queries, and the same link in the API."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.tests.factories import FilmPageFactory, film_index
from films.tests.openapi import assert_matches_schema
from videos import storage
from videos.models import Video, VideoStatus
from videos.tests.factories import ready_video_record

pytestmark = pytest.mark.django_db

PREVIEW = re.compile(r'class="film-card__poster" data-preview="([^"]+)"')


def with_clip(tmp_path, **fields) -> Video:
    """A ready video whose preview clip is in storage (a few bytes stand in for the MP4)."""
    video = ready_video_record()
    clip = tmp_path / f"clip-{video.pk}.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42 clip of video %d" % video.pk)
    video.preview_key = storage.put_file(clip, f"{video.outputs_prefix}preview/clip-1000.mp4", "video/mp4")
    for name, value in fields.items():
        setattr(video, name, value)
    video.save()
    return video


def card_previews(client) -> list[str]:
    """The preview links of the catalogue's cards, as paths with their signed query."""
    page = client.get(film_index().url).content.decode()
    links = [urlsplit(unescape(url)) for url in PREVIEW.findall(page)]
    return [f"{link.path}?{link.query}" for link in links]


def test_a_free_film_s_card_links_its_own_clip_which_anyone_may_fetch(client, tmp_path):
    main = with_clip(tmp_path)
    FilmPageFactory(price=0, main_video=main)

    [link] = card_previews(client)
    assert link.startswith(f"/stream/{main.pk}/preview/clip-1000.mp4?")
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"


def test_the_trailer_s_clip_comes_before_the_film_s_own(client, tmp_path):
    main, trailer = with_clip(tmp_path), with_clip(tmp_path)
    FilmPageFactory(price=0, main_video=main, trailer=trailer)

    [link] = card_previews(client)
    assert link.startswith(f"/stream/{trailer.pk}/preview/")


def test_a_paid_film_shows_its_trailer_s_clip_and_never_its_own(client, tmp_path):
    """Without a trailer a paid film's card has no preview: its own pictures are for those who may watch it."""
    paid_main, other_main, trailer = with_clip(tmp_path), with_clip(tmp_path), with_clip(tmp_path)
    FilmPageFactory(title="With trailer", price=5000, main_video=paid_main, trailer=trailer)
    FilmPageFactory(title="Without", price=5000, main_video=other_main)

    links = card_previews(client)
    assert len(links) == 1 and links[0].startswith(f"/stream/{trailer.pk}/preview/")
    assert client.get(links[0]).status_code == 200


def test_a_clip_of_a_video_that_is_not_ready_is_not_linked(client, tmp_path):
    FilmPageFactory(price=0, main_video=with_clip(tmp_path, status=VideoStatus.PROCESSING))
    FilmPageFactory(price=0, main_video=ready_video_record())  # ready, made before previews existed
    assert card_previews(client) == []


def test_card_previews_cost_no_query_per_card(client, tmp_path):
    """The catalogue renders with as many queries for 12 films with trailers and clips as for 3."""

    def add_films(count):
        for n in range(count):
            FilmPageFactory(price=1000 * (n % 2), main_video=with_clip(tmp_path), trailer=with_clip(tmp_path))

    def queries() -> int:
        client.get(film_index().url)
        for alias in ("default", "pages"):
            caches[alias].clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(film_index().url)
        return len(captured.captured_queries)

    add_films(3)
    few = queries()
    add_films(9)
    assert queries() == few
    caches["pages"].clear()
    assert len(card_previews(client)) == 12


def test_the_api_gives_the_card_s_clip_where_it_gives_the_poster(client, openapi, tmp_path):
    """Listing and detail: the same signed link as the card, null without a clip; as the schema says."""
    trailer = with_clip(tmp_path)
    with_trailer = FilmPageFactory(title="With trailer", price=5000, main_video=with_clip(tmp_path), trailer=trailer)
    without = FilmPageFactory(title="Without", price=5000, main_video=with_clip(tmp_path))

    listing = client.get("/api/v2/films/", {"fields": "hover_preview"})
    assert_matches_schema(openapi, "/api/v2/films/", listing)
    clips = {item["id"]: item["hover_preview"] for item in listing.json()["items"]}
    assert clips[without.pk] is None
    assert urlsplit(clips[with_trailer.pk]).path == f"/stream/{trailer.pk}/preview/clip-1000.mp4"

    detail = client.get(f"/api/v2/pages/{with_trailer.pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", detail)
    link = urlsplit(detail.json()["hover_preview"])
    assert client.get(f"{link.path}?{link.query}").status_code == 200
