"""Live premieres for tests: one streaming now, its HLS written where nginx would write it."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from films.tests.factories import FilmPageFactory
from live import nginx_rtmp, playback
from live.models import Premiere, PremiereStatus
from members.tests.factories import CreatorFactory

PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\n4.ts\n#EXTINF:2.000,\n5.ts\n"


def live_premiere(live_dir, ticket_price=0) -> Premiere:
    film = FilmPageFactory(title="Winter Stop", owner=CreatorFactory())
    premiere = Premiere.objects.create(
        page=film, title="Premiere", starts_at=timezone.now(), status=PremiereStatus.LIVE, ticket_price=ticket_price
    )
    folder = nginx_rtmp.folders().hls / f"premiere-{premiere.pk}"
    folder.mkdir(parents=True)
    (folder / "index.m3u8").write_text(PLAYLIST)
    (folder / "4.ts").write_bytes(b"\x47" * 188)
    (folder / "5.ts").write_bytes(b"\x47" * 188)
    return premiere


def playlist_url(premiere, user) -> str:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return playback.live_config(request, premiere)["master_url"].removeprefix("http://testserver")
