"""An order edited in Saleor after its export, through Saleor's own ``orderUpdate``: our app
shows it as changed since export (``qbOrderExport``), staff choose Update in QuickBooks
(``qbOrderUpdateInQuickbooks``), and the next Web Connector run modifies the invoice in the
QuickBooks simulator (``InvoiceMod``): the same invoice, the new address, its lines and total
unchanged. Needs QBXML_SCHEMA_DIR and QBWC_WSDL."""

from __future__ import annotations

import graphene
import pytest

from saleor_qb_sync.models import ExportState, FollowUpKind, FollowUpRecord

from .conftest import qb_graphql

pytestmark = pytest.mark.django_db(transaction=True)

ORDER_UPDATE = """
mutation edit($id: ID!, $address: AddressInput!) {
  orderUpdate(id: $id, input: {shippingAddress: $address}) {
    order { status shippingAddress { streetAddress1 city } }
    errors { field code message }
  }
}
"""
ORDER_EXPORT = """
query($id: ID!) { qbOrderExport(orderId: $id) {
  changedSinceExport changesSinceExport { field before after } } }
"""
UPDATE_IN_QUICKBOOKS = """
mutation($id: ID!) { qbOrderUpdateInQuickbooks(orderId: $id) {
  errors { field code message } orderExport { updateRequestedAt } } }
"""
MOVED = {"firstName": "Jane", "lastName": "Doe", "streetAddress1": "77 Harbour Road",
         "city": "PORTLAND", "postalCode": "04101", "country": "US", "countryArea": "ME"}


@pytest.fixture
def order_staff_client(staff_api_client, permission_group_manage_orders):
    """A staff member who manages orders in every channel (Saleor's orderUpdate checks the
    order's channel)."""
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    return staff_api_client


def test_a_shipping_address_changed_with_order_update_updates_the_invoice_once(
        qb_configure, make_orders, quickbooks, web_connector, order_staff_client):
    # given: an order exported as an invoice
    qb_configure(export_mode="automatic", transaction_type="invoice")
    (order,) = make_orders(1)
    # Saleor's order_generator gives both addresses one Address row (a checkout copies each):
    # the billing address gets its own, so that orderUpdate changes the shipping one alone
    order.billing_address = order.billing_address.get_copy()
    order.save(update_fields=["billing_address"])
    web_connector(quickbooks).run_update()
    invoice = quickbooks.find_transaction(str(order.number))
    assert invoice.kind == "Invoice"
    invoices = len(quickbooks.transactions("Invoice"))  # the fixtures' other order's too
    before = dict(invoice.fields.get("ShipAddress") or {})
    total, lines = invoice.total_amount, len(invoice.lines)
    order_id = graphene.Node.to_global_id("Order", order.id)

    # when: staff change its shipping address with Saleor's own orderUpdate
    edited = order_staff_client.post_graphql(ORDER_UPDATE, {"id": order_id,
                                                            "address": MOVED}).json()
    assert edited["data"]["orderUpdate"]["errors"] == [], edited
    # our app shows what changed, and staff ask for the update
    shown = qb_graphql(order_staff_client, ORDER_EXPORT, {"id": order_id}).json()
    asked = qb_graphql(order_staff_client, UPDATE_IN_QUICKBOOKS, {"id": order_id}).json()
    # and Web Connector runs twice
    first = web_connector(quickbooks).run_update()
    again = web_connector(quickbooks).run_update()

    # then: shown as changed, the shipping address its only change
    state = shown["data"]["qbOrderExport"]
    assert state["changedSinceExport"], shown
    [change] = state["changesSinceExport"]
    assert change["field"] == "SHIP_ADDRESS" and "77 Harbour Road" in change["after"]
    assert asked["data"]["qbOrderUpdateInQuickbooks"]["errors"] == [], asked
    # the same invoice, modified once, with Saleor's new address and the same money
    updated = quickbooks.find_transaction(str(order.number))
    assert updated.txn_id == invoice.txn_id
    assert len(quickbooks.transactions("Invoice")) == invoices
    assert updated.fields["ShipAddress"] != before
    assert updated.fields["ShipAddress"]["City"] == "PORTLAND"
    assert "77 Harbour Road" in updated.fields["ShipAddress"].values()
    assert updated.fields["BillAddress"] == invoice.fields["BillAddress"]
    assert (updated.total_amount, len(updated.lines)) == (total, lines)
    assert sum("<InvoiceModRq" in xml for xml in first.requests_sent) == 1
    assert not any("<InvoiceModRq" in xml for xml in again.requests_sent)
    [record] = FollowUpRecord.objects.filter(kind=FollowUpKind.MODIFICATION)
    assert record.state == ExportState.DONE and record.txn_id == invoice.txn_id
