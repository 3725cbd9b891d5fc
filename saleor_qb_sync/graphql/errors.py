"""Errors of the GraphQL API, in Saleor's two shapes.

- Mutations return typed errors in their payload: ``errors { field message code }``, the code
  from ``QbSyncErrorCode`` (a ``TransferError`` from ``transfers.py`` becomes one of these).
- Queries and refused requests raise a GraphQL error whose ``extensions.exception.code`` says
  why, as Saleor's API does: ``{"message": ..., "extensions": {"exception": {"code": ...}}}``.
"""

from __future__ import annotations

import logging
from enum import Enum

import graphene
from graphql.error import GraphQLError, GraphQLSyntaxError

from ..errors import QbSyncError

logger = logging.getLogger(__name__)


class QbSyncErrorCode(Enum):
    """Why a mutation of the QuickBooks sync API could not be carried out."""

    ALREADY_PICKED_UP = "already_picked_up"
    ALREADY_QUEUED = "already_queued"
    AUTOMATIC_MODE = "automatic_mode"
    CANNOT_MAP = "cannot_map"
    EMPTY_SELECTION = "empty_selection"
    HOME_CURRENCY_MISMATCH = "home_currency_mismatch"
    INACTIVE_IN_QUICKBOOKS = "inactive_in_quickbooks"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    INVALID_DATE_RANGE = "invalid_date_range"
    INVALID_ID = "invalid_id"
    LISTS_NEVER_READ = "lists_never_read"
    NOT_A_LINE_ITEM = "not_a_line_item"
    NOT_A_SALES_TAX_ITEM = "not_a_sales_tax_item"
    NOT_FOUND = "not_found"
    NOT_EXPORTABLE = "not_exportable"
    NOT_EXPORTED = "not_exported"
    NOT_FAILED = "not_failed"
    NOT_IN_QUICKBOOKS = "not_in_quickbooks"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    UNCHANGED = "unchanged"
    UPDATES_OFF = "updates_off"
    WRONG_ACCOUNT_TYPE = "wrong_account_type"


ERROR_CODE_DESCRIPTIONS = {
    QbSyncErrorCode.ALREADY_PICKED_UP: "Web Connector already picked the operation up.",
    QbSyncErrorCode.ALREADY_QUEUED: "The order already waits in a pending operation.",
    QbSyncErrorCode.AUTOMATIC_MODE: ("Automatic mode does this with every Web Connector "
                                      "update; there is nothing to queue."),
    QbSyncErrorCode.CANNOT_MAP: ("The order no longer becomes a QuickBooks transaction under the "
                                 "settings (the message says why)."),
    QbSyncErrorCode.EMPTY_SELECTION: "Nothing was chosen, or nothing matches.",
    QbSyncErrorCode.HOME_CURRENCY_MISMATCH: ("The home currency is not QuickBooks' own "
                                             "(multicurrency)."),
    QbSyncErrorCode.INACTIVE_IN_QUICKBOOKS: ("QuickBooks has the record named but marks it "
                                             "inactive, and refuses transactions using it."),
    QbSyncErrorCode.INVALID: "A value is not acceptable, or values contradict each other.",
    QbSyncErrorCode.INVALID_CHOICE: "A value is not one of those allowed.",
    QbSyncErrorCode.INVALID_DATE_RANGE: "The start date is after the end date.",
    QbSyncErrorCode.INVALID_ID: "An ID is malformed or of the wrong type.",
    QbSyncErrorCode.LISTS_NEVER_READ: ("QuickBooks' lists were never read, so a name cannot be "
                                       "checked; refresh them first."),
    QbSyncErrorCode.NOT_A_LINE_ITEM: ("The item named is of a type that cannot carry an "
                                      "amount on a line (a subtotal, group or payment item)."),
    QbSyncErrorCode.NOT_A_SALES_TAX_ITEM: ("The item named is not a sales tax item, which "
                                           "QuickBooks needs to compute the tax."),
    QbSyncErrorCode.NOT_FOUND: "Something named does not exist or is not visible to you.",
    QbSyncErrorCode.NOT_EXPORTABLE: ("The order cannot be exported (its status or channel; "
                                      "the message names the setting)."),
    QbSyncErrorCode.NOT_EXPORTED: ("The order is not in QuickBooks (so nothing can follow it), "
                                   "or what its transaction says is not known (exported before "
                                   "changes were followed)."),
    QbSyncErrorCode.NOT_FAILED: ("The order did not fail, or it is in QuickBooks or on its way "
                                 "there already."),
    QbSyncErrorCode.NOT_IN_QUICKBOOKS: ("Our copy of QuickBooks' lists has no record of that "
                                        "name (pick one, or add it in QuickBooks and refresh "
                                        "the lists)."),
    QbSyncErrorCode.OUT_OF_RANGE: "A number is smaller or larger than allowed.",
    QbSyncErrorCode.REQUIRED: "A value is missing.",
    QbSyncErrorCode.TOO_LONG: "A text is longer than QuickBooks allows.",
    QbSyncErrorCode.TOO_MANY: "The selection is larger than one request may take.",
    QbSyncErrorCode.UNCHANGED: "Nothing changed since the order went to QuickBooks.",
    QbSyncErrorCode.UPDATES_OFF: "Updates of edited orders are off in the settings.",
    QbSyncErrorCode.WRONG_ACCOUNT_TYPE: ("QuickBooks refuses an account of that type in that "
                                         "place (e.g. invoices post only to accounts "
                                         "receivable)."),
}

