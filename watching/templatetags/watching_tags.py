from django import template

from watching.ownership import films_for_request, owned_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def viewer_owns(context, film):
    """The viewer's ownership of `film` (with `.percent` watched), or None: `{% viewer_owns film as owned %}`."""
    return owned_for_request(context.get("request")).get(film.pk)


@register.simple_tag(takes_context=True)
def viewer_film(context, film):
    """What the viewer has of `film`: owned or not, percent watched, finished; None for neither.

    `{% viewer_film film as mine %}` (cards: the "owned" and "watched" marks, the progress bar).
    """
    return films_for_request(context.get("request")).get(film.pk)
