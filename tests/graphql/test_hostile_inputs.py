"""Inputs that used to crash a request (HTML 500s, bare INTERNAL_ERRORs) get typed answers.

Each goes through the live endpoint (Django's test client) and must come back as JSON with
``errors[].extensions.exception.code``, with nothing written to our tables.
"""

from __future__ import annotations

import json
import logging

import pytest

from saleor_qb_sync.graphql.view import MAX_JSON_DEPTH, MAX_NESTING, MAX_TOKENS
from tests.conftest import STAFF_TOKEN
from tests.hostile import is_html, row_counts

from .conftest import URL

PREVIEW = ("query($f: QbOrderTransferFilterInput!) "
           "{ qbOrderTransferPreview(filter: $f) { totalCount } }")
QUEUE = ("mutation($f: QbOrderTransferFilterInput!) "
         "{ qbOrderTransferQueue(input: {filter: $f}) { errors { field code } } }")
HISTORY = "query($n: Int) { qbTransferHistory(filter: {orderNumber: $n}) { totalCount } }"
CUSTOMERS = "query($s: String) { qbCustomers(search: $s) { totalCount } }"


@pytest.fixture
def unchanged(orders):
    orders(3)
    before = row_counts()
    yield
    assert row_counts() == before


def send(client, body: str | bytes, **extra):
    response = client.post(URL, data=body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}", **extra)
    assert not is_html(response)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def with_raw_n(raw: str) -> str:
    """A body whose variable ``n`` is ``raw`` as written (json.dumps would refuse NaN)."""
    return json.dumps({"query": HISTORY, "variables": {"n": 0}}).replace('"n": 0', f'"n": {raw}')


def codes(content: dict) -> list[str]:
    return [e["extensions"]["exception"]["code"] for e in content["errors"]]


def test_json_nested_fifty_thousand_deep_in_variables_is_refused_before_decoding(client,
                                                                                 unchanged):
    # given
    deep = "[" * 50_000 + "]" * 50_000
    body = '{"query": "{ qbSyncStatus { exportMode } }", "variables": {"a": ' + deep + "}}"

    # when
    status, content = send(client, body)

    # then
    assert status == 400
    assert codes(content) == ["BAD_REQUEST"]
    assert f"more than {MAX_JSON_DEPTH} levels" in content["errors"][0]["message"]


