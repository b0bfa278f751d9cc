"""Catalogue filtering, shared by the catalogue page and the API.

Filters are plain GET parameters (`genre`, `year`, `status`, `festival`,
`festival_name`, `sort`, `page`) so they work without JavaScript, in bookmarks,
and through `/api/v2/`.
"""

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import CatalogueSort, CatalogueStatus, FestivalFilter, FestivalKind
from .models import Festival, FilmBasePage, Genre


class CatalogueFilterForm(forms.Form):
    """Validates catalogue filters; an invalid value is ignored rather than an error page."""

    q = forms.CharField(required=False, label=_("Search"))
    genre = forms.SlugField(required=False, label=_("Genre"))
    year = forms.IntegerField(required=False, min_value=1950, max_value=2100, label=_("Year"))
    status = forms.ChoiceField(required=False, choices=[("", _("All"))] + CatalogueStatus.choices, label=_("Status"))
    festival = forms.ChoiceField(
        required=False, choices=[("", _("All films"))] + FestivalFilter.choices, label=_("Festival honours")
    )
    festival_name = forms.CharField(required=False, max_length=120, label=_("Festival"))
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
    # Both festival filters ask about the same festival entry: "award winners" at "전주국제영화제" are
    # the films that won an award there. EXISTS rather than a join: a film with three laurels is still
    # one row (no DISTINCT, so ordering and pagination stay as they are).
    honour, name = filters.get("festival"), filters.get("festival_name")
    if honour in FestivalFilter.values or name:
        festivals = Festival.objects.filter(page=OuterRef("pk"))
        if honour == FestivalFilter.AWARDED:
            festivals = festivals.filter(kind=FestivalKind.AWARD)
        if name:
            festivals = festivals.filter(Q(name__iexact=name) | Q(name_en__iexact=name))
        queryset = queryset.filter(Exists(festivals))
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


def festival_names(films) -> list[tuple[str, str, str]]:
    """(name, English name, name shown) of each festival that showed one of `films`, in the order of
    the name shown, for the festival filter. One query. The filter's value is the Korean name; it
    matches the English one too."""
    rows = (
        Festival.objects.filter(page__in=films.order_by().values("pk"))
        .order_by("name", "name_en")
        .values_list("name", "name_en")
        .distinct()
    )
    names = {}
    for name, name_en in rows:
        if not names.get(name):
            names[name] = name_en
    english = (get_language() or "ko").startswith("en")
    shown = [(name, name_en, (english and name_en) or name) for name, name_en in names.items()]
    return sorted(shown, key=lambda row: row[2].casefold())


def chosen_festival(names, asked: str | None) -> tuple[str, str] | None:
    """(value, name shown) of the festival the filter asks for, in Korean or English; the words as
    asked when no listed festival has that name."""
    if not asked:
        return None
    wanted = asked.casefold()
    for name, name_en, shown in names:
        if wanted in (name.casefold(), name_en.casefold()):
            return name, shown
    return asked, asked


def catalogue_page(index_page, params) -> dict:
    """Template context for one page of the catalogue."""
    form = CatalogueFilterForm(params)
    filters = form.cleaned_or_empty()
    listed = FilmBasePage.objects.live().public().descendant_of(index_page)
    films = filter_films(listed, filters)
    paginator = Paginator(films.for_cards(), index_page.films_per_page)
    try:
        page = paginator.page(params.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    query = params.copy()
    query.pop("page", None)
    names = festival_names(listed)
    return {
        "filter_form": form,
        "filters": filters,
        "films": page,
        "paginator": paginator,
        "query_without_page": query.urlencode(),
        "genres": Genre.objects.all(),
        "festival_names": [(name, shown) for name, _name_en, shown in names],
        "festival_chosen": chosen_festival(names, filters.get("festival_name")),
    }
