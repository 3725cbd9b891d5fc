"""``qbFollowUpsQueue`` and ``followUpsDue``: on demand, staff see what QuickBooks lacks for
orders it has, queue it, and the next Web Connector update sends it once."""

from __future__ import annotations

from saleor_qb_sync.saleor_ids import to_global_id

DUE = """
query($filter: QbOrderTransferFilterInput!) {
  qbOrderTransferPreview(filter: $filter, first: 50) {
    edges { node { number exported followUpsDue { kind amount { amount currency } description } } }
  }
}
"""

QUEUE = """
mutation($ids: [ID!]!) {
  qbFollowUpsQueue(orderIds: $ids) {
    pendingOperation { kind status orderCount orders summary }
    errors { field message code }
  }
}
"""


def due(api) -> dict[int, list]:
    data = api(DUE, {"filter": {"includeExported": True}}).data["qbOrderTransferPreview"]
    return {edge["node"]["number"]: edge["node"]["followUpsDue"] for edge in data["edges"]}


def test_a_charge_on_an_invoice_shows_as_due_is_queued_and_goes_once(
        api, configure, stored_order, source, quickbooks):
    # given: on demand, two invoices in QuickBooks, one of them charged 12.50 in Saleor since
    from saleor_qb_sync.documents import ChargeStatus
    from saleor_qb_sync.transfers import queue_orders

    from ...qbwc.conftest import STAFF
    from ...qbwc.engine_driver import drive
    from ...qbwc.steps.test_follow_ups import charge

    preferences = configure(transaction_type="invoice", check_duplicates=False)
    first = stored_order(1, charge_status=ChargeStatus.NONE)
    second = stored_order(2, charge_status=ChargeStatus.NONE)
    queue_orders(source, preferences, STAFF, [first.order_id, second.order_id])
    qb = quickbooks()
    drive(preferences, source, qb)
    charge(first, ("a", "12.50"))

    # then: the preview shows the payment due on the first, nothing on the second
    shown = due(api)
    assert shown[1] == [{"kind": "PAYMENT", "amount": {"amount": 12.5, "currency": "USD"},
                         "description": "payment 1-1 against invoice 1"}]
    assert shown[2] == []

    # when: staff queue it
    result = api(QUEUE, {"ids": [to_global_id("Order", first.order_id)]})

    # then: a pending operation of its own kind, listed like a transfer
    payload = result.data["qbFollowUpsQueue"]
    assert payload["errors"] == []
    assert payload["pendingOperation"]["kind"] == "FOLLOW_UPS"
    assert (payload["pendingOperation"]["orderCount"], payload["pendingOperation"]["orders"],
            payload["pendingOperation"]["status"]) == (1, [1], "QUEUED")

    # when: the next update runs
    drive(preferences, source, qb)

    # then: the payment is in QuickBooks once, and nothing is due any more
    assert [p.total_amount for p in qb.transactions("ReceivePayment")] == [12.5]
    assert due(api)[1] == []


def test_queueing_an_order_not_in_quickbooks_or_a_bad_id_is_a_typed_error(api, orders):
    documents = orders(3, seed=2)
    not_exported = api(QUEUE, {"ids": [to_global_id("Order", documents[0].order_id)]})
    bad = api(QUEUE, {"ids": ["not-an-id"]})
    [error] = not_exported.data["qbFollowUpsQueue"]["errors"]
    assert (error["field"], error["code"]) == ("orderIds", "NOT_EXPORTED")
    assert bad.status == 200
    assert bad.data["qbFollowUpsQueue"]["errors"][0]["code"] == "INVALID_ID"
    assert not_exported.data["qbFollowUpsQueue"]["pendingOperation"] is None
