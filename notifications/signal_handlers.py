"""The events notifications listen to, and whom each one tells.

| event (sender) | told | kind |
| --- | --- | --- |
| `order_paid`, a donation (donations) | the project's owner | new backer (with the message) |
| `order_paid`, a purchase (donations) | the film's owner | new purchase |
| `order_refunded` (donations) | the member refunded | refund |
| `workflow_approved` / `workflow_rejected` (Wagtail) | the page's owner and who submitted it | page reviewed (with the comment) |
| `video_ready` / `video_failed` (videos) | the video's owner | video processed |
| `page_published`, a project with a new update | its backers and followers (batched) | project update |
| `page_published`, a first publication | the owner's, the directors' and the page's followers (batched) | followed published |
| `post_published` (community), a creator's post | a project's backers and followers, a film's followers (batched) | project update |
| `member_warned` (community) | the member warned | moderation warning |

Wagtail's own workflow e-mails (to reviewers on each submission, to the submitter on a decision)
are disconnected: the decision reaches the creator here, in their language, and reviewers get one
daily digest of what waits (`delivery.staff_submissions_digest`).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import page_published, workflow_approved, workflow_rejected, workflow_submitted

from community.signals import member_warned, post_published
from donations.models import OrderKind
from donations.signals import order_paid, order_refunded
from films.models import FilmPage, FundingProjectPage
from videos.models import Video
from videos.signals import video_failed, video_ready

from . import delivery
from .audiences import has_followers_hook
from .models import Audience, Kind

# An update dated longer ago than this is an old note entered late, not news worth an e-mail.
UPDATE_NEWS_DAYS = 14
# A page first published longer ago than this is being republished, not opened.
FIRST_PUBLICATION_WINDOW = timedelta(hours=1)


def _titles(page) -> dict:
    return {"title": page.title, "title_en": getattr(page, "title_en", "") or ""}


def _name(user) -> str:
    if user is None or user.deleted_at:
        return ""
    return user.get_short_name()


def on_order_paid(sender, order, **kwargs):
    key = f"order:{order.pk}"
    if order.kind == OrderKind.DONATION and order.project_id:
        project = order.project
        params = {
            **_titles(project),
            "amount": order.amount,
            "backer": "" if order.is_anonymous else _name(order.member),
            "message": order.message,
            "tier": order.tier.title if order.tier_id else "",
        }
        url = reverse("donations:project_backers", args=[project.pk])
        delivery.notify([project.owner_id], Kind.NEW_BACKER, key, params, url)
    elif order.kind == OrderKind.PURCHASE and order.film_id:
        film = order.film
        params = {**_titles(film), "amount": order.amount, "buyer": _name(order.member)}
        delivery.notify([film.owner_id], Kind.NEW_PURCHASE, key, params, _audience_url(film.pk))


def _audience_url(film_id: int) -> str:
    try:
        return reverse("analytics_film", args=[film_id])
    except NoReverseMatch:  # the admin's audience pages are not installed
        return ""


def on_order_refunded(sender, order, amount, reason="", **kwargs):
    page = order.project or order.film
    params = {**(_titles(page) if page else {}), "amount": amount, "reason": reason or ""}
    # Keyed by the refunded total after this refund: a second partial refund is news, a replay is not.
    key = f"refund:{order.pk}:{order.refunded_amount}"
    url = reverse("donations:order_detail", args=[order.public_id])
    delivery.notify([order.member_id], Kind.REFUND, key, params, url)


def _reviewed(workflow_state, approved: bool):
    page = workflow_state.content_object
    if page is None:
        return
    page = getattr(page, "specific", page)
    decided = (
        TaskState.objects.filter(workflow_state=workflow_state)
        .exclude(finished_at__isnull=True)
        .order_by("-finished_at", "-pk")
        .first()
    )
    comment = decided.get_comment() if decided else ""
    params = {**_titles(page), "approved": approved, "comment": comment or ""}
    decision = "approved" if approved else f"rejected:{decided.pk if decided else 0}"
    key = f"review:{workflow_state.pk}:{decision}"
    if approved:
        url = page.url or ""
    else:
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    delivery.notify({page.owner_id, workflow_state.requested_by_id}, Kind.PAGE_REVIEWED, key, params, url)


def on_workflow_approved(sender, instance, user=None, **kwargs):
    _reviewed(instance, approved=True)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    _reviewed(instance, approved=False)


def _video_processed(video_id: int, ready: bool):
    video = Video.objects.filter(pk=video_id).first()
    if video is None or video.owner_id is None:
        return
    params = {"video": video.title, "ready": ready, "reason": "" if ready else video.failure_reason}
    try:
        url = reverse("videos_admin:edit", args=[video.pk])
    except NoReverseMatch:
        url = ""
    # A video can fail, be uploaded again and succeed: each outcome of each processing is news once.
    when = video.ready_at if ready and video.ready_at else video.updated_at
    key = f"video:{video.pk}:{'ready' if ready else 'failed'}:{when.isoformat()}"
    delivery.notify([video.owner_id], Kind.VIDEO_PROCESSED, key, params, url)


def on_video_ready(sender, video_id, **kwargs):
    _video_processed(video_id, ready=True)


def on_video_failed(sender, video_id, **kwargs):
    _video_processed(video_id, ready=False)


def on_project_published(sender, instance, **kwargs):
    project = instance
    oldest_news = timezone.localdate() - timedelta(days=UPDATE_NEWS_DAYS)
    for update in project.updates.filter(date__gte=oldest_news).order_by("pk"):
        params = {**_titles(project), "update": update.title, "update_en": update.title_en}
        delivery.start_fan_out(
            f"update:{update.pk}",
            Kind.PROJECT_UPDATE,
            params,
            project.url or "",
            Audience.PROJECT_BACKERS,
            {"project_id": project.pk, "with_followers": True},
        )
    on_film_published(sender, instance, **kwargs)


def on_film_published(sender, instance, **kwargs):
    """A film or project published for the first time: its owner's followers hear of it."""
    page = instance
    if not has_followers_hook() or page.first_published_at is None:
        return
    if timezone.now() - page.first_published_at > FIRST_PUBLICATION_WINDOW:
        return
    params = {
        **_titles(page),
        "who": _name(page.owner),
        "project": isinstance(page, FundingProjectPage),
    }
    delivery.start_fan_out(
        f"published:{page.pk}",
        Kind.FOLLOWED_PUBLISHED,
        params,
        page.url or "",
        Audience.FOLLOWERS,
        {"page_id": page.pk},
    )