def test_json_nested_deep_in_a_get_requests_variables_is_refused(client, unchanged):
    # when
    response = client.get(URL, {"query": HISTORY, "variables": '{"n": ' + "[" * 5000 + "]" * 5000
                                + "}"}, HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")

    # then
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize("query", [
    "{" + "a {" * 3000 + "b" + "}" * 3000 + "}",
    "{ qbTransferHistory(filter: {orderNumber: " + "[" * 3000 + "1" + "]" * 3000
    + "}) { totalCount } }",
    "{ qbTransferHistory(filter: " + "{a: " * 3000 + "1" + "}" * 3000 + ") { totalCount } }",
    "{ a" + "(x: 1)" * 1 + "{" * 20 + "(" * 30,
], ids=["selection", "list-value", "object-value", "mixed-brackets"])
def test_documents_nested_thousands_deep_are_refused_before_the_parser_recurses(client, unchanged,
                                                                                 query):
    # when
    status, content = send(client, json.dumps({"query": query}))

    # then
    assert status == 400
    assert codes(content) == ["QUERY_TOO_DEEP"]
    assert f"more than {MAX_NESTING} levels" in content["errors"][0]["message"]


def test_brackets_inside_strings_and_comments_do_not_count(client, unchanged):
    # given: 100 braces in a string, 100 after an escaped quote and 100 in a comment
    query = ('query { qbCustomers(search: "' + "{" * 100 + '") { totalCount } '
             'a: qbCustomers(search: "\\"' + "[" * 100 + '") { totalCount} }\n#' + "(" * 100)

    # when
    status, content = send(client, json.dumps({"query": query}))

    # then
    assert status == 200, content
    assert content["data"]["qbCustomers"]["totalCount"] == 0


def test_a_query_of_too_many_tokens_is_refused_before_parsing(client, unchanged):
    # given: few fields, but tens of thousands of argument tokens
    ids = " ".join(f'"{i}"' for i in range(MAX_TOKENS + 1))
    query = f"mutation {{ qbPendingOperationDelete(ids: [{ids}]) {{ errors {{ code }} }} }}"

    # when
    status, content = send(client, json.dumps({"query": query}))

    # then
    assert status == 400
    assert codes(content) == ["QUERY_TOO_COMPLEX"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client, unchanged, constant):
    # when
    status, content = send(client, with_raw_n(constant))

    # then
    assert status == 400
    assert codes(content) == ["BAD_REQUEST"]


@pytest.mark.parametrize("number", ["2147483648", "-2147483649", "1e20", "1e400"])
def test_an_int_variable_out_of_32_bits_is_refused_by_variable(client, unchanged, number):
    # when
    status, content = send(client, with_raw_n(number))

    # then
    assert status == 400
    assert codes(content) == ["GRAPHQL_VALIDATION_FAILED"]
    assert content["errors"][0]["message"].startswith('Variable "$n"')


@pytest.mark.parametrize("literal", ["2147483648", "1e20", "99999999999999999999999"])
def test_an_int_literal_out_of_32_bits_is_refused(client, unchanged, literal):
    # when
    status, content = send(client, json.dumps({
        "query": f"{{ qbTransferHistory(filter: {{orderNumber: {literal}}}) {{ totalCount }} }}"}))

    # then
    assert status == 400
    assert codes(content) == ["GRAPHQL_VALIDATION_FAILED"]
    assert 'In field "orderNumber"' in content["errors"][0]["message"]


@pytest.mark.parametrize("value", ["", "-0001-01-01", "0000-01-01", "2024-02-30", "20240101",
                                   "2024-01-01T00:00:00", "10000-01-01", 20240101, True,
                                   ["2024-01-01"]])
def test_an_unreadable_date_variable_is_invalid_by_field(client, unchanged, value):
    # when
    status, content = send(client, json.dumps({"query": PREVIEW,
                                               "variables": {"f": {"dateFrom": value}}}))

    # then
    assert status == 400
    assert codes(content) == ["GRAPHQL_VALIDATION_FAILED"]
    assert 'In field "dateFrom": Expected type "Date"' in content["errors"][0]["message"]


@pytest.mark.parametrize("literal", ['""', '"-0001-01-01"', '"2024-13-01"', "1"])
def test_an_unreadable_date_literal_is_invalid_by_field(client, unchanged, literal):
    # when
    status, content = send(client, json.dumps({
        "query": f"{{ qbOrderTransferPreview(filter: {{dateTo: {literal}}}) {{ totalCount }} }}"}))

    # then
    assert status == 400
    assert codes(content) == ["GRAPHQL_VALIDATION_FAILED"]
    assert 'In field "dateTo"' in content["errors"][0]["message"]


@pytest.mark.parametrize("time_zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize(("field", "day"), [("dateTo", "9999-12-31"),
                                            ("dateFrom", "0001-01-01")])
def test_days_whose_bounds_leave_pythons_datetime_are_out_of_range_by_field(
        client, unchanged, configure, time_zone, field, day):
    # given
    configure(time_zone=time_zone)

    # when
    status, preview = send(client, json.dumps({"query": PREVIEW, "variables": {"f": {field: day}}}))
    _, queued = send(client, json.dumps({"query": QUEUE, "variables": {"f": {field: day}}}))

    # then
    assert status == 200
    assert preview["errors"][0]["extensions"]["exception"] == {"code": "OUT_OF_RANGE",
                                                               "field": field}
    assert preview["data"] is None
    assert queued["data"]["qbOrderTransferQueue"]["errors"] == [{"field": field,
                                                                 "code": "OUT_OF_RANGE"}]


