from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Page


def search(request):
    """First version; replaced by the search work (films, projects, people)."""
    query = request.GET.get("q", "").strip()
    results = Page.objects.live().public().search(query) if query else Page.objects.none()
    paginator = Paginator(results, 20)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(request, "search/search.html", {"query": query, "results": page})
