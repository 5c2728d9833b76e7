"""What the API publishes about itself, for tests that walk every endpoint: the OpenAPI
schema generated in-process, its list operations and their query parameters."""

from functools import cache

from drf_spectacular.generators import SchemaGenerator

from ai4media_portal.api import router


@cache
def openapi_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def list_routes() -> list[tuple[str, str]]:
    """(URL, basename) of every list endpoint registered on the API's router."""
    routes = []
    for prefix, viewset, basename in router.registry:
        if hasattr(viewset, "list"):
            routes.append((f"/api/v1/{prefix}/", basename))
    return routes


def query_parameters(path: str, method: str = "get") -> list[dict]:
    operation = openapi_schema()["paths"][path][method]
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def writable_operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation that takes a request body."""
    found = []
    for path, operations in openapi_schema()["paths"].items():
        for method in operations:
            if method in {"post", "put", "patch"}:
                found.append((method, path))
    return sorted(found)
