"""The QuickBooks records an order becomes: what they compute and how they behave as values."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from saleor_qb_sync.qbxml.records import ItemKind, TxnKind

from .factories import ORDER_ID, customer_record, item_record, transaction, transaction_line

#: qbXML's GUIDTYPE (qbxmltypes130.xsd), without its "0" alternative
GUID = re.compile(r"\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}")


def test_the_lines_total_adds_every_line_including_negative_ones():
    # given
    txn = transaction(lines=(
        transaction_line(amount=Decimal("39.98")),
        transaction_line(item_name="Saleor Discount", amount=Decimal("-4.00")),
        transaction_line(item_name="Gift Card", amount=Decimal("-7.50"), taxable=False),
        transaction_line(item_name="Sales Tax", amount=Decimal("2.26"), taxable=False),
    ))
    # when
    total = txn.lines_total
    # then
    assert total == Decimal("30.74")
    assert str(total) == "30.74"


def test_a_transaction_without_lines_totals_a_decimal_zero_not_an_integer():
    # when
    total = transaction(lines=()).lines_total
    # then
    assert isinstance(total, Decimal)
    assert total == 0


def test_the_external_guid_is_the_order_id_in_braces_as_qbxml_guidtype_wants():
    # when
    guid = transaction().external_guid
    # then
    assert guid == "{" + ORDER_ID + "}"
    assert GUID.fullmatch(guid)


@pytest.mark.parametrize("record", [transaction(), transaction_line(), customer_record(),
                                    item_record()], ids=lambda r: type(r).__name__)
def test_records_are_frozen_values(record):
    # given
    field = dataclasses.fields(record)[0].name
    # when / then
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, "changed")
    assert dataclasses.replace(record) == record
    assert hash(dataclasses.replace(record)) == hash(record)


def test_the_kinds_spell_the_qbxml_aggregates_the_builders_name_requests_after():
    # when / then
    assert [f"{kind}AddRq" for kind in TxnKind] == [
        "InvoiceAddRq", "SalesReceiptAddRq", "SalesOrderAddRq", "CreditMemoAddRq"]
    assert [f"{kind}Add" for kind in ItemKind] == ["ItemNonInventoryAdd", "ItemOtherChargeAdd"]
    assert TxnKind("SalesReceipt") is TxnKind.SALES_RECEIPT
