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

#: automatic mode: every Web Connector run sends what follows (on demand, staff queue it; see
#: the tests at the end)
AUTOMATIC = {"export_mode": "automatic"}
INVOICES = {"transaction_type": "invoice", "check_duplicates": False, **AUTOMATIC}


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

    preferences = configure(check_duplicates=False, **AUTOMATIC)  # by payment status
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


# --- refunds: credit memos and the money given back ------------------------------------------


def taxed_receipt(number: int = 1):
    """A paid order of two T-shirts (2 × 10.00 at 23 %) and UPS shipping (10.00 + 2.30):
    36.90, charged by card: a sales receipt under by_payment_status."""
    from saleor_qb_sync.documents import Shipping

    from ...conftest import order_uuid
    from ...qbxml.factories import order, order_line

    document = order(number=number, order_id=order_uuid(number),
                     lines=(order_line(quantity=2, tax_rate="0.23"),),
                     shipping=Shipping(method_name="UPS", price_net=Decimal("10.00"),
                                       price_gross=Decimal("12.30"),
                                       tax_rate=Decimal("0.23")),
                     created_at=datetime(2026, 3, 10, 12, tzinfo=UTC))
    document = replace(document, payments=(Payment(
        method="card", amount=document.total_gross, name="Stripe", psp_reference="pi_r",
        payment_id="transaction:r"),), total_charged=document.total_gross)
    store_sample_orders([document])
    return document


def refund(document, amount: str, *refunded_lines, shipping=False, refund_id="granted:1"):
    """Saleor refunded ``amount`` of the order's payment, for these lines."""
    from saleor_qb_sync.documents import Refund, RefundLine

    refunded = replace(
        document,
        payments=tuple(replace(p, amount=p.amount - Decimal(amount),
                               refunded=p.refunded + Decimal(amount))
                       for p in document.payments),
        refunds=document.refunds + ((Refund(refund_id, Decimal(amount), tuple(
            RefundLine(line_id, quantity) for line_id, quantity in refunded_lines),
            shipping=shipping),) if refunded_lines or shipping else ()))
    store_sample_orders([refunded])
    return refunded


@pytest.fixture
def exported_receipt(configure, source, quickbooks):
    def create(**overrides):
        from saleor_qb_sync.transfers import queue_orders

        from ..conftest import STAFF

        preferences = configure(**{"check_duplicates": False, **AUTOMATIC, **overrides})
        document = taxed_receipt()
        queue_orders(source, preferences, STAFF, [document.order_id])
        qb = quickbooks()
        drive(preferences, source, qb)
        assert len(qb.transactions("SalesReceipt")) == 1
        return preferences, document, qb

    return create


def test_a_partial_refund_of_a_sales_receipt_with_shipping_and_tax_lands_once_to_the_cent(
        exported_receipt, source):
    # given: a 36.90 sales receipt; Saleor refunds one T-shirt and the shipping: 24.60
    preferences, document, qb = exported_receipt()
    refund(document, "24.60", (document.lines[0].line_id, 1), shipping=True)

    # when
    run = drive(preferences, source, qb)
    again = drive(preferences, source, qb)

    # then: a credit memo of Saleor's amount, then the money back against it, once
    sets = after_check(run)
    assert sets[0][-1] == "CreditMemoAddRq"
    assert sets[1] == ["ARRefundCreditCardAddRq"]
    [memo] = qb.transactions("CreditMemo")
    assert memo.total_amount == Decimal("24.60")
    assert [(ln.item_name, ln.amount) for ln in memo.lines] == [
        ("TEE-M", Decimal("10.00")), ("Shipping", Decimal("10.00")),
        ("Saleor Sales Tax", Decimal("4.60"))]
    [back] = qb.transactions("ARRefundCreditCard")
    assert back.total_amount == Decimal("24.60")
    assert qb.credit_remaining(memo.txn_id) == Decimal("0.00")
    assert again.refused == "none"
    kinds = sorted(FollowUpRecord.objects.values_list("kind", "state"))
    assert kinds == [("ARRefundCreditCard", "done"), ("CreditMemo", "done")]


