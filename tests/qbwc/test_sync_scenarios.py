"""End-to-end scenarios of the brief: duplicates, modes, faults, rejections, authentication.

Each drives Web Connector's real call sequence (emulator built from Intuit's WSDL) against our
live endpoint, with the QuickBooks simulator behind it, and checks what ends up in QuickBooks
and in the ledger.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import F

from saleor_qb_sync.models import (
    AuthenticationAttempt,
    ExportedOrder,
    ExportRecord,
    ExportState,
    QuickBooksName,
    WebConnectorSession,
)
from saleor_qb_sync.testing.web_connector import SessionEnd
from saleor_qb_sync.transfers import Actor, queue_orders, reset_orders

from ..conftest import booked_total

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor(user_id="7", email="staff@example.com")


def eligible(documents, preferences):
    return [d for d in documents if d.status in preferences.eligible_statuses]


def queue(source, preferences, documents):
    return queue_orders(source, preferences, STAFF, [d.order_id for d in documents])


def next_scheduled_run():
    """Move the clock past the session timeout, as Web Connector's schedule would."""
    WebConnectorSession.objects.update(last_seen_at=F("last_seen_at") - timedelta(minutes=30),
                                       started_at=F("started_at") - timedelta(minutes=30))


def refs(qb):
    return sorted(t.ref_number for t in qb.transactions())


