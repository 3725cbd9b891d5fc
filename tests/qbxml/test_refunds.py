"""What a Saleor refund becomes: a credit memo whose total is Saleor's refunded amount, to the
cent, with the refunded lines, shipping and tax; and the money given back against it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.documents import Payment, Refund, RefundLine, Shipping
from saleor_qb_sync.errors import MappingError
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.payments import Received
from saleor_qb_sync.qbxml.records import NameMappings, OrderOnFile
from saleor_qb_sync.qbxml.refunds import (
    card_refund,
    due_credit_memos,
    unitemized_source,
)
from saleor_qb_sync.qbxml.schema import validate

from .factories import ORDER_ID, order, order_line

TODAY = date(2026, 12, 1)
SHIPPING = Shipping(method_name="UPS", price_net=Decimal("10.00"),
                    price_gross=Decimal("12.30"), tax_rate=Decimal("0.23"))


def on_file(**overrides) -> OrderOnFile:
    values = {"order_id": ORDER_ID, "order_number": 1001, "kind": "SalesReceipt",
              "txn_id": "2B-1700000000", "ref_number": "1001", "customer_name": "Jane Doe",
              "currency": "USD"}
    values.update(overrides)
    return OrderOnFile(**values)


def taxed_order(*refunds: Refund, refunded: str = "0"):
    """Two lines of 2 × 10.00 net at 23 % tax (24.60 gross each) and UPS 10.00 + 2.30: 61.50;
    paid by card, ``refunded`` of it given back."""
    lines = (order_line(quantity=2, tax_rate="0.23"),
             replace(order_line(quantity=2, tax_rate="0.23", sku="MUG", name="Mug",
                                variant=""), line_id="T3JkZXJMaW5lOjI="))
    return order(lines=lines, shipping=SHIPPING, refunds=refunds, payments=(Payment(
        method="card", amount=Decimal("61.50") - Decimal(refunded), refunded=Decimal(refunded),
        payment_id="transaction:a"),))


def memo_total(memo) -> Decimal:
    return memo.transaction.lines_total


def test_a_partial_refund_of_a_line_and_the_shipping_credits_them_with_their_tax_to_the_cent():
    # given: one of the two T-shirts (10.00 + 2.30 tax) and the shipping (10.00 + 2.30) back
    refund = Refund("granted:5", Decimal("24.60"), (RefundLine("T3JkZXJMaW5lOjE=", 1),),
                    shipping=True, created_at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    # when
    [memo] = due_credit_memos(taxed_order(refund, refunded="24.60"), on_file(), {},
                              Preferences(), today=TODAY).credit_memos
    # then
    txn = memo.transaction
    assert [(ln.item_name, ln.quantity, ln.amount) for ln in txn.lines] == [
        ("TEE-M", Decimal(1), Decimal("10.00")), ("Shipping", None, Decimal("10.00")),
        ("Saleor Sales Tax", None, Decimal("4.60"))]
    assert memo_total(memo) == Decimal("24.60")
    assert (txn.kind, txn.ref_number, txn.customer_name, txn.txn_date) == (
        "CreditMemo", "1001R1", "Jane Doe", date(2026, 11, 30))
    assert {i.name for i in memo.items} == {"TEE-M", "Shipping", "Saleor Sales Tax"}
    assert (memo.source_id, memo.sequence) == ("refund:granted:5", 1)


def test_a_refund_of_another_amount_than_its_lines_gets_the_difference_on_the_refund_item():
    # staff granted 20.00 for a line worth 12.30
    refund = Refund("granted:6", Decimal("20.00"), (RefundLine("T3JkZXJMaW5lOjE=", 1),))
    [memo] = due_credit_memos(taxed_order(refund, refunded="20.00"), on_file(), {},
                              Preferences(), today=TODAY).credit_memos
    assert memo_total(memo) == Decimal("20.00")
    assert memo.transaction.lines[-1].item_name == "Saleor Refund"
    assert memo.transaction.lines[-1].amount == Decimal("7.70")


def test_a_full_return_credits_the_whole_order():
    refund = Refund("fulfillment:9", Decimal("61.50"), (RefundLine("T3JkZXJMaW5lOjE=", 2),
                                                        RefundLine("T3JkZXJMaW5lOjI=", 2)),
                    shipping=True)
    [memo] = due_credit_memos(taxed_order(refund, refunded="61.50"), on_file(), {},
                              Preferences(), today=TODAY).credit_memos
    assert memo_total(memo) == Decimal("61.50")
    assert [ln.item_name for ln in memo.transaction.lines] == [
        "TEE-M", "MUG", "Shipping", "Saleor Sales Tax"]


def test_money_refunded_without_lines_is_one_credit_memo_on_the_refund_item_per_increase():
    document = taxed_order(refunded="5.00")
    [first] = due_credit_memos(document, on_file(), {}, Preferences(),
                               today=TODAY).credit_memos
    assert [(ln.item_name, ln.amount) for ln in first.transaction.lines] == [
        ("Saleor Refund", Decimal("5.00"))]
    assert first.source_id == unitemized_source(ORDER_ID)
    # later Saleor refunds 3.00 more: only the 3.00 is new
    credited = {unitemized_source(ORDER_ID): Received(Decimal("5.00"), 1)}
    [second] = due_credit_memos(taxed_order(refunded="8.00"), on_file(), credited,
                                Preferences(), today=TODAY).credit_memos
    assert (memo_total(second), second.sequence, second.transaction.ref_number) == (
        Decimal("3.00"), 2, "1001R2")


def test_itemized_refunds_are_not_counted_again_as_money_without_lines():
    refund = Refund("granted:5", Decimal("12.30"), (RefundLine("T3JkZXJMaW5lOjE=", 1),))
    due = due_credit_memos(taxed_order(refund, refunded="12.30"), on_file(), {},
                           Preferences(), today=TODAY)
    assert [m.source_id for m in due.credit_memos] == ["refund:granted:5"]


def test_a_refund_with_its_credit_memo_in_quickbooks_is_not_credited_twice():
    refund = Refund("granted:5", Decimal("12.30"), (RefundLine("T3JkZXJMaW5lOjE=", 1),))
    credited = {"refund:granted:5": Received(Decimal("12.30"), 1)}
    assert due_credit_memos(taxed_order(refund, refunded="12.30"), on_file(), credited,
                            Preferences(), today=TODAY).credit_memos == ()


def test_a_credit_memo_number_that_cannot_fit_is_refused_with_the_reason():
    with pytest.raises(MappingError, match="credit memo number"):
        due_credit_memos(replace(taxed_order(refunded="1.00"), number=123456789012),
                         on_file(ref_number="W1234567890"), {}, Preferences(), today=TODAY)


def test_the_money_goes_back_against_the_credit_memo_by_the_orders_payment_method():
    class Record:  # a credit memo's ledger row
        order_id, order_number, source_id, sequence = ORDER_ID, 1001, "refund:granted:5", 1
        ref_number, customer_name, amount, currency = "1001R1", "Jane Doe", Decimal("24.60"), \
            "USD"
        txn_id = "3C-1700000000"

    preferences = Preferences.from_config({"payment_methods": "card=Visa"})
    refund = card_refund(Record, on_file(), taxed_order(refunded="24.60"), preferences,
                         today=TODAY)
    assert (refund.amount, refund.credit_memo_txn_id, refund.payment_method,
            refund.refund_from_account) == (Decimal("24.60"), "3C-1700000000", "Visa",
                                            "Undeposited Funds")
    rq = build.card_refund_add(refund, "r0")
    add = rq.find("ARRefundCreditCardAdd")
    assert [c.tag for c in add] == [
        "CustomerRef", "RefundFromAccountRef", "ARAccountRef", "TxnDate", "RefNumber",
        "PaymentMethodRef", "Memo", "ExternalGUID", "RefundAppliedToTxnAdd"]
    assert add.findtext("RefundAppliedToTxnAdd/RefundAmount") == "24.60"


@pytest.mark.schema
def test_credit_memo_and_refund_requests_are_what_intuits_schema_accepts(qbxml_schema):
    refund = Refund("granted:5", Decimal("24.60"), (RefundLine("T3JkZXJMaW5lOjE=", 1),),
                    shipping=True)
    for tax_mode in ("line_item", "quickbooks_tax_item"):
        preferences = Preferences.from_config({"tax_mode": tax_mode, "class_name": "Web"})
        [memo] = due_credit_memos(taxed_order(refund, refunded="24.60"), on_file(), {},
                                  preferences, today=TODAY).credit_memos

        class Record:
            order_id, order_number, source_id, sequence = ORDER_ID, 1001, memo.source_id, 1
            ref_number, customer_name, amount, currency = "1001R1", "Jane Doe", \
                Decimal("24.60"), "USD"
            txn_id = "3C-1700000000"

        xml = build.message_set([
            build.transaction_add(memo.transaction, "c0"),
            build.card_refund_add(card_refund(Record, on_file(), None, preferences,
                                              today=TODAY), "r0"),
            build.follow_up_query_by_ref("CreditMemo", ["1001R1"], "q0"),
            build.follow_up_query_by_ref("ARRefundCreditCard", ["1001R1"], "q1")])
        assert validate(xml, qbxml_schema) == [], tax_mode


@pytest.mark.schema
def test_a_refund_of_a_euro_sales_receipt_is_credited_and_given_back_in_euros(qbxml_schema):
    # given: a sales receipt booked in EUR (multicurrency), a part refunded in Saleor
    preferences = Preferences.from_config({"exchange_rates": "EUR=1.08"})
    refund = Refund("granted:5", Decimal("24.60"), (RefundLine("T3JkZXJMaW5lOjE=", 1),),
                    shipping=True)
    document = replace(taxed_order(refund, refunded="24.60"), currency="EUR")
    # when
    [memo] = due_credit_memos(document, on_file(currency="EUR"), {}, preferences,
                              today=TODAY).credit_memos

    class Record:
        order_id, order_number, source_id, sequence = ORDER_ID, 1001, memo.source_id, 1
        ref_number, customer_name, amount, currency = "1001R1", "Jane Doe (EUR)", \
            Decimal("24.60"), "EUR"
        txn_id = "3C-1700000000"

    given_back = card_refund(Record, on_file(currency="EUR"), document, preferences,
                             today=TODAY)
    # then: EUR amounts as Saleor refunded them, QuickBooks' EUR receivables, the set rate
    txn = memo.transaction
    assert (memo_total(memo), txn.currency, txn.ar_account, txn.exchange_rate) == (
        Decimal("24.60"), "EUR", "", Decimal("1.08"))
    assert (given_back.ar_account, given_back.exchange_rate) == ("", Decimal("1.08"))
    xml = build.message_set([build.transaction_add(txn, "c0"),
                             build.card_refund_add(given_back, "r0")])
    assert validate(xml, qbxml_schema) == []


def test_a_refunded_line_of_a_mapped_sku_is_credited_on_its_quickbooks_item_never_created():
    # given: the T-shirt's SKU is mapped to a QuickBooks item of another name
    refund = Refund("granted:6", Decimal("12.30"), (RefundLine("T3JkZXJMaW5lOjE=", 1),),
                    created_at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    mappings = NameMappings(items={"TEE-M": "Shirts:T-shirt medium"})
    # when
    [memo] = due_credit_memos(taxed_order(refund, refunded="12.30"), on_file(), {},
                              Preferences(), today=TODAY, mappings=mappings).credit_memos
    # then
    assert memo.transaction.lines[0].item_name == "Shirts:T-shirt medium"
    assert "Shirts:T-shirt medium" not in {i.name for i in memo.items}
    assert memo_total(memo) == Decimal("12.30")