def test_a_full_return_of_a_paid_invoice_credits_and_refunds_the_whole_order(
        configure, source, quickbooks):
    # given: an invoice paid in full through the payments step
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    preferences = configure(**INVOICES)
    document = taxed_receipt()
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    drive(preferences, source, qb)
    [invoice] = qb.transactions("Invoice")
    assert qb.balance_remaining(invoice.txn_id) == Decimal("0.00")

    # when: everything comes back
    refund(document, "36.90", (document.lines[0].line_id, 2), shipping=True,
           refund_id="fulfillment:3")
    drive(preferences, source, qb)

    # then
    [memo] = qb.transactions("CreditMemo")
    assert memo.total_amount == document.total_gross == Decimal("36.90")
    assert [t.total_amount for t in qb.transactions("ARRefundCreditCard")] == [Decimal("36.90")]
    assert qb.credit_remaining(memo.txn_id) == Decimal("0.00")


def test_money_refunded_without_lines_is_credited_on_the_refund_item(exported_receipt, source):
    preferences, document, qb = exported_receipt()
    refund(document, "5.00")
    drive(preferences, source, qb)
    [memo] = qb.transactions("CreditMemo")
    assert [(ln.item_name, ln.amount) for ln in memo.lines] == [("Saleor Refund",
                                                                 Decimal("5.00"))]
    assert qb.find_item("Saleor Refund") is not None  # added at the head of the set


def test_with_refund_money_off_the_credit_stays_on_the_customers_account(exported_receipt,
                                                                          source):
    preferences, document, qb = exported_receipt(refund_money=False)
    refund(document, "5.00")
    drive(preferences, source, qb)
    [memo] = qb.transactions("CreditMemo")
    assert not qb.transactions("ARRefundCreditCard")
    assert qb.credit_remaining(memo.txn_id) == Decimal("5.00")


def test_a_lost_credit_memo_answer_is_looked_up_and_never_credited_twice(exported_receipt,
                                                                         source):
    # given: QuickBooks added the credit memo, the answer was lost
    preferences, document, qb = exported_receipt(refund_money=False)
    refund(document, "24.60", (document.lines[0].line_id, 1), shipping=True)
    qb.faults.inject("lose_response", on_request="CreditMemoAddRq")
    with contextlib.suppress(Exception):
        drive(preferences, source, qb)
    for row in WebConnectorSession.objects.filter(state="open"):
        sessions.drop(row)

    # when
    run = drive(preferences, source, qb)

    # then
    assert after_check(run) == [["CreditMemoQueryRq"]]
    assert len(qb.transactions("CreditMemo")) == 1
    record = FollowUpRecord.objects.get()
    assert (record.state, record.status_message) == (
        ExportState.DONE, "Confirmed in QuickBooks after a lost answer")


def test_with_record_refunds_off_no_credit_memo_is_made(exported_receipt, source):
    preferences, document, qb = exported_receipt(record_refunds=False)
    refund(document, "5.00")
    assert drive(preferences, source, qb).refused == "none"
    assert not qb.transactions("CreditMemo")


# --- cancellations ----------------------------------------------------------------------------


def cancel(document):
    cancelled = replace(document, status="canceled")
    store_sample_orders([cancelled])
    return cancelled


def test_an_unpaid_invoice_cancelled_in_saleor_is_voided_once(exported_invoice, source):
    # given
    preferences, document, qb = exported_invoice()
    cancel(document)
    # when
    run = drive(preferences, source, qb)
    again = drive(preferences, source, qb)
    # then
    assert after_check(run) == [["TxnVoidRq"]]
    invoice = invoice_of(qb, document)
    assert invoice.is_voided and invoice.total_amount == Decimal("0.00")
    record = FollowUpRecord.objects.get()
    assert (record.kind, record.state, record.txn_id) == ("TxnVoid", ExportState.DONE,
                                                          invoice.txn_id)
    assert again.refused == "none"


