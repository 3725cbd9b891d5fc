from __future__ import annotations

import uuid

from saleor_qb_sync.models import PendingOperation, PendingOperationOrder
from saleor_qb_sync.saleor_ids import from_global_id, to_global_id

from ..conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN

QUEUE_MUTATION = """
mutation Queue($input: QbOrderTransferQueueInput!) {
  qbOrderTransferQueue(input: $input) {
    pendingOperation {
      id kind status createdBy orderCount doneCount failedCount pickedUpAt orders summary
    }
    errors { field message code }
  }
}
"""

ELIGIBLE = ("unfulfilled", "partially fulfilled", "fulfilled")


def eligible(documents, **conditions):
    return [d for d in documents if d.status in ELIGIBLE
            and all(getattr(d, k) == v for k, v in conditions.items())]


def queued_numbers(operation_id: str) -> list[int]:
    type_name, public_id = from_global_id(operation_id)
    assert type_name == "QbPendingOperation"
    operation = PendingOperation.objects.get(public_id=public_id)
    return sorted(PendingOperationOrder.objects.filter(operation=operation)
                  .values_list("order_number", flat=True))


def test_queue_by_order_ids(api, orders):
    # given
    chosen = eligible(orders(10, seed=11))[:3]
    ids = [to_global_id("Order", d.order_id) for d in chosen]

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": ids}})

    # then
    payload = result.data["qbOrderTransferQueue"]
    assert payload["errors"] == []
    operation = payload["pendingOperation"]
    assert operation["kind"] == "PUSH_ORDERS"
    assert operation["status"] == "QUEUED"
    assert operation["createdBy"] == "staff@example.com"
    assert operation["orderCount"] == 3
    assert operation["doneCount"] == operation["failedCount"] == 0
    assert operation["pickedUpAt"] is None
    assert operation["orders"] == sorted(d.number for d in chosen)
    assert queued_numbers(operation["id"]) == sorted(d.number for d in chosen)


def test_queue_accepts_raw_uuids(api, orders):
    # given
    chosen = eligible(orders(5, seed=12))[:1]

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": [chosen[0].order_id]}})

    # then
    assert result.data["qbOrderTransferQueue"]["pendingOperation"]["orderCount"] == 1


def test_queue_by_filter_minus_exclusions(api, orders):
    # given
    documents = eligible(orders(20, seed=13))
    excluded = documents[:2]
    expected = sorted(d.number for d in documents[2:])

    # when
    result = api(QUEUE_MUTATION, {"input": {
        "filter": {"dateFrom": "2025-01-01"},
        "excludeOrderIds": [to_global_id("Order", d.order_id) for d in excluded],
    }})

    # then
    payload = result.data["qbOrderTransferQueue"]
    assert payload["errors"] == []
    assert payload["pendingOperation"]["orderCount"] == len(expected)
    assert queued_numbers(payload["pendingOperation"]["id"]) == expected
    request = PendingOperation.objects.get().request
    assert request["filter"]["dateFrom"] == "2025-01-01"
    assert sorted(request["excludeOrderIds"]) == sorted(d.order_id for d in excluded)


def test_queue_refuses_both_ids_and_filter(api, orders):
    # given
    document = eligible(orders(5, seed=14))[0]

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": [document.order_id], "filter": {}}})

    # then
    payload = result.data["qbOrderTransferQueue"]
    assert payload["pendingOperation"] is None
    assert payload["errors"] == [{"field": "orderIds", "code": "INVALID",
                                  "message": "Give either orderIds or a filter, not both."}]
    assert not PendingOperation.objects.exists()


def test_queue_refuses_neither_ids_nor_filter(api, db):
    # when
    result = api(QUEUE_MUTATION, {"input": {}})

    # then
    errors = result.data["qbOrderTransferQueue"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("orderIds", "REQUIRED")]


def test_queue_refuses_exclusions_without_a_filter(api, orders):
    # given
    document = eligible(orders(5, seed=15))[0]

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": [document.order_id],
                                            "excludeOrderIds": [document.order_id]}})

    # then
    errors = result.data["qbOrderTransferQueue"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("excludeOrderIds", "INVALID")]


