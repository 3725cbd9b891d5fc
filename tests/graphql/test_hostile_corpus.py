"""The GraphQL hostile-input corpus: templates × payloads (``tests/hostile.py``).

Every case must be answered in JSON (never HTML, never a 500) with a status from a short
list; every error carries ``extensions.exception.code``; and no table of ours changes.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import STAFF_TOKEN
from tests.hostile import PAYLOADS, RAW_BODIES, TEXT_PAYLOADS, is_html, row_counts

from .conftest import URL

ALLOWED_STATUSES = {200, 400, 401, 403, 405, 413, 415}

#: template → (query, variables builder); the payload goes where a client's value goes
VARIABLE_TEMPLATES = {
    "search": ("query($v: String) { qbCustomers(search: $v) { totalCount } }",
               lambda v: {"v": v}),
    "filter-customer": ("query($v: String) { qbOrderTransferPreview(filter: {customer: $v}) "
                        "{ totalCount } }", lambda v: {"v": v}),
    "filter-object": ("query($f: QbOrderTransferFilterInput!) "
                      "{ qbOrderTransferPreview(filter: $f) { totalCount } }",
                      lambda v: {"f": {"channel": v, "dateFrom": v}}),
    "order-id": ("query($v: ID!) { qbOrderExport(orderId: $v) { __typename } }",
                 lambda v: {"v": v}),
    "queue-ids": ("mutation($v: [ID!]) { qbOrderTransferQueue(input: {orderIds: $v}) "
                  "{ errors { code } } }", lambda v: {"v": [v]}),
    "delete-ids": ("mutation($v: [ID!]!) { qbPendingOperationDelete(ids: $v) "
                   "{ errors { code } } }", lambda v: {"v": v}),
    "history-number": ("query($v: Int) { qbTransferHistory(filter: {orderNumber: $v}) "
                       "{ totalCount } }", lambda v: {"v": v}),
    "first": ("query($v: Int) { qbPendingOperations(first: $v) { totalCount } }",
              lambda v: {"v": v}),
    "whole-variables": ("query { qbCustomers { totalCount } }", lambda v: v),
}
#: templates taking the payload as text spliced into the query
TEXT_TEMPLATES = {
    "literal": lambda t: '{ qbCustomers(search: "' + t + '") { totalCount } }',
    "query-text": lambda t: t,
    "operation-name": lambda t: "query " + t + " { qbCustomers { totalCount } }",
}
CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                 "application/graphql", "text/html", "application/xml", ""]
METHODS = ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]
VALID_BODY = json.dumps({"query": "query($n: Int) { qbTransferHistory(filter: "
                                  "{orderNumber: $n}) { totalCount } }", "variables": {"n": 1}})

CASES = (
    [pytest.param("variables", t, p, id=f"var-{t}-{p}")
     for t in VARIABLE_TEMPLATES for p in PAYLOADS]
    + [pytest.param("text", t, p, id=f"text-{t}-{p}") for t in TEXT_TEMPLATES
       for p in TEXT_PAYLOADS]
    + [pytest.param("raw", None, p, id=f"raw-{p}") for p in RAW_BODIES]
    + [pytest.param("content-type", None, c, id=f"content-type-{c or 'none'}")
       for c in CONTENT_TYPES]
    + [pytest.param("method", None, m, id=f"method-{m}") for m in METHODS]
    + [pytest.param("truncated", None, n, id=f"truncated-{n}")
       for n in (1, 2, 10, 20, 40, len(VALID_BODY) - 2, len(VALID_BODY) - 1)]
    + [pytest.param("get", t, p, id=f"get-{t}-{p}") for t in ("search", "whole-variables")
       for p in ("deep-list", "nul", "lone-surrogate", "many-keys", "null")]
)


def request(client, kind: str, template: str | None, payload):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {STAFF_TOKEN}"}
    if kind == "variables":
        query, variables = VARIABLE_TEMPLATES[template]
        body = json.dumps({"query": query, "variables": variables(PAYLOADS[payload])})
        return client.post(URL, data=body, content_type="application/json", **auth)
    if kind == "text":
        body = json.dumps({"query": TEXT_TEMPLATES[template](TEXT_PAYLOADS[payload])})
        return client.post(URL, data=body, content_type="application/json", **auth)
    if kind == "raw":
        return client.post(URL, data=RAW_BODIES[payload], content_type="application/json",
                           **auth)
    if kind == "content-type":
        return client.generic("POST", URL, VALID_BODY.encode(), content_type=payload, **auth)
    if kind == "method":
        return client.generic(payload, URL, VALID_BODY.encode(),
                              content_type="application/json", **auth)
    if kind == "truncated":
        return client.post(URL, data=VALID_BODY[:payload], content_type="application/json",
                           **auth)
    query, variables = VARIABLE_TEMPLATES[template]
    return client.get(URL, {"query": query,
                            "variables": json.dumps(variables(PAYLOADS[payload]))}, **auth)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Orders to find (and, for a broken check, to queue), made once for the whole corpus."""
    from saleor_qb_sync.standalone.models import SampleOrder
    from saleor_qb_sync.standalone.order_source import store_sample_orders
    from saleor_qb_sync.testing.sample_orders import generate_orders

    with django_db_blocker.unblock():
        store_sample_orders(generate_orders(5, seed=9))
    yield
    with django_db_blocker.unblock():
        SampleOrder.objects.all().delete()


@pytest.mark.parametrize(("kind", "template", "payload"), CASES)
def test_hostile_graphql_requests_get_typed_json_answers_and_write_nothing(
        client, seeded, db, kind, template, payload):
    # given
    before = row_counts()

    # when
    response = request(client, kind, template, payload)

    # then
    assert response.status_code in ALLOWED_STATUSES, response.content[:300]
    assert not is_html(response)
    assert response["Content-Type"] == "application/json"
    content = response.json()
    assert "errors" in content or "data" in content
    for error in content.get("errors", []):
        assert isinstance(error["message"], str)
        assert isinstance(error["extensions"]["exception"]["code"], str)
        assert error["extensions"]["exception"]["code"] != "INTERNAL_ERROR", error
    assert row_counts() == before
