"""Catalogue filtering, shared by the catalogue page and the API.

Filters are plain GET parameters (`genre`, `year`, `status`, `sort`, `page`)
so they work without JavaScript, in bookmarks, and through `/api/v2/`.
"""

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _

from .choices import CatalogueSort, CatalogueStatus
from .models import FilmBasePage, Genre


class CatalogueFilterForm(forms.Form):
    """Validates catalogue filters; an invalid value is ignored rather than an error page."""

    q = forms.CharField(required=False, label=_("Search"))
    genre = forms.SlugField(required=False, label=_("Genre"))
    year = forms.IntegerField(required=False, min_value=1950, max_value=2100, label=_("Year"))
    status = forms.ChoiceField(required=False, choices=[("", _("All"))] + CatalogueStatus.choices, label=_("Status"))
    sort = forms.ChoiceField(required=False, choices=CatalogueSort.choices, label=_("Sort"))

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["genre"].widget = forms.Select(
            choices=[("", _("All genres"))] + [(g.slug, g.display_name) for g in Genre.objects.all()]
        )

    def cleaned_or_empty(self) -> dict:
        """Valid filters only: a bad `year=abc` drops that filter, keeps the others."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


def filter_films(queryset, filters: dict):
    """Apply catalogue filters to a `FilmBasePage` queryset."""
    if genre := filters.get("genre"):
        queryset = queryset.filter(genres__slug=genre)
    if year := filters.get("year"):
        queryset = queryset.filter(graduation_year=year)
    status = filters.get("status")
    if status == CatalogueStatus.FINISHED:
        queryset = queryset.finished()
    elif status == CatalogueStatus.FUNDING:
        queryset = queryset.funding()
    elif status == CatalogueStatus.FREE:
        queryset = queryset.free()
    elif status == CatalogueStatus.PAID:
        queryset = queryset.paid()
    elif status == CatalogueStatus.COMING_SOON:
        queryset = queryset.coming_soon()
    if filters.get("sort") == CatalogueSort.TITLE:
        queryset = queryset.order_by("title", "pk")
    else:
        queryset = queryset.order_by("-first_published_at", "-pk")
    return queryset


def catalogue_page(index_page, params) -> dict:
    """Template context for one page of the catalogue."""
    form = CatalogueFilterForm(params)
    filters = form.cleaned_or_empty()
    films = filter_films(FilmBasePage.objects.live().public().descendant_of(index_page), filters)
    paginator = Paginator(films.for_cards(), index_page.films_per_page)
    try:
        page = paginator.page(params.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    query = params.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "filters": filters,
        "films": page,
        "paginator": paginator,
        "query_without_page": query.urlencode(),
        "genres": Genre.objects.all(),
    }
