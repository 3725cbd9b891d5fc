"""End to end inside Saleor: Web Connector emulator → Saleor's live server → our SOAP route →
QuickBooks simulator, with Saleor's real orders. Needs QBXML_SCHEMA_DIR and QBWC_WSDL."""

from __future__ import annotations

from decimal import Decimal

import graphene
import pytest
from saleor.order import OrderStatus

from saleor_qb_sync.documents import to_cents
from saleor_qb_sync.models import ExportedOrder, ExportRecord, ExportState

from .conftest import QBWC_USER, qb_graphql

# the live server runs in another thread: the data must be committed
pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = """
mutation queue($input: QbOrderTransferQueueInput!) {
  qbOrderTransferQueue(input: $input) { errors { field code message } pendingOperation { id } }
}
"""


#: the rate the tests give PLN orders (home currency USD per PLN)
PLN_RATE = Decimal("0.25")


def saleor_total(order) -> Decimal:
    order.refresh_from_db()
    return to_cents(order.total_gross_amount)


def in_usd(order) -> Decimal:
    """What QuickBooks (home currency USD) books for the order: PLN converted at PLN_RATE."""
    total = saleor_total(order)
    return to_cents(total * PLN_RATE) if order.currency == "PLN" else total


def assert_in_quickbooks_to_the_cent(qb, orders):
    for order in orders:
        txn = qb.find_transaction(str(order.number))
        assert txn is not None, f"order {order.number} is not in QuickBooks"
        assert txn.total_amount == in_usd(order), (order.number, txn.total_amount)


def test_an_order_in_a_currency_without_a_rate_is_refused_with_the_reason(
        qb_plugin, order_with_lines_channel_PLN, manage_orders_staff_client, quickbooks,
        web_connector):
    # given: a PLN order queued; the USD company has no rate for PLN
    response = qb_graphql(manage_orders_staff_client, QUEUE, {"input": {"orderIds": [
        graphene.Node.to_global_id("Order", order_with_lines_channel_PLN.id)]}})
    assert response.json()["data"]["qbOrderTransferQueue"]["errors"] == []

    # when
    web_connector(quickbooks).run_update()

    # then: nothing booked with PLN numbers; the reason names the setting
    assert quickbooks.transactions() == []
    record = ExportRecord.objects.get()
    assert record.state == ExportState.FAILED
    assert "Exchange rates" in record.status_message and "PLN" in record.status_message


def test_a_pln_order_into_a_multicurrency_company_is_booked_in_zloty_with_saleors_total(
        qb_plugin, order_with_lines_channel_PLN, manage_orders_staff_client, qbxml_schema,
        web_connector):
    # given: QuickBooks with multicurrency on (home US Dollar, Polish Zloty in its list at
    # 0.25); the same PLN order, queued, and no rate in the settings
    from saleor_qb_sync.testing.qb_company import Company
    from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator

    quickbooks = QuickBooksSimulator(Company.default(multicurrency=True), schema=qbxml_schema)
    order = order_with_lines_channel_PLN
    response = qb_graphql(manage_orders_staff_client, QUEUE, {"input": {"orderIds": [
        graphene.Node.to_global_id("Order", order.id)]}})
    assert response.json()["data"]["qbOrderTransferQueue"]["errors"] == []

    # when
    web_connector(quickbooks).run_update()

    # then: booked in zloty with Saleor's own total, for a customer in zloty, once
    [txn] = quickbooks.transactions()
    assert (txn.currency, txn.total_amount) == ("Polish Zloty", saleor_total(order))
    assert txn.total_amount_in_home_currency == to_cents(saleor_total(order) * PLN_RATE)
    assert txn.customer_name.endswith(" (PLN)")
    assert quickbooks.find_customer(txn.customer_name).currency == "Polish Zloty"
    record = ExportRecord.objects.get()
    assert (record.state, record.currency, record.txn_id) == (ExportState.DONE, "PLN",
                                                              txn.txn_id)


def test_queued_saleor_orders_reach_quickbooks_with_saleors_totals(
        qb_configure, voucher_order, order_with_lines_channel_PLN, guest_order, gift_card_order,
        paid_order, manage_orders_staff_client, quickbooks, web_connector):
    # given: five real orders (voucher + Saleor's taxes, a second channel in PLN, a guest,
    # a gift card, one fully charged through the Transaction API), queued through our GraphQL
    # route by a staff member; the company is in USD and converts PLN at a set rate
    qb_configure(exchange_rates=f"PLN={PLN_RATE}")
    orders = [voucher_order, order_with_lines_channel_PLN, guest_order, gift_card_order,
              paid_order]
    response = qb_graphql(manage_orders_staff_client, QUEUE, {"input": {"orderIds": [
        graphene.Node.to_global_id("Order", o.id) for o in orders]}})
    assert response.json()["data"]["qbOrderTransferQueue"]["errors"] == []

    # when
    report = web_connector(quickbooks, strict=True).run_update()

    # then
    assert report.calls[:3] == ["serverVersion", "clientVersion", "authenticate"]
    assert "sendRequestXML" in report.calls
    assert report.calls[-1] == "closeConnection"
    assert not ExportRecord.objects.filter(state=ExportState.FAILED).exists(), list(
        ExportRecord.objects.values_list("order_number", "status_message"))
    assert ExportedOrder.objects.count() == 5
    assert_in_quickbooks_to_the_cent(quickbooks, orders)
    assert len(quickbooks.transactions()) == 5
    assert sum((t.total_amount for t in quickbooks.transactions()), Decimal(0)) == sum(
        (in_usd(o) for o in orders), Decimal(0))
    # by_payment_status: the fully charged order is a sales receipt, the others invoices
    assert quickbooks.find_transaction(str(paid_order.number)).kind == "SalesReceipt"
    assert quickbooks.find_transaction(str(guest_order.number)).kind == "Invoice"
    # a second run finds nothing new
    again = web_connector(quickbooks).run_update()
    assert again.authenticate.status == "none"
    assert len(quickbooks.transactions()) == 5


def test_automatic_mode_exports_an_order_placed_after_the_first_sync(
        qb_configure, make_orders, quickbooks, web_connector):
    # given: automatic mode and two placed orders, synced once
    qb_configure(export_mode="automatic")
    first = make_orders(2)
    web_connector(quickbooks).run_update()
    assert_in_quickbooks_to_the_cent(quickbooks, first)
    exported_before = set(ExportedOrder.objects.values_list("order_id", flat=True))

    # when: a customer places a new order, and Web Connector runs again
    (new,) = make_orders(1)
    assert new.status == OrderStatus.UNFULFILLED
    report = web_connector(quickbooks).run_update()

    # then: only the new order went over
    assert "sendRequestXML" in report.calls
    assert_in_quickbooks_to_the_cent(quickbooks, [new])
    exported = set(ExportedOrder.objects.values_list("order_id", flat=True))
    assert exported - exported_before == {new.id}
    refs = [t.ref_number for t in quickbooks.transactions()]
    assert len(refs) == len(set(refs))  # nothing twice


def test_the_web_connector_with_a_wrong_password_gets_nothing(
        qb_plugin, make_orders, quickbooks, web_connector):
    # given: automatic work is waiting
    make_orders(1)

    # when
    report = web_connector(quickbooks, username=QBWC_USER, password="guess").run_update()

    # then
    assert report.authenticate.status == "nvu"
    assert "sendRequestXML" not in report.calls
    assert quickbooks.transactions() == []
