from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from saleor_qb_sync.models import ItemState, OperationStatus, PendingOperation
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.transfers import Actor, queue_orders

from .conftest import NO_PERMISSION_TOKEN, edges, paginate

OPERATIONS_QUERY = """
query Operations($first: Int, $after: String) {
  qbPendingOperations(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id kind status createdAt createdBy orderCount doneCount failedCount
        pickedUpAt completedAt summary orders
      }
    }
  }
}
"""

STAFF = Actor(user_id="7", email="staff@example.com")


def queue_each(source, preferences, documents, *, per_operation=1):
    operations = []
    eligible = [d for d in documents if d.status != "canceled"]
    for start in range(0, len(eligible), per_operation):
        chunk = eligible[start:start + per_operation]
        operations.append(queue_orders(source, preferences, STAFF, [d.order_id for d in chunk]))
    return operations


def test_pending_operations_show_counts_and_order_numbers(api, orders, source, configure):
    # given
    documents = [d for d in orders(30, seed=31) if d.status != "canceled"][:12]
    operation = queue_orders(source, configure(), STAFF, [d.order_id for d in documents])
    items = list(operation.items.order_by("order_number"))
    items[0].state = ItemState.DONE
    items[0].save()
    items[1].state = ItemState.FAILED
    items[1].save()

    # when
    result = api(OPERATIONS_QUERY)

    # then
    connection = result.data["qbPendingOperations"]
    assert connection["totalCount"] == 1
    node = edges(connection)[0]
    assert node["id"] == to_global_id("QbPendingOperation", operation.public_id)
    assert node["status"] == "QUEUED"
    assert (node["orderCount"], node["doneCount"], node["failedCount"]) == (12, 1, 1)
    assert node["orders"] == sorted(d.number for d in documents)[:10]
    assert node["createdBy"] == "staff@example.com"
    assert node["summary"] == "12 orders queued by staff@example.com"


def test_pending_operations_paginate_newest_first_to_the_end(api, orders, source, configure):
    # given
    operations = queue_each(source, configure(), orders(20, seed=32))
    now = timezone.now()
    for age, operation in enumerate(operations):
        PendingOperation.objects.filter(pk=operation.pk).update(
            created_at=now - timedelta(minutes=age))

    # when
    nodes = paginate(api, OPERATIONS_QUERY, "qbPendingOperations", first=3)

    # then
    assert [n["id"] for n in nodes] == [
        to_global_id("QbPendingOperation", op.public_id) for op in operations]


def test_pending_operations_leave_out_deleted_ones(api, orders, source, configure):
    # given
    deleted, *kept = queue_each(source, configure(), orders(6, seed=33), per_operation=2)
    PendingOperation.objects.filter(pk=deleted.pk).update(status=OperationStatus.DELETED)

    # when
    result = api(OPERATIONS_QUERY)

    # then
    ids = {n["id"] for n in edges(result.data["qbPendingOperations"])}
    assert ids == {to_global_id("QbPendingOperation", op.public_id) for op in kept}


def test_pending_operations_refuse_a_page_over_the_cap(api, db):
    # when
    result = api(OPERATIONS_QUERY, {"first": 500})

    # then
    assert result.error_codes == ["INVALID"]


def test_pending_operations_need_manage_orders(api, db):
    # when
    result = api(OPERATIONS_QUERY, token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
