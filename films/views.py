from django.shortcuts import get_object_or_404, render

from .models import FilmBasePage, Person


def person_detail(request, slug):
    """A person's public page: who they are and the films they worked on."""
    person = get_object_or_404(Person.objects.select_related("photo"), slug=slug)
    films = (
        FilmBasePage.objects.live()
        .public()
        .filter(credits__person=person)
        .for_cards()
        .order_by("-graduation_year", "title")
        .distinct()
    )
    roles = {}
    for page_id, role in person.credits.filter(page__in=films).values_list("page_id", "role"):
        roles.setdefault(page_id, []).append(role)
    from .choices import CreditRole

    labels = dict(CreditRole.choices)
    film_rows = [(film, [labels[r] for r in roles.get(film.pk, [])]) for film in films]
    return render(request, "films/person_detail.html", {"person": person, "film_rows": film_rows})