@pytest.mark.parametrize("time_zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_first_and_last_days_allowed_work_in_every_time_zone(client, unchanged, configure,
                                                                  time_zone):
    # given
    configure(time_zone=time_zone)

    # when
    status, content = send(client, json.dumps({"query": PREVIEW, "variables": {"f": {
        "dateFrom": "0001-01-02", "dateTo": "9999-12-30"}}}))

    # then
    assert status == 200, content
    assert content["data"]["qbOrderTransferPreview"]["totalCount"] == 3


@pytest.mark.parametrize(("query", "variables", "field"), [
    (PREVIEW, {"f": {"customer": "a\x00b"}}, "variables.f.customer"),
    (PREVIEW, {"f": {"channel": "\x00"}}, "variables.f.channel"),
    (CUSTOMERS, {"s": "nul\x00"}, "variables.s"),
    (CUSTOMERS, {"s": "\ud800"}, "variables.s"),
    (QUEUE, {"f": {"customer": "x@example.com\x00"}}, "variables.f.customer"),
], ids=["customer", "channel", "search", "lone-surrogate", "queue-customer"])
def test_text_a_database_cannot_store_is_refused_in_variables(client, unchanged, query, variables,
                                                              field):
    # when
    status, content = send(client, json.dumps({"query": query, "variables": variables}))

    # then
    assert status == 400
    assert content["errors"][0]["extensions"]["exception"] == {"code": "BAD_REQUEST",
                                                               "field": field}


@pytest.mark.parametrize("literal", ["a\\u0000b", "\\ud800"])
def test_text_a_database_cannot_store_is_refused_in_literals(client, unchanged, literal):
    # when
    status, content = send(client, json.dumps({
        "query": f'{{ qbCustomers(search: "{literal}") {{ totalCount }} }}'}))

    # then
    assert status == 400
    assert codes(content) == ["BAD_REQUEST"]


def test_a_recursion_error_anyway_answers_400_not_500(client, unchanged, monkeypatch):
    # given
    def recursing(document):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("saleor_qb_sync.graphql.view.check_document", recursing)

    # when
    status, content = send(client, json.dumps({"query": "{ qbSyncStatus { exportMode } }"}))

    # then
    assert status == 400
    assert codes(content) == ["QUERY_TOO_DEEP"]


def test_a_failure_outside_resolvers_is_a_logged_json_500(client, unchanged, monkeypatch,
                                                          caplog):
    # given
    def broken(document):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("saleor_qb_sync.graphql.view.check_document", broken)

    # when
    with caplog.at_level(logging.ERROR, logger="saleor_qb_sync"):
        status, content = send(client, json.dumps({"query": "{ qbSyncStatus { exportMode } }"}))

    # then
    assert status == 500
    assert content == {"errors": [{"message": "Internal server error.",
                                   "extensions": {"exception": {"code": "INTERNAL_ERROR"}}}]}
    assert any("secret detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_a_triple_quote_is_no_block_string_for_graphql_core_2(client, unchanged):
    # given: read as block string, the braces would be text; graphql-core 2 reads "" "a" {{{…
    query = '{ qbCustomers(search: """a" ' + "{" * 3000 + " " + "}" * 3000 + ' "b""") { x } }'

    # when
    status, content = send(client, json.dumps({"query": query}))

    # then
    assert status == 400
    assert codes(content) == ["QUERY_TOO_DEEP"]


def test_a_string_ending_in_a_backslash_at_the_end_of_the_query_is_a_parse_error(client,
                                                                                 unchanged):
    # given: graphql-core 2's lexer raises TypeError on it
    query = '{ qbCustomers(search: "\\'

    # when
    status, content = send(client, json.dumps({"query": query}))

    # then
    assert status == 400
    assert codes(content) == ["GRAPHQL_PARSE_FAILED"]
