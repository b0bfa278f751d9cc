"""The site as its e-mails and API answers name it: its name and its public address.

A request may reach the server through any host (localhost:8000, an internal name, a proxy), so
addresses a member will click later come from `WAGTAILADMIN_BASE_URL`, the configured public base,
and the greeting uses the Wagtail site's name ("ReelVision"), never the host and port.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


@dataclass(frozen=True)
class PublicSite:
    """What e-mail templates read as `current_site`: `name` and `domain` (host[:port] of the public base)."""

    name: str
    domain: str


def base_url() -> str:
    """The public base address without a trailing slash, e.g. "https://reelvision.example"."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(path_or_url: str) -> str:
    """`path_or_url` on the public base: "/me/" → "https://reelvision.example/me/"; absolute URLs unchanged."""
    if urlsplit(path_or_url).scheme:
        return path_or_url
    return base_url() + "/" + path_or_url.lstrip("/")


def site_name() -> str:
    """The default Wagtail site's name, else WAGTAIL_SITE_NAME."""

    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site and site.site_name) or getattr(settings, "WAGTAIL_SITE_NAME", "ReelVision")


def public_site() -> PublicSite:
    return PublicSite(name=site_name(), domain=urlsplit(base_url()).netloc)


def on_public_base(value: str, request_origin: str) -> str:
    """A URL built from the request's own origin, moved onto the public base."""
    if request_origin and value.startswith(request_origin + "/"):
        return base_url() + value[len(request_origin) :]
    return value