def on_post_published(sender, post, **kwargs):
    """A creator's post: a project's backers and followers hear of it, a film's followers (the post
    says itself who may read it; the others see how to unlock it)."""
    page = post.page.specific
    params = {**_titles(page), "update": post.title, "update_en": ""}
    url = reverse("community:post", args=[post.pk])
    if isinstance(page, FundingProjectPage):
        audience, args = Audience.PROJECT_BACKERS, {"project_id": page.pk, "with_followers": True}
    else:
        audience, args = Audience.FOLLOWERS, {"page_id": page.pk}
    delivery.start_fan_out(f"post:{post.pk}", Kind.PROJECT_UPDATE, params, url, audience, args)


def on_member_warned(sender, member, reason, action_id=None, **kwargs):
    key = f"warning:{action_id}" if action_id else f"warning:{member.pk}:{timezone.now().isoformat()}"
    delivery.notify([member.pk], Kind.MODERATION_WARNING, key, {"reason": reason}, "")


WAGTAIL_WORKFLOW_EMAILS = [
    (workflow_submitted, "workflow_state_submitted_email_notification"),
    (workflow_rejected, "workflow_state_rejected_email_notification"),
    (workflow_approved, "workflow_state_approved_email_notification"),
]


def replace_wagtail_workflow_emails():
    from wagtail.signals import task_submitted

    task_submitted.disconnect(sender=TaskState, dispatch_uid="group_approval_task_submitted_email_notification")
    for signal, uid in WAGTAIL_WORKFLOW_EMAILS:
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)


def register_signal_handlers():
    order_paid.connect(on_order_paid, dispatch_uid="notifications.order_paid")
    order_refunded.connect(on_order_refunded, dispatch_uid="notifications.order_refunded")
    workflow_approved.connect(on_workflow_approved, sender=WorkflowState, dispatch_uid="notifications.approved")
    workflow_rejected.connect(on_workflow_rejected, sender=WorkflowState, dispatch_uid="notifications.rejected")
    video_ready.connect(on_video_ready, dispatch_uid="notifications.video_ready")
    video_failed.connect(on_video_failed, dispatch_uid="notifications.video_failed")
    post_published.connect(on_post_published, dispatch_uid="notifications.post_published")
    member_warned.connect(on_member_warned, dispatch_uid="notifications.member_warned")
    page_published.connect(on_project_published, sender=FundingProjectPage, dispatch_uid="notifications.project")
    page_published.connect(on_film_published, sender=FilmPage, dispatch_uid="notifications.film")
    replace_wagtail_workflow_emails()