def test_a_paid_order_cancelled_in_saleor_is_not_voided_and_says_why(exported_invoice, source):
    # given: the invoice was paid through the payments step, then the order is cancelled
    preferences, document, qb = exported_invoice()
    paid = charge(document, ("a", "20.00"), status=ChargeStatus.FULL)
    drive(preferences, source, qb)
    cancel(paid)
    # when
    drive(preferences, source, qb)
    again = drive(preferences, source, qb)
    # then
    assert not invoice_of(qb, document).is_voided
    record = FollowUpRecord.objects.get(kind="TxnVoid")
    assert record.state == ExportState.FAILED
    assert "money moved" in record.status_message and "was not voided" in record.status_message
    assert again.refused == "none"  # said once, not every update


def test_a_lost_void_answer_is_sent_again_and_voids_once(exported_invoice, source):
    preferences, document, qb = exported_invoice()
    cancel(document)
    qb.faults.inject("lose_response", on_request="TxnVoidRq")
    with contextlib.suppress(Exception):
        drive(preferences, source, qb)
    for row in WebConnectorSession.objects.filter(state="open"):
        sessions.drop(row)
    # when
    run = drive(preferences, source, qb)
    # then
    assert after_check(run) == [["TxnVoidRq"]]
    assert invoice_of(qb, document).is_voided
    states = list(FollowUpRecord.objects.order_by("id").values_list("state", "action"))
    assert states == [(ExportState.FAILED, "resent"), (ExportState.DONE, "")]


def test_with_void_cancelled_off_a_cancelled_order_stays(exported_invoice, source):
    preferences, document, qb = exported_invoice(void_cancelled=False)
    cancel(document)
    assert drive(preferences, source, qb).refused == "none"
    assert not invoice_of(qb, document).is_voided


def test_a_refund_made_before_the_order_was_exported_is_credited_at_the_next_update(
        configure, source, quickbooks):
    # given: Saleor refunded 5.00 of an order before it was transferred
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    preferences = configure(check_duplicates=False, **AUTOMATIC)
    document = refund(taxed_receipt(), "5.00")
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()

    # when: the session that exports it, then the next one
    drive(preferences, source, qb)
    assert not qb.transactions("CreditMemo")  # the export's session compares it no more
    drive(preferences, source, qb)

    # then
    [memo] = qb.transactions("CreditMemo")
    assert memo.total_amount == Decimal("5.00")


# --- on demand: staff queue what follows, see it due, delete it until it is picked up --------


ON_DEMAND = {"export_mode": "on_demand"}


def test_on_demand_what_follows_waits_until_staff_queue_it_then_goes_once(
        exported_invoice, source):
    from saleor_qb_sync.models import OperationKind, OperationStatus, PendingOperation
    from saleor_qb_sync.qbwc.steps.follow_ups import due_documents
    from saleor_qb_sync.transfers import queue_follow_ups

    from ..conftest import STAFF

    # given: an invoice in QuickBooks (on demand), then Saleor charges 12.50
    preferences, document, qb = exported_invoice(**ON_DEMAND)
    charge(document, ("a", "12.50"))

    # when: a Web Connector update runs before anyone queued it
    before = drive(preferences, source, qb)
    # then: nothing went; the payment shows as due
    assert before.refused == "none" and not payments_in(qb)
    [due] = due_documents(preferences, source, [document.order_id])[document.order_id]
    assert (due.kind, due.amount, due.currency) == ("ReceivePayment", Decimal("12.50"), "USD")

    # when: staff queue it, and the next update runs
    operation = queue_follow_ups(source, preferences, STAFF, [document.order_id])
    assert operation.kind == OperationKind.FOLLOW_UPS
    run = drive(preferences, source, qb)
    again = drive(preferences, source, qb)

    # then: one payment, applied to the invoice; the operation is done; nothing more is due
    assert after_check(run) == [["ReceivePaymentAddRq"]]
    assert run.percents[-1] == 100 and again.refused == "none"
    assert [p.total_amount for p in payments_in(qb)] == [Decimal("12.50")]
    operation = PendingOperation.objects.get(pk=operation.pk)
    assert operation.status == OperationStatus.DONE and operation.summary.startswith(
        "1 compared")
    assert due_documents(preferences, source, [document.order_id]) == {}


