"""The audience dashboard in the Wagtail admin ("Audience"): a creator's own films and projects,
or for staff every one and the department's totals; one page per film with its charts. Every
table is also a CSV file (`?format=csv`). Figures come from `figures`, which decides who sees what.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from reelvision.spreadsheet import csv_response

from . import figures
from .models import Device, Source

COLUMNS = [
    "plays",
    "viewers",
    "watch_hours",
    "average_share",
    "completions",
    "trailer_plays",
    "page_views",
    "conversion",
    "purchases",
    "purchase_amount",
    "donations",
    "donation_amount",
]
DAILY_COLUMNS = figures.SUMMED  # a day's figures are the summed ones


def _labels() -> dict[str, str]:
    labels = {
        "plays": _("Plays"),
        "viewers": _("Viewers (daily)"),
        "watch_hours": _("Hours watched"),
        "watch_seconds": _("Seconds watched"),
        "average_share": _("Average share watched"),
        "completions": _("Completions"),
        "trailer_plays": _("Trailer plays"),
        "page_views": _("Page views"),
        "conversion": _("Plays per page view"),
        "purchases": _("Purchases"),
        "purchase_amount": _("Purchases (KRW)"),
        "donations": _("Donations"),
        "donation_amount": _("Donations (KRW)"),
    }
    return labels


def _period(request):
    try:
        return figures.Period.from_params(request.GET), ""
    except figures.BadPeriod as error:
        return figures.Period.from_params({}), str(error)


@never_cache
def dashboard(request):
    """Every film the viewer may see with its figures over the period, and their totals."""
    period, error = _period(request)
    table = figures.film_table(figures.visible_films(request.user), period)
    total = figures.totals(table)
    labels = _labels()
    if request.GET.get("format") == "csv":
        header = [_("Film"), *(labels[name] for name in COLUMNS)]
        rows = [[row["title"], *(row[name] for name in COLUMNS)] for row in table]
        rows.append([_("Total"), *(total[name] for name in COLUMNS)])
        return csv_response(f"audience-{period.start}-{period.end}.csv", header, rows)
    return TemplateResponse(
        request,
        "analytics/admin/dashboard.html",
        {
            "page_title": _("Audience"),
            "header_icon": "view",
            "period": period,
            "period_error": error,
            "table": table,
            "total": total,
            "everything": figures.sees_everything(request.user),
            "columns": [(name, labels[name]) for name in COLUMNS],
        },
    )


@never_cache
def film_dashboard(request, film_id: int):
    """One film's days, retention curve, sources and devices, as charts and tables."""
    film = get_object_or_404(figures.visible_films(request.user), pk=film_id).specific
    period, error = _period(request)
    days = figures.daily(film, period)
    parts = figures.breakdown(film, period)
    labels = _labels()
    table = request.GET.get("table", "daily")
    if request.GET.get("format") == "csv":
        name = f"audience-{film.pk}-{period.start}-{period.end}-{table}.csv"
        if table == "daily":
            header = [_("Day"), *(labels[column] for column in DAILY_COLUMNS)]
            rows = [[day["day"].isoformat(), *(day[column] for column in DAILY_COLUMNS)] for day in days]
        elif table == "retention":
            header = [_("Point of the film (%)"), _("Share of plays watching")]
            rows = [[i, share] for i, share in enumerate(parts["retention"])]
        elif table in ("sources", "devices"):
            names = dict(Source.choices if table == "sources" else Device.choices)
            header = [_("Where from") if table == "sources" else _("Device"), _("Plays")]
            rows = [[str(names.get(key, key)), count] for key, count in parts[table].items()]
        else:
            raise Http404
        return csv_response(name, header, rows)
    source_names, device_names = dict(Source.choices), dict(Device.choices)
    chart = {
        "days": [day["day"].isoformat() for day in days],
        "plays": [day["plays"] for day in days],
        "hours": [round(day["watch_seconds"] / 3600, 2) for day in days],
        "page_views": [day["page_views"] for day in days],
        "purchases": [day["purchase_amount"] for day in days],
        "donations": [day["donation_amount"] for day in days],
        "retention": parts["retention"],
        "labels": {
            "plays": _("Plays"),
            "hours": _("Hours watched"),
            "page_views": _("Page views"),
            "purchases": _("Purchases (KRW)"),
            "donations": _("Donations (KRW)"),
            "retention": _("Share of plays watching"),
            "point": _("Point of the film (%)"),
        },
    }
    summary = figures.totals(figures.film_table(figures.visible_films(request.user).filter(pk=film.pk), period))
    return TemplateResponse(
        request,
        "analytics/admin/film.html",
        {
            "page_title": film.display_title,
            "header_icon": "view",
            "film": film,
            "period": period,
            "period_error": error,
            "day_rows": [(day["day"], [day[column] for column in DAILY_COLUMNS]) for day in reversed(days)],
            "summary": summary,
            "sources": [(str(source_names.get(k, k)), v) for k, v in parts["sources"].items()],
            "devices": [(str(device_names.get(k, k)), v) for k, v in parts["devices"].items()],
            "chart": chart,
            "columns": [(name, labels[name]) for name in COLUMNS],
            "daily_columns": [(name, labels[name]) for name in DAILY_COLUMNS],
        },
    )
