from django.shortcuts import get_object_or_404, render

from home.page_cache import reads_query_params

from .choices import CreditRole
from .models import FilmBasePage, Person


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
