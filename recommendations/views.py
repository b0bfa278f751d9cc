"""The genre picker: where a new member lands after signing up, and where my page links to."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .forms import PickGenresForm
from .picked_genres import picked_genres_of, set_picked_genres

AFTERWARDS = "/"  # the home page, where the member's rows are


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return AFTERWARDS


@never_cache
@login_required
def pick_genres(request):
    """Checkboxes of every genre, the member's picks ticked; saving needs three, skipping nothing."""
    next_url = _next_url(request)
    if request.method == "POST":
        form = PickGenresForm(request.POST)
        if form.is_valid():
            set_picked_genres(request.user, [genre.pk for genre in form.cleaned_data["genres"]])
            return redirect(next_url)
    else:
        form = PickGenresForm(initial={"genres": picked_genres_of(request.user)})
    return render(request, "recommendations/pick_genres.html", {"form": form, "next": next_url})
