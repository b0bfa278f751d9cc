"""The "Videos" section of the admin: upload, follow processing, captions, delete.

Creators have ``videos.add_video`` and see, edit and delete only the videos they uploaded
(Wagtail's ``OwnershipPermissionPolicy``); staff have change/delete as well and see everyone's.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import OwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy

from reelvision.row_ids import row_id
from videos import analysis, flags, privacy, scenes, storage, upload
from videos.access import is_staff_member
from videos.captions import CaptionError, import_caption
from videos.forms import ChapterFormSet, TimecodeField, parse_timecode
from videos.models import (
    Caption,
    Chapter,
    ContentFlag,
    Video,
    VideoAnalysis,
    VideoMosaic,
    VideoStatus,
    time_span,
    timecode,
)
from videos.pipeline import delete_video_files
from videos.playback import file_url
from videos.tasks import start_analysis, start_finding_people, start_mosaic, start_preview

video_permission_policy = OwnershipPermissionPolicy(Video, owner_field_name="owner")
register_permission_policy(Video, video_permission_policy, exact_class=True)


def visible_videos(user):
    """Staff (change permission) see every video; creators only their own."""
    queryset = Video.objects.select_related("owner")
    # The policy's user_has_permission(user, "change") is true for anyone with "add" (they may change
    # their own), so ask for the model permission itself.
    if user.is_active and user.has_perm("videos.change_video"):
        return queryset
    return queryset.filter(owner=user)


def duration_label(video) -> str:
    if not video.duration:
        return "—"
    seconds = round(video.duration)
    return (
        f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )


class StatusColumn(Column):
    cell_template_name = "videos/admin/status_cell.html"


class PosterColumn(Column):
    """A small poster frame, through a short-lived signed URL like every other video file."""

    cell_template_name = "videos/admin/poster_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["poster_url"] = poster_url(context["request"], instance)
        return context


def poster_url(request, video) -> str:
    """The signed URL of the video's poster frame, or "" while it has none to show (files are served
    only once the video is ready)."""

    if video.status != VideoStatus.READY or not video.poster_key:
        return ""
    return file_url(request, video, video.poster_key)


def preview(request, video) -> dict | None:
    """What the edit page's preview player needs: the signed playlist, poster and caption tracks."""

    if video.status != VideoStatus.READY or not video.hls_master_key:
        return None
    return {
        "master_url": file_url(request, video, video.hls_master_key, settings.VIDEO_PLAYBACK_URL_TTL),
        "poster_url": poster_url(request, video),
        "clip_url": file_url(request, video, video.preview_key) if video.preview_key else "",
        "captions": [
            {"language": c.language, "label": c.label or c.language, "url": file_url(request, video, c.vtt_key)}
            for c in Caption.objects.filter(video=video)
        ],
    }


class VideoIndexView(generic.IndexView):
    template_name = "videos/admin/index.html"  # Wagtail's, with the list's phone layout (video-admin.css)

    def get_base_queryset(self):
        return visible_videos(self.request.user)


class VideoEditView(generic.EditView):
    template_name = "videos/admin/edit.html"

    def get_object(self, queryset=None):
        return get_object_or_404(visible_videos(self.request.user), pk=self.kwargs["pk"])

    def save_instance(self):
        video = super().save_instance()
        if "preview_start" in self.form.changed_data:
            start_preview(video)  # the clip alone is cut again, once the save commits
        return video

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        video = self.object
        context.update(
            {
                "video": video,
                "preview": preview(self.request, video),
                "duration": duration_label(video),
                "captions": [
                    (caption, language_name(caption.language)) for caption in Caption.objects.filter(video=video)
                ],
                "status_url": reverse("videos_admin:status", args=[video.pk]),
                "captions_url": reverse("videos_admin:captions", args=[video.pk]),
                "used_on": pages_using(video),
                "language_choices": CAPTION_LANGUAGES,
                **analysis_context(self.request, video),
                **mosaic_context(self.request, video),
            }
        )
        return context


def mosaic_context(request, video) -> dict:
    """The edit page's privacy-mosaic section: its state and the people found, with signed thumbnails."""
    job = VideoMosaic.objects.filter(video=video).first()
    people = []
    if job is not None and video.status == VideoStatus.READY:
        people = [
            {
                "person": person,
                "url": file_url(request, video, person.thumbnail_key) if person.thumbnail_key else "",
                "when": time_span(person.start, person.end),
            }
            for person in job.people.all()
        ]
    return {"mosaic": job, "mosaic_people": people, "mosaic_url": reverse("videos_admin:analysis", args=[video.pk])}


