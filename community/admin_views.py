"""The community's moderation in the Wagtail admin ("Moderation"), for staff only: the queue of
reviews and comments (waiting for approval, reported, hidden, all), the decisions on them and on
their authors, the moderation log, and the watched words.

The views read and render; every change goes through `moderation` (`decide`, `warn`, `block`,
`unblock`), which checks who may act, locks the post and writes the log. Members' words are shown
as plain, escaped text (never as HTML): what a hostile member wrote must not run in the admin.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import CharField, Prefetch, Q, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from members.roles import STAFF
from reelvision.redirects import local_url
from videos.access import staff_only

from . import moderation
from .models import Action, Comment, HoldReason, ModerationAction, PostingBlock, Report, Review, Status, WatchedWord
from .moderation import Refused

PER_PAGE = 20

# The queue's tabs: (label, which posts). "Reported" holds what reports hid and what is still shown
# with a report or two; once staff hide a reported post it moves to "Hidden".
TABS = {
    "pending": (gettext_lazy("Waiting for approval"), Q(status=Status.PENDING)),
    "reported": (
        gettext_lazy("Reported"),
        Q(status=Status.REPORTED) | Q(status=Status.VISIBLE, report_count__gt=0),
    ),
    "hidden": (gettext_lazy("Hidden"), Q(status=Status.HIDDEN)),
    "all": (gettext_lazy("All"), Q()),
}
DEFAULT_TAB = "pending"

# What staff may decide on a post in each status (the buttons shown); `moderation.decide` applies
# its own rules whatever is posted.
DECISIONS_BY_STATUS = {
    Status.PENDING: (Action.APPROVE, Action.HIDE, Action.DELETE),
    Status.REPORTED: (Action.DISMISS, Action.HIDE, Action.DELETE),
    Status.VISIBLE: (Action.HIDE, Action.DELETE),
    Status.HIDDEN: (Action.RESTORE, Action.DELETE),
    Status.DELETED: (),
}
STAFF_DECISIONS = (Action.APPROVE, Action.HIDE, Action.RESTORE, Action.DELETE, Action.DISMISS)

# Member actions: the button's value → days of a block (None: for good). Warn and unblock have none.
BLOCK_DAYS = {"block-1": 1, "block-7": 7, "block-30": 30, "block-forever": None}
MEMBER_ACTIONS = ("warn", *BLOCK_DAYS, "unblock")


def decision_labels() -> dict[str, str]:
    """The buttons that decide on a post."""
    return {
        Action.APPROVE: _("Approve"),
        Action.HIDE: _("Hide"),
        Action.RESTORE: _("Restore"),
        Action.DELETE: _("Delete"),
        Action.DISMISS: _("Dismiss reports"),
    }


def member_action_labels() -> dict[str, str]:
    """The buttons that act on a post's author."""
    return {
        "warn": _("Warn"),
        "block-1": _("Block for 1 day"),
        "block-7": _("Block for 7 days"),
        "block-30": _("Block for 30 days"),
        "block-forever": _("Block for good"),
        "unblock": _("Lift the block"),
    }


def waiting_count() -> int:
    """What waits for staff: posts held for approval and posts hidden after reports."""
    waiting = Q(status__in=[Status.PENDING, Status.REPORTED])
    return Review.objects.filter(waiting).count() + Comment.objects.filter(waiting).count()


class CountedPaginator(WagtailPaginator):
    """Wagtail's admin paginator, whose "N <things>" line is one translatable string."""

    def __init__(self, object_list, per_page, *, count_label: str):
        super().__init__(object_list, per_page)
        self.count_label = count_label

    @cached_property
    def items_count_label(self):
        return self.count_label % {"count": f"{self.count:,}"}


# --- the queue ---------------------------------------------------------------------------


def _member_filter(request):
    """The member named by `?member=<id>`, or None (also for an id that names nobody)."""
    try:
        member_id = int(request.GET.get("member", ""))
    except ValueError:
        return None
    return get_user_model().objects.filter(pk=member_id).first()


