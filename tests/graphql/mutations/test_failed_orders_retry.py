"""``qbFailedOrdersRetry``: failed orders queued again, channel-scoped, with typed errors."""

from __future__ import annotations

import uuid

from saleor_qb_sync.models import ExportRecord, PendingOperationOrder
from saleor_qb_sync.saleor_ids import to_global_id

from ..conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN

RETRY = """
mutation Retry($ids: [ID!]) {
  qbFailedOrdersRetry(orderIds: $ids) {
    pendingOperation { orderCount }
    errors { field message code }
  }
}
"""


def fail(document, state="failed"):
    ExportRecord.objects.create(
        order_id=document.order_id, order_number=document.number,
        channel_slug=document.channel_slug, transaction_type="Invoice",
        ref_number=str(document.number), state=state, status_code=3171,
        status_message="closing date", automatic=True)


def exportable(documents):
    return [d for d in documents if d.status in ("unfulfilled", "partially fulfilled",
                                                  "fulfilled")]


def test_retry_without_ids_queues_every_failed_order_once(api, orders):
    # given: two failed orders and one that is on its way to QuickBooks
    documents = exportable(orders(12, seed=41))
    fail(documents[0])
    fail(documents[1])
    fail(documents[1])
    fail(documents[2])
    fail(documents[2], state="sent")

    # when
    result = api(RETRY)

    # then
    payload = result.data["qbFailedOrdersRetry"]
    assert payload == {"pendingOperation": {"orderCount": 2}, "errors": []}
    assert sorted(PendingOperationOrder.objects.values_list("order_number", flat=True)) == sorted(
        d.number for d in documents[:2])

    # when: again, while they wait
    again = api(RETRY).data["qbFailedOrdersRetry"]

    # then
    assert [e["code"] for e in again["errors"]] == ["EMPTY_SELECTION"]


def test_retry_of_an_order_that_did_not_fail_is_a_typed_error(api, orders):
    # given
    documents = exportable(orders(6, seed=42))
    fail(documents[0])

    # when
    result = api(RETRY, {"ids": [to_global_id("Order", d.order_id) for d in documents[:2]]})

    # then
    payload = result.data["qbFailedOrdersRetry"]
    assert payload["pendingOperation"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("orderIds", "NOT_FAILED")]
    assert PendingOperationOrder.objects.count() == 0


def test_channel_restricted_staff_retry_only_their_channels(api, orders):
    # given
    documents = exportable(orders(30, seed=43))
    usd = next(d for d in documents if d.channel_slug == "default-channel")
    other = next(d for d in documents if d.channel_slug != "default-channel")
    fail(usd)
    fail(other)

    # when
    everything = api(RETRY, token=USD_ONLY_TOKEN).data["qbFailedOrdersRetry"]

    # then
    assert everything["pendingOperation"] == {"orderCount": 1}
    assert list(PendingOperationOrder.objects.values_list("order_id", flat=True)) == [
        uuid.UUID(usd.order_id)]


def test_retry_needs_manage_orders(api, orders):
    # given
    fail(exportable(orders(3, seed=44))[0])

    # when
    result = api(RETRY, token=NO_PERMISSION_TOKEN)

    # then
    assert result.error_codes == ["PERMISSION_DENIED"]
    assert PendingOperationOrder.objects.count() == 0