def test_on_demand_queued_follow_ups_are_refused_twice_or_for_an_order_not_in_quickbooks(
        exported_invoice, stored_order, source):
    from saleor_qb_sync.errors import TransferError
    from saleor_qb_sync.transfers import delete_operations, queue_follow_ups

    from ..conftest import STAFF

    preferences, document, qb = exported_invoice(**ON_DEMAND)
    charge(document, ("a", "12.50"))
    operation = queue_follow_ups(source, preferences, STAFF, [document.order_id])
    with pytest.raises(TransferError) as twice:
        queue_follow_ups(source, preferences, STAFF, [document.order_id])
    assert twice.value.code == "already_queued"
    with pytest.raises(TransferError) as absent:
        queue_follow_ups(source, preferences, STAFF, [stored_order(2).order_id])
    assert absent.value.code == "not_exported" and "#2" in absent.value.message
    # deleted before the update: nothing goes
    delete_operations([operation.public_id], STAFF)
    drive(preferences, source, qb)
    assert not payments_in(qb)


def test_in_automatic_mode_there_is_nothing_to_queue(exported_invoice, source):
    from saleor_qb_sync.errors import TransferError
    from saleor_qb_sync.transfers import queue_follow_ups

    from ..conftest import STAFF

    preferences, document, _ = exported_invoice()
    with pytest.raises(TransferError) as refused:
        queue_follow_ups(source, preferences, STAFF, [document.order_id])
    assert refused.value.code == "automatic_mode"


# --- multicurrency: what follows a foreign-currency transaction is in its currency ----------


def test_a_refund_of_a_euro_sales_receipt_in_a_multicurrency_company_is_in_euros(
        configure, source, quickbooks):
    # given: a 36.90 EUR sales receipt in a USD company with multicurrency on (no set rate:
    # QuickBooks' currency list gives 1.08)
    from saleor_qb_sync.testing.qb_company import Company
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    preferences = configure(check_duplicates=False, exchange_rates="", **AUTOMATIC)
    document = taxed_receipt()
    document = replace(document, currency="EUR")
    store_sample_orders([document])
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks(Company.default(multicurrency=True))
    first = drive(preferences, source, qb)
    assert first.sets[0] == [*CHECK, "CurrencyQueryRq"]
    [receipt] = qb.transactions("SalesReceipt")
    assert (receipt.currency, receipt.total_amount, receipt.exchange_rate) == (
        "Euro", Decimal("36.90"), Decimal("1.08"))

    # when: Saleor refunds one T-shirt and the shipping (24.60 EUR)
    refund(document, "24.60", (document.lines[0].line_id, 1), shipping=True)
    drive(preferences, source, qb)

    # then: the credit memo and the money back are in euros, for the same EUR customer
    [memo] = qb.transactions("CreditMemo")
    [back] = qb.transactions("ARRefundCreditCard")
    assert (memo.currency, memo.total_amount, memo.customer_name) == (
        "Euro", Decimal("24.60"), receipt.customer_name)
    assert (back.currency, back.total_amount) == ("Euro", Decimal("24.60"))
    assert qb.credit_remaining(memo.txn_id) == Decimal("0.00")
    assert memo.fields["ARAccountRef"].name == "Accounts Receivable - EUR"


def test_an_order_in_a_currency_quickbooks_lacks_fails_alone_naming_it(
        configure, stored_order, source, quickbooks):
    from saleor_qb_sync.models import ExportRecord
    from saleor_qb_sync.testing.qb_company import Company
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    preferences = configure(check_duplicates=False)
    swiss, euro = stored_order(1, currency="CHF"), stored_order(2, currency="EUR")
    queue_orders(source, preferences, STAFF, [swiss.order_id, euro.order_id])
    qb = quickbooks(Company.default(multicurrency=True))
    drive(preferences, source, qb)
    assert [t.currency for t in qb.transactions()] == ["Euro"]
    failed = ExportRecord.objects.get(order_number=1)
    assert "it is in CHF, which is not in QuickBooks' currency list" in failed.status_message