def test_queue_refuses_an_empty_selection(api, orders):
    # given
    orders(5, seed=16)

    # when
    by_ids = api(QUEUE_MUTATION, {"input": {"orderIds": []}})
    by_filter = api(QUEUE_MUTATION, {"input": {"filter": {"customer": "nobody@example.com"}}})

    # then
    assert by_ids.data["qbOrderTransferQueue"]["errors"][0]["code"] == "EMPTY_SELECTION"
    assert by_filter.data["qbOrderTransferQueue"]["errors"][0]["code"] == "EMPTY_SELECTION"
    assert by_filter.data["qbOrderTransferQueue"]["errors"][0]["field"] == "filter"


def test_queue_refuses_malformed_and_unknown_ids(api, orders):
    # given
    orders(5, seed=17)

    # when
    malformed = api(QUEUE_MUTATION, {"input": {"orderIds": ["not-an-id"]}})
    wrong_type = api(QUEUE_MUTATION, {"input": {"orderIds": [to_global_id("User", "7")]}})
    unknown = api(QUEUE_MUTATION, {"input": {"orderIds": [str(uuid.uuid4())]}})
    bad_exclusion = api(QUEUE_MUTATION, {"input": {"filter": {}, "excludeOrderIds": ["x"]}})

    # then
    assert malformed.data["qbOrderTransferQueue"]["errors"][0]["code"] == "INVALID_ID"
    assert wrong_type.data["qbOrderTransferQueue"]["errors"][0]["code"] == "INVALID_ID"
    assert unknown.data["qbOrderTransferQueue"]["errors"][0]["code"] == "NOT_FOUND"
    assert bad_exclusion.data["qbOrderTransferQueue"]["errors"][0] == {
        "field": "excludeOrderIds", "code": "INVALID_ID",
        "message": "'x' is not a valid Saleor ID"}
    assert not PendingOperation.objects.exists()


def test_queue_refuses_an_inverted_date_range(api, orders):
    # given
    orders(5, seed=18)

    # when
    result = api(QUEUE_MUTATION, {"input": {"filter": {"dateFrom": "2026-05-02",
                                                       "dateTo": "2026-05-01"}}})

    # then
    errors = result.data["qbOrderTransferQueue"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("dateTo", "INVALID_DATE_RANGE")]


def test_queue_refuses_ineligible_orders(api, orders):
    # given
    canceled = [d for d in orders(40, seed=19) if d.status == "canceled"][:1]
    assert canceled

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": [canceled[0].order_id]}})

    # then
    error = result.data["qbOrderTransferQueue"]["errors"][0]
    assert error["code"] == "NOT_EXPORTABLE"
    assert f"Order #{canceled[0].number} is canceled" in error["message"]


def test_channel_restricted_staff_queue_only_their_channels(api, orders):
    # given
    documents = orders(30, seed=20)
    usd = eligible(documents, channel_slug="default-channel")
    foreign = next(d for d in eligible(documents) if d.channel_slug != "default-channel")

    # when
    refused = api(QUEUE_MUTATION, {"input": {"orderIds": [foreign.order_id]}},
                  token=USD_ONLY_TOKEN)
    by_filter = api(QUEUE_MUTATION, {"input": {"filter": {}}}, token=USD_ONLY_TOKEN)

    # then
    assert refused.data["qbOrderTransferQueue"]["errors"][0]["code"] == "NOT_FOUND"
    operation = by_filter.data["qbOrderTransferQueue"]["pendingOperation"]
    assert queued_numbers(operation["id"]) == sorted(d.number for d in usd)
    assert operation["createdBy"] == "usd@example.com"


def test_queue_needs_manage_orders(api, orders):
    # given
    document = eligible(orders(5, seed=21))[0]

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": [document.order_id]}},
                 token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
    assert not PendingOperation.objects.exists()


def test_queue_needs_a_token(api, orders):
    # given
    document = eligible(orders(5, seed=22))[0]

    # when
    result = api(QUEUE_MUTATION, {"input": {"orderIds": [document.order_id]}}, token=None)

    # then
    assert result.status == 401
    assert result.error_codes == ["UNAUTHENTICATED"]
    assert not PendingOperation.objects.exists()