def analysis_context(request, video) -> dict:
    """The edit page's analysis section: status, poster candidates (signed), and the chapters form,
    filled with the saved chapters or, while there are none, the analysis's suggestions."""
    found = VideoAnalysis.objects.filter(video=video).first()
    saved = list(Chapter.objects.filter(video=video))
    if saved:
        rows = [{"start": c.start, "title": c.title, "title_en": c.title_en} for c in saved]
    elif found is not None and found.status == "done":
        rows = [
            {"start": chapter["start"], "title": _("Chapter %(number)d") % {"number": number}, "title_en": ""}
            for number, chapter in enumerate(found.chapters, start=1)
        ]
    else:
        rows = []
    ready = video.status == VideoStatus.READY
    candidates = []
    if found is not None and ready:
        candidates = [
            {**poster, "url": file_url(request, video, poster["key"]), "label": timecode(poster["time"])}
            for poster in found.poster_candidates
        ]
    content_flags = [
        {
            "flag": flag,
            "url": file_url(request, video, flag.thumbnail_key) if flag.thumbnail_key and ready else "",
            "when": time_span(flag.start, flag.end),
            "at": timecode(flag.at),
        }
        for flag in ContentFlag.objects.filter(video=video).select_related("decided_by")
    ]
    return {
        "analysis": found,
        "analysis_url": reverse("videos_admin:analysis", args=[video.pk]),
        "content_flags": content_flags,
        "can_decide_flags": is_staff_member(request.user),
        "poster_candidates": candidates,
        "chapter_forms": ChapterFormSet(initial=rows, prefix="chapters", duration=video.duration or 0),
        "chapters_suggested": bool(rows) and not saved,
    }


# Caption languages offered on the edit page, named in the admin's language. A track's label for
# viewers defaults to the language's own name (captions.default_label).
CAPTION_LANGUAGES = [
    ("ko", gettext_lazy("Korean")),
    ("en", gettext_lazy("English")),
    ("ja", gettext_lazy("Japanese")),
    ("zh-Hans", gettext_lazy("Chinese (Simplified)")),
]


def language_name(code: str) -> str:
    """The language's name in the admin's language ("Korean" for ko in English), or the code itself."""

    try:
        return _(get_language_info(code.lower())["name"])
    except KeyError:
        return code


def pages_using(video) -> list:
    """The pages that show `video`, by title, as the apps that show videos tell (the `video_usage`
    hook: `fn(video)` → pages; films answers with the films and projects playing it or its trailer)."""
    pages = {page.pk: page for usage in hooks.get_hooks("video_usage") for page in usage(video)}
    return sorted(pages.values(), key=lambda page: page.title)


def live_pages_using(video) -> list:
    """The live pages that show `video`."""
    return [page for page in pages_using(video) if page.live]


class VideoDeleteView(generic.DeleteView):
    """Refuses (the question and the POST) while a live page plays the video: deleting it would
    take the film off the page without a word. The page is named, so staff know what to change."""

    def get_object(self, queryset=None):
        return get_object_or_404(visible_videos(self.request.user), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        pages = live_pages_using(self.object)
        if pages:
            messages.error(
                request,
                _(
                    "This video cannot be deleted: it plays on the live page %(pages)s. Choose another video "
                    "on that page (or unpublish the page) first."
                )
                % {"pages": ", ".join(f"“{page.title}”" for page in pages)},
            )
            return redirect("videos_admin:edit", self.object.pk)
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):

        video = self.object
        snapshot = Video(pk=video.pk, original_key=video.original_key, storage_prefix=video.storage_prefix)
        super().delete_action()
        transaction.on_commit(lambda: delete_video_files(snapshot))


def upload_view(request):
    if not video_permission_policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "videos/admin/upload.html",
        {
            "page_title": _("Upload a video"),
            "header_icon": "media",
            "max_bytes": settings.VIDEO_MAX_UPLOAD_BYTES,
            "part_bytes": upload.base_part_size(),
            "extensions": " ".join(sorted(upload.VIDEO_EXTENSIONS)),
            "create_url": reverse("videos:video_upload_create"),
            "index_url": reverse("videos_admin:index"),
        },
    )


def status_view(request, pk: int):
    video = get_object_or_404(visible_videos(request.user), pk=pk)
    return JsonResponse(
        {
            "status": video.status,
            "status_label": video.get_status_display(),
            "progress": video.progress,
            "failure_reason": video.failure_reason,
            "ready": video.status == VideoStatus.READY,
        }
    )


