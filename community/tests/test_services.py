"""The community's rules, through its services: what appears at once, what waits, reports, ratings,
rate limits, blocks, pins and follows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import comments, follows, moderation, reviews
from community.models import Action, Comment, Follow, HoldReason, ModerationAction, Review, Status, WatchedWord
from community.moderation import Refused
from films.models import Credit, FilmRating
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, PersonFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from watching.models import Entitlement

pytestmark = pytest.mark.django_db


def veteran(**kwargs):
    """A member whose account is old enough that their posts appear at once."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)


@pytest.fixture
def film():
    return FilmPageFactory(title="우리들의 여름", owner=CreatorFactory())


@pytest.fixture
def project():
    return FundingProjectPageFactory(title="바다로 가는 길", owner=CreatorFactory())


def test_a_review_appears_at_once_and_moves_the_average(film):
    reviews.submit(veteran(), film, 5, "좋았어요")
    reviews.submit(veteran(), film, 2, "")
    rating = FilmRating.objects.get(film_id=film.pk)
    assert (rating.count, rating.total, rating.average) == (2, 7, 3.5)


def test_a_second_review_by_the_same_member_edits_the_first(film):
    member = veteran()
    reviews.submit(member, film, 1, "별로")
    reviews.submit(member, film, 4, "다시 보니 좋네요")
    review = Review.objects.get(film=film, author=member)
    assert (review.rating, review.body, review.edited_at is not None) == (4, "다시 보니 좋네요", True)
    assert FilmRating.objects.get(film_id=film.pk).count == 1


def test_watched_when_the_member_owns_the_film(film):
    member = veteran()
    assert not reviews.submit(member, film, 3).watched
    Entitlement.objects.create(user=member, film=film)
    assert reviews.submit(member, film, 3).watched


def test_the_creator_cannot_review_their_own_film_nor_anyone_a_project(film, project):
    with pytest.raises(Refused) as refused:
        reviews.submit(film.owner, film, 5)
    assert refused.value.status == 403
    with pytest.raises(Refused):
        reviews.submit(veteran(), project, 5)
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, "x", None, "3.5"])
def test_a_rating_outside_one_to_five_is_refused(film, rating):
    with pytest.raises(Refused):
        reviews.submit(veteran(), film, rating)
    assert not Review.objects.exists()


def test_a_new_members_first_post_waits_then_the_next_ones_do_not(film, project):
    newcomer = UserFactory()  # joined just now
    review = reviews.submit(newcomer, film, 4, "첫 글")
    assert (review.status, review.held_for) == (Status.PENDING, HoldReason.NEW_MEMBER)
    assert FilmRating.objects.get(film_id=film.pk).count == 0
    moderation.decide(StaffUserFactory(), review, Action.APPROVE, "괜찮음")
    assert FilmRating.objects.get(film_id=film.pk).count == 1
    assert comments.submit(newcomer, project, "두 번째 글").status == Status.VISIBLE


def test_links_and_watched_words_wait(project):
    WatchedWord.objects.create(word="도박")
    member = veteran()
    linked = comments.submit(member, project, "여기 보세요 example.com/free")
    watched = comments.submit(member, project, "도\u200b 박 사이트")
    plain = comments.submit(member, project, "응원합니다!")
    assert (linked.held_for, watched.held_for, plain.status) == (
        HoldReason.LINK,
        HoldReason.WATCHED_WORD,
        Status.VISIBLE,
    )


def test_the_pages_creator_and_staff_are_trusted(project):
    reply = comments.submit(project.owner, project, "https://example.com 에서 메이킹 영상을 보세요")
    assert (reply.status, reply.by_creator) == (Status.VISIBLE, True)
    assert comments.submit(StaffUserFactory(), project, "공지 https://example.com").status == Status.VISIBLE


def test_the_sixth_post_within_a_minute_is_refused(project, settings):
    settings.COMMUNITY_POSTS_PER_MINUTE = 5
    member = veteran()
    for n in range(5):
        comments.submit(member, project, f"댓글 {n}")
    with pytest.raises(Refused) as refused:
        comments.submit(member, project, "여섯 번째")
    assert refused.value.status == 429
    assert Comment.objects.filter(author=member).count() == 5
    Comment.objects.filter(author=member).update(created_at=timezone.now() - timedelta(seconds=61))
    comments.submit(member, project, "1분 뒤")


def test_reports_hide_a_post_until_staff_decide(project, settings):
    settings.COMMUNITY_REPORTS_TO_HIDE = 2
    comment = comments.submit(veteran(), project, "논쟁적인 말")
    first = veteran()
    assert moderation.report(first, comment, "욕설")
    assert not moderation.report(first, comment, "또")  # once per member
    assert comment.status == Status.VISIBLE and comment.report_count == 1
    moderation.report(veteran(), comment)
    assert comment.status == Status.REPORTED
    assert not Comment.objects.public().filter(pk=comment.pk).exists()
    moderation.decide(StaffUserFactory(), comment, Action.DISMISS, "문제 없음")
    assert (comment.status, comment.report_count, comment.reports.count()) == (Status.VISIBLE, 0, 0)


