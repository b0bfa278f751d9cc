"""Test data for the home app: the notice board and notices on it."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from films.tests.factories import home_page
from home.models import NoticeIndexPage, NoticePage


def notice_board() -> NoticeIndexPage:
    """The site's notice board, added under the home page (as staff do once) when there is none yet."""
    board = NoticeIndexPage.objects.order_by("path").first()
    if board is None:
        board = NoticeIndexPage(
            title="공지사항",
            title_en="Notices",
            slug="notices",
            intro="<p>학과의 소식과 안내.</p>",
            intro_en="<p>News from the department.</p>",
            live=False,
        )
        home_page().add_child(instance=board)
        board.save_revision().publish()
        board.refresh_from_db()
    return board


class NoticePageFactory(wagtail_factories.PageFactory):
    """A live notice, added without a publish (no signal: the page cache is not told); use
    `publish_notice()` where publishing itself matters."""

    title = factory.Sequence(lambda n: f"학과 공지 {n}")
    # A notice named in English in a test has that name in both languages.
    title_en = factory.LazyAttributeSequence(lambda o, n: o.title if o.title.isascii() else f"Department notice {n}")
    body = "<p>학과 사무실에서 알려 드립니다.</p>"
    body_en = "<p>From the department office.</p>"
    parent = factory.LazyFunction(notice_board)

    class Meta:
        model = NoticePage


def publish_notice(*, user=None, **fields) -> NoticePage:
    """A notice published the way the editor does it (a revision, then publish: signals and all)."""
    fields.setdefault("title", "졸업영화제 상영 안내")
    fields.setdefault("body", "<p>12월 12일부터 학과 시사실에서 상영합니다.</p>")
    notice = NoticePage(live=False, **fields)
    notice_board().add_child(instance=notice)
    notice.save_revision(user=user).publish(user=user)
    notice.refresh_from_db()
    return notice


def in_hours(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)
