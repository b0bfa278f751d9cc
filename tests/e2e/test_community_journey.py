"""The community in a real browser: members review a film and the average moves on the page and
on its card; a comment with a link waits, staff approve it in the moderation queue and it appears
with its link; the film and project pages with reviews and comments on a 390 px phone, in Korean
and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import Comment, Review, Status
from community.ratings import recount
from films.models import Credit
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, PersonFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

from .conftest import PHONE
from .journeys import log_in
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_REVIEW = (
    "처음부터끝까지숨을죽이고봤습니다정말오랜만에이런영화를만났네요감독님다음작품도기대할게요"
    " 배우들의 연기도 좋았고 음악이 특히 기억에 남아요."
)


def veteran(name: str):
    return UserFactory(display_name=name, date_joined=timezone.now() - timedelta(days=60))


def review(page, stars: int, words: str) -> None:
    page.locator(f"label[for=rating-{stars}]").click()
    page.locator("#review-body").fill(words)
    page.locator("#reviews form button[type=submit]").first.click()


def test_members_review_and_the_average_moves(new_context, screenshot):
    film = FilmPageFactory(title="우리들의 여름", slug="우리들의-여름", owner=CreatorFactory())
    first = new_context().new_page()
    log_in(first, veteran("관객하나"))
    first.goto(film.url)
    review(first, 5, "최고의 졸업작품!")
    expect(first.locator(".rating-summary")).to_contain_text("5.0")
    expect(first.locator(".rating-summary")).to_contain_text("리뷰 1개")

    second = new_context().new_page()
    log_in(second, veteran("관객둘"))
    second.goto(film.url)
    review(second, 2, LONG_REVIEW)
    expect(second.locator(".rating-summary")).to_contain_text("3.5")
    expect(second.locator("#reviews .post").filter(has_text="관객하나")).to_contain_text("최고의 졸업작품!")
    screenshot(second, "film-page-with-reviews")

    visitor = new_context().new_page()
    visitor.goto(film.url)
    expect(visitor.locator(".facts .rating-fact")).to_contain_text("3.5")
    visitor.goto(film.get_parent().url)
    expect(
        visitor.locator(".film-card").filter(has_text="우리들의 여름").locator(".film-card__rating")
    ).to_contain_text("3.5")
    assert Review.objects.filter(film=film, status=Status.VISIBLE).count() == 2


def test_a_comment_with_a_link_waits_until_staff_approve_it(new_context, admin_page, screenshot):
    project = FundingProjectPageFactory(title="바다로 가는 길", slug="바다로-가는-길", owner=CreatorFactory())
    author = new_context().new_page()
    log_in(author, veteran("링크맨"))
    author.goto(project.url)
    author.locator("#comment-body").fill("메이킹 영상 여기 있어요 https://example.com/making")
    author.get_by_role("button", name="댓글 남기기").click()
    expect(author.get_by_text("운영자가 확인한 뒤에 보입니다")).to_be_visible()
    expect(author.locator("#comments .post")).to_contain_text("승인 대기")

    visitor = new_context().new_page()
    visitor.goto(project.url)
    expect(visitor.locator("#comments")).not_to_contain_text("메이킹 영상")

    staff = admin_page(StaffUserFactory())
    staff.goto("/admin/moderation/")
    item = staff.locator("li, article, tr").filter(has_text="메이킹 영상 여기 있어요").last
    expect(item).to_be_visible()
    screenshot(staff, "moderation-queue")
    item.get_by_role("button", name="Approve").click()
    expect(staff.get_by_role("status")).to_be_visible()
    comment = Comment.objects.get()
    assert comment.status == Status.VISIBLE

    visitor.reload()
    link = visitor.locator("#comments .post__body a")
    expect(link).to_have_attribute("href", "https://example.com/making")
    expect(link).to_have_attribute("rel", "nofollow ugc noopener")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_reviews_and_comments_fit_a_phone(new_context, screenshot, language):
    film = FilmPageFactory(
        title="새벽 세 시 편의점에서 일어난 아주 길고도 이상한 이야기",
        slug="새벽-세-시",
        title_en="The Long and Strange Story of the Convenience Store at Three",
        owner=CreatorFactory(),
    )
    project = FundingProjectPageFactory(title="바다로 가는 길", slug="바다로-가는-길", owner=CreatorFactory())
    # The director's other films, rated: their cards (stars included) sit in a sideways-scrolling row.
    director = PersonFactory(name="윤수아")
    Credit.objects.create(page=film, person=director, role="director")
    for n in range(4):
        other = FilmPageFactory(title=f"다른 영화 {n}", slug=f"다른-영화-{n}", credits=[(director, "director")])
        Review.objects.create(film=other, author=veteran(f"평론가{n}"), rating=5)
        recount(other.pk)
    for n in range(2):
        Review.objects.create(film=film, author=veteran(f"김수한무거북이와두루미{n}"), rating=4, body=LONG_REVIEW)
    top = Comment.objects.create(page=project, author=veteran("삼천갑자동방삭치치카포"), body=LONG_REVIEW)
    Comment.objects.create(page=project, author=project.owner, parent=top, body="고맙습니다!", by_creator=True)
    recount(film.pk)
    locale = "ko-KR" if language == "ko" else "en-US"
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=locale).new_page()
    log_in(phone, veteran("폰사용자"))
    for page in (film, project):
        phone.goto(page.url)
        phone.locator("#reviews, #comments").first.scroll_into_view_if_needed()
        assert layout_problems(phone) == [], page.url
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width}px wide"
        screenshot(phone, f"{language}-{page.pk}")
