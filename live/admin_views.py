"""Premieres in the Wagtail admin ("Premieres"): creators schedule them on their own film and
project pages, staff on any. The list, the form, the stream key with the RTMP address, a new key
and cancelling.

Whoever may edit a page may schedule, change and cancel its premieres; the stream key is shown,
and can be made anew, only to the page's owner and staff (`schedule.may_see_stream_key`). The views
parse and render; the rules and the changes are in `schedule`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateTimeInput

from . import schedule
from .models import Premiere, PremiereStatus
from .schedule import Refused


class PremiereForm(forms.Form):
    """A premiere's details; `page` only when scheduling (a premiere stays on its page)."""

    page = forms.ModelChoiceField(label=gettext_lazy("Film or project"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"), widget=AdminDateTimeInput, help_text=gettext_lazy("Korea time.")
    )
    ticket_price = forms.IntegerField(
        label=gettext_lazy("Ticket price (KRW)"),
        min_value=0,
        initial=0,
        help_text=gettext_lazy("0 for a free premiere."),
    )
    has_qa = forms.BooleanField(label=gettext_lazy("Q&A with the director"), required=False)

    def __init__(self, *args, user, premiere: Premiere | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.premiere = premiere
        if premiere is None:
            self.fields["page"].queryset = schedule.editable_pages(user)
        else:
            del self.fields["page"]

    def clean_ticket_price(self):
        price = self.cleaned_data["ticket_price"]
        try:
            schedule.check_ticket_price(price)
        except Refused as refused:
            raise forms.ValidationError(refused.message) from None
        return price

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if self.premiere is None or starts_at != self.premiere.starts_at:
            try:
                schedule.check_start(starts_at)
            except Refused as refused:
                raise forms.ValidationError(refused.message) from None
        return starts_at


def _premiere_for(user, premiere_id: int) -> Premiere:
    """The premiere, if `user` may manage it: 404 for no such premiere, the admin's refusal otherwise."""
    premiere = get_object_or_404(Premiere.objects.select_related("page"), pk=premiere_id)
    if not schedule.may_manage(user, premiere):
        raise PermissionDenied
    return premiere


def index(request):
    premieres = (
        Premiere.objects.filter(page__in=schedule.editable_pages(request.user).values("pk"))
        .select_related("page")
        .order_by("-starts_at", "-pk")
    )
    return TemplateResponse(
        request,
        "live/admin/index.html",
        {
            "page_title": _("Premieres"),
            "header_icon": "media",
            "premieres": premieres,
            "may_schedule": schedule.editable_pages(request.user).exists(),
        },
    )


def create(request):
    form = PremiereForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            premiere = schedule.schedule(
                request.user,
                data["page"],
                title=data["title"],
                starts_at=data["starts_at"],
                ticket_price=data["ticket_price"],
                has_qa=data["has_qa"],
            )
        except Refused as refused:
            raise PermissionDenied(refused.message) from None
        messages.success(request, _("Premiere “%(title)s” scheduled.") % {"title": premiere.title})
        return redirect("live_admin:edit", premiere.pk)
    return TemplateResponse(
        request,
        "live/admin/form.html",
        {"page_title": _("Schedule a premiere"), "header_icon": "media", "form": form},
    )


def edit(request, premiere_id: int):
    premiere = _premiere_for(request.user, premiere_id)
    initial = {
        "title": premiere.title,
        "starts_at": premiere.starts_at,
        "ticket_price": premiere.ticket_price,
        "has_qa": premiere.has_qa,
    }
    form = PremiereForm(request.POST or None, user=request.user, premiere=premiere, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.change(request.user, premiere, **form.cleaned_data)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Premiere “%(title)s” saved.") % {"title": form.cleaned_data["title"]})
            return redirect("live_admin:edit", premiere.pk)
    shows_key = schedule.may_see_stream_key(request.user, premiere)
    return TemplateResponse(
        request,
        "live/admin/form.html",
        {
            "page_title": premiere.title,
            "header_icon": "media",
            "form": form,
            "premiere": premiere,
            "editable": premiere.status == PremiereStatus.SCHEDULED,
            "stream_key": premiere.stream_key if shows_key else None,
            "rtmp_url": schedule.rtmp_url() if shows_key else None,
        },
    )


@require_POST
def regenerate_key(request, premiere_id: int):
    premiere = _premiere_for(request.user, premiere_id)
    if not schedule.may_see_stream_key(request.user, premiere):
        raise PermissionDenied
    schedule.regenerate_stream_key(request.user, premiere)
    messages.success(request, _("A new stream key was made; the old one no longer works."))
    return redirect(reverse("live_admin:edit", args=[premiere.pk]) + "#stream-key")


@require_POST
def cancel(request, premiere_id: int):
    premiere = _premiere_for(request.user, premiere_id)
    try:
        schedule.cancel(request.user, premiere)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("live_admin:edit", premiere.pk)
    messages.success(request, _("Premiere “%(title)s” cancelled.") % {"title": premiere.title})
    return redirect("live_admin:index")
