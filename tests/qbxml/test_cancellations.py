"""A cancelled order in QuickBooks: voided when no money moved, else left to a person."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from saleor_qb_sync.documents import Payment
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.cancellations import cancellation
from saleor_qb_sync.qbxml.records import OrderOnFile
from saleor_qb_sync.qbxml.schema import validate

from .factories import ORDER_ID, order


def on_file(kind: str = "Invoice") -> OrderOnFile:
    return OrderOnFile(order_id=ORDER_ID, order_number=1001, kind=kind, txn_id="1A-1",
                       ref_number="1001", customer_name="Jane Doe", currency="USD")


def test_an_order_that_is_not_cancelled_needs_nothing():
    assert cancellation(order(status="fulfilled"), on_file(), money_in_quickbooks=False) is None


def test_a_cancelled_unpaid_invoice_is_voided():
    cancelled = cancellation(order(status="canceled"), on_file(), money_in_quickbooks=False)
    assert (cancelled.txn_kind, cancelled.txn_id, cancelled.for_a_person) == ("Invoice", "1A-1",
                                                                             "")
    assert cancelled.source_id == f"cancel:{ORDER_ID}"


@pytest.mark.parametrize("charged, in_quickbooks", [("12.50", False), ("0", True)])
def test_a_cancelled_order_whose_money_moved_is_left_to_a_person_with_the_reason(
        charged, in_quickbooks):
    document = replace(order(status="canceled"), payments=(Payment(
        method="card", amount=Decimal(charged), payment_id="transaction:a"),))
    cancelled = cancellation(document, on_file(), money_in_quickbooks=in_quickbooks)
    assert "was not voided" in cancelled.for_a_person
    assert "Invoice 1001" in cancelled.for_a_person


def test_a_cancelled_sales_order_cannot_be_voided_and_says_to_close_it():
    cancelled = cancellation(order(status="canceled"), on_file("SalesOrder"),
                             money_in_quickbooks=False)
    assert "close it in QuickBooks" in cancelled.for_a_person


@pytest.mark.schema
def test_a_void_is_what_intuits_schema_accepts(qbxml_schema):
    xml = build.message_set([build.txn_void("Invoice", "1A-1", "v0"),
                             build.txn_void("SalesReceipt", "2B-1", "v1")])
    assert validate(xml, qbxml_schema) == []