def test_with_check_duplicates_an_order_already_in_quickbooks_is_linked_not_added_again(
        configure, orders, source, quickbooks, web_connector):
    # given: orders exported once, then marked "not exported" (a store switching tools)
    preferences = configure(check_duplicates=True)
    documents = eligible(orders(6, seed=21), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()
    web_connector(qb).run_update()
    first_ids = {t.ref_number: t.txn_id for t in qb.transactions()}
    reset_orders([d.order_id for d in documents], STAFF)
    queue(source, preferences, documents)

    # when
    web_connector(qb).run_update()

    # then: nothing added twice, every order linked to the transaction already there
    assert refs(qb) == sorted(first_ids)
    linked = ExportRecord.objects.filter(linked_existing=True, state=ExportState.DONE)
    assert {r.ref_number: r.txn_id for r in linked} == first_ids
    assert ExportedOrder.objects.count() == len(documents)


def test_without_check_duplicates_a_queued_order_is_sent_again(
        configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure(check_duplicates=False)
    documents = eligible(orders(4, seed=22), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()
    web_connector(qb).run_update()

    # when: the same orders are queued again
    queue(source, preferences, documents)
    web_connector(qb).run_update()

    # then: QuickBooks has each of them twice, as the preference says
    assert refs(qb) == sorted([str(d.number) for d in documents] * 2)
    assert ExportRecord.objects.filter(state=ExportState.DONE).count() == 2 * len(documents)


def test_on_demand_mode_exports_nothing_that_was_not_queued(
        configure, orders, quickbooks, web_connector):
    # given
    configure(export_mode="on_demand")
    orders(5, seed=23)
    qb = quickbooks()

    # when
    report = web_connector(qb).run_update()

    # then
    assert report.ended_by == SessionEnd.NO_WORK
    assert qb.transactions() == []


def test_automatic_mode_exports_every_eligible_order_without_a_queue_and_only_once(
        configure, orders, quickbooks, web_connector):
    # given
    preferences = configure(export_mode="automatic", export_start_date="2026-03-01")
    documents = orders(30, seed=24)
    expected = sorted(str(d.number) for d in documents
                      if d.status in preferences.eligible_statuses
                      and d.created_at.date() >= date(2026, 3, 1))
    qb = quickbooks()

    # when
    first = web_connector(qb).run_update()
    second = web_connector(qb).run_update()

    # then
    assert first.ended_by == SessionEnd.COMPLETED
    assert refs(qb) == expected
    assert second.ended_by == SessionEnd.NO_WORK


def test_a_lost_response_is_reconciled_in_the_next_session_without_a_duplicate(
        configure, orders, source, quickbooks, web_connector):
    # given: QuickBooks adds the orders but Web Connector never delivers the answer
    preferences = configure(check_duplicates=False, orders_per_request=50)
    documents = eligible(orders(8, seed=25), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()
    qb.faults.inject("lose_response", on_request="AddRq")  # the adds' answer is lost

    # when: Web Connector comes back on its next scheduled run
    dropped = web_connector(qb).run_update()
    in_quickbooks = len(qb.transactions())
    next_scheduled_run()
    again = web_connector(qb).run_update()

    # then: the lost answer was the write set's (QuickBooks had added them all)
    assert dropped.ended_by == SessionEnd.RESPONSE_LOST
    assert in_quickbooks == len(documents)
    assert again.ended_by == SessionEnd.COMPLETED
    assert refs(qb) == sorted(str(d.number) for d in documents)
    assert ExportedOrder.objects.count() == len(documents)
    assert not ExportRecord.objects.filter(state=ExportState.NEEDS_RECONCILING).exists()


def test_a_lost_answer_for_a_set_quickbooks_never_processed_sends_the_orders_again(
        configure, orders, source, quickbooks, web_connector):
    # given: Web Connector dies before QuickBooks processes the adds
    preferences = configure(check_duplicates=False, orders_per_request=50)
    documents = eligible(orders(5, seed=26), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()
    qb.faults.inject("connection_failure", on_request="AddRq")  # the adds never arrive
    first = web_connector(qb).run_update()
    assert qb.transactions() == []

    # when
    second = web_connector(qb).run_update()

    # then
    assert first.hresults and first.ended_by == SessionEnd.STOPPED_ON_ERROR
    assert second.ended_by == SessionEnd.COMPLETED
    assert refs(qb) == sorted(str(d.number) for d in documents)


def test_quickbooks_that_cannot_be_opened_gets_connection_error_and_loses_nothing(
        configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure()
    documents = eligible(orders(3, seed=27), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()

    # when
    failed = web_connector(qb, open_company_fails_with=(
        "0x80040408", "Could not start QuickBooks.")).run_update()
    later = web_connector(qb).run_update()

    # then
    assert "connectionError" in failed.calls
    assert failed.ended_by == SessionEnd.CONNECTION_ERROR_DONE
    assert later.ended_by == SessionEnd.COMPLETED
    assert len(qb.transactions()) == len(documents)


def test_an_order_quickbooks_rejects_is_recorded_and_the_others_are_exported(
        configure, orders, source, quickbooks, web_connector):
    # given: the company's books are closed up to a date between the orders
    preferences = configure(orders_per_request=50)
    documents = eligible(orders(12, seed=28, span_days=60), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()
    closing = sorted(d.created_at.date() for d in documents)[len(documents) // 2]
    qb.closing_date = closing

    # when
    report = web_connector(qb).run_update()

    # then
    rejected = [d for d in documents if d.created_at.date() <= closing]
    accepted = [d for d in documents if d.created_at.date() > closing]
    assert report.ended_by == SessionEnd.COMPLETED
    assert refs(qb) == sorted(str(d.number) for d in accepted)
    failed = ExportRecord.objects.filter(state=ExportState.FAILED)
    assert sorted(r.order_number for r in failed) == sorted(d.number for d in rejected)
    assert all(r.status_code == 3171 and "closing date" in r.action.lower() for r in failed)
    assert "failed: see history" in report.close_message


def test_an_item_missing_from_quickbooks_is_created_and_the_order_retried_once(
        configure, orders, source, quickbooks, web_connector):
    # given: our cache believes QuickBooks has every item, but the company has none of them
    preferences = configure(orders_per_request=50)
    documents = eligible(orders(3, seed=29), preferences)
    from saleor_qb_sync.qbxml.mapping import map_order

    names = {i.name for d in documents for i in map_order(d, preferences).items}
    QuickBooksName.objects.bulk_create([QuickBooksName(kind="item", name=n) for n in names])
    queue(source, preferences, documents)
    qb = quickbooks()

    # when
    report = web_connector(qb).run_update()

    # then
    assert report.ended_by == SessionEnd.COMPLETED
    assert refs(qb) == sorted(str(d.number) for d in documents)
    assert ExportRecord.objects.filter(state=ExportState.FAILED, status_code=3140,
                                       action="retried").exists()
    assert ExportedOrder.objects.count() == len(documents)


def test_the_ledger_totals_equal_quickbooks_totals(
        configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure(transaction_type="sales_order")
    documents = eligible(orders(8, seed=30), preferences)
    queue(source, preferences, documents)
    qb = quickbooks()

    # when
    web_connector(qb).run_update()

    # then
    in_qb = {t.ref_number: (t.kind, t.total_amount) for t in qb.transactions()}
    for d in documents:
        assert in_qb[str(d.number)] == ("SalesOrder", booked_total(d))


def test_password_guessing_makes_that_address_wait_even_for_the_right_password_until_unlocked(
        configure, orders, source, quickbooks, web_connector):
    # given
    preferences = configure()
    queue(source, preferences, eligible(orders(3, seed=31), preferences))
    qb = quickbooks()
    for _ in range(5):
        assert web_connector(qb, password="wrong").run_update().ended_by == (
            SessionEnd.INVALID_USER)

    # when
    report = web_connector(qb).run_update()

    # then: "busy" (Web Connector's "Application busy"), the password not even checked
    assert report.ended_by == SessionEnd.BUSY
    assert AuthenticationAttempt.objects.filter(succeeded=False).count() == 5
    assert qb.transactions() == []
    call_command("qb_unlock")
    assert web_connector(qb).run_update().ended_by == SessionEnd.COMPLETED


def test_a_euro_order_into_a_usd_multicurrency_company_lands_once_in_euros_and_is_paid(
        configure, stored_order, source, quickbooks, web_connector):
    # given: QuickBooks with multicurrency on (home US Dollar); a EUR order, queued; the
    # invoice's answer is lost on the way back
    from decimal import Decimal

    from saleor_qb_sync.documents import ChargeStatus, to_cents
    from saleor_qb_sync.testing.qb_company import Company

    from .steps.test_follow_ups import charge

    preferences = configure(transaction_type="invoice", check_duplicates=False,
                            exchange_rates="EUR=1.0815")
    document = stored_order(31, currency="EUR", charge_status=ChargeStatus.NONE)
    queue(source, preferences, [document])
    qb = quickbooks(Company.default(multicurrency=True))
    qb.faults.inject("lose_response", on_request="InvoiceAddRq")

    # when: the update that lost the answer, then the next scheduled one
    dropped = web_connector(qb).run_update()
    next_scheduled_run()
    again = web_connector(qb).run_update()

    # then: one invoice, in euros for a customer in euros, at the set rate, on EUR receivables
    assert dropped.ended_by == SessionEnd.RESPONSE_LOST
    assert again.ended_by == SessionEnd.COMPLETED
    [invoice] = qb.transactions("Invoice")
    total = to_cents(document.total_gross)
    assert (invoice.currency, invoice.exchange_rate, invoice.total_amount) == (
        "Euro", Decimal("1.0815"), total)
    assert invoice.total_amount_in_home_currency == to_cents(total * Decimal("1.0815"))
    assert invoice.customer_name == "Jane Doe (EUR)"
    assert qb.find_customer("Jane Doe (EUR)").currency == "Euro"
    assert invoice.fields["ARAccountRef"].name == "Accounts Receivable - EUR"
    record = ExportRecord.objects.get(state=ExportState.DONE)
    assert (record.currency, record.total_amount, record.txn_id) == ("EUR", total,
                                                                     invoice.txn_id)

    # when: Saleor charges part of it, staff queue what follows, and an update runs
    from saleor_qb_sync.transfers import queue_follow_ups

    charge(document, ("a", "12.50"))
    queue_follow_ups(source, preferences, STAFF, [document.order_id])
    next_scheduled_run()
    paid = web_connector(qb).run_update()

    # then: the payment is in euros, applied to the invoice; the balance is Saleor's to the cent
    assert paid.ended_by == SessionEnd.COMPLETED
    [payment] = qb.transactions("ReceivePayment")
    assert (payment.currency, payment.total_amount, payment.exchange_rate) == (
        "Euro", Decimal("12.50"), Decimal("1.0815"))
    assert qb.balance_remaining(invoice.txn_id) == total - Decimal("12.50")
