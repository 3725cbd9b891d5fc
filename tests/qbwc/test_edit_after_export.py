"""An edit after export, the way staff and Web Connector drive it: the Web Connector emulator
against our live SOAP endpoint and the QuickBooks simulator, the app's GraphQL API in between.
The order's shipping address changes in Saleor after its invoice is in QuickBooks: the app
shows it as changed since export, staff choose Update in QuickBooks, and the next run updates
the invoice (``InvoiceMod``), once, even when Web Connector loses QuickBooks' answer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db.models import F

from saleor_qb_sync.documents import Address, ChargeStatus
from saleor_qb_sync.models import (
    ExportedOrder,
    ExportState,
    FollowUpKind,
    FollowUpRecord,
    WebConnectorSession,
)
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.standalone.order_source import store_sample_orders
from saleor_qb_sync.testing.web_connector import SessionEnd
from saleor_qb_sync.transfers import Actor, queue_orders

from ..conftest import STAFF_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor(user_id="7", email="staff@example.com")
GRAPHQL = "/plugins/global/saleor_qb_sync/graphql/"
HOME = Address(first_name="Jane", last_name="Doe", street_address_1="1 Main St",
               city="Springfield", postal_code="62701", country_code="US", country_area="IL")
MOVED = Address(first_name="Jane", last_name="Doe", street_address_1="77 Harbour Rd",
                city="Portland", postal_code="04101", country_code="US", country_area="ME")
ORDER_EXPORT = """query($id: ID!) { qbOrderExport(orderId: $id) {
  changedSinceExport updateRequestedAt changesSinceExport { field before after }
  documents { kind state message } } }"""
UPDATE = """mutation($id: ID!) { qbOrderUpdateInQuickbooks(orderId: $id) {
  errors { code } orderExport { updateRequestedAt } } }"""


def graphql(client, query: str, **variables) -> dict:
    response = client.post(GRAPHQL, data=json.dumps({"query": query, "variables": variables}),
                           content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {STAFF_TOKEN}")
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def next_scheduled_run():
    """Move the clock past the session timeout, as Web Connector's schedule would."""
    WebConnectorSession.objects.update(last_seen_at=F("last_seen_at") - timedelta(minutes=30),
                                       started_at=F("started_at") - timedelta(minutes=30))


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer lost"])
def test_an_edited_shipping_address_updates_the_invoice_once(
        configure, stored_order, source, quickbooks, web_connector, client, lost):
    # given: an invoice in QuickBooks
    preferences = configure(transaction_type="invoice", check_duplicates=False)
    document = stored_order(1, charge_status=ChargeStatus.NONE, billing_address=HOME,
                            shipping_address=HOME)
    queue_orders(source, preferences, STAFF, [document.order_id])
    qb = quickbooks()
    assert web_connector(qb, strict=True).run_update().ended_by == SessionEnd.COMPLETED
    [invoice] = qb.transactions("Invoice")
    order_id = to_global_id("Order", document.order_id)

    # when: staff change the shipping address in Saleor; the app shows it
    store_sample_orders([replace(document, shipping_address=MOVED)])
    shown = graphql(client, ORDER_EXPORT, id=order_id)["qbOrderExport"]
    # staff choose Update in QuickBooks, and Web Connector runs (losing the answer, or not)
    asked = graphql(client, UPDATE, id=order_id)["qbOrderUpdateInQuickbooks"]
    if lost:
        qb.faults.inject("lose_response", on_request="InvoiceModRq")
    runs = [web_connector(qb, strict=not lost).run_update()]
    if lost:
        next_scheduled_run()
        runs.append(web_connector(qb, strict=True).run_update())
    after = graphql(client, ORDER_EXPORT, id=order_id)["qbOrderExport"]

    # then: it was shown with what changed, and asked for
    assert shown["changedSinceExport"]
    assert shown["changesSinceExport"] == [{
        "field": "SHIP_ADDRESS", "before": "Jane Doe, 1 Main St, Springfield IL 62701, US",
        "after": "Jane Doe, 77 Harbour Rd, Portland ME 04101, US"}]
    assert asked["errors"] == [] and asked["orderExport"]["updateRequestedAt"]
    # QuickBooks has one invoice, the same one, with the new address and the same lines
    [updated] = qb.transactions("Invoice")
    assert updated.txn_id == invoice.txn_id and len(qb.transactions()) == 1
    assert updated.fields["ShipAddress"]["Addr2"] == "77 Harbour Rd"
    assert updated.fields["ShipAddress"]["City"] == "Portland"
    assert updated.total_amount == invoice.total_amount
    # one Mod reached QuickBooks; a lost answer was settled by reading the invoice
    mods = [xml for run in runs for xml in run.requests_sent if "<InvoiceModRq" in xml]
    assert len(mods) == 1
    if lost:
        assert runs[0].ended_by == SessionEnd.RESPONSE_LOST
        assert any("<InvoiceQueryRq" in xml and invoice.txn_id in xml
                   for xml in runs[1].requests_sent)
    [record] = FollowUpRecord.objects.filter(kind=FollowUpKind.MODIFICATION)
    assert record.state == ExportState.DONE and record.txn_id == invoice.txn_id
    # and the app says so: no longer changed, the update in the order's documents
    assert not after["changedSinceExport"] and after["updateRequestedAt"] is None
    assert [(d["kind"], d["state"]) for d in after["documents"]] == [("MODIFICATION", "DONE")]
    assert ExportedOrder.objects.get(order_id=document.order_id).changes == []
