"""The HTTP side: who may call, which requests are refused before anything runs."""

from __future__ import annotations

import json

import pytest

from saleor_qb_sync.graphql.view import MAX_BODY_BYTES
from saleor_qb_sync.models import PendingOperation
from tests.conftest import STAFF_TOKEN

from .conftest import URL, ApiResponse

STATUS_QUERY = "query { qbSyncStatus { exportMode } }"

QUEUE_MUTATION = """
mutation { qbOrderTransferQueue(input: {filter: {}}) { errors { code } } }
"""

#: 4 levels of fields, through a fragment and an inline fragment
FRAGMENT_QUERY = """
query {
  qbPendingOperations {
    edges { node { ...Op } }
  }
}
fragment Op on QbPendingOperation {
  id
  a: id
  ... on QbPendingOperation { b: id }
}
"""

INTROSPECTION_QUERY = """
query {
  __schema {
    types {
      name
      fields {
        name
        args { name type { kind name ofType { kind name ofType { kind name ofType {
          kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
      }
    }
  }
}
"""


def too_deep(levels: int) -> str:
    """A syntactically valid query whose fields nest ``levels`` deep (types do not matter)."""
    return "query { " + "a { " * (levels - 1) + "b" + " }" * (levels - 1) + " }"


def post(client, body, *, token: str | None = STAFF_TOKEN, content_type="application/json",
         **extra) -> ApiResponse:
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    response = client.post(URL, data=data, content_type=content_type, **extra)
    return ApiResponse(response.status_code, response.json())


def test_refused_without_a_token(client, db):
    # when
    result = post(client, {"query": STATUS_QUERY}, token=None)

    # then
    assert result.status == 401
    assert result.content == {"errors": [{
        "message": "Sign in: this needs a staff or app token.",
        "extensions": {"exception": {"code": "UNAUTHENTICATED"}}}]}


def test_refused_with_an_unknown_token(client, db):
    # when
    result = post(client, {"query": STATUS_QUERY}, token="forged")

    # then
    assert result.status == 401
    assert result.error_codes == ["UNAUTHENTICATED"]


def test_refused_callers_run_nothing(client, orders):
    # given
    orders(10)

    # when
    result = post(client, {"query": QUEUE_MUTATION}, token="no-permission-token")

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
    assert not PendingOperation.objects.exists()


def test_refused_callers_learn_nothing_about_the_document(client, db):
    # when
    result = post(client, {"query": "query { nonsense"}, token=None)

    # then
    assert result.status == 401
    assert result.error_codes == ["UNAUTHENTICATED"]


def test_saleor_style_authorization_bearer_header(client, db):
    # when
    response = client.post(URL, data=json.dumps({"query": STATUS_QUERY}),
                           content_type="application/json",
                           HTTP_AUTHORIZATION_BEARER=STAFF_TOKEN)

    # then
    assert response.status_code == 200
    assert response.json()["data"]["qbSyncStatus"]["exportMode"] == "ON_DEMAND"


def test_query_over_get(client, db):
    # when
    response = client.get(URL, {"query": STATUS_QUERY},
                          HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")

    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"qbSyncStatus": {"exportMode": "ON_DEMAND"}}}


def test_get_with_variables(client, db):
    # when
    response = client.get(URL, {
        "query": "query($n: Int) { qbTransferHistory(filter: {orderNumber: $n}) "
                 "{ totalCount } }",
        "variables": json.dumps({"n": 5})}, HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")

    # then
    assert response.json() == {"data": {"qbTransferHistory": {"totalCount": 0}}}


def test_mutation_over_get_is_refused(client, orders):
    # given
    orders(10)

    # when
    response = client.get(URL, {"query": QUEUE_MUTATION},
                          HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")

    # then
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["exception"]["code"] == (
        "METHOD_NOT_ALLOWED")
    assert not PendingOperation.objects.exists()


def test_other_methods_are_refused(client, db):
    # when
    response = client.put(URL, data="{}", content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")

    # then
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


def test_too_deep_query_is_refused(client, db):
    # when
    fine = post(client, {"query": FRAGMENT_QUERY})
    deep = post(client, {"query": too_deep(9)})
    eight = post(client, {"query": too_deep(8)})

    # then
    assert fine.status == 200
    assert eight.error_codes == ["GRAPHQL_VALIDATION_FAILED"]  # deep enough; fields unknown
    assert deep.status == 400
    assert deep.error_codes == ["QUERY_TOO_DEEP"]
    assert "9 levels" in deep.content["errors"][0]["message"]


def test_depth_counts_through_fragments(client, db):
    # given
    query = ("query { ...A } fragment A on Query { a { ...B } } "
             "fragment B on X { b { c { d { e { f { g { h { i } } } } } } } }")

    # when
    result = post(client, {"query": query})

    # then
    assert result.error_codes == ["QUERY_TOO_DEEP"]


def test_cyclic_fragments_are_refused_not_looped(client, db):
    # when
    result = post(client, {"query": "query { ...A } fragment A on Query { ...B } "
                                    "fragment B on Query { ...A }"})

    # then
    assert result.status == 400
    assert result.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_too_many_fields_are_refused(client, db):
    # given
    aliases = " ".join(f"a{i}: qbSyncStatus {{ exportMode }}" for i in range(300))

    # when
    result = post(client, {"query": f"query {{ {aliases} }}"})

    # then
    assert result.status == 400
    assert result.error_codes == ["QUERY_TOO_COMPLEX"]


def test_introspection_is_allowed(client, db):
    # when
    result = post(client, {"query": INTROSPECTION_QUERY})

    # then
    names = {t["name"] for t in result.data["__schema"]["types"]}
    assert {"QbPendingOperation", "QbSyncError", "QbSyncErrorCode"} <= names


def test_body_over_the_limit_is_refused(client, db):
    # given
    body = json.dumps({"query": STATUS_QUERY, "variables": {"x": "y" * MAX_BODY_BYTES}})

    # when
    result = post(client, body)

    # then
    assert result.status == 413
    assert result.error_codes == ["REQUEST_TOO_LARGE"]


@pytest.mark.parametrize(("body", "content_type"), [
    ("{not json", "application/json"),
    ("[]", "application/json"),
    ('{"query": ""}', "application/json"),
    ('{"query": "query { qbSyncStatus { exportMode } }", "variables": [1]}',
     "application/json"),
    ("query=query%7BqbSyncStatus%7BexportMode%7D%7D", "application/x-www-form-urlencoded"),
])
def test_malformed_requests_are_refused(client, db, body, content_type):
    # when
    result = post(client, body, content_type=content_type)

    # then
    assert result.status == 400
    assert result.error_codes == ["BAD_REQUEST"]


def test_syntax_and_validation_errors(client, db):
    # when
    syntax = post(client, {"query": "query { qbSyncStatus { "})
    unknown_field = post(client, {"query": "query { qbSyncStatus { nope } }"})

    # then
    assert syntax.status == 400
    assert syntax.error_codes == ["GRAPHQL_PARSE_FAILED"]
    assert unknown_field.status == 400
    assert unknown_field.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_unknown_operation_name(client, db):
    # when
    result = post(client, {"query": "query A { qbSyncStatus { exportMode } }",
                           "operationName": "B"})

    # then
    assert result.status == 400
    assert result.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_unexpected_failures_are_masked(client, db, monkeypatch):
    # given
    def broken(context):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("saleor_qb_sync.graphql.schema.resolve_sync_status", broken)

    # when
    result = post(client, {"query": STATUS_QUERY})

    # then
    assert result.content["errors"][0]["message"] == "Internal server error."
    assert result.error_codes == ["INTERNAL_ERROR"]
    assert "hunter2" not in json.dumps(result.content)
