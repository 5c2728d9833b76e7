"""The API documentation page (``/api/docs/``): the OpenAPI schema that ``/api/schema/`` serves,
drawn on the server as an ordinary portal page. No script runs, so it works under the portal's
Content-Security-Policy, keeps the portal's colours, headings and focus rings, and reads well
with a screen reader (a JavaScript explorer such as Swagger UI failed all three).

``api_reference(schema)`` turns a schema (a dict, as drf-spectacular makes it) into plain
dataclasses; the view renders them with ``templates/core/api_docs.html``."""

import functools
import re
from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class TypePart:
    """A piece of a type's description: text, or the name of a documented data type."""

    text: str = ""
    ref: str = ""


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: list[TypePart]
    description: SafeString


@dataclass
class Response:
    status: str
    description: str
    type: list[TypePart]


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    description: SafeString
    parameters: list[Parameter]
    body: list[TypePart]
    body_types: list[str]
    responses: list[Response]
    authenticated: bool


@dataclass
class Group:
    name: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Property:
    name: str
    type: list[TypePart]
    required: bool
    read_only: bool
    description: SafeString


@dataclass
class DataType:
    name: str
    anchor: str
    description: SafeString
    properties: list[Property]
    values: list[str]
    type: list[TypePart]


@dataclass
class ApiReference:
    title: str
    version: str
    description: SafeString
    groups: list[Group]
    types: list[DataType]


def describe(text: str | None) -> SafeString:
    """The little Markdown that API descriptions use — paragraphs, ``code``, **bold** and
    lists of ``- item`` — as HTML; everything else is escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        if not block.strip():
            continue
        lines = [line.strip() for line in block.splitlines()]
        if all(line.startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{_inline(' '.join(lines))}</p>")
    # Every piece of text was escaped in _inline.
    return mark_safe("".join(blocks))


def _inline(text: str) -> str:
    html = escape(text)
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(node: dict | None) -> list[TypePart]:
    """A schema node as words, with links to the data types it names."""
    if not node:
        return [TypePart(text="any")]
    if "$ref" in node:
        return [TypePart(ref=_ref_name(node["$ref"]))]
    for combiner, word in (("allOf", " and "), ("oneOf", " or "), ("anyOf", " or ")):
        if combiner in node:
            parts = []
            for index, option in enumerate(node[combiner]):
                if index:
                    parts.append(TypePart(text=word))
                parts.extend(type_of(option))
            return parts + ([TypePart(text=" or null")] if node.get("nullable") else [])
    kind = node.get("type", "object")
    if kind == "array":
        parts = [TypePart(text="array of "), *type_of(node.get("items"))]
    else:
        detail = node.get("format")
        parts = [TypePart(text=f"{kind} ({detail})" if detail else kind)]
    if node.get("nullable"):
        parts.append(TypePart(text=" or null"))
    return parts


def _media_schema(content: dict | None) -> tuple[list[TypePart], list[str]]:
    if not content:
        return [], []
    media_types = list(content)
    return type_of(content[media_types[0]].get("schema")), media_types


def _operation(path: str, method: str, spec: dict) -> Operation:
    body, body_types = _media_schema((spec.get("requestBody") or {}).get("content"))
    return Operation(
        anchor=f"op-{spec.get('operationId', method + path)}",
        method=method.upper(),
        path=path,
        description=describe(spec.get("summary") or spec.get("description")),
        parameters=[
            Parameter(
                name=param["name"],
                where=param.get("in", ""),
                required=bool(param.get("required")),
                type=type_of(param.get("schema")),
                description=describe(param.get("description")),
            )
            for param in spec.get("parameters", [])
        ],
        body=body,
        body_types=body_types,
        responses=[
            Response(
                status=status,
                description=answer.get("description", ""),
                type=_media_schema(answer.get("content"))[0],
            )
            for status, answer in spec.get("responses", {}).items()
        ],
        # ``{}`` among the security requirements means "no credentials needed".
        authenticated=bool(spec.get("security")) and {} not in spec.get("security", []),
    )


def _data_type(name: str, node: dict) -> DataType:
    required = set(node.get("required", []))
    return DataType(
        name=name,
        anchor=f"schema-{name}",
        description=describe(node.get("description")),
        properties=[
            Property(
                name=prop_name,
                type=type_of(prop),
                required=prop_name in required,
                read_only=bool(prop.get("readOnly")),
                description=describe(prop.get("description")),
            )
            for prop_name, prop in node.get("properties", {}).items()
        ],
        values=[str(value) for value in node.get("enum", []) if value not in ("", None)],
        type=type_of({key: value for key, value in node.items() if key != "properties"}),
    )


def api_reference(schema: dict) -> ApiReference:
    """Group a schema's operations by their first tag (in path order) and list its data
    types by name."""
    groups: dict[str, Group] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            tag = (spec.get("tags") or ["other"])[0]
            group = groups.setdefault(tag, Group(name=tag, anchor=f"tag-{tag}"))
            group.operations.append(_operation(path, method, spec))
    info = schema.get("info", {})
    components = schema.get("components", {}).get("schemas", {})
    return ApiReference(
        title=info.get("title", "API"),
        version=info.get("version", ""),
        description=describe(info.get("description")),
        groups=[groups[name] for name in sorted(groups)],
        types=[_data_type(name, components[name]) for name in sorted(components)],
    )


@functools.cache
def _portal_reference() -> ApiReference:
    # The schema only changes with the code: built once per process.
    from drf_spectacular.generators import SchemaGenerator

    return api_reference(SchemaGenerator().get_schema(request=None, public=True))


@require_safe
def api_docs(request):
    return render(request, "core/api_docs.html", {"api": _portal_reference()})
