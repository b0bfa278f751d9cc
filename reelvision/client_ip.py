"""The visitor's IP address, for rate limits: allauth's (through the account adapter) and ours.

Behind a reverse proxy every request comes from the proxy's address, so limits
keyed on `REMOTE_ADDR` would count every visitor as one (ten wrong passwords by
anyone would lock everyone out). Each proxy appends the address it was
connected from to `X-Forwarded-For`, so with `TRUSTED_PROXY_COUNT` proxies of
ours in front, the visitor is the entry that many places from the right. The
entries further left were written by the visitor and are ignored. With no
trusted proxies (the default) the header is ignored altogether: a visitor
cannot choose the address they are counted under.
"""

import ipaddress

from django.conf import settings

# IPv6 visitors usually hold a whole /64: counting single addresses would give each one
# billions of fresh budgets.
IPV6_PREFIX = 64


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address the request came from, seen through the trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = forwarded.split(",")
        # Fewer entries than proxies: the request did not come through all of them, so no entry
        # is known to be written by one of ours.
        if len(hops) >= proxies and (address := _valid(hops[-proxies])):
            return address
    return _valid(remote) or remote


def rate_limit_subject(request) -> str:
    """What a per-visitor limit counts: the client's IPv4 address, or its IPv6 /64 network."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return address