def analysis_view(request, pk: int):
    """POST ``action``: "analyse" (queue the analysis again), "poster" (a candidate frame becomes the
    poster), "poster_time" (the frame at a typed time does), "chapters" (save the chapters), "flag"
    (staff only: confirm, dismiss or reopen a flagged moment: ``flag`` and ``decision``), and the
    privacy mosaic's "find_people", "consents" (``consented``: the numbers of the people who agreed
    to be seen) and "make_mosaic"."""
    video = get_object_or_404(visible_videos(request.user), pk=pk)
    back = redirect(reverse("videos_admin:edit", args=[pk]) + "#analysis")
    if request.method != "POST":
        return back
    if not video_permission_policy.user_has_permission_for_instance(request.user, "change", video):
        raise PermissionDenied
    if video.status != VideoStatus.READY:
        messages.error(request, _("The video is not ready yet: analysis starts once it is."))
        return back
    action = request.POST.get("action")
    if action == "analyse":
        with transaction.atomic():
            start_analysis(video)
        messages.success(request, _("Analysis queued. It runs in the background; this page shows how far it got."))
    elif action == "poster":
        found = VideoAnalysis.objects.filter(video=video).first()
        keys = {poster["key"] for poster in found.poster_candidates} if found else set()
        if request.POST.get("poster") not in keys:
            messages.error(request, _("Choose one of the frames the analysis found."))
        else:
            _use_as_poster(video, request.POST["poster"])
            messages.success(request, _("Poster frame changed."))
    elif action == "poster_time":
        seconds = parse_timecode(request.POST.get("time", ""))
        if seconds is None or seconds >= (video.duration or 0):
            messages.error(
                request,
                _("Enter a time within the video (0:00 to %(end)s), such as 1:05.")
                % {"end": timecode(video.duration or 0)},
            )
        else:
            try:
                key = analysis.poster_at(video, seconds)
            except (scenes.TranscodeFailed, ValueError):
                messages.error(request, _("That frame could not be read from the original. Try another time."))
            else:
                _use_as_poster(video, key)
                messages.success(
                    request, _("Poster frame changed to the frame at %(time)s.") % {"time": timecode(seconds)}
                )
    elif action == "flag":
        if not is_staff_member(request.user):
            raise PermissionDenied  # the owner sees the flags; staff decide
        flag = ContentFlag.objects.filter(video=video, pk=row_id(request.POST.get("flag"))).first()
        decision = request.POST.get("decision")
        if flag is None or decision not in flags.DECISIONS:
            messages.error(request, _("Choose one of the flagged moments and what to do with it."))
        elif flags.decide(flag, decision, request.user):
            done = {
                "confirm": _("Confirmed: the film's pages and the API show it as an advisory."),
                "dismiss": _("Dismissed: it is not shown, and the next analysis does not flag it again."),
                "reopen": _("Back to waiting."),
            }
            messages.success(request, done[decision])
        else:
            messages.warning(request, _("Nothing changed: it was already so (someone may have decided first)."))
    elif action in ("find_people", "consents", "make_mosaic"):
        _mosaic_action(request, video, action)
    elif action == "chapters":
        forms = ChapterFormSet(request.POST, prefix="chapters", duration=video.duration or 0)
        if forms.is_valid():
            with transaction.atomic():
                Chapter.objects.filter(video=video).delete()
                Chapter.objects.bulk_create(Chapter(video=video, **row) for row in forms.chapters())
            messages.success(request, _("Chapters saved."))
        else:
            problems = [
                f"{number}: {' '.join(str(error) for errors in form.errors.values() for error in errors)}"
                for number, form in enumerate(forms.forms, start=1)
                if form.errors
            ] + [str(error) for error in forms.non_form_errors()]
            messages.error(request, _("The chapters were not saved. %(problems)s") % {"problems": " · ".join(problems)})
    return back


def _mosaic_action(request, video, action: str) -> None:
    """The privacy mosaic's steps: find the people, save who agreed to be seen, make the mosaic version."""
    try:
        with transaction.atomic():
            if action == "find_people":
                start_finding_people(video)
                messages.success(
                    request, _("Looking for the people in the video. Their faces show here when it is done.")
                )
            elif action == "consents":
                numbers = {n for n in map(row_id, request.POST.getlist("consented")) if n is not None}
                privacy.set_consents(video, numbers)
                messages.success(request, _("Saved who agreed to be seen."))
            else:
                start_mosaic(video)
                messages.success(
                    request,
                    _("Making the mosaic version. Viewers keep the current one until it is ready, then get it."),
                )
    except privacy.NotAllowed:
        messages.error(
            request,
            _("Not now: mark the video as behind-the-scenes footage, find its people and wait for that to finish."),
        )


