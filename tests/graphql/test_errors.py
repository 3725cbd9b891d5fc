"""Errors in Saleor's two shapes: typed payload errors for mutations, coded GraphQL errors else."""

from __future__ import annotations

import logging

import graphene
import pytest
from graphql import parse
from graphql.error import GraphQLError, GraphQLSyntaxError

from saleor_qb_sync.errors import AuthenticationError, QbSyncError, TransferError
from saleor_qb_sync.graphql.errors import (
    ERROR_CODE_DESCRIPTIONS,
    QbGraphQLError,
    QbSyncErrorCode,
    RequestErrorCode,
    error_code,
    error_type_from,
    format_error,
    graphql_error_from,
)


class Query(graphene.ObjectType):
    refused = graphene.String()
    broken = graphene.String()
    nested = graphene.List(graphene.String)

    @staticmethod
    def resolve_refused(root, info):
        raise TransferError("Search for at most 254 characters.", field="search",
                            code="invalid")

    @staticmethod
    def resolve_broken(root, info):
        raise RuntimeError("connection to the database lost at 10.0.0.3")

    @staticmethod
    def resolve_nested(root, info):
        raise AuthenticationError("You need MANAGE_ORDERS.", code="permission_denied")


SCHEMA = graphene.Schema(query=Query)


def first_error(query: str):
    result = SCHEMA.execute(query)
    assert result.errors, result.data
    return result.errors[0]


def test_every_mutation_error_code_is_described():
    # then
    assert set(ERROR_CODE_DESCRIPTIONS) == set(QbSyncErrorCode)
    assert all(ERROR_CODE_DESCRIPTIONS.values())


def test_a_domain_error_becomes_the_payload_error_with_its_field_and_code():
    # when
    error = error_type_from(TransferError("Queue at most 1,000 orders.", field="orderIds",
                                          code="too_many"))

    # then
    assert (error.field, error.message, error.code) == (
        "orderIds", "Queue at most 1,000 orders.", QbSyncErrorCode.TOO_MANY)


def test_an_error_without_a_field_is_about_the_whole_request():
    # when
    error = error_type_from(QbSyncError("Nothing matches.", code="empty_selection"))

    # then
    assert (error.field, error.code) == (None, QbSyncErrorCode.EMPTY_SELECTION)


def test_a_code_the_api_does_not_know_is_invalid_and_logged(caplog):
    # when
    with caplog.at_level(logging.WARNING, logger="saleor_qb_sync.graphql.errors"):
        code = error_code(TransferError("Odd.", code="something_new"))

    # then
    assert code is QbSyncErrorCode.INVALID
    assert "'something_new' has no GraphQL error code" in caplog.text


def test_a_graphql_error_carries_the_code_upper_case_and_the_argument():
    # when
    error = graphql_error_from(TransferError("Bad day.", field="dateFrom", code="out_of_range"))

    # then
    assert isinstance(error, QbGraphQLError)
    assert (error.message, error.code) == ("Bad day.", "OUT_OF_RANGE")
    assert error.extensions == {"exception": {"code": "OUT_OF_RANGE", "field": "dateFrom"}}
    assert QbGraphQLError("No.", "INVALID").extensions == {"exception": {"code": "INVALID"}}


def test_a_domain_error_in_a_resolver_is_answered_with_its_code_where_it_happened():
    # when
    formatted = format_error(first_error("{ refused }"))

    # then
    assert formatted == {
        "message": "Search for at most 254 characters.",
        "locations": [{"line": 1, "column": 3}],
        "path": ["refused"],
        "extensions": {"exception": {"code": "INVALID", "field": "search"}},
    }


def test_a_refused_permission_keeps_its_code():
    # when
    formatted = format_error(first_error("{ nested }"))

    # then
    assert formatted["extensions"] == {"exception": {"code": "PERMISSION_DENIED"}}


def test_anything_we_did_not_raise_on_purpose_is_masked_and_logged(caplog):
    # when
    with caplog.at_level(logging.ERROR, logger="saleor_qb_sync.graphql.errors"):
        formatted = format_error(first_error("{ broken }"))

    # then
    assert formatted["message"] == "Internal server error."
    assert formatted["extensions"] == {"exception": {"code": RequestErrorCode.INTERNAL_ERROR}}
    assert "10.0.0.3" not in str(formatted)
    assert "10.0.0.3" in caplog.text


def test_a_syntax_error_and_a_validation_error_get_their_request_codes():
    # given
    with pytest.raises(GraphQLSyntaxError) as syntax:
        parse("{ refused ")
    validation = GraphQLError("Cannot query field 'nope' on type 'Query'.")

    # then
    assert format_error(syntax.value)["extensions"] == {
        "exception": {"code": RequestErrorCode.GRAPHQL_PARSE_FAILED}}
    assert format_error(validation) == {
        "message": "Cannot query field 'nope' on type 'Query'.",
        "extensions": {"exception": {"code": RequestErrorCode.GRAPHQL_VALIDATION_FAILED}}}


def test_an_error_refused_with_a_code_keeps_it():
    # when
    formatted = format_error(QbGraphQLError("Too deep.", RequestErrorCode.QUERY_TOO_DEEP))

    # then
    assert formatted == {"message": "Too deep.",
                         "extensions": {"exception": {"code": "QUERY_TOO_DEEP"}}}
