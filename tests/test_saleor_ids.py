"""Saleor's global IDs: base64 of ``Type:pk``, read strictly, a bare UUID accepted too."""

from __future__ import annotations

import base64
import uuid

import pytest

from saleor_qb_sync.saleor_ids import (
    InvalidGlobalId,
    from_global_id,
    to_global_id,
    uuid_from_global_id,
)

ORDER = uuid.UUID("5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a10")


def test_a_global_id_is_what_saleor_writes_and_reads_back():
    # when
    global_id = to_global_id("User", 42)

    # then: Saleor's own id for user 42
    assert global_id == "VXNlcjo0Mg=="
    assert from_global_id(global_id) == ("User", "42")


def test_an_order_id_gives_its_uuid_whether_global_or_bare():
    # then
    assert uuid_from_global_id(to_global_id("Order", ORDER), "Order") == ORDER
    assert uuid_from_global_id(str(ORDER), "Order") == ORDER


@pytest.mark.parametrize("value", [
    "not-base64!", "", base64.b64encode(b"no separator").decode(),
    base64.b64encode(b"Order:").decode(), base64.b64encode(b"\xff\xfe").decode(), "Zm9v\n",
    "ünïcode",
])
def test_anything_else_is_an_invalid_id_never_another_exception(value):
    # when
    with pytest.raises(InvalidGlobalId) as caught:
        from_global_id(value)

    # then
    assert caught.value.code == "invalid_id"
    assert "is not a valid Saleor ID" in caught.value.message


def test_an_id_of_another_type_is_refused_by_name():
    # when
    with pytest.raises(InvalidGlobalId) as caught:
        uuid_from_global_id(to_global_id("User", ORDER), "Order")

    # then
    assert "is a User ID, not an Order ID" in caught.value.message


def test_an_order_id_whose_pk_is_no_uuid_is_refused():
    # when / then
    with pytest.raises(InvalidGlobalId, match="not a valid Order ID"):
        uuid_from_global_id(to_global_id("Order", 17), "Order")