def _use_as_poster(video, key: str) -> None:
    """Make `key` the video's poster; a frame picked by time that it replaces is removed."""
    previous = video.poster_key
    Video.objects.filter(pk=video.pk).update(poster_key=key)
    if previous and previous != key and analysis.is_picked_frame(video, previous):
        storage.delete(previous)


def captions_view(request, pk: int):
    """POST: add or replace a caption track (file + language); POST with ``delete``: remove one."""
    video = get_object_or_404(visible_videos(request.user), pk=pk)
    if request.method != "POST":
        return redirect("videos_admin:edit", pk)
    if not video_permission_policy.user_has_permission_for_instance(request.user, "change", video):
        raise PermissionDenied

    if request.POST.get("delete"):
        caption_id = request.POST["delete"]
        if not (caption_id.isascii() and caption_id.isdigit()):
            raise Http404  # no track has that id (and the database would not take it as one)
        caption = get_object_or_404(Caption, video=video, pk=caption_id)
        storage.delete(caption.vtt_key)
        caption.delete()
        messages.success(request, _("Caption track removed."))
        return redirect("videos_admin:edit", pk)
    upload = request.FILES.get("file")
    if not upload:
        messages.error(request, _("Choose a WebVTT (.vtt) or SubRip (.srt) file."))
        return redirect("videos_admin:edit", pk)
    try:
        caption = import_caption(video, request.POST.get("language", ""), request.POST.get("label", ""), upload)
    except CaptionError as error:
        lines = [
            _("Line %(line)s: %(problem)s") % {"line": line, "problem": problem} if line else problem
            for line, problem in error.problems
        ]
        messages.error(request, _("The captions were not saved. %(problems)s") % {"problems": " · ".join(lines[:20])})
    else:
        messages.success(
            request,
            _("%(label)s captions saved (%(count)d cues).") % {"label": caption.label, "count": caption.cue_count},
        )
    return redirect("videos_admin:edit", pk)


class VideoViewSet(ModelViewSet):
    model = Video
    icon = "media"
    menu_label = gettext_lazy("Videos")
    menu_order = 250
    add_to_admin_menu = True
    name = "videos"
    url_prefix = "videos"
    # "videos" is the namespace of the site's video addresses (videos.urls); the studio's are apart,
    # as Wagtail's own images keep "wagtailimages" for the admin.
    url_namespace = "videos_admin"
    form_fields = ["title", "preview_start", "behind_the_scenes"]
    index_view_class = VideoIndexView
    edit_view_class = VideoEditView
    delete_view_class = VideoDeleteView
    list_filter = ["status"]
    search_fields = ["title", "original_filename"]
    search_backend_name = None
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        # On phones the list keeps the title, the status, the owner and the date (video-admin.css).
        PosterColumn("poster", label="", width="1%", classname="video-list__wide"),
        "title",
        StatusColumn("status", label=gettext_lazy("Status"), classname="video-list__nowrap"),
        Column("duration", label=gettext_lazy("Length"), accessor=duration_label, classname="video-list__wide"),
        Column(
            "resolution",
            label=gettext_lazy("Size"),
            accessor=lambda v: f"{v.width}×{v.height}" if v.width else "—",
            classname="video-list__wide",
        ),
        Column("owner", label=gettext_lazy("Owner"), classname="video-list__nowrap"),
        DateColumn("created_at", label=gettext_lazy("Uploaded"), classname="video-list__nowrap"),
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "preview_start":
            kwargs["form_class"] = TimecodeField
        return super().formfield_for_dbfield(db_field, **kwargs)

    @property
    def menu_url(self):
        """The menu opens the list (Wagtail's default is the first URL pattern, here the upload form)."""
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [
            path("new/", upload_view, name="add"),
            path("<int:pk>/status/", status_view, name="status"),
            path("<int:pk>/captions/", captions_view, name="captions"),
            path("<int:pk>/analysis/", analysis_view, name="analysis"),
        ] + [pattern for pattern in super().get_urlpatterns() if getattr(pattern, "name", "") != "add"]


video_viewset = VideoViewSet()
