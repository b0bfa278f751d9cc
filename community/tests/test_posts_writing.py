"""A creator writes, edits and deletes posts on their own pages; nobody else can, whatever ids they
send; what they write is cleaned and shown as text; pictures are checked and stored privately."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from community import media
from community.models import Comment, Post, PostAudience, PostImage
from community.signals import post_published
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

from .post_helpers import add_image, build_world, client_for, png_upload, post_video

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def announced():
    """The posts `post_published` was sent for, in order."""
    sent = []

    def receiver(sender, post, **kwargs):
        sent.append(post.pk)

    post_published.connect(receiver, weak=False)
    yield sent
    post_published.disconnect(receiver)


def form_data(**fields):
    data = {
        "title": "넷째 날 일지",
        "teaser": "새벽 촬영",
        "body": "본문입니다.",
        "audience": "public",
        "publish": "on",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def create_url(page) -> str:
    return reverse("community:post_create", args=[page.pk])


# --- writing -------------------------------------------------------------------------------------


def test_a_creator_publishes_a_backers_post_with_a_picture_and_their_video(
    world, announced, django_capture_on_commit_callbacks
):
    """Saved with the tier, the picture under an unguessable private name and the video; announced once, after commit."""
    video = post_video(world.creator, title="리허설 영상")
    data = form_data(audience="backers", minimum_tier=world.tier_low.pk, videos=[video.pk], images=png_upload())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.creator).post(create_url(world.project), data)
        assert announced == []  # not before the commit
    post = Post.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("community:post", args=[post.pk])
    assert (post.page_id, post.author_id, post.audience, post.minimum_tier_id) == (
        world.project.pk,
        world.creator.pk,
        PostAudience.BACKERS,
        world.tier_low.pk,
    )
    assert post.published_at is not None and list(post.videos.all()) == [video]
    image = post.images.get()
    assert image.file.name.startswith(f"private/posts/{post.pk}/") and image.file.name.endswith(".png")
    assert len(image.file.name.rsplit("/", 1)[-1]) == len("0" * 32 + ".png")
    assert (image.width, image.height) == (64, 48) and default_storage.exists(image.file.name)
    assert announced == [post.pk] and len(callbacks) >= 1


def test_a_draft_is_announced_when_it_is_first_published_and_never_again(
    world, announced, django_capture_on_commit_callbacks
):
    """Unticking "publish now" keeps a draft; publishing it later announces it once; later edits do not."""
    client = client_for(world.creator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(create_url(world.project), form_data(publish=None))
    post = Post.objects.latest("pk")
    assert post.published_at is None and announced == []
    edit = reverse("community:post_edit", args=[post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form_data(title="공개합니다"))
    post.refresh_from_db()
    assert post.published_at is not None and post.title == "공개합니다" and announced == [post.pk]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form_data(title="고쳐 씀", publish=None))
    post.refresh_from_db()
    assert post.title == "고쳐 씀" and post.published_at is not None and announced == [post.pk]


def test_staff_may_write_on_any_page(world):
    """Staff post on a creator's page; the post is theirs."""
    response = client_for(world.users["staff"]).post(create_url(world.project), form_data(title="운영팀 공지"))
    assert response.status_code == 302
    assert Post.objects.filter(page=world.project, author=world.users["staff"], title="운영팀 공지").exists()


@pytest.mark.parametrize("role", ["member", "other creator", "backer at the tier", "buyer"])
def test_only_the_pages_creator_and_staff_may_open_the_writing_and_managing_pages(world, role):
    """Anyone else gets a 404 for the form, its POST and the management list; nothing is saved."""
    client = client_for(world.users[role])
    before = Post.objects.count()
    assert client.get(create_url(world.project)).status_code == 404
    assert client.post(create_url(world.project), form_data()).status_code == 404
    assert client.get(reverse("community:page_posts_manage", args=[world.project.pk])).status_code == 404
    assert Post.objects.count() == before


