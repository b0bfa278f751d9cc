from django import template

from watching.ownership import owned_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def viewer_owns(context, film):
    """The viewer's ownership of `film` (with `.percent` watched), or None: `{% viewer_owns film as owned %}`."""
    return owned_for_request(context.get("request")).get(film.pk)
