"""Sharing: absolute addresses for share links and link previews (Open Graph, X cards)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reelvision.korean import agree

register = template.Library()


@register.simple_tag
def share_text(film, backed: bool = False) -> str:
    """The words a post about `film` starts with (X's `text`, the share sheet's): `{% share_text page as
    text %}`; `backed=True` after a donation. Plain text: the share block escapes it where it goes."""
    title = str(film.display_title)
    if backed:
        text = _("I backed %(title)s on ReelVision. Back it too!")
    elif film.is_funding:
        text = _("Back %(title)s on ReelVision")
    else:
        text = _("Watch %(title)s on ReelVision")
    return agree(text % {"title": title}, [title])


@register.simple_tag(takes_context=True)
def absolute_url(context, target) -> str:
    """`target` (a page, or a URL or path) as an absolute URL on the host the visitor asked for:
    `{% absolute_url page as url %}`, `{% absolute_url rendition.url as url %}`. An address that is
    already absolute (media on a CDN) is kept as it is; "" without one."""
    request = context.get("request")
    if hasattr(target, "get_url"):
        target = target.get_url(request)
    if not target:
        return ""
    return request.build_absolute_uri(target) if request is not None else str(target)


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # so that {% block %}s inside stay overridable

    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # What the nodelist rendered is escaped already, as a block's output is.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}…{% endcapture %}` renders its content once into `name`, so that one
    overridable block can fill two tags (`og:title` and `twitter:title`)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
