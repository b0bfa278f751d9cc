"""The Wagtail site of a request, remembered once per generation: no query to find it.

Wagtail finds the site serving a request (`Site.find_for_request`) with one query on every
request that routes a page, and then loads the site's root page in its specific form with
another. Both change only when a site or the root page is saved, published or deleted, which
starts a new generation (`signal_handlers`), so the site found for a host and port, with its root
page already specific, is kept in the pages cache for the generation and handed to Wagtail
through the attribute it caches its own answer in (`request._wagtail_site`). A host no site
answers for is not remembered (Wagtail looks again, as it always does).
"""

from __future__ import annotations

import hashlib

from django.http.request import split_domain_port
from wagtail.models import Site

from .cache import kept_for_generation


def _name(request) -> str:
    # What Wagtail looks the site up by (`Site._find_for_request`): the host's name and the port.
    hostname = split_domain_port(request._get_raw_host())[0]
    address = f"{hostname}:{request.get_port()}"
    return f"site:{hashlib.sha256(address.encode()).hexdigest()}"


def _find(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - loaded now, so the cached copy holds it
    return site


def remember_site(request) -> None:
    """Give `request` its site from the cache, or find it and keep it for the generation."""
    if hasattr(request, "_wagtail_site"):
        return
    site = kept_for_generation(_name(request), lambda: _find(request))
    if site is not None:
        request._wagtail_site = site
