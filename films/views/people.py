from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from page_cache.cache import reads_query_params

from ..availability import ask_to_be_notified
from ..choices import CreditRole
from ..models import FilmBasePage, Person


@reads_query_params()
def person_detail(request, slug):
    """A person's public page: who they are and the live films they worked on, with their roles.

    Two queries whatever the filmography's size: the films (as cards) and this person's credits on them.
    """
    person = get_object_or_404(Person.objects.select_related("photo"), slug=slug)
    films = FilmBasePage.objects.filmography(person)
    roles: dict[int, list[str]] = {}
    for page_id, role in person.credits.filter(page__in=films).values_list("page_id", "role"):
        roles.setdefault(page_id, []).append(CreditRole(role).label)
    film_rows = [(film, roles.get(film.pk, [])) for film in films]
    return render(request, "films/person_detail.html", {"person": person, "film_rows": film_rows})


@require_POST
def notify_when_available(request, film_id: int):
    """A member asks for one e-mail when a coming-soon film can be watched; visitors are asked to log in first."""
    film = get_object_or_404(FilmBasePage.objects.live().public().select_related("main_video"), pk=film_id)
    if not request.user.is_authenticated:
        return redirect_to_login(film.url)
    if film.is_available:
        messages.info(request, _("This film is up: you can watch it now."))
    else:
        ask_to_be_notified(request.user, film)
        messages.success(request, _("We will e-mail you once when it is up."))
    return redirect(film.url)
