"""The apps' log-in in our OpenAPI schema: allauth's own description of its headless API, merged in.

Apps log in, refresh their access token and check or end their session through allauth's headless
API (`/_allauth/app/v1/…`). allauth ships an OpenAPI document for it; rather than describing those
operations again by hand, `add_app_authentication` takes the few an app needs (`APP_OPERATIONS`)
from that document, for the `app` client, with every schema, response and example they refer to
(renamed `Allauth…` so they cannot collide with ours), and marks which need the access token.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml
from allauth.headless import spec as allauth_spec
from allauth.headless.spec.internal import schema as allauth_schema
from django.urls import Resolver404, resolve

SPEC_FILE = Path(allauth_spec.__file__).parent / "doc" / "openapi.yaml"
CLIENT = "app"
# (path in allauth's document, method): what an app needs to get, keep and end its tokens.
APP_OPERATIONS = [
    ("/_allauth/{client}/v1/auth/login", "post"),
    ("/_allauth/{client}/v1/auth/signup", "post"),
    ("/_allauth/{client}/v1/auth/session", "get"),
    ("/_allauth/{client}/v1/auth/session", "delete"),
    ("/_allauth/app/v1/tokens/refresh", "post"),
]
# Operations that read the requester's access token (`Authorization: Bearer …`).
NEEDS_TOKEN = {("/_allauth/{client}/v1/auth/session", "get"), ("/_allauth/{client}/v1/auth/session", "delete")}
PREFIX = "Allauth"
TAG = "app log-in"
SCHEME_NAME = "tokenAuth"
SCHEME_HELP = (
    "An app's JWT access token: `Authorization: Bearer <access_token>`. POST /_allauth/app/v1/auth/login "
    "gives it (with a refresh token) in `meta`; POST /_allauth/app/v1/tokens/refresh gives a new one."
)


@functools.cache
def allauth_document() -> dict:
    """allauth's document as this site configures it: our user fields and our sign-up form's fields."""
    with open(SPEC_FILE, "rb") as file:
        spec = yaml.safe_load(file)
    # allauth's own helpers (what its `openapi.json` view applies) fill in the configured user
    # object and sign-up fields; its path rewriting needs the spec's URL, which we do not serve.
    allauth_schema.specify_user(spec)
    allauth_schema.specify_signup_fields(spec)
    allauth_schema.specify_custom_signup_form(spec)
    return spec


def _refs(node, found: set):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                found.add(tuple(value.split("/")[2:4]))
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _renamed(node):
    if isinstance(node, dict):
        return {
            key: (_rename_ref(value) if key == "$ref" and isinstance(value, str) else _renamed(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed(value) for value in node]
    return node


def _rename_ref(ref: str) -> str:
    if not ref.startswith("#/components/"):
        return ref
    _, _, kind, name = ref.split("/", 3)
    return f"#/components/{kind}/{PREFIX}{name}"


def _is_routed(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _operation(spec: dict, template: str, method: str) -> dict:
    operation = copy.deepcopy(spec["paths"][template][method])
    operation["parameters"] = [
        parameter
        for parameter in operation.get("parameters", [])
        # The client is fixed (`app`); the session token header is for the session-token strategy,
        # ours is the JWT access token.
        if parameter.get("$ref") not in ("#/components/parameters/Client", "#/components/parameters/SessionToken")
    ]
    if not operation["parameters"]:
        del operation["parameters"]
    operation["tags"] = [TAG]
    operation["operationId"] = (
        "app_"
        + "_".join(part for part in template.split("/v1/")[1].replace("/", "_").split("_") if part)
        + ("" if method == "post" else f"_{method}")
    )
    operation["security"] = [{SCHEME_NAME: []}] if (template, method) in NEEDS_TOKEN else []
    return operation


def add_app_authentication(result, generator, request, public):
    """Spectacular post-processing hook: allauth's app log-in operations, and what the token is."""
    spec = allauth_document()
    components = result.setdefault("components", {})
    wanted: set = set()
    for template, method in APP_OPERATIONS:
        path = template.replace("{client}", CLIENT)
        if not _is_routed(path):
            continue
        operation = _operation(spec, template, method)
        _refs(operation, wanted)
        result["paths"].setdefault(path, {})[method] = _renamed(operation)
    # Everything the operations refer to, and everything that refers to in turn.
    copied: set = set()
    while wanted - copied:
        kind, name = (wanted - copied).pop()
        copied.add((kind, name))
        component = spec["components"][kind][name]
        _refs(component, wanted)
        components.setdefault(kind, {})[PREFIX + name] = _renamed(copy.deepcopy(component))
    schemes = components.setdefault("securitySchemes", {})
    if SCHEME_NAME in schemes:
        schemes[SCHEME_NAME]["description"] = SCHEME_HELP
        schemes[SCHEME_NAME]["bearerFormat"] = "JWT"
    result["paths"] = dict(sorted(result["paths"].items()))
    return result