def _queue_rows(tab: str, member):
    """(id, created_at, report_count, kind) of the tab's reviews and comments in one ordered query,
    so one paginator pages through both."""
    parts = []
    for kind, model in (("review", Review), ("comment", Comment)):
        posts = model.objects.filter(TABS[tab][1])
        if member is not None:
            posts = posts.filter(author=member)
        parts.append(
            # No ordering inside a UNION's parts (the models' Meta.ordering would put one there).
            posts.order_by()
            .annotate(kind=Value(kind, output_field=CharField()))
            .values_list("id", "created_at", "report_count", "kind")
        )
    rows = parts[0].union(parts[1], all=True)
    if tab == "reported":
        return rows.order_by("-report_count", "-created_at", "kind", "-id")
    return rows.order_by("-created_at", "kind", "-id")


def _load(rows) -> list:
    """The page's posts with their authors, pages, reports and who hid them, in the rows' order."""
    reports = Prefetch("reports", queryset=Report.objects.select_related("reporter").order_by("created_at", "pk"))
    wanted = {"review": [], "comment": []}
    for post_id, _created, _reports, kind in rows:
        wanted[kind].append(post_id)
    found = {}
    for review in (
        Review.objects.filter(pk__in=wanted["review"])
        .select_related("author", "film", "hidden_by")
        .prefetch_related(reports)
    ):
        review.kind, review.on_page = "review", review.film
        found["review", review.pk] = review
    for comment in (
        Comment.objects.filter(pk__in=wanted["comment"])
        .select_related("author", "page", "post", "hidden_by")
        .prefetch_related(reports)
    ):
        comment.kind, comment.on_page = "comment", comment.page
        found["comment", comment.pk] = comment
    # A post deleted for good between the two queries is left out.
    return [found[kind, post_id] for post_id, _created, _reports, kind in rows if (kind, post_id) in found]


def _blocks_in_force(member_ids) -> dict[int, PostingBlock]:
    """Each member's block now in force (one for good before any with an end, else the latest end)."""
    blocks = PostingBlock.objects.in_force().filter(member_id__in=member_ids)
    longest = {}
    for block in blocks:
        held = longest.get(block.member_id)
        if held is None or held.until is not None and (block.until is None or block.until > held.until):
            longest[block.member_id] = block
    return longest


def _describe(items, request) -> None:
    """What the template shows beside each post: where it is, who hid it, what may be done."""
    labels = decision_labels()
    blocks = _blocks_in_force({item.author_id for item in items})
    for item in items:
        page = item.on_page
        item.page_url = page.get_url(request) if page.live else reverse("wagtailadmin_pages:edit", args=[page.pk])
        item.page_title = page.display_title
        item.hidden_by_creator = item.hidden_by_id is not None and item.hidden_by_id == page.owner_id
        item.watched_word = moderation.watched_word_in(item.body) if item.held_for == HoldReason.WATCHED_WORD else None
        decisions = list(DECISIONS_BY_STATUS.get(item.status, ()))
        if item.status == Status.VISIBLE and item.report_count:
            decisions.insert(0, Action.DISMISS)
        item.decisions = [(action, labels[action]) for action in decisions]
        item.author_block = blocks.get(item.author_id)


@never_cache
@staff_only
def queue(request):
    """One tab of the queue, newest first (the most reported first under "Reported"), paginated."""
    tab = request.GET.get("tab", DEFAULT_TAB)
    if tab not in TABS:
        tab = DEFAULT_TAB
    member = _member_filter(request)
    paginator = CountedPaginator(_queue_rows(tab, member), PER_PAGE, count_label=_("Posts: %(count)s"))
    page = paginator.get_page(request.GET.get("p"))
    items = _load(page.object_list)
    _describe(items, request)
    member_query = f"&member={member.pk}" if member is not None else ""
    return TemplateResponse(
        request,
        "community/admin/queue.html",
        {
            "page_title": _("Moderation"),
            "header_icon": "warning",
            "tabs": [(name, label, f"?tab={name}{member_query}") for name, (label, _q) in TABS.items()],
            "tab": tab,
            "member": member,
            "items": page,
            "object_list": items,
            "paginator": paginator,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "member_actions": list(member_action_labels().items()),
            "here": request.get_full_path(),
            "log_url": reverse("community_moderation:log"),
            "watched_words_url": reverse(watched_word_viewset.get_url_name("list")),
        },
    )


# --- decisions ---------------------------------------------------------------------------


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in STAFF_DECISIONS])
    reason = forms.CharField(required=False, max_length=500)


class MemberActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in MEMBER_ACTIONS])
    reason = forms.CharField(required=False, max_length=500)


