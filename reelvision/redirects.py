"""Where a form or link may send the browser back to: only this site."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, url: str | None, fallback: str) -> str:
    """`url` when it leads to this site (its host, and HTTPS when the request came over HTTPS);
    else `fallback`. For `next` parameters and stored links, which anyone could have written."""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return fallback
