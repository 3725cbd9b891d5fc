"""Which Saleor charges become QuickBooks payments, for how much, against which invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.documents import ChargeStatus, Payment
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.payments import Received, due_payments
from saleor_qb_sync.qbxml.records import OrderOnFile, payment_guid
from saleor_qb_sync.qbxml.schema import validate

from .factories import ORDER_ID, order, order_line

TODAY = date(2026, 12, 1)


def invoice(total: str = "20.00", **overrides) -> OrderOnFile:
    values = {"order_id": ORDER_ID, "order_number": 1001, "kind": "Invoice",
              "txn_id": "1A-1700000000",
              "ref_number": "1001", "total": Decimal(total), "customer_name": "Jane Doe",
              "currency": "USD"}
    values.update(overrides)
    return OrderOnFile(**values)


def charged(*payments: tuple[str, str], **overrides):
    """An order of 20.00 (two 10.00 T-shirts) with Saleor payments (id, charged so far)."""
    return order(lines=(order_line(),), charge_status=ChargeStatus.PARTIAL, payments=tuple(
        Payment(method="card", amount=Decimal(amount), name="Stripe", psp_reference=f"pi_{pid}",
                payment_id=pid, charged_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
        for pid, amount in payments), **overrides)


def test_a_charge_quickbooks_has_not_received_is_one_payment_applied_to_the_invoice():
    # when
    due = due_payments(charged(("transaction:a", "12.50")), invoice(), {}, Preferences(),
                       today=TODAY)
    # then
    [payment] = due.payments
    assert (payment.amount, payment.invoice_txn_id, payment.customer_name) == (
        Decimal("12.50"), "1A-1700000000", "Jane Doe")
    assert (payment.payment_id, payment.sequence, payment.ref_number) == (
        "transaction:a", 1, "1001-1")
    assert payment.memo == "Saleor order #1001: Stripe payment pi_transaction:a"
    assert payment.deposit_to_account == "Undeposited Funds"
    assert due.warnings == ()


def test_the_second_part_of_a_charge_is_the_difference_numbered_after_the_first():
    # given: 12.50 received already, Saleor has now charged 20.00 on the same payment
    received = {"transaction:a": Received(Decimal("12.50"), 1)}
    # when
    due = due_payments(charged(("transaction:a", "20.00")), invoice(), received, Preferences(),
                       today=TODAY)
    # then
    [payment] = due.payments
    assert (payment.amount, payment.sequence, payment.ref_number) == (Decimal("7.50"), 2, "1001-2")
    assert payment.external_guid == payment_guid(ORDER_ID, "transaction:a", 2)
    assert payment.external_guid != payment_guid(ORDER_ID, "transaction:a", 1)


def test_nothing_is_due_once_quickbooks_has_what_saleor_charged():
    received = {"transaction:a": Received(Decimal("20.00"), 2)}
    assert due_payments(charged(("transaction:a", "20.00")), invoice(), received,
                        Preferences(), today=TODAY).payments == ()


def test_a_charge_beyond_the_invoice_is_capped_at_its_open_balance_and_said():
    # when: Saleor charged 25.00 on a 20.00 invoice
    due = due_payments(charged(("transaction:a", "25.00")), invoice(), {}, Preferences(),
                       today=TODAY)
    # then
    assert [p.amount for p in due.payments] == [Decimal("20.00")]
    assert "5.00 USD more than the open balance of invoice 1001" in due.warnings[0]


def test_an_invoice_already_covered_receives_nothing_more_and_says_so():
    received = {"transaction:a": Received(Decimal("20.00"), 1)}
    due = due_payments(charged(("transaction:a", "20.00"), ("transaction:b", "3.00")),
                       invoice(), received, Preferences(), today=TODAY)
    assert due.payments == ()
    assert "3.00 USD more than invoice 1001" in due.warnings[0]


def test_two_saleor_payments_are_two_quickbooks_payments_numbered_in_turn():
    due = due_payments(charged(("transaction:a", "5.00"), ("payment:7", "15.00")), invoice(),
                       {}, Preferences(), today=TODAY)
    assert [(p.payment_id, p.ref_number, p.amount) for p in due.payments] == [
        ("transaction:a", "1001-1", Decimal("5.00")), ("payment:7", "1001-2", Decimal("15.00"))]


def test_a_payment_quickbooks_refused_is_not_sent_again_for_the_same_amount_only_a_new_one():
    refused = {"transaction:a": Received(refused=Decimal("12.50"))}
    assert due_payments(charged(("transaction:a", "12.50")), invoice(), refused, Preferences(),
                        today=TODAY).payments == ()
    [again] = due_payments(charged(("transaction:a", "20.00")), invoice(), refused,
                           Preferences(), today=TODAY).payments
    assert again.amount == Decimal("20.00")


def test_a_payment_without_saleors_identity_is_never_received_on_its_own():
    document = charged(("", "20.00"))
    assert due_payments(document, invoice(), {}, Preferences(), today=TODAY).payments == ()


def test_the_payment_date_is_the_charge_day_in_the_stores_time_zone():
    # 23:30 UTC on 30 November is already 1 December in Warsaw
    [in_warsaw] = due_payments(charged(("transaction:a", "1.00")), invoice(), {},
                               Preferences(time_zone="Europe/Warsaw"), today=TODAY).payments
    [in_utc] = due_payments(charged(("transaction:a", "1.00")), invoice(), {}, Preferences(),
                            today=TODAY).payments
    assert (in_warsaw.txn_date, in_utc.txn_date) == (date(2026, 12, 1), date(2026, 11, 30))


def test_the_payment_method_comes_from_the_settings_by_method_type_then_gateway():
    preferences = Preferences.from_config({"payment_methods": "card=Credit Card, Stripe=Visa"})
    [payment] = due_payments(charged(("transaction:a", "1.00")), invoice(), {}, preferences,
                             today=TODAY).payments
    assert payment.payment_method == "Credit Card"
    only_gateway = Preferences.from_config({"payment_methods": "stripe=Visa"})
    [payment] = due_payments(charged(("transaction:a", "1.00")), invoice(), {}, only_gateway,
                             today=TODAY).payments
    assert payment.payment_method == "Visa"


# --- the qbXML ------------------------------------------------------------------------------


def test_a_payment_is_sent_in_the_schemas_order_applied_to_the_invoice_by_txn_id():
    [payment] = due_payments(charged(("transaction:a", "12.50")), invoice(), {},
                             Preferences.from_config({"payment_methods": "card=Credit Card"}),
                             today=TODAY).payments
    rq = build.receive_payment_add(payment, "p0")
    add = rq.find("ReceivePaymentAdd")
    assert [c.tag for c in add] == [
        "CustomerRef", "ARAccountRef", "TxnDate", "RefNumber", "TotalAmount",
        "PaymentMethodRef", "Memo", "DepositToAccountRef", "ExternalGUID", "AppliedToTxnAdd"]
    assert add.findtext("AppliedToTxnAdd/TxnID") == "1A-1700000000"
    assert add.findtext("AppliedToTxnAdd/PaymentAmount") == "12.50"
    assert add.findtext("TotalAmount") == "12.50"
    assert add.findtext("ExternalGUID") == payment.external_guid


@pytest.mark.schema
def test_payment_requests_are_what_intuits_schema_accepts(qbxml_schema):
    [payment] = due_payments(charged(("transaction:a", "12.50")), invoice(), {}, Preferences(),
                             today=TODAY).payments
    xml = build.message_set([build.receive_payment_add(payment, "p0"),
                             build.payment_query_by_ref(["1001-1", "1001-2"], "pq")])
    assert validate(xml, qbxml_schema) == []


def test_a_payment_of_nothing_is_refused_rather_than_sent():
    [payment] = due_payments(charged(("transaction:a", "1.00")), invoice(), {}, Preferences(),
                             today=TODAY).payments
    with pytest.raises(ValueError):
        build.receive_payment_add(replace(payment, amount=Decimal("0")), "p0")


# --- an invoice in a foreign currency (multicurrency) ---------------------------------------


@pytest.mark.schema
def test_a_charge_on_a_euro_invoice_is_received_in_euros_on_quickbooks_euro_receivables(
        qbxml_schema):
    # given: an invoice booked in EUR (multicurrency), a rate in the settings
    preferences = Preferences.from_config({"exchange_rates": "EUR=1.08"})
    document = charged(("transaction:a", "12.50"), currency="EUR")
    # when
    [payment] = due_payments(document, invoice(currency="EUR", customer_name="Jane Doe (EUR)"),
                             {}, preferences, today=TODAY).payments
    # then: the EUR amount, not converted; no home A/R account; the set rate
    assert (payment.amount, payment.currency, payment.ar_account, payment.exchange_rate) == (
        Decimal("12.50"), "EUR", "", Decimal("1.08"))
    rq = build.receive_payment_add(payment, "p0")
    assert rq.findtext("ReceivePaymentAdd/ExchangeRate") == "1.08"
    assert rq.find("ReceivePaymentAdd/ARAccountRef") is None
    assert validate(build.message_set([rq]), qbxml_schema) == []


def test_a_charge_on_an_invoice_converted_at_export_is_converted_again():
    # given: a EUR order whose invoice was converted to USD (multicurrency was off)
    preferences = Preferences.from_config({"exchange_rates": "EUR=1.08"})
    document = charged(("transaction:a", "10.00"), currency="EUR")
    # when
    [payment] = due_payments(document, invoice(total="21.60"), {}, preferences,
                             today=TODAY).payments
    # then
    assert (payment.amount, payment.currency, payment.exchange_rate) == (
        Decimal("10.80"), "USD", None)
    assert payment.ar_account == preferences.ar_account