def test_a_visitor_is_sent_to_log_in_and_nothing_is_saved(world):
    before = Post.objects.count()
    response = client_for(None).post(create_url(world.project), form_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Post.objects.count() == before


@pytest.mark.parametrize("role", ["member", "other creator", "backer at the tier"])
def test_someone_elses_post_cannot_be_edited_or_deleted(world, role, django_capture_on_commit_callbacks):
    """A forged post id in the edit or delete address is a 404; the post, its picture and file stay."""
    post = world.backers_post
    image = post.images.get()
    client = client_for(world.users[role])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("community:post_edit", args=[post.pk])).status_code == 404
        assert client.post(reverse("community:post_edit", args=[post.pk]), form_data(title="바꿈")).status_code == 404
        assert client.post(reverse("community:post_delete", args=[post.pk])).status_code == 404
    post.refresh_from_db()
    assert post.title == "셋째 날 현장 일지" and post.body
    assert PostImage.objects.filter(pk=image.pk).exists() and default_storage.exists(image.file.name)


def test_a_former_owner_can_no_longer_edit_the_pages_posts(world):
    """When the page changes hands, the posts stay but their author may not change them any more."""
    new_owner = CreatorFactory()
    world.project.owner = new_owner
    world.project.save(update_fields=["owner"])
    response = client_for(world.creator).post(
        reverse("community:post_edit", args=[world.backers_post.pk]), form_data(title="바꿈")
    )
    assert response.status_code == 404
    world.backers_post.refresh_from_db()
    assert world.backers_post.title == "셋째 날 현장 일지"


def test_another_members_video_or_another_projects_tier_is_refused(world):
    """Ids the creator could not have chosen are form errors; nothing is saved."""
    someone_elses = post_video(UserFactory())
    other_tier = DonationTierFactory(project=FundingProjectPageFactory(), amount=7_000)
    client = client_for(world.creator)
    before = Post.objects.count()
    refused_video = client.post(create_url(world.project), form_data(videos=[someone_elses.pk]))
    refused_tier = client.post(create_url(world.project), form_data(audience="backers", minimum_tier=other_tier.pk))
    assert refused_video.status_code == 200 and "videos" in refused_video.context["form"].errors
    assert refused_tier.status_code == 200 and "minimum_tier" in refused_tier.context["form"].errors
    assert Post.objects.count() == before


def test_a_paid_films_main_video_is_not_offered(world):
    """Its film's rule would refuse every reader who has not bought the film, so it is not a choice."""
    main = world.film.main_video
    main.owner = world.creator
    main.save(update_fields=["owner"])
    response = client_for(world.creator).get(create_url(world.project))
    assert main not in response.context["form"].fields["videos"].queryset


@pytest.mark.parametrize(
    ("page_name", "audience"),
    [("free film", "buyers"), ("free film", "backers"), ("paid film", "backers"), ("project", "buyers")],
)
def test_an_audience_the_page_cannot_have_is_refused(world, page_name, audience):
    """Backers only on a funding project, buyers only on a page with a price."""
    pages = {
        "free film": FilmPageFactory(owner=world.creator, price=0),
        "paid film": world.film,
        "project": world.project,
    }
    before = Post.objects.count()
    response = client_for(world.creator).post(create_url(pages[page_name]), form_data(audience=audience))
    assert response.status_code == 200 and "audience" in response.context["form"].errors
    assert Post.objects.count() == before


def test_the_tier_is_dropped_when_the_post_is_not_for_backers(world):
    response = client_for(world.creator).post(
        create_url(world.project), form_data(audience="public", minimum_tier=world.tier_high.pk)
    )
    assert response.status_code == 302
    assert Post.objects.latest("pk").minimum_tier is None


# --- what is written -------------------------------------------------------------------------------


def test_hostile_text_is_cleaned_stored_as_text_and_shown_escaped(world):
    """Script tags stay text everywhere they are shown; bidirectional overrides are removed before saving."""
    title = "<script>alert('t')</script>\u202egpj.exe"
    teaser = '<img src=x onerror="alert(1)">'
    body = "<script>alert('b')</script>\n<b>굵게</b> https://example.com/a?b=<c>"
    response = client_for(world.creator).post(
        create_url(world.project), form_data(title=title, teaser=teaser, body=body)
    )
    assert response.status_code == 302
    post = Post.objects.latest("pk")
    assert "\u202e" not in post.title and post.title.endswith("gpj.exe")
    assert post.teaser == teaser and post.body.startswith("<script>")
    html = client_for(world.users["member"]).get(reverse("community:post", args=[post.pk])).content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html and "<b>굵게" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;굵게&lt;/b&gt;" in html
    assert 'href="https://example.com/a?b=' in html and 'rel="nofollow ugc noopener"' in html
    listing = Template('{% include "community/posts/list.html" %}').render(
        Context({"page": world.project, "request": _request(None)})
    )
    assert "&lt;script&gt;" in listing and "<script>alert(" not in listing and "<img src=x" not in listing


