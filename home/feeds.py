"""The notices as an Atom feed, at the notice board's address + `feed/` (`NoticeIndexPage.feed`).

In the request's language, like the pages: English titles and texts where they are written. The
feed is the same for every reader, so it is rendered once per page-cache generation, language and
host (`page_cache.fragments.shared`) and rebuilt after any publish.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from films.models import localized
from page_cache.fragments import shared

from .models import NoticeIndexPage, NoticePage

FEED_ITEMS = 30


class NoticesFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, board: NoticeIndexPage):
        super().__init__()
        self.board = board

    def __call__(self, request, *args, **kwargs):
        def render() -> dict:
            response = super(NoticesFeed, self).__call__(request, *args, **kwargs)
            return {"content": response.content, "content_type": response["Content-Type"]}

        feed = shared(request, f"notices-feed:{self.board.pk}", render)
        return HttpResponse(feed["content"], content_type=feed["content_type"])

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.board

    def title(self, board):
        return _("%(board)s · ReelVision") % {"board": board.display_title}

    def subtitle(self, board):
        return _("Notices from the film department.")

    def link(self, board):
        return board.get_url(self.request)

    def feed_url(self, board):
        return board.feed_url

    def items(self, board):
        return board.notices()[:FEED_ITEMS]

    def item_title(self, notice: NoticePage):
        return notice.display_title

    def item_description(self, notice: NoticePage):
        return expand_db_html(localized(notice, "body"))

    def item_link(self, notice: NoticePage):
        return notice.get_url(self.request)

    def item_pubdate(self, notice: NoticePage):
        return published_at(notice)

    def item_updateddate(self, notice: NoticePage):
        published = published_at(notice)
        return max(notice.last_published_at, published) if notice.last_published_at else published


def published_at(notice: NoticePage) -> datetime.datetime:
    """When the notice counts as published: its date, at the time it was first published when that
    was on the same day (a notice dated earlier or later than its publication keeps its date)."""
    first = notice.first_published_at
    if first is not None and timezone.localdate(first) == notice.date:
        return first
    return timezone.make_aware(datetime.datetime.combine(notice.date, datetime.time()))
