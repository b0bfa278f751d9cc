"""Who may add and edit notices: Staff only. Creators hold "add" on the film catalogue alone
(`members.roles`), and no page they may add under takes a notice."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from films.tests.factories import film_index, home_page
from home.models import HomePage, NoticeIndexPage, NoticePage
from home.tests.factories import NoticePageFactory, in_hours, notice_board
from members.tests.admin_forms import client_for, create_form, create_url, edit_form
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    """Wagtail's refusal: a 403, or a redirect to the dashboard or to the log-in."""
    if response.status_code == 403:
        return True
    login = resolve_url(settings.WAGTAILADMIN_LOGIN_URL)
    return response.status_code == 302 and (
        response.url == reverse("wagtailadmin_home") or response.url.startswith(login)
    )


def notice_form(parent, **changes):
    return create_form(
        NoticePage,
        parent,
        title="창작자의 공지",
        slug="creators-notice",
        body=rich_text("<p>허락 없이 올린 공지.</p>"),
        **changes,
    )


def test_staff_add_the_notice_board_under_the_home_page_once():
    """A site starts without a board; staff add it in the admin, and no second one may be added."""
    home = home_page()
    assert not NoticeIndexPage.objects.exists()
    assert NoticeIndexPage in HomePage.creatable_subpage_models()
    assert NoticeIndexPage.can_create_at(home)
    data = create_form(NoticeIndexPage, home, title="공지사항", slug="notices", **{"action-publish": "action-publish"})
    response = client_for(StaffUserFactory()).post(create_url(NoticeIndexPage, home), data)
    assert response.status_code == 302, response.content[:2000]
    board = NoticeIndexPage.objects.get()
    assert board.live and board.get_parent().specific_class is HomePage and board.url == "/notices/"
    assert not NoticeIndexPage.can_create_at(home)  # one per site
    assert not NoticeIndexPage.can_create_at(film_index())


def test_a_creator_cannot_add_the_notice_board():
    home = home_page()
    response = client_for(CreatorFactory()).post(
        create_url(NoticeIndexPage, home), create_form(NoticeIndexPage, home, title="내 게시판", slug="mine")
    )
    assert refused(response)
    assert not NoticeIndexPage.objects.exists()


def test_notices_go_on_the_board_only():
    board, home, catalogue = notice_board(), home_page(), film_index()
    assert NoticePage.can_create_at(board)
    assert not NoticePage.can_create_at(home)
    assert not NoticePage.can_create_at(catalogue)
    assert NoticePage not in catalogue.specific_class.creatable_subpage_models()


@pytest.mark.parametrize("parent", ["board", "catalogue"])
def test_a_creator_cannot_add_a_notice_through_the_admin(parent):
    """The add view refuses a creator, on the board (no permission there) and on the catalogue (where
    they may add films, but no notice), both the form and a posted notice; nothing is created."""
    creator = CreatorFactory()
    parent_page = notice_board() if parent == "board" else film_index()
    data = notice_form(notice_board(), **{"action-publish": "action-publish"})
    client = client_for(creator)
    before = NoticePage.objects.count()

    form = client.get(create_url(NoticePage, parent_page))
    posted = client.post(create_url(NoticePage, parent_page), data)

    assert refused(form), (form.status_code, form.get("Location"))
    assert refused(posted), (posted.status_code, posted.get("Location"))
    assert NoticePage.objects.count() == before
    assert not Page.objects.filter(slug="creators-notice").exists()


def test_a_creator_is_not_offered_the_board_and_cannot_edit_a_notice():
    creator = CreatorFactory()
    notice = NoticePageFactory(title="원래 제목", owner=creator)  # even one they were made owner of
    board = notice_board()
    assert not board.permissions_for_user(creator).can_add_subpage()
    assert not notice.permissions_for_user(creator).can_edit()
    assert not notice.permissions_for_user(creator).can_publish()

    client = client_for(creator)
    data = edit_form(notice, title="바뀐 제목", **{"action-publish": "action-publish"})
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[notice.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:edit", args=[notice.pk]), data))
    notice.refresh_from_db()
    assert notice.title == "원래 제목"


def test_a_member_without_admin_access_cannot_add_a_notice():
    client = client_for(UserFactory())
    before = NoticePage.objects.count()
    response = client.post(create_url(NoticePage, notice_board()), notice_form(notice_board()))
    assert refused(response)
    assert NoticePage.objects.count() == before


def test_staff_publish_a_notice_with_a_banner_through_the_admin():
    staff = StaffUserFactory()
    until = in_hours(48).replace(second=0, microsecond=0)
    data = create_form(
        NoticePage,
        notice_board(),
        title="수강 신청 안내",
        title_en="Course registration",
        slug="registration",
        body=rich_text("<p>수강 신청은 다음 주 월요일부터입니다.</p>"),
        body_en=rich_text("<p>Registration opens next Monday.</p>"),
        banner_until=timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "action-publish"},
    )
    response = client_for(staff).post(create_url(NoticePage, notice_board()), data)
    assert response.status_code == 302, response.content[:2000]
    notice = NoticePage.objects.get(slug="registration")
    assert notice.live and notice.title_en == "Course registration"
    assert notice.banner_until == until and notice.is_banner
