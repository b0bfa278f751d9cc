"""Each event reaches exactly the right people, once, in their own language."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Workflow

from donations import payments
from donations.models import Order
from donations.providers import Payment
from donations.signals import order_paid
from donations.tests.factories import paid_donation
from films.models import ProductionUpdate
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory
from members.roles import FILM_REVIEW_WORKFLOW
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from notifications import delivery
from notifications.models import DailyRun, Kind, Notification

pytestmark = pytest.mark.django_db


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def mails_to(mailoutbox, user):
    return [mail for mail in mailoutbox if mail.to == [user.email]]


def donate(capture, project, member, amount=5000, **fields):
    with capture(execute=True):
        return paid_donation(project, member, amount, **fields)


def test_a_new_backer_tells_the_owner_once_in_the_owners_language(mailoutbox, django_capture_on_commit_callbacks):
    owner = CreatorFactory(language="en", display_name="Jiwoo")
    project = FundingProjectPageFactory(title="바다의 끝", title_en="End of the Sea", owner=owner)
    backer = UserFactory(display_name="민지", language="ko")
    tier = DonationTierFactory(project=project, title="응원 한 잔")
    order = donate(django_capture_on_commit_callbacks, project, backer, 12000, tier=tier, message="응원합니다!")

    assert notified(Kind.NEW_BACKER) == [owner.pk]  # not the backer, not anyone else
    note = owner.notifications.get()
    assert note.params["backer"] == "민지" and note.params["amount"] == 12000 and note.params["tier"] == "응원 한 잔"
    [mail] = mails_to(mailoutbox, owner)
    assert mail.subject == "[ReelVision] 민지 backed “End of the Sea” with 12,000 KRW"
    assert "응원합니다!" in mail.body and "Tier: 응원 한 잔" in mail.body
    assert f"/me/projects/{project.pk}/backers/" in mail.body

    # The same event announced again (a replayed webhook settles nothing new, but say it did): no second notice.
    with django_capture_on_commit_callbacks(execute=True):
        order_paid.send_robust(sender=Order, order=order)
    assert owner.notifications.count() == 1 and len(mails_to(mailoutbox, owner)) == 1


def test_an_anonymous_backer_stays_anonymous_to_the_creator(mailoutbox, django_capture_on_commit_callbacks):
    owner = CreatorFactory(language="ko")
    project = FundingProjectPageFactory(title="밤의 정원", owner=owner)
    donate(django_capture_on_commit_callbacks, project, UserFactory(display_name="숨은이"), is_anonymous=True)
    note = owner.notifications.get()
    assert note.params["backer"] == ""
    [mail] = mails_to(mailoutbox, owner)
    assert "숨은이" not in mail.subject + mail.body
    assert "익명" in mail.subject or "익명" in mail.body


def test_a_purchase_tells_the_films_owner(mailoutbox, django_capture_on_commit_callbacks):
    owner = CreatorFactory(language="ko")
    film = FilmPageFactory(title="첫 장면", price=3000, owner=owner)
    buyer = UserFactory(display_name="관객")
    order = Order.objects.create(
        member=buyer, kind="purchase", film=film, provider="sandbox", amount=3000, client_token="notify-buy-0001"
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.settle(order, Payment(reference="r-buy", status="paid", amount=3000))
    assert notified(Kind.NEW_PURCHASE) == [owner.pk]
    assert "관객" in mails_to(mailoutbox, owner)[0].subject


def test_each_refund_tells_the_member_once(mailoutbox, django_capture_on_commit_callbacks):
    project = FundingProjectPageFactory(owner=CreatorFactory())
    member = UserFactory(language="en")
    order = donate(django_capture_on_commit_callbacks, project, member, 10000)
    staff = StaffUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        payments.refund(order, 4000, by=staff, reason="Double payment")
    with django_capture_on_commit_callbacks(execute=True):
        payments.refund(Order.objects.get(pk=order.pk), 6000, by=staff, reason="Asked for it")
    refunds = member.notifications.filter(kind=Kind.REFUND).order_by("pk")
    assert [n.params["amount"] for n in refunds] == [4000, 6000]
    assert notified(Kind.REFUND) == [member.pk, member.pk]
    mails = mails_to(mailoutbox, member)
    assert [m.subject for m in mails] == [
        f"[ReelVision] 4,000 KRW was refunded for “{project.title_en}”",
        f"[ReelVision] 6,000 KRW was refunded for “{project.title_en}”",
    ]
    assert "Double payment" in mails[0].body


def submitted_page(creator):
    page = FilmPageFactory(title="심사 중인 영화", title_en="Film Under Review", live=False, owner=creator)
    page.save_revision(user=creator)
    workflow_state = Workflow.objects.get(name=FILM_REVIEW_WORKFLOW).start(page, creator)
    return page, workflow_state


def test_a_rejection_reaches_the_creator_with_the_comment_in_their_language(mailoutbox):
    creator = CreatorFactory(language="ko")
    reviewer = StaffUserFactory()
    page, state = submitted_page(creator)
    assert not mailoutbox  # Wagtail's own e-mail to reviewers on each submission is replaced by a daily digest
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment="자막을 고쳐 주세요"
    )
    note = creator.notifications.get(kind=Kind.PAGE_REVIEWED)
    assert note.params["approved"] is False and note.params["comment"] == "자막을 고쳐 주세요"
    assert notified(Kind.PAGE_REVIEWED) == [creator.pk]  # the reviewer is not told of their own decision
    [mail] = mails_to(mailoutbox, creator)
    assert "심사 중인 영화" in mail.subject and "자막을 고쳐 주세요" in mail.body
    assert len(mailoutbox) == 1  # and Wagtail sent nothing of its own


def test_an_approval_reaches_the_creator(mailoutbox):
    creator = CreatorFactory(language="en")
    page, state = submitted_page(creator)
    state.current_task_state.task.specific.on_action(
        state.current_task_state, StaffUserFactory(), "approve", comment=""
    )
    note = creator.notifications.get(kind=Kind.PAGE_REVIEWED)
    assert note.params["approved"] is True
    [mail] = mails_to(mailoutbox, creator)
    assert mail.subject == "[ReelVision] “Film Under Review” was approved and is live"


def test_submissions_waiting_reach_the_reviewers_once_a_day(settings, mailoutbox):
    settings.NOTIFICATIONS_DIGEST_HOUR = 8
    creator = CreatorFactory()
    reviewer = StaffUserFactory(language="en")
    submitted_page(creator)
    morning = timezone.make_aware(timezone.datetime(2026, 12, 7, 7, 0))
    assert delivery.daily(morning) == []  # before the hour: nothing
    nine = morning + timedelta(hours=2)
    assert delivery.daily(nine) == ["submissions", "digest"]
    assert reviewer.pk in notified(Kind.SUBMISSIONS_WAITING) and creator.pk not in notified(Kind.SUBMISSIONS_WAITING)
    [mail] = mails_to(mailoutbox, reviewer)
    assert mail.subject == "[ReelVision] 1 submission waits for review" and "심사 중인 영화" in mail.body
    assert delivery.daily(nine + timedelta(hours=3)) == []  # once a day
    assert DailyRun.objects.count() == 2 and len(mails_to(mailoutbox, reviewer)) == 1


def publish_update(project, title, date=None):
    ProductionUpdate.objects.create(
        page=project, title=title, title_en="", body="<p>본문</p>", date=date or timezone.localdate()
    )
    project.save_revision().publish()


def test_a_project_update_reaches_its_backers_once(mailoutbox, django_capture_on_commit_callbacks):
    owner = CreatorFactory()
    project = FundingProjectPageFactory(title="촬영 일지", owner=owner)
    backers = [UserFactory(language="ko"), UserFactory(language="en")]
    for backer in backers:
        donate(django_capture_on_commit_callbacks, project, backer)
    refunded = UserFactory()
    order = donate(django_capture_on_commit_callbacks, project, refunded, 3000)
    with django_capture_on_commit_callbacks(execute=True):
        payments.refund(order, 3000, by=StaffUserFactory(), reason="환불 요청")
    stranger = UserFactory()

    publish_update(project, "3회차 촬영 끝")
    assert notified(Kind.PROJECT_UPDATE) == sorted(b.pk for b in backers)
    assert stranger.pk not in notified(Kind.PROJECT_UPDATE) and refunded.pk not in notified(Kind.PROJECT_UPDATE)
    assert "3회차 촬영 끝" in mails_to(mailoutbox, backers[1])[0].subject

    project.save_revision().publish()  # published again: the same update is not news again
    assert len(notified(Kind.PROJECT_UPDATE)) == 2
    publish_update(project, "지난달 메모", date=timezone.localdate() - timedelta(days=40))
    assert len(notified(Kind.PROJECT_UPDATE)) == 2  # an old note entered late is not announced


def test_followers_hear_of_a_first_publication_through_the_hook(mailoutbox):
    creator = CreatorFactory(display_name="감독 한")
    fan = UserFactory(language="en")
    from django.contrib.auth import get_user_model

    def followers_of(page):
        return (
            get_user_model().objects.filter(pk=fan.pk)
            if page.owner_id == creator.pk
            else get_user_model().objects.none()
        )

    with hooks.register_temporarily("notification_followers", followers_of):
        film = FilmPageFactory(title="새 영화", title_en="New Film", owner=creator, live=False)
        film.save_revision().publish()
        film.save_revision().publish()  # republished: not announced twice
        FilmPageFactory(title="남의 영화", owner=CreatorFactory(), live=False).save_revision().publish()
    assert notified(Kind.FOLLOWED_PUBLISHED) == [fan.pk]
    [mail] = mails_to(mailoutbox, fan)
    assert mail.subject == "[ReelVision] 감독 한 published a film: “New Film”"
