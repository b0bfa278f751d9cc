"""Template helpers for the public site: money, localized fields, site navigation, pagination.

Load with ``{% load reelvision_tags %}``.
"""

from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from films.models import CollectionPage, FilmBasePage, FilmIndexPage, localized
from page_cache.cache import kept_for_generation
from page_cache.fragments import as_visitor, shared
from reelvision.korean import agree as _agree
from reelvision.korean import josa as _josa

register = template.Library()
NAV_COLLECTIONS = 8


@register.filter
def krw(amount):
    """``15000`` → "15,000원" (Korean) / "15,000 KRW" (English). Blank for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        number = int(amount)
    except (TypeError, ValueError):
        return amount
    return _("%(amount)s KRW") % {"amount": f"{number:,}"}


@register.filter
def josa(word, pair: str):
    """``{{ name|josa:"이/가" }}`` → "김지수가": the word with the Korean particle that agrees with it."""
    return _josa(word, pair)


@register.filter
def agree(text, word):
    """``{% filter agree:title %}…을(를)…{% endfilter %}``: particles written both ways after `word` made to agree."""
    return _agree(str(text), [word])


@register.filter
def timecode(seconds):
    """``83.4`` → "1:23", ``3725`` → "1:02:05": a time in a film, as players show it."""
    try:
        total = int(float(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def thousands(number):
    """``1234`` → "1,234" (backer counts and the like)."""
    try:
        return f"{int(number):,}"
    except (TypeError, ValueError):
        return number


@register.filter(name="localized")
def localized_field(obj, field: str):
    """``{{ person|localized:"bio" }}``: the English variant of a field when English is active and filled in."""
    if obj is None:
        return ""
    return localized(obj, field)


@register.filter
def progress_width(percent):
    """A progress percentage clamped to 0–100, for the width of a bar (the label may say 130%)."""
    try:
        return max(0, min(100, int(percent)))
    except (TypeError, ValueError):
        return 0


def _site_navigation(request) -> dict:
    """The catalogue URL and the collection menu, shared by every page.

    Computed once per page-cache generation (any publish, unpublish or move
    starts a new one), so an uncached page render does not pay three queries
    for the header and footer.
    """
    cached = getattr(request, "_reelvision_navigation", None)
    if cached is not None:
        return cached

    def compute() -> dict:
        index = FilmIndexPage.objects.live().first()
        collections = CollectionPage.objects.live().public().order_by("path")[:NAV_COLLECTIONS]
        return {
            "catalogue_url": index.get_url(request) if index else "",
            "collections": [{"title": c.title, "title_en": c.title_en, "url": c.get_url(request)} for c in collections],
        }

    navigation = kept_for_generation("site-navigation", compute)
    if request is not None:
        request._reelvision_navigation = navigation
    return navigation


@register.simple_tag(takes_context=True)
def home_sections(context, page) -> dict:
    """The home page's curated sections, rendered once per generation and language for everyone
    (`page_cache.fragments`; the page's body is not even read when they are cached): `opening`
    (the hero, when the page starts with one: a member's rows come after it), `rest` (the other
    sections) and `empty` (no sections at all)."""
    request = context.get("request")

    def render() -> dict:
        blocks = list(page.body)
        opening = blocks[:1] if blocks and blocks[0].block_type == "hero" else []

        def html(chosen) -> str:
            if not chosen:
                return ""
            return render_to_string("home/sections.html", {"blocks": chosen, "page": page}, as_visitor(request))

        return {"opening": html(opening), "rest": html(blocks[len(opening) :]), "empty": not blocks}

    sections = shared(request, f"home:{page.pk}", render)
    return {**sections, "opening": mark_safe(sections["opening"]), "rest": mark_safe(sections["rest"])}  # noqa: S308


@register.simple_tag(takes_context=True)
def catalogue_url(context):
    """The URL of the live catalogue page (FilmIndexPage), or "" when there is none."""
    return _site_navigation(context.get("request"))["catalogue_url"]


@register.simple_tag(takes_context=True)
def nav_collections(context):
    """Live, public collections in menu order, for the header and footer: ``[{"title", "url"}, …]``.

    The navigation is cached once for both languages; each title is chosen for the language of this render.
    """
    return [
        {"title": localized(item, "title"), "url": item["url"]}
        for item in _site_navigation(context.get("request"))["collections"]
    ]


@register.simple_tag
def elided_pages(page_obj, on_each_side: int = 2, on_ends: int = 1):
    """Page numbers around the current one with "…" gaps: ``1 … 4 5 [6] 7 8 … 20``."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag
def catalogue_years():
    """Graduation years that have live films, newest first, for the catalogue's year filter."""

    return list(
        FilmBasePage.objects.live()
        .public()
        .exclude(graduation_year__isnull=True)
        .order_by("-graduation_year")
        .values_list("graduation_year", flat=True)
        .distinct()
    )


@register.filter
def group_credits(credits):
    """Credits grouped by role in first-appearance order: ``[(role label, [credit, …]), …]``."""
    groups: dict[str, tuple[str, list]] = {}
    for credit in credits or []:
        groups.setdefault(credit.role, (credit.get_role_display(), []))[1].append(credit)
    return list(groups.values())


@register.simple_tag(takes_context=True)
def query_without(context, filters: dict, key: str):
    """The current path with the catalogue filters minus `key`, e.g. for an active filter's remove link.

    Drops `page` too: removing a filter changes the result set, so page 5 may no longer exist.
    """
    request = context.get("request")
    path = request.path if request is not None else ""
    remaining = {k: v for k, v in filters.items() if k not in (key, "page")}
    return f"{path}?{urlencode(remaining)}" if remaining else path