def test_a_100_kb_body_is_refused_and_nothing_is_saved(world):
    before = Post.objects.count()
    response = client_for(world.creator).post(create_url(world.project), form_data(body="가" * 100_000))
    assert response.status_code == 200 and "body" in response.context["form"].errors
    assert Post.objects.count() == before


@pytest.mark.parametrize("field", ["title", "teaser"])
def test_a_100_kb_title_or_teaser_is_refused(world, field):
    before = Post.objects.count()
    response = client_for(world.creator).post(create_url(world.project), form_data(**{field: "x" * 100_000}))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert Post.objects.count() == before


def test_a_title_of_only_invisible_characters_is_refused(world):
    response = client_for(world.creator).post(create_url(world.project), form_data(title="\u202e\u200b "))
    assert "title" in response.context["form"].errors


def test_an_empty_post_is_refused(world):
    response = client_for(world.creator).post(create_url(world.project), form_data(body=""))
    assert response.status_code == 200 and response.context["form"].non_field_errors()


# --- pictures -------------------------------------------------------------------------------------


def _refused_upload(world, upload) -> list[str]:
    before = (Post.objects.count(), PostImage.objects.count())
    response = client_for(world.creator).post(create_url(world.project), form_data(images=upload))
    assert response.status_code == 200
    assert (Post.objects.count(), PostImage.objects.count()) == before
    return response.context["form"].errors["images"]


def test_a_file_that_only_claims_to_be_a_picture_is_refused(world):
    fake = SimpleUploadedFile("사진.png", b"<?php system($_GET['c']); ?>", content_type="image/png")
    assert "not a JPEG, PNG or WebP picture" in _refused_upload(world, fake)[0]


def test_a_truncated_picture_is_refused(world):
    whole = png_upload(size=(300, 200)).read()
    broken = SimpleUploadedFile("broken.png", whole[: len(whole) // 2], content_type="image/png")
    assert "not a JPEG, PNG or WebP picture" in _refused_upload(world, broken)[0]


def test_a_gif_is_refused(world):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    assert "not a JPEG, PNG or WebP" in _refused_upload(world, SimpleUploadedFile("a.gif", buffer.getvalue()))[0]


def test_a_picture_over_the_size_or_pixel_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 100)
    assert "larger than" in _refused_upload(world, png_upload(size=(200, 200), colour=(1, 2, 3)))[0]
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 10 * 1024 * 1024)
    monkeypatch.setattr(media, "MAX_IMAGE_PIXELS", 1000)
    assert "million pixels" in _refused_upload(world, png_upload(size=(64, 48)))[0]


def test_more_pictures_than_a_post_holds_are_refused(world, monkeypatch):
    monkeypatch.setattr(media, "MAX_IMAGES_PER_POST", 2)
    uploads = [png_upload(name=f"{n}.png") for n in range(3)]
    assert "at most 2 pictures" in _refused_upload(world, uploads)[0]


