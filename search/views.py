from django.shortcuts import render
from django.utils.http import urlencode

from films.models import Genre
from page_cache.cache import reads_query_params

from .models import MatchField
from .site_search import MAX_QUERY_LENGTH, ResultKind, clean_query, load, load_hits, run_search, watch_url

# How many of each kind the "all results" view shows before "See all".
GROUP_PREVIEW = {ResultKind.FILM: 10, ResultKind.PROJECT: 5, ResultKind.PERSON: 12}
# Films whose spoken lines are listed, and lines per film.
DIALOGUE_FILMS = 10
DIALOGUE_LINES = 3


def dialogue_hits(outcome) -> list[dict]:
    """Films with lines of dialogue that matched, in rank order: each with its lines and their watch links."""
    lines = {}
    for pk in outcome.ids.get(ResultKind.FILM, []):
        spoken = [m for m in outcome.matches.get((ResultKind.FILM, pk), []) if m.kind == MatchField.DIALOGUE]
        if spoken:
            lines[pk] = spoken[:DIALOGUE_LINES]
        if len(lines) == DIALOGUE_FILMS:
            break
    films = load(ResultKind.FILM, list(lines))
    return [
        {"film": film, "lines": [{"match": m, "url": watch_url(film, m.start)} for m in lines[film.pk]]}
        for film in films
    ]


@reads_query_params("q", "type", "page")
def search(request):
    """The search page: every kind grouped, or one kind (`?type=`) paginated.

    A blank query shows a short guide instead of results. An unknown `type`
    falls back to all kinds rather than an error: it usually comes from an old
    or hand-edited link.
    """
    raw_query = request.GET.get("q", "")
    query = clean_query(raw_query)
    kind = request.GET.get("type", "")
    if kind not in ResultKind.values:
        kind = ""
    context = {
        "query": query,
        "kind": kind,
        "query_was_shortened": len(raw_query.strip()) > MAX_QUERY_LENGTH,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    if not query:
        context["genres"] = Genre.objects.all()
        return render(request, "search/search.html", context)

    outcome = run_search(query)
    context["total"] = outcome.total
    context["tabs"] = [
        (name, label, outcome.counts[name]) for name, label in ResultKind.choices if outcome.counts[name]
    ]
    if kind in ("", ResultKind.FILM):
        context["dialogue"] = dialogue_hits(outcome)
    if kind:
        page = outcome.paginator(kind).get_page(request.GET.get("page"))
        context["page_obj"] = page
        context["page_query"] = urlencode({"q": query, "type": kind})
        context["results"] = [obj for _kind, obj in load_hits(page.object_list)]
    else:
        context["groups"] = [
            {
                "kind": name,
                "label": label,
                "count": outcome.counts[name],
                "results": load(name, outcome.ids[name][: GROUP_PREVIEW[name]]),
            }
            for name, label in ResultKind.choices
            if outcome.counts[name]
        ]
    return render(request, "search/search.html", context)
