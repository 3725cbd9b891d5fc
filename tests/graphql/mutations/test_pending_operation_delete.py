from __future__ import annotations

import uuid

from django.utils import timezone

from saleor_qb_sync.models import OperationStatus, PendingOperation
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.transfers import Actor, queue_orders

from ..conftest import NO_PERMISSION_TOKEN

DELETE_MUTATION = """
mutation Delete($ids: [ID!]!) {
  qbPendingOperationDelete(ids: $ids) {
    pendingOperations { id status orderCount }
    errors { field message code }
  }
}
"""

STAFF = Actor(user_id="7", email="staff@example.com")


def queue(source, preferences, documents):
    ids = [d.order_id for d in documents if d.status != "canceled"][:3]
    return queue_orders(source, preferences, STAFF, ids)


def global_id(operation: PendingOperation) -> str:
    return to_global_id("QbPendingOperation", operation.public_id)


def test_delete_queued_operations(api, orders, source, configure):
    # given
    preferences = configure()
    documents = orders(20, seed=41)
    first, second = queue(source, preferences, documents[:10]), queue(source, preferences,
                                                                      documents[10:])

    # when
    result = api(DELETE_MUTATION, {"ids": [global_id(first), global_id(second)]})

    # then
    payload = result.data["qbPendingOperationDelete"]
    assert payload["errors"] == []
    assert {op["id"] for op in payload["pendingOperations"]} == {global_id(first),
                                                                 global_id(second)}
    assert {op["status"] for op in payload["pendingOperations"]} == {"DELETED"}
    first.refresh_from_db()
    assert first.status == OperationStatus.DELETED
    assert first.summary.endswith("deleted by staff@example.com")


def test_delete_is_refused_after_pick_up(api, orders, source, configure):
    # given
    preferences = configure()
    documents = orders(20, seed=42)
    queued = queue(source, preferences, documents[:10])
    picked = queue(source, preferences, documents[10:])
    PendingOperation.objects.filter(pk=picked.pk).update(
        status=OperationStatus.IN_PROGRESS, picked_up_at=timezone.now())

    # when
    result = api(DELETE_MUTATION, {"ids": [global_id(queued), global_id(picked)]})

    # then
    payload = result.data["qbPendingOperationDelete"]
    assert payload["pendingOperations"] == []
    [error] = payload["errors"]
    assert error["code"] == "ALREADY_PICKED_UP"
    assert error["field"] == "ids"
    assert "was picked up by Web Connector" in error["message"]
    assert "can no longer be deleted" in error["message"]
    queued.refresh_from_db()
    assert queued.status == OperationStatus.QUEUED  # all or nothing


def test_delete_refuses_malformed_and_unknown_ids(api, db):
    # when
    malformed = api(DELETE_MUTATION, {"ids": ["nope"]})
    wrong_type = api(DELETE_MUTATION, {"ids": [to_global_id("Order", uuid.uuid4())]})
    unknown = api(DELETE_MUTATION, {"ids": [to_global_id("QbPendingOperation", uuid.uuid4())]})
    empty = api(DELETE_MUTATION, {"ids": []})

    # then
    assert malformed.data["qbPendingOperationDelete"]["errors"][0]["code"] == "INVALID_ID"
    assert wrong_type.data["qbPendingOperationDelete"]["errors"][0]["code"] == "INVALID_ID"
    assert unknown.data["qbPendingOperationDelete"]["errors"][0]["code"] == "NOT_FOUND"
    assert empty.data["qbPendingOperationDelete"]["errors"][0]["code"] == "EMPTY_SELECTION"


def test_delete_twice_finds_nothing_the_second_time(api, orders, source, configure):
    # given
    operation = queue(source, configure(), orders(10, seed=43))
    api(DELETE_MUTATION, {"ids": [global_id(operation)]})

    # when
    result = api(DELETE_MUTATION, {"ids": [global_id(operation)]})

    # then
    assert result.data["qbPendingOperationDelete"]["errors"][0]["code"] == "NOT_FOUND"


def test_delete_needs_manage_orders(api, orders, source, configure):
    # given
    operation = queue(source, configure(), orders(10, seed=44))

    # when
    result = api(DELETE_MUTATION, {"ids": [global_id(operation)]}, token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
    operation.refresh_from_db()
    assert operation.status == OperationStatus.QUEUED