def test_a_stored_photo_keeps_no_metadata(world):
    """A phone's location and camera details are not in the stored copy."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2024:05:01 03:00:00"  # DateTime
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(buffer, format="JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    client_for(world.creator).post(
        create_url(world.project), form_data(images=SimpleUploadedFile("phone.jpg", buffer.getvalue()))
    )
    stored = Post.objects.latest("pk").images.get()
    content = stored.file.open("rb").read()
    assert stored.file.name.endswith(".jpg") and b"PhoneMaker" not in content
    assert not Image.open(io.BytesIO(content)).getexif()


def test_editing_removes_a_picture_with_its_file_and_describes_another(world, django_capture_on_commit_callbacks):
    post = world.backers_post
    kept, removed = post.images.get(), add_image(post, alt="")
    client = client_for(world.creator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:post_edit", args=[post.pk]),
            form_data(
                title=post.title,
                audience="backers",
                minimum_tier=world.tier_high.pk,
                **{f"alt_{kept.pk}": "비 내리는 정류장", f"remove_{removed.pk}": "on"},
            ),
        )
    assert response.status_code == 302
    assert list(post.images.values_list("pk", "alt")) == [(kept.pk, "비 내리는 정류장")]
    assert not default_storage.exists(removed.file.name) and default_storage.exists(kept.file.name)


def test_deleting_a_post_removes_its_pictures_files_and_comments(world, django_capture_on_commit_callbacks):
    post = world.backers_post
    image = post.images.get()
    Comment.objects.create(page=world.project, post=post, author=world.users["backer at the tier"], body="응원해요")
    client = client_for(world.creator)
    assert "cannot be undone" in client.get(reverse("community:post_delete", args=[post.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community:post_delete", args=[post.pk]))
    assert response["Location"] == reverse("community:page_posts_manage", args=[world.project.pk])
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not PostImage.objects.filter(pk=image.pk).exists() and not Comment.objects.filter(post_id=post.pk).exists()
    assert not default_storage.exists(image.file.name)


# --- where creators find it ----------------------------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def test_the_pages_posts_list_is_the_same_for_everyone_but_offers_writing_to_its_creator(world):
    """Titles, teasers and who each post is for; the write and manage links only for the creator."""
    template = Template('{% include "community/posts/list.html" %}')
    for user in (None, world.users["member"], world.users["backer at the tier"]):
        html = template.render(Context({"page": world.project, "request": _request(user)}))
        assert "셋째 날 현장 일지" in html and "비 오는 밤 버스 정류장 촬영 이야기" in html
        assert "For backers of “엔딩 크레딧에 이름” (50,000 KRW) or more" in html
        assert world.backers_post.body not in html and "/images/" not in html
        assert "Write a post" not in html
    owners = template.render(Context({"page": world.project, "request": _request(world.creator)}))
    assert reverse("community:post_create", args=[world.project.pk]) in owners
    assert reverse("community:page_posts_manage", args=[world.project.pk]) in owners


def test_the_management_list_shows_every_post_of_the_page_drafts_too(world):
    Post.objects.create(page=world.project, author=world.creator, title="쓰는 중", body="초안")
    html = (
        client_for(world.creator).get(reverse("community:page_posts_manage", args=[world.project.pk])).content.decode()
    )
    assert "셋째 날 현장 일지" in html and "쓰는 중" in html and "Draft" in html
    assert reverse("community:post_edit", args=[world.backers_post.pk]) in html


def test_the_public_list_of_a_pages_posts_pages_through_them(world):
    for number in range(25):
        Post.objects.create(
            page=world.project, author=world.creator, title=f"글 {number}", published_at=world.backers_post.published_at
        )
    url = reverse("community:page_posts", args=[world.project.pk])
    first, second = client_for(None).get(url), client_for(None).get(url, {"page": 2})
    assert first.status_code == 200 and len(first.context["page_obj"].object_list) == 20
    assert len(second.context["page_obj"].object_list) == 6


def test_staff_may_manage_the_posts_of_any_page(world):
    staff = StaffUserFactory()
    response = client_for(staff).get(reverse("community:page_posts_manage", args=[world.project.pk]))
    assert response.status_code == 200 and "셋째 날 현장 일지" in response.content.decode()


@pytest.mark.parametrize("value", ["9" * 20, "-1", "1e3", "abc"])
def test_an_id_no_database_could_hold_is_a_form_error_not_a_crash(world, value):
    """A 20-digit tier or video id overflows the database's integers: refused as no choice before any query."""
    before = Post.objects.count()
    response = client_for(world.creator).post(
        create_url(world.project), form_data(audience="backers", minimum_tier=value, videos=[value])
    )
    assert response.status_code == 200
    assert {"minimum_tier", "videos"} <= set(response.context["form"].errors)
    assert Post.objects.count() == before
