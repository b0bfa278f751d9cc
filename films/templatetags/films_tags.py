from django import template

from videos.playback import file_url

register = template.Library()


@register.simple_tag(takes_context=True)
def hover_preview_url(context, film) -> str:
    """The signed address of the clip `film`'s card plays on hover, or "" when it has none:
    `{% hover_preview_url film as preview_url %}`. Signing needs no query: the card's queryset
    (`FilmQuerySet.for_cards`) joins both videos."""
    video = film.hover_preview_video
    request = context.get("request")
    if video is None or request is None:
        return ""
    return file_url(request, video, video.preview_key)
