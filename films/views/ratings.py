"""Staff's age-rating list in the Wagtail admin (/admin/ratings/): the films whose rating they have
not confirmed, and the form that confirms one (`films.ratings`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.paginator import WagtailPaginator

from reelvision.redirects import local_url
from videos.access import staff_only

from ..choices import AgeRating
from ..models import FilmBasePage
from ..ratings import decide, films_to_rate

PER_PAGE = 50


class DecisionForm(forms.Form):
    rating = forms.ChoiceField(choices=AgeRating.choices)


@never_cache
@staff_only
def rating_list(request):
    waiting_only = request.GET.get("show") != "all"
    paginator = WagtailPaginator(films_to_rate(waiting_only=waiting_only), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "films/admin/ratings.html",
        {
            "page_title": _("Age ratings"),
            "header_icon": "view",
            "waiting_only": waiting_only,
            "items": page,
            "object_list": page.object_list,
            "paginator": paginator,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "ratings": AgeRating.choices,
            "here": request.get_full_path(),
        },
    )


@staff_only
@require_POST
def confirm_rating(request, film_id: int):
    film = get_object_or_404(FilmBasePage.objects.select_related("age_rating_decision"), pk=film_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the ratings."))
    else:
        decision = decide(film, form.cleaned_data["rating"], request.user)
        if decision.rating == film.applied_age_rating:
            messages.success(
                request,
                _("%(film)s: rated %(rating)s.") % {"film": film.title, "rating": decision.get_rating_display()},
            )
        else:
            messages.warning(
                request,
                _("%(film)s: confirmed %(confirmed)s, but its creator's stricter %(applied)s applies.")
                % {
                    "film": film.title,
                    "confirmed": decision.get_rating_display(),
                    "applied": film.get_applied_age_rating_display(),
                },
            )
    # Back to the list as it was (its filter and page).
    return redirect(local_url(request, request.POST.get("next"), reverse("films_ratings:list")))
