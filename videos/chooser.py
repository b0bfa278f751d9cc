"""The video chooser: the modal a page editor opens to pick a film's main video or trailer.

Like Wagtail's image chooser it searches, pages and shows what matters when choosing
(poster, status, length). Creators are offered only their own videos and staff all of
them; the "chosen" step looks the video up through the same rule, so a forged id in the
modal's URL is a 404. The page form limits the field's queryset the same way
(``films.forms.FilmBasePageForm``), so a forged id in the POST is refused as well.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from videos.admin import PosterColumn, StatusColumn, duration_label, visible_videos
from videos.models import Video


def _visible(request):

    return visible_videos(request.user)


class VideoChooseMixin:
    ordering = ("-created_at",)

    def get_object_list(self):
        return _visible(self.request)

    @property
    def columns(self):

        columns = [
            PosterColumn("poster", label="", width="1%"),
            self.title_column,
            StatusColumn("status", label=_("Status"), accessor="status"),
            Column("duration", label=_("Length"), accessor=duration_label),
            DateColumn("created_at", label=_("Uploaded")),
        ]
        if self.request.user.has_perm("videos.change_video"):
            columns.insert(3, Column("owner", label=_("Owner"), accessor="owner"))
        return columns


class VideoChooseView(VideoChooseMixin, chooser_views.ChooseView):
    pass


class VideoChooseResultsView(VideoChooseMixin, chooser_views.ChooseResultsView):
    pass


class VideoChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return get_object_or_404(_visible(self.request), pk=pk)


class VideoChooserViewSet(ChooserViewSet):
    model = Video
    icon = "media"
    choose_one_text = _("Choose a video")
    choose_another_text = _("Choose another video")
    edit_item_text = _("Edit this video")
    page_title = _("Choose a video")
    per_page = 12
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    chosen_view_class = VideoChosenView


video_chooser_viewset = VideoChooserViewSet("video_chooser")