QbSyncErrorCodeEnum = graphene.Enum.from_enum(
    QbSyncErrorCode,
    description=lambda value: (QbSyncErrorCode.__doc__ if value is None
                               else ERROR_CODE_DESCRIPTIONS[value]))


class RequestErrorCode:
    """Codes of GraphQL errors (``extensions.exception.code``) that are not domain errors."""

    #: no token, or an invalid or expired one
    UNAUTHENTICATED = "UNAUTHENTICATED"
    #: the caller lacks MANAGE_ORDERS (or MANAGE_PLUGINS, to change the settings)
    PERMISSION_DENIED = "PERMISSION_DENIED"
    #: not a GraphQL request (wrong method, body not JSON, no query)
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    #: a bug on our side; the details are logged, never sent
    INTERNAL_ERROR = "INTERNAL_ERROR"


class QbSyncErrorType(graphene.ObjectType):
    field = graphene.String(
        description="The input field the error is about (camelCase), or null for the whole "
        "request.")
    message = graphene.String(required=True, description="What went wrong, for a person.")
    code = QbSyncErrorCodeEnum(required=True, description="The error code.")

    class Meta:
        name = "QbSyncError"
        description = "An error of a QuickBooks sync mutation."


class QbGraphQLError(GraphQLError):
    """A GraphQL error carrying a code (and the argument it is about) in its extensions."""

    def __init__(self, message: str, code: str, *, field: str | None = None) -> None:
        exception = {"code": code}
        if field:
            exception["field"] = field
        super().__init__(message, extensions={"exception": exception})
        self.code = code


def error_code(exc: QbSyncError) -> QbSyncErrorCode:
    try:
        return QbSyncErrorCode(exc.code)
    except ValueError:
        logger.warning("Transfer error code %r has no GraphQL error code", exc.code)
        return QbSyncErrorCode.INVALID


def error_type_from(exc: QbSyncError) -> QbSyncErrorType:
    """The payload error for a domain error raised while performing a mutation."""
    return QbSyncErrorType(field=getattr(exc, "field", None), message=exc.message,
                           code=error_code(exc))


def graphql_error_from(exc: QbSyncError) -> QbGraphQLError:
    return QbGraphQLError(exc.message, exc.code.upper(), field=getattr(exc, "field", None))


def format_error(error: Exception) -> dict:
    """One error of the response; anything we did not raise on purpose is masked and logged."""
    original = getattr(error, "original_error", None)
    message = str(error)
    extensions = getattr(error, "extensions", None)
    if isinstance(original, QbSyncError):
        extensions = graphql_error_from(original).extensions
    elif original is not None and not isinstance(original, GraphQLError):
        logger.error("GraphQL resolver failed", exc_info=original)
        message = "Internal server error."
        extensions = {"exception": {"code": RequestErrorCode.INTERNAL_ERROR}}
    elif not extensions:
        code = (RequestErrorCode.GRAPHQL_PARSE_FAILED if isinstance(error, GraphQLSyntaxError)
                else RequestErrorCode.GRAPHQL_VALIDATION_FAILED)
        extensions = {"exception": {"code": code}}
    formatted: dict = {"message": message}
    if isinstance(error, GraphQLError):
        if error.locations:
            formatted["locations"] = [{"line": loc.line, "column": loc.column}
                                      for loc in error.locations]
        if error.path is not None:
            formatted["path"] = error.path
    formatted["extensions"] = extensions
    return formatted
