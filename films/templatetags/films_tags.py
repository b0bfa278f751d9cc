from django import template
from django.template.context import make_context
from django.template.loader import get_template

from films.models import FilmBasePage
from page_cache.fragments import as_visitor, fragments
from videos.playback import file_url

register = template.Library()


@register.simple_tag(takes_context=True)
def hover_preview_url(context, film) -> str:
    """The signed address of the clip `film`'s card plays on hover, or "" when it has none:
    `{% hover_preview_url film as preview_url %}`. Signing needs no query: the card's queryset
    (`FilmQuerySet.for_cards`) joins both videos. Signed for every viewer, since a rendered card
    is shared by every viewer (`page_cache.fragments`)."""
    video = film.hover_preview_video
    request = context.get("request")
    if video is None or request is None:
        return ""
    return file_url(request, video, video.preview_key, anyone=True)


@register.simple_tag(takes_context=True)
def film_cards(context, films, resume=False) -> list:
    """The cards of `films` (film pages ready for cards, or film ids) as HTML, each rendered once per
    generation and language and shared by every viewer (`page_cache.fragments`; a member's marks are
    filled in later, `watching.card_marks`): `{% film_cards films as cards %}`. Films given by id are
    loaded only when their card is not cached (five queries for all of them). `resume` links each
    card to the player."""
    request = context.get("request")
    card = get_template("includes/film_card.html")
    by_pk = {film if isinstance(film, int) else film.pk: film for film in films}

    def render_missing(pks: list) -> dict:
        to_load = [pk for pk in pks if isinstance(by_pk[pk], int)]
        if to_load:
            by_pk.update({film.pk: film for film in FilmBasePage.objects.filter(pk__in=to_load).for_cards()})
        # One context for all of them: the context processors run once, not once per card. Rendered as
        # for a visitor, since every viewer gets the card.
        context = make_context({"resume": resume}, as_visitor(request))
        rendered = {}
        with context.bind_template(card.template):
            for pk in pks:
                if not isinstance(by_pk[pk], int):
                    with context.push(film=by_pk[pk]):
                        rendered[pk] = card.template.render(context)
        return rendered

    return fragments(request, "film-card:resume" if resume else "film-card", list(by_pk), render_missing)