def test_members_cannot_report_their_own_post(project):
    comment = comments.submit(veteran(), project, "내 글")
    with pytest.raises(Refused):
        moderation.report(comment.author, comment)
    assert comment.reports.count() == 0


def test_a_blocked_members_posts_leave_public_view_and_they_cannot_post(film, project):
    member = veteran()
    review = reviews.submit(member, film, 5, "최고")
    comments.submit(member, project, "댓글")
    staff = StaffUserFactory()
    moderation.block(staff, member, "스팸", until=timezone.now() + timedelta(days=1))
    assert not Review.objects.public().exists() and not Comment.objects.public().exists()
    assert FilmRating.objects.get(film_id=film.pk).count == 0
    with pytest.raises(Refused) as refused:
        comments.submit(member, project, "또 씀")
    assert refused.value.status == 403
    moderation.unblock(staff, member, "기간 단축")
    assert Review.objects.public().filter(pk=review.pk).exists()
    assert FilmRating.objects.get(film_id=film.pk).count == 1
    assert list(ModerationAction.objects.values_list("action", flat=True).order_by("pk")) == [
        Action.BLOCK,
        Action.UNBLOCK,
    ]


def test_a_creator_hides_comments_on_their_page_but_not_reviews_of_their_film(film, project):
    comment = comments.submit(veteran(), project, "광고")
    assert moderation.decide(project.owner, comment, Action.CREATOR_HIDE, "광고")
    assert (comment.status, comment.hidden_by_id) == (Status.HIDDEN, project.owner.pk)
    review = reviews.submit(veteran(), film, 1, "별로")
    with pytest.raises(Refused):
        moderation.decide(film.owner, review, Action.CREATOR_HIDE)
    with pytest.raises(Refused):
        moderation.decide(CreatorFactory(), comments.submit(veteran(), project, "다른 글"), Action.CREATOR_HIDE)
    assert Review.objects.get(pk=review.pk).status == Status.VISIBLE


def test_replies_are_one_level_deep(project):
    top = comments.submit(veteran(), project, "질문")
    reply = comments.submit(project.owner, project, "답변", parent_id=top.pk)
    deeper = comments.submit(veteran(), project, "답변의 답변", parent_id=reply.pk)
    assert (reply.parent_id, deeper.parent_id) == (top.pk, top.pk)
    thread = comments.thread(project, UserFactory())
    assert [c.pk for c in thread] == [top.pk] and [c.pk for c in thread[0].shown_replies] == [reply.pk, deeper.pk]


def test_one_pinned_comment_per_thread(project):
    first, second = (comments.submit(veteran(), project, f"댓글 {n}") for n in range(2))
    comments.pin(project.owner, first)
    comments.pin(project.owner, second)
    assert list(Comment.objects.filter(pinned_at__isnull=False).values_list("pk", flat=True)) == [second.pk]
    assert comments.thread(project, UserFactory())[0].pk == second.pk
    with pytest.raises(Refused):
        comments.pin(veteran(), first)


def test_hostile_text_is_cleaned_and_limited(project):
    comment = comments.submit(veteran(), project, "\u202eexe.jpg\u200b <script>alert(1)</script>")
    assert comment.body == "exe.jpg <script>alert(1)</script>"  # stored as text, shown escaped
    with pytest.raises(Refused):
        comments.submit(veteran(), project, "가" * 100_000)
    with pytest.raises(Refused):
        comments.submit(veteran(), project, "\u200b\u200b\u202e  ")


def test_follows_feed_the_notification_hook(film):
    director = PersonFactory()
    Credit.objects.create(page=film, person=director, role="director")
    fans = [veteran() for _ in range(3)]
    assert follows.follow(fans[0], director) and not follows.follow(fans[0], director)
    follows.follow(fans[1], film.owner)
    follows.follow(fans[2], film)
    assert set(follows.followers_of(film)) == set(fans)
    with pytest.raises(Refused):
        follows.follow(fans[0], fans[0])
    assert follows.unfollow(fans[2], film) and Follow.objects.count() == 2


def test_a_members_own_comments_in_a_thread_are_those_of_theirs_they_see_in_it():
    """`own_seen_by` answers "which of what this member sees did they write" without the public
    list's subquery: the same rows as `seen_by(...).filter(author=...)`, whatever their state."""
    project = FundingProjectPageFactory()
    member, other, staff = UserFactory(), UserFactory(), StaffUserFactory()
    for author in (member, other):
        for status in Status.values:
            Comment.objects.create(page=project, author=author, body=f"{status}", status=status)
    thread = Comment.objects.filter(page=project)
    mine = set(thread.own_seen_by(member).values_list("pk", flat=True))
    assert mine == set(thread.seen_by(member).filter(author=member).values_list("pk", flat=True))
    assert {Comment.objects.get(pk=pk).status for pk in mine} == {Status.PENDING, Status.REPORTED, Status.VISIBLE}
    moderation.block(staff, member, "광고")  # blocked: their visible ones leave the public list, not their own view
    assert set(thread.own_seen_by(member).values_list("pk", flat=True)) == mine
    assert mine == set(thread.seen_by(member).filter(author=member).values_list("pk", flat=True))
