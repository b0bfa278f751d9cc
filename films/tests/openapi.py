"""Checking API responses against the OpenAPI schema the site serves (`/api/schema/`).

The schema is a contract the apps rely on: tests take it as served (the `openapi` fixture in the
root conftest) and validate each real JSON response against the schema documented for that path,
method and status.
"""

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_URI = "urn:reelvision:openapi"


def response_schema(openapi, path: str, status: int = 200, method: str = "get") -> dict:
    """The JSON schema the API documents for `METHOD path` answering `status`."""
    operation = openapi["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    if "$ref" in response:  # a shared response (allauth's operations use them): "#/components/responses/X"
        response = openapi["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response["content"]["application/json"]["schema"]


def assert_matches_schema(openapi, path: str, response, status: int = 200, method: str = "get"):
    """The response has `status` and its body validates against the documented schema ($refs resolved)."""
    assert response.status_code == status, response.content[:500]
    registry = Registry().with_resource(SCHEMA_URI, Resource.from_contents(openapi, default_specification=DRAFT202012))
    # The response schema's $refs ("#/components/...") point into the whole document: make them absolute.
    schema = _rebase_refs(response_schema(openapi, path, status, method))
    errors = sorted(Draft202012Validator(schema, registry=registry).iter_errors(response.json()), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:5])


def _rebase_refs(node):
    if isinstance(node, dict):
        return {
            k: (SCHEMA_URI + v if k == "$ref" and v.startswith("#/components/") else _rebase_refs(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase_refs(v) for v in node]
    return node
