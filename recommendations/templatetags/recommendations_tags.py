"""Rows of films for templates: a member's home rows, "more like this", the director's other films,
what to watch next. Each reads the precomputed tables (`recommendations.rows`), never computes."""

from django import template

from recommendations.rows import more_like_this, next_film, other_films_by_director, rows_for

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_rows(context):
    """The member's own home rows (`{% personal_rows as rows %}`), their films as ids: the cards
    come from the shared card cache (`films_tags.film_cards`). Nothing, and no query, for visitors,
    whose home page stays the same for everyone (and cached)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return rows_for(user, cards=False)


@register.simple_tag
def films_like(film):
    return more_like_this(film)


@register.simple_tag
def films_by_director(film):
    return other_films_by_director(film)


@register.simple_tag(takes_context=True)
def film_after(context, film):
    request = context.get("request")
    return next_film(request.user, film) if request is not None else None
