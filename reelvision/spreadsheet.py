"""CSV files people open in Excel: UTF-8 with a BOM (so Korean reads right), and text cells that
Excel will not run as formulas (titles and names are typed by members)."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value):
    """`value`, with a leading apostrophe when it is text Excel would read as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    """An attachment named `filename`: the header, then the rows (text cells made safe here)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([text_cell(value) for value in row] for row in rows)
    return response
