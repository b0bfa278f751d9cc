"""A line of dialogue finds the film it is spoken in, through the film's captions."""

import pytest
from django.core.files.base import ContentFile

from films.tests.factories import FilmPageFactory
from search.site_search import run_search
from videos.captions import import_caption
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db

SRT = "1\n00:00:01,000 --> 00:00:03,000\n막차는 벌써 떠났어요.\n\n2\n00:00:04,000 --> 00:00:06,000\nThe lighthouse keeper never sleeps.\n"


@pytest.fixture
def films(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    video = Video.objects.create(title="Main", status=VideoStatus.READY)
    import_caption(video, "ko", "", ContentFile(SRT.encode(), name="ko.srt"))
    spoken = FilmPageFactory(title="정류장", title_en="The Stop", main_video=video)
    silent = FilmPageFactory(title="다른 영화", title_en="Another Film")
    draft = FilmPageFactory(title="초안", title_en="Draft", main_video=video, live=False)
    return spoken, silent, draft


@pytest.mark.parametrize("query", ["막차는 벌써", "떠났어요", "lighthouse keeper", "LIGHTHOUSE"])
def test_dialogue_finds_the_film(films, query):
    spoken, silent, draft = films
    ids = [pk for kind, pk in run_search(query).hits("film")]
    assert spoken.pk in ids
    assert silent.pk not in ids and draft.pk not in ids


def test_words_not_spoken_find_nothing(films):
    assert run_search("submarine").total == 0
