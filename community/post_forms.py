"""The form a creator writes a post with, on their own project or film page, and what saving it does.

Who may see the form is the views' business (`posts.may_write_on`, `posts.may_edit`); the form
limits every choice to what is the page's and the author's, so a forged id in the POST is refused
like a mistyped one and nothing is saved:

- the audience: everyone; backers only on a funding project, optionally from one of *its* tiers;
  buyers only on a page with a price;
- the videos: the author's own ready videos, except a paid film's main video (that film's rule
  would keep it from every reader who has not bought the film);
- the pictures to describe or remove: this post's own.

Text is cleaned (`community.text.clean`: no bidirectional overrides, invisible or control
characters) before its length is checked, and shown escaped wherever it appears.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from films.models import DonationTier, FilmBasePage
from reelvision.bad_requests import MAX_API_INTEGER
from videos.models import Video

from . import media, text
from .models import POST_MAX_LENGTH, TEASER_MAX_LENGTH, Post, PostAudience, PostImage
from .signals import post_published

ALT_MAX_LENGTH = 200


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Any number of files from one <input type=file multiple>; each is checked in `clean_images`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(one, initial) for one in files if one]


def _is_id(value) -> bool:
    """A whole number a primary key can hold: anything else is no choice, not a database error
    (a 20-digit number overflows SQLite's and PostgreSQL's integers)."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_API_INTEGER


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for one in value:
            if not _is_id(one):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": one}
                )
        return super()._check_values(value)


def audience_choices(page: FilmBasePage) -> list[tuple[str, str]]:
    choices = [(PostAudience.PUBLIC.value, PostAudience.PUBLIC.label)]
    if page.is_funding:
        choices.append((PostAudience.BACKERS.value, PostAudience.BACKERS.label))
    if page.price > 0:
        choices.append((PostAudience.BUYERS.value, PostAudience.BUYERS.label))
    return choices


def choosable_videos(author):
    """The author's ready videos a post may show (see the module docstring)."""
    paid_main_videos = FilmBasePage.objects.filter(price__gt=0, main_video__isnull=False).values("main_video")
    return Video.objects.owned_by(author).ready().exclude(pk__in=paid_main_videos).order_by("-created_at")


class PostForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Publish now"),
        required=False,
        initial=True,
        help_text=_("Untick to keep it as a draft that only you and staff can see."),
    )
    images = MultipleImageField(
        label=_("Add pictures"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, up to 10 MB each, at most 10 a post. Only those who can read the post see them."
        ),
    )

    class Meta:
        model = Post
        fields = ["title", "teaser", "body", "audience", "minimum_tier", "videos"]
        labels = {
            "title": _("Title"),
            "teaser": _("Teaser"),
            "body": _("Text"),
            "audience": _("Who can read it"),
            "minimum_tier": _("From tier"),
            "videos": _("Videos"),
        }
        help_texts = {
            "teaser": _("One or two sentences everyone sees, also those who cannot read the post yet."),
            "body": _("Plain text: line breaks are kept and web addresses become links."),
            "minimum_tier": _("Leave empty for backers of any amount."),
            "videos": _("Your own videos that are ready to play. Upload a video in the studio first."),
        }
        field_classes = {"minimum_tier": IdChoiceField, "videos": IdMultipleChoiceField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "audience": forms.RadioSelect,
            "videos": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, page: FilmBasePage, author, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.author, self.viewer = page, author, viewer or author
        self.fields["title"].widget.attrs["maxlength"] = Post._meta.get_field("title").max_length
        self.fields["teaser"].max_length = TEASER_MAX_LENGTH
        self.fields["body"].max_length = POST_MAX_LENGTH
        self.fields["body"].widget.attrs["maxlength"] = POST_MAX_LENGTH
        self.fields["audience"].choices = audience_choices(page)
        tier = self.fields["minimum_tier"]
        tier.queryset = DonationTier.objects.filter(project_id=page.pk).order_by("amount", "sort_order")
        tier.empty_label = _("Any amount")
        if not page.is_funding:
            del self.fields["minimum_tier"]
        self.fields["videos"].queryset = choosable_videos(author)
        self.fields["videos"].label_from_instance = lambda video: video.title
        if self.instance.pk and self.instance.published_at is not None:
            del self.fields["publish"]  # published once: edits stay published
        # The post's own pictures: a description and a "remove" box for each.
        self.existing_images = list(self.instance.images.all()) if self.instance.pk else []
        for image in self.existing_images:
            self.fields[f"alt_{image.pk}"] = forms.CharField(
                label=_("Description of picture %(number)s") % {"number": self.existing_images.index(image) + 1},
                max_length=ALT_MAX_LENGTH,
                required=False,
                initial=image.alt,
                help_text=_("What the picture shows, for those who cannot see it."),
            )
            self.fields[f"remove_{image.pk}"] = forms.BooleanField(label=_("Remove this picture"), required=False)

    def image_rows(self):
        """(image, its address signed for whoever edits, its description field, its remove field)."""
        return [
            (image, media.image_url(image, self.viewer), self[f"alt_{image.pk}"], self[f"remove_{image.pk}"])
            for image in self.existing_images
        ]

    def clean_title(self):
        title = text.clean(self.cleaned_data["title"]).replace("\n", " ")
        if not title:
            raise forms.ValidationError(_("Give the post a title."))
        return title

    def clean_teaser(self):
        return " ".join(text.clean(self.cleaned_data["teaser"]).split())

    def clean_body(self):
        body = text.clean(self.cleaned_data["body"])
        if len(body) > POST_MAX_LENGTH:
            raise forms.ValidationError(
                _("Keep it under %(limit)s characters (this is %(length)s).")
                % {"limit": f"{POST_MAX_LENGTH:,}", "length": f"{len(body):,}"}
            )
        return body

    def clean_images(self):
        uploads = self.cleaned_data.get("images") or []
        kept = sum(1 for image in self.existing_images if not self.data.get(f"remove_{image.pk}"))
        if kept + len(uploads) > media.MAX_IMAGES_PER_POST:
            raise forms.ValidationError(
                _("A post can hold at most %(count)s pictures.") % {"count": media.MAX_IMAGES_PER_POST}
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(media.normalised_image(upload))
            except forms.ValidationError as refused:
                errors.extend(refused.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned

    def clean(self):
        cleaned = super().clean()
        for image in self.existing_images:
            cleaned[f"alt_{image.pk}"] = " ".join(text.clean(cleaned.get(f"alt_{image.pk}", "")).split())
        if cleaned.get("audience") != PostAudience.BACKERS:
            cleaned["minimum_tier"] = None
        if not (cleaned.get("body") or cleaned.get("images") or cleaned.get("videos") or self._keeps_images()):
            raise forms.ValidationError(_("Write something, or add a picture or a video."))
        return cleaned

    def _keeps_images(self) -> bool:
        return any(not self.cleaned_data.get(f"remove_{image.pk}") for image in self.existing_images)

    def save_post(self) -> Post:
        """Store the post with its videos and pictures in one transaction; once it is first
        published, `post_published` is sent after the commit. Removed pictures' files go after the
        commit too; new files are removed again if the transaction fails."""
        post = self.instance
        if post.pk is None:
            post.page, post.author = self.page, self.author
        newly_published = post.published_at is None and self.cleaned_data.get("publish")
        stored: list[str] = []
        removed: list[str] = []
        try:
            with transaction.atomic():
                if newly_published:
                    post.published_at = timezone.now()
                post = super().save()  # the post and its videos
                for image in self.existing_images:
                    if self.cleaned_data.get(f"remove_{image.pk}"):
                        removed.append(image.file.name)
                        image.delete()
                    elif image.alt != self.cleaned_data[f"alt_{image.pk}"]:
                        image.alt = self.cleaned_data[f"alt_{image.pk}"]
                        image.save(update_fields=["alt"])
                order = post.images.aggregate(last=Max("sort_order"))["last"]
                for number, content in enumerate(self.cleaned_data.get("images") or [], start=(order or 0) + 1):
                    image = PostImage(post=post, sort_order=number)
                    image.file.save(content.name, content, save=False)
                    stored.append(image.file.name)
                    image.save()
                transaction.on_commit(lambda: media.delete_files(removed))
                if newly_published:
                    transaction.on_commit(lambda: post_published.send_robust(sender=Post, post=post))
        except Exception:
            media.delete_files(stored)
            raise
        return post
