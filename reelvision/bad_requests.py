"""Requests the site cannot take are answered with a 400 and a sentence, never a 500.

`BadRequestMiddleware` checks what every view would otherwise have to check on its own:

- No NUL character in the query string or in form fields. PostgreSQL text cannot hold one, so a
  NUL that reached a query (a search, a filter, a locale) failed the request with a database
  error; nothing a visitor types contains one.
- `offset`, `limit` and `id` in the API's query strings are whole numbers that fit the database's
  integers. A 20-digit offset passed every view's `int()` and then overflowed PostgreSQL's bigint.
- A StreamField's `<name>-count` in a form is a whole number (Wagtail reads it with `int()`).

It also turns errors a view raises while it reads the request, before anything is saved, into a
400: `BadRequest` (its message is shown), a required form field missing from the request
(`MultiValueDictKeyError`, as when the admin's page editor gets a POST without a StreamField's
count), and a form field that should hold JSON but does not (the rich text editor's). A form
sent back without its inline formsets' management data (`credits-TOTAL_FORMS`) is a 400 too.

`StrictJSONParser` is the API's JSON parser: it refuses text that cannot be encoded again.

API paths answer in JSON, in the API's error shape (`{"detail": "…", "code": "bad_request"}`,
`reelvision.api_errors`); pages with `400.html`.
"""

from __future__ import annotations

import json

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The largest offset, limit or id the API takes: PostgreSQL's `integer`, so an id fits every
# primary key and offset + limit cannot overflow the `bigint` of OFFSET.
MAX_API_INTEGER = 2**31 - 1
API_INTEGER_PARAMETERS = ("offset", "limit", "id")
API_PREFIX = "/api/"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data) -> bool:
    return any("\x00" in name or any("\x00" in value for value in values) for name, values in data.lists())


def _is_whole_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


# allauth's headless API reads the raw body of every POST as JSON; reading it as a form first would
# consume the stream and make that read fail (a 500).
RAW_BODY_PREFIXES = ("/_allauth/",)


def _is_form_post(request) -> bool:
    return (
        request.method == "POST"
        and request.content_type in FORM_CONTENT_TYPES
        and not request.path.startswith(RAW_BODY_PREFIXES)
    )


def query_problem(request) -> str | None:
    """Why the query string or the form cannot be taken, in words for the requester; None when they can."""
    if _has_nul(request.GET):
        return _("The address contains a NUL character, which no search or filter can contain.")
    if request.path.startswith(API_PREFIX):
        for name in API_INTEGER_PARAMETERS:
            for value in request.GET.getlist(name):
                if not (_is_whole_number(value) and int(value) <= MAX_API_INTEGER):
                    return _("“%(name)s” must be a whole number from 0 to %(max)s.") % {
                        "name": name,
                        "max": MAX_API_INTEGER,
                    }
    if _is_form_post(request):
        if _has_nul(request.POST):
            return _("The form contains a NUL character. Remove it and send the form again.")
        # Wagtail's StreamField and ListBlock post how many blocks follow as `<name>-count`, and
        # read it with int(): the editor always sends digits there.
        if any(name.endswith("-count") and not _is_whole_number(value) for name, value in request.POST.items()):
            return incomplete_form_message()
    return None


def incomplete_form_message() -> str:
    return _("Part of the form was missing or could not be read. Reload the page and try again.")


def bad_request(request, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        # Imported here: DRF imports this module (the parser) while it defines its views.
        from .api_errors import error_response

        return error_response(message, 400, "bad_request")
    # 400.html needs no database and no context processors: the request may be unfit for either.
    # Rendered here, and still a template response, so process_template_response may return it.
    return SimpleTemplateResponse("400.html", {"message": message}, status=400).render()


class BadRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = query_problem(request)
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError):
            return bad_request(request, incomplete_form_message())
        if isinstance(exception, json.JSONDecodeError) and _is_form_post(request):
            # A widget that posts JSON (the rich text editor, StreamField) got something else.
            return bad_request(request, incomplete_form_message())
        if isinstance(exception, BadRequest) and str(exception):
            return bad_request(request, str(exception))
        return None

    def process_template_response(self, request, response):
        # A form whose inline formsets lost their management data (TOTAL_FORMS, INITIAL_FORMS)
        # was not sent by the page that drew it: Django only marks the formset invalid, so the
        # editor would get the form back with a message about tampering. Say it plainly, as a 400.
        form = (response.context_data or {}).get("form") if request.method == "POST" else None
        formsets = getattr(form, "formsets", None)
        if getattr(form, "is_bound", False) and isinstance(formsets, dict):
            if any(not formset.management_form.is_valid() for formset in formsets.values()):
                return bad_request(request, incomplete_form_message())
        return response


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing strings that cannot be written back out.

    JSON may escape half of a surrogate pair (`"\\ud800"`); Python reads it into a string that no
    UTF-8 encoder takes, so the answer that echoes it (a field error names the field) failed.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("The JSON contains text that is not valid Unicode.")) from None
        return data
