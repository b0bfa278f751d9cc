"""The notification centre (list, open, mark all read), preferences, one-click unsubscribe, and a
creator's message to all backers of a project."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from films.models import FundingProjectPage
from reelvision.redirects import local_url

from . import delivery, unsubscribe
from .audiences import members_of
from .forms import BackersMessageForm, PreferencesForm
from .kinds import describe
from .models import Audience, FanOut, Kind, Notification, Preferences

PAGE_SIZE = 30


def worded(notifications) -> list[dict]:
    """Notifications with their words in the active language, for templates and the API."""
    items = []
    for notification in notifications:
        headline, detail = describe(notification.kind, notification.params)
        items.append({"notification": notification, "headline": headline, "detail": detail})
    return items


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "section": "notifications",
            "page": page,
            "items": worded(page.object_list),
            "unread": delivery.unread_count(request.user),
        },
    )


@login_required
@require_POST
def open_notification(request, notification_id: int):
    """Mark one read and go where it points (a notification of someone else's is a 404)."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    delivery.mark_read(request.user, [notification.pk])
    target = local_url(request, notification.url, reverse("notifications:list"))
    return HttpResponseRedirect(target)


@login_required
@require_POST
def mark_all_read(request):
    marked = delivery.mark_read(request.user)
    if marked:
        messages.success(
            request,
            ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", marked)
            % {"count": marked},
        )
    return redirect("notifications:list")


@login_required
def preferences(request):
    stored = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
    form = PreferencesForm(request.user, stored, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.apply(stored)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"section": "notifications", "form": form})


@csrf_exempt  # the signed token is the authority; mail clients' one-click POST carries no CSRF token
def unsubscribe_view(request, token: str):
    """GET shows what the link stops and a button; POST (the button, or a mail client's one-click
    request) stops it. No log-in: the link is signed for one member."""
    found = unsubscribe.read(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    member_id, scope = found
    if not get_user_model().objects.filter(pk=member_id).exists():  # a link of an account since removed
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    context = {
        "scope": scope,
        "everything": scope == unsubscribe.ALL,
        "kind": Kind(scope).label if scope in Kind.values else "",
    }
    if request.method == "POST":
        unsubscribe.apply(member_id, scope)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=204)
        return render(request, "notifications/unsubscribe.html", {**context, "done": True})
    return render(request, "notifications/unsubscribe.html", context)


def _own_project(request, project_id: int) -> FundingProjectPage:
    project = get_object_or_404(FundingProjectPage, pk=project_id)
    if project.owner_id != request.user.pk:
        raise Http404  # someone else's project: as if it did not exist
    return project


def messages_sent_today(project) -> int:
    since = timezone.now() - timedelta(days=1)
    return FanOut.objects.filter(key__startswith=f"backers-message:{project.pk}:", created_at__gte=since).count()


@login_required
def write_to_backers(request, project_id: int):
    """A creator's message to every backer of their project, delivered in batches by the worker
    (at most NOTIFICATIONS_BACKER_MESSAGES_PER_DAY a day per project)."""
    project = _own_project(request, project_id)
    backers = members_of(Audience.PROJECT_BACKERS, {"project_id": project.pk}).exclude(pk=request.user.pk).count()
    limit = settings.NOTIFICATIONS_BACKER_MESSAGES_PER_DAY
    used = messages_sent_today(project)
    form = BackersMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = f"backers-message:{project.pk}:{form.cleaned_data['nonce']}"
        if FanOut.objects.filter(key=key).exists():
            messages.info(request, _("This message was already sent."))
            return redirect("donations:project_backers", project.pk)
        if used >= limit:
            form.add_error(
                None,
                ngettext(
                    "You can write to your backers %(count)d time a day; try again tomorrow.",
                    "You can write to your backers %(count)d times a day; try again tomorrow.",
                    limit,
                )
                % {"count": limit},
            )
        elif not backers:
            form.add_error(None, _("This project has no backers to write to yet."))
        else:
            params = {
                "title": project.title,
                "title_en": project.title_en,
                "subject": form.cleaned_data["subject"],
                "body": form.cleaned_data["body"],
                "sender": request.user.get_short_name(),
            }
            delivery.start_fan_out(
                key,
                Kind.BACKERS_MESSAGE,
                params,
                project.url or "",
                Audience.PROJECT_BACKERS,
                {"project_id": project.pk},
                sender=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "Your message is on its way to %(count)d backer.",
                    "Your message is on its way to %(count)d backers.",
                    backers,
                )
                % {"count": backers},
            )
            return redirect("donations:project_backers", project.pk)
    return render(
        request,
        "notifications/write_to_backers.html",
        {
            "section": "projects",
            "project": project,
            "form": form,
            "backers": backers,
            "left_today": max(0, limit - used),
        },
    )
