"""Serve the schema over HTTP: POST JSON ``{query, variables, operationName}``, or GET ``?query=``.

Order of checks, so that nothing runs for a caller who may not run it and nothing expensive
runs for a hostile document: method and body size, then the caller (``host.authenticate``:
MANAGE_ORDERS), then the request's shape, parsing, the depth of the document, validation and
only then execution. Mutations need POST.

Limits apply before anything recursive reads the input: the JSON body's nesting is counted
before ``json.loads`` runs (``MAX_JSON_DEPTH``; ``NaN``/``Infinity`` are refused), the query
text's brackets and tokens before graphql-core's recursive-descent parser runs (``MAX_NESTING``,
``MAX_TOKENS``), and text a database cannot store (NUL, unpaired surrogates) is refused in
variables and literals. A ``RecursionError`` anyway answers 400; any other failure a logged 500,
always in JSON.

HTTP status: 200 for an executed request (field errors included), 400 for a malformed or
invalid one, 401/403 for a refused caller, 405 for a wrong method, 413 for a too-large body.
Every error carries ``extensions.exception.code``.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING

from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, JsonResponse
from graphql import parse, validate
from graphql.error import GraphQLError, GraphQLSyntaxError
from graphql.execution import execute
from graphql.execution.values import get_variable_values
from graphql.language import ast
from graphql.language.visitor import Visitor, visit

from ..errors import AuthenticationError
from .context import QbSyncContext
from .errors import RequestErrorCode, format_error
from .schema import schema

if TYPE_CHECKING:
    from ..routes import Host

logger = logging.getLogger(__name__)

#: the largest request body accepted (a queue request may list a few thousand order IDs)
MAX_BODY_BYTES = 1024 * 1024
#: how deeply fields may nest in a document (our deepest legitimate query needs 5)
MAX_DEPTH = 8
#: introspection documents nest deeper (GraphiQL's asks for 13 levels) but are bounded here
MAX_INTROSPECTION_DEPTH = 15
#: how many fields a document may name (graphql-core 2 validates overlapping fields in
#: quadratic time, so thousands of aliases would keep a worker busy)
MAX_FIELDS = 500
#: how deeply brackets ``{ [ (`` may nest in the query text, counted before parsing (the
#: parser recurses once per level); introspection's 15 levels of fields and arguments fit
MAX_NESTING = 40
#: how many tokens the query text may have, counted before parsing (graphql-core 2 parses
#: about 40,000 a second); order IDs to queue belong in variables, which do not count
MAX_TOKENS = 10_000
#: how deeply the JSON body may nest, counted before ``json.loads`` (a queue request needs 4)
MAX_JSON_DEPTH = 32


class RequestRefused(Exception):
    def __init__(self, message: str, code: str, status: int = 400, *,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field = field


def graphql_view(request: HttpRequest, host: Host) -> JsonResponse:
    try:
        return _serve(request, host)
    except RequestRefused as exc:
        response = _error_response(exc.message, exc.code, exc.status, field=exc.field)
        if exc.status == 405:
            response["Allow"] = "GET, POST"
        return response
    except RecursionError:  # a nesting our limits did not foresee; never a 500
        logger.warning("GraphQL request nested too deeply to be read")
        return _error_response("The request nests too deeply to be read.",
                               RequestErrorCode.QUERY_TOO_DEEP, 400)
    except Exception:  # noqa: BLE001 - always JSON, never Django's HTML page; logged
        logger.exception("GraphQL request failed")
        return _error_response("Internal server error.", RequestErrorCode.INTERNAL_ERROR, 500)


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
    check_text(variables, "variables")
    prescan_query(query)
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return JsonResponse({"errors": [format_error(exc)]}, status=400)
    except (TypeError, ValueError, IndexError):  # graphql-core 2's lexer on '"\\' at the end
        raise RequestRefused("The query is not valid GraphQL.",
                             RequestErrorCode.GRAPHQL_PARSE_FAILED) from None
    visit(document, _LiteralTextCheck())
    operation = _operation(document, operation_name)
    if (request.method == "GET" and operation is not None
            and operation.operation != "query"):
        raise RequestRefused(f"Send a {operation.operation} as a POST request.",
                             RequestErrorCode.METHOD_NOT_ALLOWED, 405)
    check_document(document)
    try:
        errors = validate(schema, document)
    except (RecursionError, GraphQLError):
        raise
    except Exception:  # noqa: BLE001 - a scalar that cannot read a literal; logged
        logger.warning("GraphQL validation failed on a literal", exc_info=True)
        raise RequestRefused("The query has a value its type cannot read.",
                             RequestErrorCode.GRAPHQL_VALIDATION_FAILED) from None
    if errors:
        return JsonResponse({"errors": [format_error(e) for e in errors]}, status=400)
    if operation is not None:
        check_variables(operation, variables)
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


def _error_response(message: str, code: str, status: int, *,
                    field: str | None = None) -> JsonResponse:
    exception = {"code": code}
    if field:
        exception["field"] = field
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"exception": exception}}]},
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


#: what counts for the JSON nesting: a whole string (skipped), or a bracket
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _json(raw: str | bytes, what: str):
    try:
        text = raw if isinstance(raw, str) else raw.decode(json.detect_encoding(raw))
        depth = 0
        for match in _JSON_TOKEN.finditer(text):
            bracket = match.group()
            if bracket in ("[", "{"):
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    raise RequestRefused(
                        f"The {what} nests more than {MAX_JSON_DEPTH} levels deep.",
                        RequestErrorCode.BAD_REQUEST)
            elif bracket in ("]", "}"):
                depth -= 1
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise RequestRefused(f"The {what} is not valid JSON.",
                             RequestErrorCode.BAD_REQUEST) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


# --- text and values ------------------------------------------------------------------------------

_TEXT_REFUSED = "Text may not contain NUL characters or unpaired surrogates"


def _storable(text: str) -> bool:
    """Whether PostgreSQL can store ``text``: no NUL, no unpaired surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value, path: str) -> None:
    """Refuse variables holding text a database cannot store (the JSON depth is bounded)."""
    if isinstance(value, str):
        if not _storable(value):
            raise RequestRefused(f"{_TEXT_REFUSED} ({path}).", RequestErrorCode.BAD_REQUEST,
                                 field=path)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, path)
            check_text(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(item, f"{path}[{index}]")


class _LiteralTextCheck(Visitor):
    """Refuse string literals of the document a database cannot store (``"\\u0000"``)."""

    def enter_StringValue(self, node, *args):  # noqa: N802 - graphql-core's visitor naming
        if not _storable(node.value):
            raise RequestRefused(f"{_TEXT_REFUSED} (a string in the query).",
                                 RequestErrorCode.BAD_REQUEST)


def check_variables(operation: ast.OperationDefinition, variables: dict | None) -> None:
    """Coerce each variable as execution will, so that a scalar raising on a value (graphene's
    Int on 2147483648 or 1e20) answers 400 naming the variable instead of escaping ``execute``."""
    for definition in operation.variable_definitions or ():
        try:
            get_variable_values(schema, [definition], variables)
        except GraphQLError:
            continue  # execute reports it, with the variable's location
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - the scalar's own exception, nothing to log
            name = definition.variable.name.value
            raise RequestRefused(
                f'Variable "${name}" got a value its type cannot take.',
                RequestErrorCode.GRAPHQL_VALIDATION_FAILED, field=name) from None


# --- the query text, before parsing ---------------------------------------------------------------

#: graphql-core 2's lexical grammar, coarsely: ignored text, strings (it has no block strings:
#: ``"""`` is an empty string and a quote), brackets, names and numbers, any other character;
#: the parser itself decides what is valid
_QUERY_TOKEN = re.compile(r"""
    (?P<ignored>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<string>"(?:[^"\\\n\r]|\\.)*")
  | (?P<open>[{\[(])
  | (?P<close>[}\])])
  | [_0-9A-Za-z.+\-]+
  | .""", re.VERBOSE | re.DOTALL)


def prescan_query(query: str) -> None:
    """Refuse query text nesting brackets deeper than ``MAX_NESTING`` or longer than
    ``MAX_TOKENS`` tokens, in one linear pass that stops at the first limit crossed."""
    tokens = depth = 0
    for match in _QUERY_TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "ignored":
            continue
        tokens += 1
        if tokens > MAX_TOKENS:
            raise RequestRefused(f"The query has more than {MAX_TOKENS} tokens.",
                                 RequestErrorCode.QUERY_TOO_COMPLEX)
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise RequestRefused(
                    f"The query nests brackets more than {MAX_NESTING} levels deep.",
                    RequestErrorCode.QUERY_TOO_DEEP)
        elif kind == "close":
            depth -= 1


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