def _back(request):
    """To where the form was (its tab, member and page), if that is on this site; else the queue."""
    return redirect(local_url(request, request.POST.get("next"), reverse("community_moderation:queue")))


@staff_only
@require_POST
def decide_on_post(request, kind: str, post_id: int):
    """Approve, hide, restore, delete a review or comment, or dismiss its reports."""
    models = {"review": Review, "comment": Comment}
    if kind not in models:
        raise Http404
    target = get_object_or_404(models[kind], pk=post_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the post."))
        return _back(request)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        changed = moderation.decide(request.user, target, action, reason)
    except Refused as refused:
        messages.error(request, refused.message)
        return _back(request)
    if changed:
        done = {
            Action.APPROVE: _("Approved: it is shown now."),
            Action.HIDE: _("Hidden: only staff see it now."),
            Action.RESTORE: _("Restored: it is shown again."),
            Action.DELETE: _("Deleted."),
            Action.DISMISS: _("Reports dismissed: it is shown."),
        }
        messages.success(request, done[action])
    else:
        messages.warning(request, _("Nothing changed: the post was already so (someone may have decided first)."))
    return _back(request)


@staff_only
@require_POST
def act_on_member(request, member_id: int):
    """Warn a post's author, block them from posting (1, 7 or 30 days, or for good), or lift a block."""
    member = get_object_or_404(get_user_model(), pk=member_id)
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do about the member."))
        return _back(request)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    name = member.public_name
    try:
        if action == "warn":
            moderation.warn(request.user, member, reason)
            messages.success(request, _("%(member)s was warned.") % {"member": name})
        elif action == "unblock":
            if moderation.unblock(request.user, member, reason):
                messages.success(request, _("%(member)s may post again.") % {"member": name})
            else:
                messages.warning(request, _("%(member)s had no block to lift.") % {"member": name})
        else:
            days = BLOCK_DAYS[action]
            until = timezone.now() + timedelta(days=days) if days is not None else None
            moderation.block(request.user, member, reason, until=until)
            if until is None:
                messages.success(request, _("%(member)s can no longer post.") % {"member": name})
            else:
                when = date_format(timezone.localtime(until), "DATETIME_FORMAT")
                messages.success(
                    request, _("%(member)s cannot post until %(until)s.") % {"member": name, "until": when}
                )
    except Refused as refused:
        messages.error(request, refused.message)
    return _back(request)


# --- the log -----------------------------------------------------------------------------


class LogFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Member"),
        required=False,
        help_text=gettext_lazy("Part of a display name, or an exact e-mail address."),
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), required=False, choices=[("", gettext_lazy("Any"))] + Action.choices
    )


@never_cache
@staff_only
def log(request):
    """Every moderation action, newest first; for one member (`?member=<id>`, or searched), one kind."""
    entries = ModerationAction.objects.select_related("by", "member").order_by("-created_at", "-pk")
    member = _member_filter(request)
    if member is not None:
        entries = entries.filter(member=member)
    form = LogFilterForm(request.GET)
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            entries = entries.filter(Q(member__display_name__icontains=query) | Q(member__email__iexact=query))
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
    paginator = CountedPaginator(entries, PER_PAGE, count_label=_("Actions: %(count)s"))
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "community/admin/log.html",
        {
            "page_title": _("Moderation log"),
            "header_icon": "history",
            "form": form,
            "member": member,
            "items": page,
            "paginator": paginator,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "queue_url": reverse("community_moderation:queue"),
        },
    )


# --- watched words -----------------------------------------------------------------------


class StaffOnlyPermissionPolicy(BasePermissionPolicy):
    """Staff and superusers may do anything with the model; nobody else anything (not even see it).
    The same test as the queue's, whatever model permissions a group was given."""

    def user_has_permission(self, user, action):
        return user.is_active and moderation.is_staff(user)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=STAFF))
            .distinct()
        )


class WatchedWordViewSet(SnippetViewSet):
    """Staff's list of watched words (a post with one waits for approval), under Snippets."""

    model = WatchedWord
    icon = "warning"
    menu_label = gettext_lazy("Watched words")
    panels = [FieldPanel("word")]
    list_display = ["word", "created_at"]
    search_fields = ["word"]
    copy_view_enabled = False
    inspect_view_enabled = False


watched_word_viewset = WatchedWordViewSet()
