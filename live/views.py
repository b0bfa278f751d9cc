"""The site's premiere pages that are not the watch page: "remind me" from a film or project page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reminders
from .schedule import shown


def _back(request, premiere) -> HttpResponseRedirect:
    """Back where the button was (`next`, on this site only), else the premiere's page."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = premiere.page.url or "/"
    return HttpResponseRedirect(f"{target.split('#')[0]}#premiere-{premiere.pk}")


@login_required
@require_POST
def toggle_reminder(request, premiere_id: int):
    """Ask for a reminder, or take it back (`remind=0`)."""
    premiere = get_object_or_404(shown(), pk=premiere_id)
    if request.POST.get("remind", "1") == "1":
        if reminders.remind(request.user, premiere):
            messages.success(request, _("We will remind you shortly before the premiere starts."))
        else:
            messages.error(request, _("This premiere has already started."))
    else:
        reminders.forget(request.user, premiere)
        messages.success(request, _("You will not be reminded of this premiere."))
    return _back(request, premiere)
