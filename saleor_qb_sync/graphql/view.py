"""Serve the schema over HTTP: POST JSON ``{query, variables, operationName}``, or GET ``?query=``.

Order of checks, so that nothing runs for a caller who may not run it and nothing expensive
runs for a hostile document: method and body size, then the caller (``host.authenticate``:
MANAGE_ORDERS), then the request's shape, parsing, the depth of the document, validation and
only then execution. Mutations need POST.

HTTP status: 200 for an executed request (field errors included), 400 for a malformed or
invalid one, 401/403 for a refused caller, 405 for a wrong method, 413 for a too-large body.
Every error carries ``extensions.exception.code``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, JsonResponse
from graphql import parse, validate
from graphql.error import GraphQLError, GraphQLSyntaxError
from graphql.execution import execute
from graphql.language import ast

from ..errors import AuthenticationError
from .context import QbSyncContext
from .errors import RequestErrorCode, format_error
from .schema import schema

if TYPE_CHECKING:
    from ..routes import Host

#: the largest request body accepted (a queue request may list a few thousand order IDs)
MAX_BODY_BYTES = 1024 * 1024
#: how deeply fields may nest in a document (our deepest legitimate query needs 5)
MAX_DEPTH = 8
#: introspection documents nest deeper (GraphiQL's asks for 13 levels) but are bounded here
MAX_INTROSPECTION_DEPTH = 15
#: how many fields a document may name (graphql-core 2 validates overlapping fields in
#: quadratic time, so thousands of aliases would keep a worker busy)
MAX_FIELDS = 500


class RequestRefused(Exception):
    def __init__(self, message: str, code: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def graphql_view(request: HttpRequest, host: Host) -> JsonResponse:
    try:
        return _serve(request, host)
    except RequestRefused as exc:
        response = _error_response(exc.message, exc.code, exc.status)
        if exc.status == 405:
            response["Allow"] = "GET, POST"
        return response


def _serve(request: HttpRequest, host: Host) -> JsonResponse:
    if request.method not in ("GET", "POST"):
        raise RequestRefused("Use POST (or GET for queries).", RequestErrorCode.METHOD_NOT_ALLOWED,
                             405)
    _check_size(request)
    try:
        actor = host.authenticate(request)
    except AuthenticationError as exc:
        if exc.code == "permission_denied":
            raise RequestRefused(exc.message, RequestErrorCode.PERMISSION_DENIED, 403) from None
        raise RequestRefused(exc.message, RequestErrorCode.UNAUTHENTICATED, 401) from None
    query, variables, operation_name = _params(request)
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return JsonResponse({"errors": [format_error(exc)]}, status=400)
    operation = _operation(document, operation_name)
    if (request.method == "GET" and operation is not None
            and operation.operation != "query"):
        raise RequestRefused(f"Send a {operation.operation} as a POST request.",
                             RequestErrorCode.METHOD_NOT_ALLOWED, 405)
    check_document(document)
    errors = validate(schema, document)
    if errors:
        return JsonResponse({"errors": [format_error(e) for e in errors]}, status=400)
    context = QbSyncContext(request=request, host=host, actor=actor)
    try:
        result = execute(schema, document, context_value=context, variable_values=variables,
                         operation_name=operation_name)
    except GraphQLError as exc:  # bad variables or operation name, found before executing
        return JsonResponse({"errors": [format_error(exc)]}, status=400)
    body: dict = {}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    if not result.invalid:
        body["data"] = result.data
    return JsonResponse(body, status=400 if result.invalid else 200, encoder=DjangoJSONEncoder)


def _error_response(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"exception": {"code": code}}}]},
        status=status)


def _check_size(request: HttpRequest) -> None:
    too_large = RequestRefused(f"The request is larger than {MAX_BODY_BYTES} bytes.",
                               RequestErrorCode.REQUEST_TOO_LARGE, 413)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES or len(request.META.get("QUERY_STRING", "")) > MAX_BODY_BYTES:
        raise too_large


def _params(request: HttpRequest) -> tuple[str, dict | None, str | None]:
    if request.method == "GET":
        data: dict = {key: request.GET.get(key) for key in ("query", "variables",
                                                             "operationName")}
        if data["variables"]:
            data["variables"] = _json(data["variables"], "variables")
    else:
        content_type = request.content_type or ""
        if content_type != "application/json":
            raise RequestRefused("Send the request as application/json.",
                                 RequestErrorCode.BAD_REQUEST)
        try:
            raw = request.body
        except RequestDataTooBig:
            raw = None
        if raw is None or len(raw) > MAX_BODY_BYTES:
            raise RequestRefused(f"The request is larger than {MAX_BODY_BYTES} bytes.",
                                 RequestErrorCode.REQUEST_TOO_LARGE, 413)
        data = _json(raw, "body")
        if not isinstance(data, dict):
            raise RequestRefused("The body must be a JSON object (batches are not supported).",
                                 RequestErrorCode.BAD_REQUEST)
    query = data.get("query")
    variables = data.get("variables")
    operation_name = data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise RequestRefused("Give a GraphQL query.", RequestErrorCode.BAD_REQUEST)
    if variables is not None and not isinstance(variables, dict):
        raise RequestRefused("variables must be a JSON object.", RequestErrorCode.BAD_REQUEST)
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestRefused("operationName must be a string.", RequestErrorCode.BAD_REQUEST)
    return query, variables, operation_name or None


def _json(raw: str | bytes, what: str):
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise RequestRefused(f"The {what} is not valid JSON.",
                             RequestErrorCode.BAD_REQUEST) from None


def _operation(document: ast.Document, name: str | None) -> ast.OperationDefinition | None:
    operations = [d for d in document.definitions if isinstance(d, ast.OperationDefinition)]
    if name:
        return next((op for op in operations if op.name and op.name.value == name), None)
    return operations[0] if len(operations) == 1 else None


# --- depth ----------------------------------------------------------------------------------------


def check_document(document: ast.Document) -> None:
    """Refuse documents nesting fields deeper than ``MAX_DEPTH`` (introspection: deeper),
    naming more than ``MAX_FIELDS`` fields, or with fragments that spread themselves."""
    fields = _count_fields(document)
    if fields > MAX_FIELDS:
        raise RequestRefused(f"The query names {fields} fields; at most {MAX_FIELDS} are "
                             "allowed.", RequestErrorCode.QUERY_TOO_COMPLEX)
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, ast.FragmentDefinition)}
    measure = _DepthMeasure(fragments)
    for definition in document.definitions:
        if not isinstance(definition, ast.OperationDefinition):
            continue
        data_depth = measure.depth(definition.selection_set, skip_introspection=True)
        full_depth = measure.depth(definition.selection_set, skip_introspection=False)
        if data_depth > MAX_DEPTH:
            raise RequestRefused(
                f"The query nests fields {data_depth} levels deep; at most {MAX_DEPTH} are "
                "allowed.", RequestErrorCode.QUERY_TOO_DEEP)
        if full_depth > MAX_INTROSPECTION_DEPTH:
            raise RequestRefused(
                f"The introspection query nests fields {full_depth} levels deep; at most "
                f"{MAX_INTROSPECTION_DEPTH} are allowed.", RequestErrorCode.QUERY_TOO_DEEP)


def _count_fields(node) -> int:
    if isinstance(node, ast.Document):
        return sum(_count_fields(d) for d in node.definitions)
    selection_set = getattr(node, "selection_set", None)
    count = 1 if isinstance(node, ast.Field) else 0
    if selection_set is not None:
        count += sum(_count_fields(s) for s in selection_set.selections)
    return count


class _DepthMeasure:
    """Depth of selection sets through fragments, each fragment measured once (no blow-up)."""

    def __init__(self, fragments: dict[str, ast.FragmentDefinition]) -> None:
        self.fragments = fragments
        self.memo: dict[tuple[str, bool], int] = {}

    def depth(self, selection_set, *, skip_introspection: bool,
              visiting: frozenset[str] = frozenset()) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, ast.Field):
                if skip_introspection and selection.name.value in ("__schema", "__type"):
                    continue
                found = 1 + self.depth(selection.selection_set,
                                       skip_introspection=skip_introspection, visiting=visiting)
            elif isinstance(selection, ast.InlineFragment):
                found = self.depth(selection.selection_set,
                                   skip_introspection=skip_introspection, visiting=visiting)
            elif isinstance(selection, ast.FragmentSpread):
                found = self._fragment(selection.name.value, skip_introspection, visiting)
            else:
                found = 0
            deepest = max(deepest, found)
        return deepest

    def _fragment(self, name: str, skip_introspection: bool, visiting: frozenset[str]) -> int:
        key = (name, skip_introspection)
        if key in self.memo:
            return self.memo[key]
        if name in visiting:
            # graphql-core 2's validation recurses forever on these; refuse them first
            raise RequestRefused(f"The fragment {name} spreads itself.",
                                 RequestErrorCode.GRAPHQL_VALIDATION_FAILED)
        fragment = self.fragments.get(name)
        if fragment is None:
            return 0  # unknown: validation rejects the document next
        found = self.depth(fragment.selection_set, skip_introspection=skip_introspection,
                           visiting=visiting | {name})
        self.memo[key] = found
        return found
