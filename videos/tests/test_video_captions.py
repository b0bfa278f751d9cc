"""Caption uploads: SRT and WebVTT in the encodings creators actually have, broken cues by line number."""

import pytest
from django.core.files.base import ContentFile

from videos import storage
from videos.captions import CaptionError, decode, import_caption
from videos.models import Caption, Video, VideoStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SRT = "1\n00:00:01,000 --> 00:00:02,500\n안녕하세요.\n\n2\n00:00:03,000 --> 00:00:04,000\n<i>졸업</i> <font color=red>작품</font>\n"
VTT_OUT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n안녕하세요.\n\n00:00:03.000 --> 00:00:04.000\n<i>졸업</i> 작품\n"


@pytest.fixture
def video(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Video.objects.create(title="Clip", status=VideoStatus.READY)


def upload(data: bytes, name="track.srt") -> ContentFile:
    return ContentFile(data, name=name)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SRT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SRT.encode("utf-8"), "utf-8-sig"),
        (SRT.encode("cp949"), "euc-kr"),
        (SRT.encode("utf-16"), "utf-16"),
    ],
)
def test_srt_in_common_encodings_becomes_the_same_webvtt(video, data, encoding):
    caption = import_caption(video, "ko", "", upload(data))
    assert caption.source_encoding == encoding and caption.source_format == "srt"
    assert storage.read_text(caption.vtt_key) == VTT_OUT
    assert caption.cue_count == 2 and caption.label == "한국어"
    assert caption.text == "안녕하세요.\n졸업 작품"


def test_cp949_only_hangul_is_detected():
    assert decode("똠방각하 뷁".encode("cp949")) == ("똠방각하 뷁", "cp949")


def test_windows_1252_apostrophe_is_not_read_as_korean():
    assert decode(b"don\x92t") == ("don\u2019t", "cp1252")


def test_webvtt_with_notes_styles_and_cue_settings(video):
    vtt = (
        "WEBVTT - a film\nKind: captions\n\nNOTE written by hand\n\nSTYLE\n::cue { color: yellow }\n\n"
        "intro\n00:01.000 --> 00:02.000 align:start line:0\nHello <b>there</b>\n"
    )
    caption = import_caption(video, "en", "English", upload(vtt.encode(), "t.vtt"))
    assert caption.source_format == "vtt"
    assert storage.read_text(caption.vtt_key) == (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start line:0\nHello <b>there</b>\n"
    )


def test_every_broken_cue_is_reported_with_its_line(video):
    broken = (
        "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n"  # lines 1-3
        "2\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n"  # timing on line 6
        "3\n00:00:0x,000 -> 00:00:09,000\nunreadable\n\n"  # line 9/10: no arrow
        "4\n00:00:10,000 --> 00:00:11,000\n\n"  # line 14: no text
        "5\n00:00:12,000 --> 00:00:99,000\nimpossible\n"  # timing on line 17
    )
    with pytest.raises(CaptionError) as caught:
        import_caption(video, "ko", "", upload(broken.encode()))
    lines = [line for line, _ in caught.value.problems]
    assert lines == [6, 9, 14, 17]
    assert "end time" in caught.value.problems[0][1]
    assert not Caption.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary\x00" * 10, "not a text file"), (b"just some words\n", "timing")],
)
def test_files_that_are_not_captions_are_refused(video, data, message):
    with pytest.raises(CaptionError) as caught:
        import_caption(video, "ko", "", upload(data))
    assert message in str(caught.value)


def test_bad_language_code_is_refused(video):
    with pytest.raises(CaptionError):
        import_caption(video, "korean!", "", upload(SRT.encode()))


def test_replacing_a_track_keeps_one_per_language(video):
    import_caption(video, "en", "", upload(b"1\n00:00:01,000 --> 00:00:02,000\nold\n"))
    import_caption(video, "en", "", upload(b"1\n00:00:01,000 --> 00:00:02,000\nnew\n"))
    caption = Caption.objects.get(video=video)
    assert caption.text == "new" and "new" in storage.read_text(caption.vtt_key)
