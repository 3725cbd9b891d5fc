"""The payments step: what Saleor charged on an order that is an invoice in QuickBooks is
received there once, applied to the invoice, to the cent, surviving lost answers."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync import ledger
from saleor_qb_sync.documents import ChargeStatus, Payment
from saleor_qb_sync.models import (
    ExportState,
    FollowUpRecord,
    MessageSetKind,
    WebConnectorSession,
)
from saleor_qb_sync.qbwc import session as sessions
from saleor_qb_sync.standalone.order_source import store_sample_orders

from ..engine_driver import drive

pytestmark = pytest.mark.django_db

INVOICES = {"transaction_type": "invoice", "check_duplicates": False}


def charge(document, *parts: tuple[str, str], status=ChargeStatus.PARTIAL):
    """Saleor charged ``document``: each part is (payment id, charged so far)."""
    charged = replace(document, charge_status=status, payments=tuple(
        Payment(method="card", amount=Decimal(amount), name="Stripe",
                psp_reference=f"pi_{pid}", payment_id=f"transaction:{pid}",
                charged_at=datetime(2026, 11, 30, 12, tzinfo=UTC)) for pid, amount in parts))
    store_sample_orders([charged])
    return charged


#: the session's settings check, which comes first in every session
CHECK = ["AccountQueryRq", "ItemQueryRq"]


def after_check(run) -> list[list[str]]:
    """The sets of a session after its settings check."""
    assert run.sets[0] == CHECK, run.sets
    return run.sets[1:]


def payments_in(qb):
    return qb.transactions("ReceivePayment")


def invoice_of(qb, document):
    [invoice] = [t for t in qb.transactions("Invoice") if t.ref_number == str(document.number)]
    return invoice


@pytest.fixture
def exported_invoice(configure, stored_order, source, quickbooks):
    """An unpaid order, exported as an invoice by a first session: (preferences, order, qb)."""

    def create(number: int = 1, **overrides):
        from saleor_qb_sync.transfers import queue_orders

        from ..conftest import STAFF

        preferences = configure(**{**INVOICES, **overrides})
        document = stored_order(number, charge_status=ChargeStatus.NONE)
        queue_orders(source, preferences, STAFF, [document.order_id])
        qb = quickbooks()
        run = drive(preferences, source, qb)
        assert run.percents[-1] == 100
        assert len(qb.transactions("Invoice")) == 1 and not payments_in(qb)
        return preferences, document, qb

    return create


def test_an_invoice_paid_in_two_parts_later_receives_each_part_once(exported_invoice, source):
    # given: a 20.00 invoice in QuickBooks
    preferences, document, qb = exported_invoice()
    total = invoice_of(qb, document).total_amount

    # when: Saleor charges 12.50, a Web Connector update runs, then the rest, another update
    charge(document, ("a", "12.50"))
    first = drive(preferences, source, qb)
    charge(document, ("a", str(total)), status=ChargeStatus.FULL)
    second = drive(preferences, source, qb)
    third = drive(preferences, source, qb)

    # then: two payments, applied to the invoice, its balance 0, and nothing sent a third time
    assert [s for s in first.sets if "ReceivePaymentAddRq" in s] == [["ReceivePaymentAddRq"]]
    assert after_check(second) == [["ReceivePaymentAddRq"]]
    assert third.refused == "none"
    amounts = sorted(p.total_amount for p in payments_in(qb))
    assert amounts == sorted([Decimal("12.50"), total - Decimal("12.50")])
    assert qb.balance_remaining(invoice_of(qb, document).txn_id) == Decimal("0.00")
    records = FollowUpRecord.objects.order_by("id")
    assert [(r.ref_number, r.state) for r in records] == [
        (f"{document.number}-1", ExportState.DONE), (f"{document.number}-2", ExportState.DONE)]
    assert all(r.txn_id for r in records)


def test_an_order_paid_before_its_invoice_is_written_gets_its_payment_in_the_same_session(
        configure, stored_order, source, quickbooks):
    # given: an order charged in full, exported as an invoice
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    preferences = configure(**INVOICES)
    document = charge(stored_order(1, charge_status=ChargeStatus.NONE), ("a", "20.00"),
                      status=ChargeStatus.FULL)
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    # when
    run = drive(preferences, source, qb)
    # then: the invoice, then its payment, one session
    assert run.sets[-1] == ["ReceivePaymentAddRq"]
    assert run.percents[-1] == 100
    assert qb.balance_remaining(invoice_of(qb, document).txn_id) == Decimal("0.00")


def test_a_lost_payment_answer_is_looked_up_first_and_never_received_twice(
        exported_invoice, source):
    # given: QuickBooks received the payment, but Web Connector lost its answer
    preferences, document, qb = exported_invoice()
    charge(document, ("a", "12.50"))
    qb.faults.inject("lose_response", on_request="ReceivePaymentAddRq")
    with contextlib.suppress(Exception):
        drive(preferences, source, qb)
    for row in WebConnectorSession.objects.filter(state="open"):
        sessions.drop(row)
    assert FollowUpRecord.objects.get().state == ExportState.NEEDS_RECONCILING

    # when
    run = drive(preferences, source, qb)

    # then: it asks, finds ours by its ExternalGUID, and sends nothing
    assert after_check(run) == [["ReceivePaymentQueryRq"]]
    assert len(payments_in(qb)) == 1
    record = FollowUpRecord.objects.get()
    assert (record.state, record.status_message) == (
        ExportState.DONE, "Confirmed in QuickBooks after a lost answer")
    assert record.txn_id == payments_in(qb)[0].txn_id


def test_a_payment_set_quickbooks_could_not_process_goes_again_at_the_next_update(
        exported_invoice, source):
    # given: QuickBooks was unreachable when the payment set came (an HRESULT, nothing done)
    preferences, document, qb = exported_invoice()
    charge(document, ("a", "12.50"))
    qb.faults.inject("connection_failure", on_request="ReceivePaymentAddRq")
    failed = drive(preferences, source, qb)
    assert failed.percents[-1] == -1 and not payments_in(qb)

    # when
    run = drive(preferences, source, qb)

    # then: the charge goes again under the same number, once
    assert after_check(run) == [["ReceivePaymentAddRq"]]
    withdrawn, again = FollowUpRecord.objects.order_by("id")
    assert (withdrawn.state, withdrawn.action) == (ExportState.FAILED, "resent")
    assert (again.state, again.sequence, again.ref_number) == (
        ExportState.DONE, 1, withdrawn.ref_number)
    assert [p.total_amount for p in payments_in(qb)] == [Decimal("12.50")]


def test_quickbooks_refusing_a_payment_says_why_and_the_same_money_is_not_sent_again(
        exported_invoice, source):
    # given: the bookkeeper already received 15.00 by hand in QuickBooks
    preferences, document, qb = exported_invoice()
    invoice = invoice_of(qb, document)
    qb.process(_hand_payment(invoice.txn_id, invoice.customer_name, "15.00"))
    charge(document, ("a", str(invoice.total_amount)), status=ChargeStatus.FULL)

    # when
    drive(preferences, source, qb)
    again = drive(preferences, source, qb)

    # then
    record = FollowUpRecord.objects.get()
    assert (record.state, record.status_code) == (ExportState.FAILED, 3210)
    assert "more than the invoice's open balance" in record.action
    assert again.refused == "none"
    assert len(payments_in(qb)) == 1  # the bookkeeper's own


def test_with_record_payments_off_nothing_is_received(exported_invoice, source):
    preferences, document, qb = exported_invoice(record_payments=False)
    charge(document, ("a", "12.50"))
    assert drive(preferences, source, qb).refused == "none"
    assert not payments_in(qb) and not FollowUpRecord.objects.exists()


def test_a_sales_receipt_is_paid_already_and_gets_no_payment(configure, stored_order, source,
                                                               quickbooks):
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    preferences = configure(check_duplicates=False)  # by payment status
    document = charge(stored_order(1, charge_status=ChargeStatus.NONE), ("a", "20.00"),
                      status=ChargeStatus.FULL)
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    drive(preferences, source, qb)
    assert len(qb.transactions("SalesReceipt")) == 1
    assert not payments_in(qb) and not FollowUpRecord.objects.exists()


def test_one_write_statement_count_whatever_the_number_of_payments(configure, stored_order,
                                                                   source, quickbooks):
    # given: 3 and then 12 invoices charged after export
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    statements = []
    for count, first in ((3, 1), (12, 100)):
        preferences = configure(**INVOICES, orders_per_request=50)
        documents = [stored_order(n, charge_status=ChargeStatus.NONE,
                                  email=f"b{n}@example.com")
                     for n in range(first, first + count)]
        queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
        qb = quickbooks()
        drive(preferences, source, qb)
        for d in documents:
            charge(d, (f"x{d.number}", "5.00"))
        run = drive(preferences, source, qb)
        assert after_check(run) == [["ReceivePaymentAddRq"] * count]
        statements.append(run.statements[1])
    # then
    assert statements[0] == statements[1]


def test_the_payment_set_is_kept_before_it_leaves(exported_invoice, source):
    preferences, document, qb = exported_invoice()
    charge(document, ("a", "1.00"))
    drive(preferences, source, qb)
    message_set = FollowUpRecord.objects.get().message_set
    assert message_set.kind == MessageSetKind.FOLLOW_UPS
    assert "ReceivePaymentAddRq" in message_set.request_xml
    assert ledger.follow_ups_of(str(document.order_id))[0].amount == Decimal("1.00")


def _hand_payment(txn_id: str, customer: str, amount: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
        '<QBXMLMsgsRq onError="stopOnError"><ReceivePaymentAddRq requestID="1">'
        f"<ReceivePaymentAdd><CustomerRef><FullName>{customer}</FullName></CustomerRef>"
        f"<TotalAmount>{amount}</TotalAmount><AppliedToTxnAdd><TxnID>{txn_id}</TxnID>"
        f"<PaymentAmount>{amount}</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd>"
        "</ReceivePaymentAddRq></QBXMLMsgsRq></QBXML>")
