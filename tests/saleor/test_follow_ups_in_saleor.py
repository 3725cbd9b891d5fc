"""What Saleor does after an order is in QuickBooks, driven through Saleor's own mutations, reaches
QuickBooks: an app charging in two parts through the Transaction API and staff marking an order
as paid (Saleor's legacy payment flow) are payments against the invoice; an app reporting a
refund is a credit memo and the money given back; staff cancelling an unpaid order voids its
invoice. The QuickBooks simulator's balances are then Saleor's, to the cent. Needs
QBXML_SCHEMA_DIR and QBWC_WSDL."""

from __future__ import annotations

from decimal import Decimal

import graphene
import pytest

from saleor_qb_sync.documents import to_cents
from saleor_qb_sync.models import ExportState, FollowUpRecord

pytestmark = pytest.mark.django_db(transaction=True)

CREATE = """
mutation charge($id: ID!, $amount: PositiveDecimal!) {
  transactionCreate(id: $id, transaction: {
      name: "Stripe", pspReference: "pi_qb_1",
      amountCharged: {amount: $amount, currency: "USD"}}) {
    transaction { id chargedAmount { amount } }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation charge($id: ID!, $amount: PositiveDecimal!) {
  transactionUpdate(id: $id, transaction: {amountCharged: {amount: $amount, currency: "USD"}}) {
    transaction { id chargedAmount { amount } }
    errors { field code message }
  }
}
"""
REPORT_REFUND = """
mutation refund($id: ID!, $amount: PositiveDecimal!) {
  transactionEventReport(id: $id, type: REFUND_SUCCESS, amount: $amount,
                         pspReference: "re_qb_1") {
    transaction { chargedAmount { amount } refundedAmount { amount } }
    errors { field code message }
  }
}
"""
CANCEL = """
mutation cancel($id: ID!) {
  orderCancel(id: $id) { order { status } errors { field code message } }
}
"""
MARK_AS_PAID = """
mutation paid($id: ID!) {
  orderMarkAsPaid(id: $id) { order { chargeStatus } errors { field code message } }
}
"""


@pytest.fixture
def order_staff_client(staff_api_client, permission_group_manage_orders):
    """A staff member who manages orders in every channel (Saleor's own mutations check the
    order's channel too)."""
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    return staff_api_client


def outstanding(order) -> Decimal:
    order.refresh_from_db()
    return to_cents(order.total_gross_amount) - to_cents(order.total_charged_amount)


def received(quickbooks, invoice) -> list[Decimal]:
    return sorted(p.total_amount for p in quickbooks.transactions("ReceivePayment"))


def test_an_invoice_charged_in_two_parts_through_transactions_is_paid_in_quickbooks(
        qb_configure, make_orders, quickbooks, web_connector, app_api_client,
        permission_manage_payments):
    # given: an unpaid Saleor order, exported as an invoice
    qb_configure(export_mode="automatic", transaction_type="invoice")
    (order,) = make_orders(1)
    web_connector(quickbooks).run_update()
    invoice = quickbooks.find_transaction(str(order.number))
    assert invoice.kind == "Invoice"
    total = to_cents(order.total_gross_amount)
    part = (total / 3).quantize(Decimal("0.01"))
    app_api_client.app.permissions.add(permission_manage_payments)

    # when: an app charges a third through Saleor's transactionCreate, Web Connector runs,
    # then the app charges the rest (transactionUpdate), and Web Connector runs again
    created = app_api_client.post_graphql(CREATE, {
        "id": graphene.Node.to_global_id("Order", order.id), "amount": str(part)}).json()
    assert created["data"]["transactionCreate"]["errors"] == [], created
    web_connector(quickbooks).run_update()
    after_first = (quickbooks.balance_remaining(invoice.txn_id), outstanding(order))
    transaction_id = created["data"]["transactionCreate"]["transaction"]["id"]
    updated = app_api_client.post_graphql(UPDATE, {"id": transaction_id,
                                                   "amount": str(total)}).json()
    assert updated["data"]["transactionUpdate"]["errors"] == [], updated
    web_connector(quickbooks).run_update()
    again = web_connector(quickbooks).run_update()

    # then: QuickBooks' balance follows Saleor's outstanding amount, each part once
    assert after_first == (total - part, total - part)
    assert quickbooks.balance_remaining(invoice.txn_id) == outstanding(order) == Decimal("0.00")
    assert received(quickbooks, invoice) == sorted([part, total - part])
    assert again.authenticate.status == "none"
    assert list(FollowUpRecord.objects.values_list("state", flat=True)) == [ExportState.DONE] * 2


def test_an_order_staff_mark_as_paid_is_paid_in_quickbooks(
        qb_configure, make_orders, quickbooks, web_connector, order_staff_client):
    # given: an unpaid order exported as an invoice
    qb_configure(export_mode="automatic", transaction_type="invoice")
    (order,) = make_orders(1)
    web_connector(quickbooks).run_update()
    invoice = quickbooks.find_transaction(str(order.number))

    # when: staff mark it as paid in Saleor (its own orderMarkAsPaid), Web Connector runs
    answer = order_staff_client.post_graphql(MARK_AS_PAID, {
        "id": graphene.Node.to_global_id("Order", order.id)}).json()
    assert (answer["data"]["orderMarkAsPaid"] or {}).get("errors") == [], answer
    web_connector(quickbooks).run_update()

    # then
    assert quickbooks.balance_remaining(invoice.txn_id) == outstanding(order) == Decimal("0.00")
    assert received(quickbooks, invoice) == [to_cents(order.total_gross_amount)]


