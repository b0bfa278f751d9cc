"""Rendered pieces of pages shared by every viewer, kept per generation and language.

A member's page cannot come from the anonymous page cache, but most of it is the same for
everyone: the home page's curated sections, the card of a film. Those are rendered once per
page-cache generation (so any publish rebuilds them, as it rebuilds whole pages) and language,
kept in the pages cache for `ANONYMOUS_PAGE_CACHE_SECONDS`, and pasted into each member's page.
What differs per member on a card is filled in afterwards (`watching.card_marks`).

A fragment is rendered as for a visitor whoever asks (`as_visitor`): rendered for a member, it still
holds nothing of theirs (no name, no CSRF token, no "following"), so it can be served to everyone.
Templates mark such parts with `{% fragment %}` (`templatetags/fragment_tags.py`). What a page
works out about its member once per request (their films, their rights on the page) is kept with
`for_viewer`, which the visitor's copy of the request starts without.

Nothing is read from or written to the cache for a preview (a draft shown in the editor).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .cache import current_generation, kept_for_generation, pages_cache


def _name(request, name: str, part) -> str:
    # The scheme and host too: a fragment may hold absolute URLs (signed clip addresses).
    return f"fragment:{get_language()}:{request.scheme}://{request.get_host()}:{name}:{part}"


# Where `for_viewer` keeps a request's answers about its user.
VIEWER_ANSWERS = "_viewer_answers"
# What a request carries of its member, left out of a visitor's copy.
MEMBER_META = frozenset(
    {"HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_X_SESSION_TOKEN", "CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE"}
)


def as_visitor(request):
    """`request` as a visitor without a session would send it, for rendering what everyone shares:
    same address, language and host, an anonymous user, none of the member's answers (`for_viewer`)."""
    if request is None:
        return None
    visitor = copy.copy(request)
    visitor.user = AnonymousUser()
    # Nothing the member sent: no cookies (so no CSRF secret to render a token from), an empty
    # session, no pending messages.
    visitor.COOKIES = {}
    visitor.META = {name: value for name, value in request.META.items() if name not in MEMBER_META}
    visitor.session = import_module(settings.SESSION_ENGINE).SessionStore()
    for name in (VIEWER_ANSWERS, "_messages"):
        vars(visitor).pop(name, None)
    return visitor


def for_viewer(request, name: str, compute: Callable[[], object]):
    """What `compute()` returns, worked out once per request: an answer about the request's user (their
    films, their rights on a page), which a visitor's copy of the request (`as_visitor`) does not get."""
    answers = vars(request).setdefault(VIEWER_ANSWERS, {})
    if name not in answers:
        answers[name] = compute()
    return answers[name]


def _shared(request) -> bool:
    return request is not None and not getattr(request, "is_preview", False)


def shared(request, name: str, compute: Callable[[], object]):
    """What `compute()` returns (rendered HTML, or anything else the cache can keep), from the cache
    when this generation and language have it."""
    if not _shared(request):
        return compute()
    return kept_for_generation(_name(request, name, ""), compute)


def fragments(request, name: str, keys: Iterable, render_missing: Callable[[list], dict]) -> list[SafeString]:
    """One fragment per key, in order, fetched in one round trip; `render_missing(keys)` renders
    those the cache lacks (a dict by key; a key it leaves out is left out of the answer), stored in
    one more round trip."""
    keys = list(keys)
    if not _shared(request):
        rendered = render_missing(keys)
        return [mark_safe(rendered[key]) for key in keys if key in rendered]  # noqa: S308 - our templates
    generation = current_generation()  # read once, not once per key
    cache_keys = {key: f"{_name(request, name, key)}:{generation}" for key in keys}
    found = pages_cache().get_many(list(cache_keys.values()))
    missing = [key for key in keys if cache_keys[key] not in found]
    if missing:
        rendered = render_missing(missing)
        stored = {cache_keys[key]: str(html) for key, html in rendered.items()}
        pages_cache().set_many(stored, timeout=settings.ANONYMOUS_PAGE_CACHE_SECONDS)
        found.update(stored)
    return [mark_safe(found[cache_keys[key]]) for key in keys if cache_keys[key] in found]  # noqa: S308
