"""Forward, offset-based Relay pagination: ``first`` (at most ``MAX_PAGE_SIZE``) and ``after``.

A cursor is opaque to clients: base64 of the row's offset in the result, as graphql-relay's
array connections write it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

import graphene
from graphene.relay import PageInfo

from .errors import QbGraphQLError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: graphql-relay's prefix, so cursors look like any other array-connection cursor
CURSOR_PREFIX = "arrayconnection:"


def offset_to_cursor(offset: int) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def cursor_to_offset(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix, _, number = text.rpartition(":")
    if prefix + ":" != CURSOR_PREFIX or not number.isdigit() or len(number) > 9:
        raise QbGraphQLError(f"{cursor!r} is not a cursor of this list.", "INVALID",
                             field="after")
    return int(number)


def page_window(first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, limit) of the requested page; a page size over the cap is refused."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise QbGraphQLError(f"first must be between 1 and {MAX_PAGE_SIZE}; it is {limit}.",
                             "INVALID", field="first")
    offset = cursor_to_offset(after) + 1 if after else 0
    return offset, limit


def first_argument() -> graphene.Int:
    return graphene.Int(
        default_value=DEFAULT_PAGE_SIZE,
        description=f"How many items to return (1 to {MAX_PAGE_SIZE}).")


def after_argument() -> graphene.String:
    return graphene.String(
        description="Return the items after this cursor (a previous page's endCursor).")


class CountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(required=True, description="How many items match in all.")

    class Meta:
        abstract = True


def connection(connection_type: type[CountableConnection], nodes: Sequence, offset: int,
               total: int) -> CountableConnection:
    edges = [connection_type.Edge(node=node, cursor=offset_to_cursor(offset + index))
             for index, node in enumerate(nodes)]
    return connection_type(
        edges=edges,
        total_count=total,
        page_info=PageInfo(
            has_next_page=offset + len(nodes) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )
