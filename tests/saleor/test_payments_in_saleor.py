"""Payments driven through Saleor's own mutations reach QuickBooks against the order's invoice:
an app charging in two parts through the Transaction API, and staff marking an order as paid
(Saleor's legacy payment flow). The QuickBooks simulator's invoice balance is then Saleor's
outstanding amount, to the cent. Needs QBXML_SCHEMA_DIR and QBWC_WSDL."""

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
MARK_AS_PAID = """
mutation paid($id: ID!) {
  orderMarkAsPaid(id: $id) { order { chargeStatus } errors { field code message } }
}
"""


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
        qb_configure, make_orders, quickbooks, web_connector, manage_orders_staff_client):
    # given: an unpaid order exported as an invoice
    qb_configure(export_mode="automatic", transaction_type="invoice")
    (order,) = make_orders(1)
    web_connector(quickbooks).run_update()
    invoice = quickbooks.find_transaction(str(order.number))

    # when: staff mark it as paid in Saleor (its own orderMarkAsPaid), Web Connector runs
    answer = manage_orders_staff_client.post_graphql(MARK_AS_PAID, {
        "id": graphene.Node.to_global_id("Order", order.id)}).json()
    assert answer["data"]["orderMarkAsPaid"]["errors"] == [], answer
    web_connector(quickbooks).run_update()

    # then
    assert quickbooks.balance_remaining(invoice.txn_id) == outstanding(order) == Decimal("0.00")
    assert received(quickbooks, invoice) == [to_cents(order.total_gross_amount)]
