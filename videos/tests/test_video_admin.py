"""The Videos section of the admin: creators see and change only their own; staff everything."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos import storage
from videos.models import Caption, Video, VideoStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def videos():
    alice, bob = CreatorFactory(), CreatorFactory()
    return (
        alice,
        bob,
        Video.objects.create(title="Alice's film", owner=alice, status=VideoStatus.READY, duration=754),
        Video.objects.create(
            title="Bob's film",
            owner=bob,
            status=VideoStatus.FAILED,
            failure_reason="This file has sound but no picture.",
        ),
    )


def test_creators_list_only_their_own_videos(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(alice)
    page = client.get(reverse("videos_admin:index")).content.decode()
    assert "Alice&#x27;s film" in page and "Bob&#x27;s film" not in page and "12:34" in page
    client.force_login(bob)
    page = client.get(reverse("videos_admin:index")).content.decode()
    assert "Bob&#x27;s film" in page and "sound but no picture" in page and "Alice" not in page
    client.force_login(StaffUserFactory())
    page = client.get(reverse("videos_admin:index")).content.decode()
    assert "Alice&#x27;s film" in page and "Bob&#x27;s film" in page


def test_other_creators_video_cannot_be_opened_renamed_or_deleted(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(alice)
    assert client.get(reverse("videos_admin:edit", args=[bobs.pk])).status_code == 404
    assert client.post(reverse("videos_admin:edit", args=[bobs.pk]), {"title": "Mine now"}).status_code == 404
    assert client.post(reverse("videos_admin:delete", args=[bobs.pk])).status_code == 404
    assert client.get(reverse("videos_admin:status", args=[bobs.pk])).status_code == 404
    assert client.post(reverse("videos_admin:captions", args=[bobs.pk])).status_code == 404
    bobs.refresh_from_db()
    assert bobs.title == "Bob's film"

    assert client.post(reverse("videos_admin:edit", args=[alices.pk]), {"title": "Renamed"}).status_code == 302
    alices.refresh_from_db()
    assert alices.title == "Renamed"


def test_members_without_the_creator_role_have_no_videos_section(client, videos):
    client.force_login(UserFactory())
    assert client.get(reverse("videos_admin:index")).status_code in (302, 403)
    assert client.get(reverse("videos_admin:add")).status_code in (302, 403)


def test_staff_can_edit_anyone_s_video(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(StaffUserFactory())
    assert client.get(reverse("videos_admin:edit", args=[bobs.pk])).status_code == 200
    assert client.post(reverse("videos_admin:edit", args=[bobs.pk]), {"title": "Checked"}).status_code == 302


def test_upload_page_and_status_endpoint(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(alice)
    page = client.get(reverse("videos_admin:add"))
    assert page.status_code == 200 and reverse("videos:video_upload_create") in page.content.decode()
    status = client.get(reverse("videos_admin:status", args=[alices.pk])).json()
    assert status == {"status": "ready", "status_label": "Ready", "progress": 0, "failure_reason": "", "ready": True}


def test_captions_upload_reports_broken_lines_and_saves_good_files(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(alice)
    url = reverse("videos_admin:captions", args=[alices.pk])
    broken = SimpleUploadedFile("ko.srt", b"1\n00:00:05,000 --> 00:00:01,000\nbackwards\n")
    response = client.post(url, {"language": "ko", "file": broken}, follow=True)
    assert "Line 2" in response.content.decode()
    assert not Caption.objects.exists()
    good = SimpleUploadedFile("ko.srt", "1\n00:00:01,000 --> 00:00:02,000\n안녕\n".encode())
    client.post(url, {"language": "ko", "file": good})
    caption = Caption.objects.get(video=alices)
    assert caption.cue_count == 1 and storage.exists(caption.vtt_key)
    client.post(url, {"delete": caption.pk})
    assert not Caption.objects.exists() and not storage.exists(caption.vtt_key)


def test_deleting_a_video_removes_its_files(client, videos, django_capture_on_commit_callbacks, tmp_path):
    alice, bob, alices, bobs = videos
    source = tmp_path / "x.ts"
    source.write_bytes(b"G" * 188)
    storage.put_file(source, f"videos/{alices.pk}/hls/360p/seg_00000.ts")
    storage.put_file(source, f"videos/{alices.pk}/original.mp4")
    Video.objects.filter(pk=alices.pk).update(
        original_key=f"videos/{alices.pk}/original.mp4", storage_prefix=f"videos/{alices.pk}/"
    )
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("videos_admin:delete", args=[alices.pk])).status_code == 302
    assert not Video.objects.filter(pk=alices.pk).exists()
    assert not storage.exists(f"videos/{alices.pk}/hls/360p/seg_00000.ts")
    assert not storage.exists(f"videos/{alices.pk}/original.mp4")


def test_staff_grant_an_entitlement_by_hand_and_creators_cannot(client):
    from films.tests.factories import FilmPageFactory
    from watching.models import Entitlement

    film = FilmPageFactory(title="Paid", price=5000)
    member = UserFactory()
    creator = CreatorFactory()
    client.force_login(creator)
    assert client.get(reverse("entitlements:add")).status_code in (302, 403)
    assert client.post(reverse("entitlements:add"), {"user": member.pk, "film": film.pk}).status_code in (302, 403)
    assert not Entitlement.objects.exists()

    staff = StaffUserFactory()
    client.force_login(staff)
    response = client.post(reverse("entitlements:add"), {"user": member.pk, "film": film.pk, "note": "Festival jury"})
    assert response.status_code == 302
    granted = Entitlement.objects.get()
    assert (granted.user, granted.film_id, granted.granted_by, granted.source) == (member, film.pk, staff, "grant")
    from watching.access import can_watch

    assert can_watch(member, film)


def test_the_videos_menu_opens_the_list_not_the_upload_form(client, videos):
    alice, *_ = videos
    client.force_login(alice)
    sidebar = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'"url": "{reverse("videos_admin:index")}"' in sidebar
    assert f'"url": "{reverse("videos_admin:add")}"' not in sidebar


def ready_video_with_files(tmp_path, owner) -> Video:
    """A ready video whose playlist, poster and captions exist in storage (no transcoding needed)."""
    video = Video.objects.create(
        title="Ready", owner=owner, status=VideoStatus.READY, duration=5, width=640, height=360
    )
    prefix = video.outputs_prefix
    files = {
        "hls/master.m3u8": "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p/index.m3u8\n",
        "poster.jpg": "not really a jpeg",
        "captions/ko.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\n안녕\n",
    }
    for name, text in files.items():
        local = tmp_path / name.replace("/", "_")
        local.write_text(text, encoding="utf-8")
        storage.put_file(local, prefix + name)
    video.hls_master_key = prefix + "hls/master.m3u8"
    video.poster_key = prefix + "poster.jpg"
    video.save()
    Caption.objects.create(video=video, language="ko", label="한국어", vtt_key=prefix + "captions/ko.vtt", cue_count=1)
    return video


def test_the_edit_page_previews_a_ready_video_with_its_poster_and_captions(client, tmp_path):
    """The poster, the playlist and the caption track on the edit page are signed links its owner can fetch."""
    import re
    from html import unescape
    from urllib.parse import urlsplit

    owner = CreatorFactory()
    video = ready_video_with_files(tmp_path, owner)
    client.force_login(owner)
    page = client.get(reverse("videos_admin:edit", args=[video.pk])).content.decode()
    assert "data-video-preview" in page
    patterns = {"data-src": r'data-src="([^"]+)"', "poster": r'poster="([^"]+)"', "src": r'<track [^>]*src="([^"]+)"'}
    links = {name: unescape(re.search(pattern, page).group(1)) for name, pattern in patterns.items()}
    assert "master.m3u8" in links["data-src"] and "poster.jpg" in links["poster"] and "ko.vtt" in links["src"]
    for url in links.values():
        parts = urlsplit(url)
        assert client.get(f"{parts.path}?{parts.query}").status_code == 200
    assert "<strong>Korean</strong> (ko) · shown as “한국어”" in page
    # The caption form comes after the details form, so the sticky save bar belongs to the details.
    assert page.index('id="w-editor-form"') < page.index('class="caption-form"')


def test_the_edit_page_of_an_unfinished_video_says_where_the_preview_will_be(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(bob)
    page = client.get(reverse("videos_admin:edit", args=[bobs.pk])).content.decode()
    assert "data-video-preview" not in page and "No picture: processing failed." in page


def test_the_video_list_and_chooser_show_posters(client, tmp_path):
    owner = CreatorFactory()
    video = ready_video_with_files(tmp_path, owner)
    client.force_login(owner)
    listing = client.get(reverse("videos_admin:index")).content.decode()
    chooser = client.get(reverse("video_chooser:choose")).json()["html"]
    for html in (listing, chooser):
        assert f"/stream/{video.pk}/poster.jpg" in html.replace("&amp;", "&")


def test_caption_languages_are_named_in_the_admin_s_language(client, videos):
    alice, bob, alices, bobs = videos
    client.force_login(alice)
    page = client.get(reverse("videos_admin:edit", args=[alices.pk])).content.decode()
    options = page[page.index('name="language"') : page.index("</select>")]
    assert "Korean" in options and "Japanese" in options
    assert not any("\uac00" <= char <= "\ud7a3" for char in options)


def test_the_korean_list_has_no_english_left_and_keeps_its_phone_columns_apart(client, videos):
    """Wagtail's own Korean lacks "just now"; the phone layout hides the poster, length and size columns."""
    client.force_login(StaffUserFactory())
    page = client.get(reverse("videos_admin:index"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "방금" in page and "Just now" not in page and "just now" not in page
    assert 'class="video-list__nowrap"' in page and "video-list__wide" in page
    assert "css/video-admin.css" in page
