"""Forward pagination: opaque cursors, a capped page size, a page's place in the whole list."""

from __future__ import annotations

import base64

import graphene
import pytest

from saleor_qb_sync.graphql.errors import QbGraphQLError
from saleor_qb_sync.graphql.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CountableConnection,
    connection,
    cursor_to_offset,
    offset_to_cursor,
    page_window,
)


class Thing(graphene.ObjectType):
    name = graphene.String()


class ThingConnection(CountableConnection):
    class Meta:
        node = Thing


def test_cursors_are_graphql_relays_array_connection_cursors():
    # then
    assert offset_to_cursor(0) == base64.b64encode(b"arrayconnection:0").decode()
    assert [cursor_to_offset(offset_to_cursor(n)) for n in (0, 7, 999_999_999)] == [
        0, 7, 999_999_999]


@pytest.mark.parametrize("cursor", [
    "", "not base64!", base64.b64encode(b"arrayconnection:-1").decode(),
    base64.b64encode(b"arrayconnection:1e3").decode(),
    base64.b64encode(b"otherprefix:3").decode(),
    base64.b64encode(b"arrayconnection:" + b"9" * 10).decode(),
    base64.b64encode("arrayconnection:٣".encode()).decode(),
])
def test_anything_but_one_of_our_cursors_is_refused_as_the_after_argument(cursor):
    # when
    with pytest.raises(QbGraphQLError) as caught:
        cursor_to_offset(cursor)

    # then
    assert caught.value.extensions == {"exception": {"code": "INVALID", "field": "after"}}


def test_the_window_starts_after_the_cursor():
    # then
    assert page_window(None, None) == (0, DEFAULT_PAGE_SIZE)
    assert page_window(5, offset_to_cursor(9)) == (10, 5)
    assert page_window(MAX_PAGE_SIZE, None) == (0, MAX_PAGE_SIZE)


@pytest.mark.parametrize("first", [0, -1, MAX_PAGE_SIZE + 1])
def test_a_page_size_outside_1_to_the_cap_is_refused(first):
    # when
    with pytest.raises(QbGraphQLError) as caught:
        page_window(first, None)

    # then
    assert caught.value.extensions["exception"]["field"] == "first"
    assert str(first) in caught.value.message


def test_a_middle_page_knows_what_comes_before_and_after():
    # when
    page = connection(ThingConnection, [Thing(name="c"), Thing(name="d")], 2, 5)

    # then
    assert page.total_count == 5
    assert [edge.node.name for edge in page.edges] == ["c", "d"]
    assert [cursor_to_offset(edge.cursor) for edge in page.edges] == [2, 3]
    info = page.page_info
    assert (info.has_previous_page, info.has_next_page) == (True, True)
    assert (info.start_cursor, info.end_cursor) == (offset_to_cursor(2), offset_to_cursor(3))


def test_the_last_page_has_no_next_and_an_empty_page_no_cursors():
    # when
    last = connection(ThingConnection, [Thing(name="e")], 4, 5)
    empty = connection(ThingConnection, [], 0, 0)

    # then
    assert last.page_info.has_next_page is False
    assert (empty.page_info.start_cursor, empty.page_info.end_cursor) == (None, None)
    assert (empty.page_info.has_previous_page, empty.page_info.has_next_page) == (False, False)