def test_a_refund_an_app_reports_is_a_credit_memo_and_the_money_given_back(
        qb_configure, make_orders, quickbooks, web_connector, app_api_client,
        permission_manage_payments):
    # given: an order charged in full by an app (a sales receipt by payment status)
    qb_configure(export_mode="automatic")
    (order,) = make_orders(1)
    app_api_client.app.permissions.add(permission_manage_payments)
    total = to_cents(order.total_gross_amount)
    created = app_api_client.post_graphql(CREATE, {
        "id": graphene.Node.to_global_id("Order", order.id), "amount": str(total)}).json()
    assert created["data"]["transactionCreate"]["errors"] == [], created
    web_connector(quickbooks).run_update()
    receipt = quickbooks.find_transaction(str(order.number))
    assert receipt.kind == "SalesReceipt"

    # when: the app reports a refund of 10.00 through Saleor, and Web Connector runs
    reported = app_api_client.post_graphql(REPORT_REFUND, {
        "id": created["data"]["transactionCreate"]["transaction"]["id"],
        "amount": "10.00"}).json()
    assert reported["data"]["transactionEventReport"]["errors"] == [], reported
    web_connector(quickbooks).run_update()
    again = web_connector(quickbooks).run_update()

    # then: a credit memo of Saleor's refunded amount, refunded, once
    [memo] = quickbooks.transactions("CreditMemo")
    assert memo.total_amount == Decimal("10.00")
    assert [t.total_amount for t in quickbooks.transactions("ARRefundCreditCard")] == [
        Decimal("10.00")]
    assert quickbooks.credit_remaining(memo.txn_id) == Decimal("0.00")
    assert again.authenticate.status == "none"


def test_an_unpaid_order_staff_cancel_has_its_invoice_voided(
        qb_configure, make_orders, quickbooks, web_connector, order_staff_client):
    qb_configure(export_mode="automatic", transaction_type="invoice")
    (order,) = make_orders(1)
    web_connector(quickbooks).run_update()
    invoice = quickbooks.find_transaction(str(order.number))

    # when: staff cancel it in Saleor (its own orderCancel), and Web Connector runs
    answer = order_staff_client.post_graphql(CANCEL, {
        "id": graphene.Node.to_global_id("Order", order.id)}).json()
    assert (answer["data"]["orderCancel"] or {}).get("errors") == [], answer
    web_connector(quickbooks).run_update()

    # then
    assert quickbooks.find_transaction_by_id(invoice.txn_id).is_voided
    assert quickbooks.find_transaction_by_id(invoice.txn_id).total_amount == Decimal("0.00")



TRANSFER_QUEUE = """
mutation queue($ids: [ID!]) {
  qbOrderTransferQueue(input: {orderIds: $ids}) { errors { field code message } }
}
"""
FOLLOW_UPS_QUEUE = """
mutation queue($ids: [ID!]!) {
  qbFollowUpsQueue(orderIds: $ids) {
    pendingOperation { kind orderCount } errors { field code message }
  }
}
"""
PREVIEW_DUE = """
query {
  qbOrderTransferPreview(filter: {includeExported: true}, first: 20) {
    edges { node { number followUpsDue { kind amount { amount currency } } } }
  }
}
"""


def test_on_demand_a_charge_is_shown_due_and_goes_once_staff_queue_it(
        qb_configure, make_orders, quickbooks, web_connector, app_api_client,
        permission_manage_payments, manage_orders_staff_client):
    from .conftest import qb_graphql

    # given: on demand, an unpaid order staff exported as an invoice; then an app charges 10.00
    qb_configure(export_mode="on_demand", transaction_type="invoice")
    (order,) = make_orders(1)
    order_id = graphene.Node.to_global_id("Order", order.id)
    queued = qb_graphql(manage_orders_staff_client, TRANSFER_QUEUE, {"ids": [order_id]}).json()
    assert queued["data"]["qbOrderTransferQueue"]["errors"] == [], queued
    web_connector(quickbooks).run_update()
    invoice = quickbooks.find_transaction(str(order.number))
    app_api_client.app.permissions.add(permission_manage_payments)
    created = app_api_client.post_graphql(CREATE, {"id": order_id, "amount": "10.00"}).json()
    assert created["data"]["transactionCreate"]["errors"] == [], created

    # when: Web Connector runs before anyone queued it
    web_connector(quickbooks).run_update()
    # then: nothing went; the preview shows the payment due
    assert quickbooks.transactions("ReceivePayment") == []
    rows = qb_graphql(manage_orders_staff_client, PREVIEW_DUE).json()["data"][
        "qbOrderTransferPreview"]["edges"]
    [row] = [r["node"] for r in rows if r["node"]["number"] == order.number]
    assert row["followUpsDue"] == [{"kind": "PAYMENT",
                                    "amount": {"amount": 10.0, "currency": "USD"}}]

    # when: staff queue it, and Web Connector runs twice
    result = qb_graphql(manage_orders_staff_client, FOLLOW_UPS_QUEUE, {"ids": [order_id]}).json()
    assert result["data"]["qbFollowUpsQueue"]["errors"] == [], result
    assert result["data"]["qbFollowUpsQueue"]["pendingOperation"] == {"kind": "FOLLOW_UPS",
                                                                      "orderCount": 1}
    web_connector(quickbooks).run_update()
    web_connector(quickbooks).run_update()

    # then: received once; QuickBooks' balance is Saleor's outstanding amount
    assert received(quickbooks, invoice) == [Decimal("10.00")]
    assert quickbooks.balance_remaining(invoice.txn_id) == outstanding(order)
