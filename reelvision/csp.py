"""Content-Security-Policy on every response: the site's policy, the Wagtail admin's, and the origins
that configuration adds to both (the media bucket, Toss's widget).

The site's policy is `settings.SECURE_CSP`: scripts from our own static files only, no inline
scripts (nor nonces: the anonymous page cache would serve one visitor's nonce to the next). Django's
middleware sends it; this one first adds, per response,

- the S3 origins of the media and video storages, when they are on a bucket, and their custom
  domains (the CloudFront distribution that signed video and post picture URLs point at): posters
  and images load from there, the player fetches segments from there, and Uppy sends upload parts
  straight to the bucket (img-src, media-src, connect-src);
- Toss's hosts when Toss is a payment provider: the SDK in our static files loads Toss's script
  from js.tosspayments.com, which draws the widget in frames from Toss's hosts and talks to them;
- for the Wagtail admin, inline scripts: Wagtail 8 renders `<script>` blocks without nonces (inline
  panels, date pickers, the workflow buttons) and its choosers and modals insert server-rendered
  HTML with inline scripts through jQuery, which no nonce of the page can cover.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoContentSecurityPolicyMiddleware
from django.utils.csp import CSP

S3_BACKEND = "storages.backends.s3.S3Storage"
# The SDK (@tosspayments/tosspayments-sdk) loads https://js.tosspayments.com/v2/standard; that script
# frames the payment methods and agreement from Toss's hosts and calls Toss's APIs from the page.
TOSS_SCRIPT_HOSTS = ["https://js.tosspayments.com"]
TOSS_WIDGET_HOSTS = ["https://*.tosspayments.com"]
ADMIN_SCRIPT_ALLOWANCES = [CSP.UNSAFE_INLINE]
ADMIN_PATH_PREFIXES = ("/admin/",)


def s3_origins(options: dict) -> list[str]:
    """The origins a browser reaches a bucket at, from a django-storages S3 storage's options: its
    custom domain (a CDN) if it has one, and the bucket's own endpoint (presigned GETs, uploads)."""
    bucket = options.get("bucket_name") or ""
    origins = []
    if options.get("custom_domain"):
        origins.append(f"https://{options['custom_domain']}")
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        origins.append(f"{parts.scheme}://{parts.netloc}")
        if options.get("addressing_style") != "path":
            origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
    else:
        region = options.get("region_name")
        hosts = ["s3.amazonaws.com"] + ([f"s3.{region}.amazonaws.com"] if region else [])
        for host in hosts:
            origins += [f"https://{host}", f"https://{bucket}.{host}"]
    return origins


def storage_origins(storages: dict) -> list[str]:
    """The bucket origins of the media and video storages (none when they are local folders)."""
    origins = []
    for alias in ("default", "videos"):
        storage = storages.get(alias) or {}
        if storage.get("BACKEND") == S3_BACKEND:
            origins += [origin for origin in s3_origins(storage.get("OPTIONS") or {}) if origin not in origins]
    return origins


def extended(policy: dict, additions: dict[str, list[str]]) -> dict:
    """`policy` with more sources for some directives (a directive missing from it starts empty)."""
    policy = dict(policy)
    for directive, sources in additions.items():
        if sources:
            policy[directive] = [*policy.get(directive, []), *sources]
    return policy


def policy_for(path: str, base: dict) -> dict:
    """The policy for a response to `path`, built on `base` (SECURE_CSP or its report-only twin)."""
    media = storage_origins(settings.STORAGES)
    toss = "toss" in settings.PAYMENT_PROVIDERS
    additions = {
        "img-src": media,
        "media-src": media,
        "connect-src": media + (TOSS_WIDGET_HOSTS if toss else []),
        "script-src": TOSS_SCRIPT_HOSTS if toss else [],
        "frame-src": TOSS_WIDGET_HOSTS if toss else [],
    }
    if path.startswith(ADMIN_PATH_PREFIXES):
        additions["script-src"] = additions["script-src"] + ADMIN_SCRIPT_ALLOWANCES
    return extended(base, additions)


class ContentSecurityPolicyMiddleware(DjangoContentSecurityPolicyMiddleware):
    """Django's CSP middleware, sending `policy_for()` the response's path instead of the bare settings.

    A view that chose its own policy (Django's `csp_override` decorators) keeps it.
    """

    def process_response(self, request, response):
        if settings.SECURE_CSP and not hasattr(response, "_csp_config"):
            response._csp_config = policy_for(request.path, settings.SECURE_CSP)
        if settings.SECURE_CSP_REPORT_ONLY and not hasattr(response, "_csp_ro_config"):
            response._csp_ro_config = policy_for(request.path, settings.SECURE_CSP_REPORT_ONLY)
        return super().process_response(request, response)
