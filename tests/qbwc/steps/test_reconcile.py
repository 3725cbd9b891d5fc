"""The reconcile step: an attempt whose answer was lost is confirmed or sent again."""

from __future__ import annotations

import contextlib

import pytest

from saleor_qb_sync.models import (
    ExportedOrder,
    ExportRecord,
    ExportState,
    ItemState,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    WebConnectorSession,
)

from ..engine_driver import drive

pytestmark = pytest.mark.django_db


def lose_next_write(qb):
    qb.faults.inject("lose_response", on_request="AddRq")


def test_a_lost_answer_is_confirmed_by_looking_it_up_first(queued, source, quickbooks):
    # given: QuickBooks added the orders but the answer never came back
    preferences, documents = queued(4, orders_per_request=10, check_duplicates=False)
    qb = quickbooks()
    lose_next_write(qb)
    with contextlib.suppress(Exception):  # the simulator raises where the answer is lost
        drive(preferences, source, qb)
    WebConnectorSession.objects.update(state="dropped")
    ExportRecord.objects.filter(state=ExportState.SENT).update(
        state=ExportState.NEEDS_RECONCILING)

    # when
    run = drive(preferences, source, qb)

    # then: the first thing asked is the RefNumbers; nothing is sent twice
    txn_queries = {"InvoiceQueryRq", "SalesReceiptQueryRq", "SalesOrderQueryRq"}
    assert any(set(s) & txn_queries for s in run.sets[:2])
    assert not any(name.endswith("AddRq") for s in run.sets for name in s)
    assert len(qb.transactions()) == 4
    assert ExportedOrder.objects.count() == 4
    assert ExportRecord.objects.filter(
        status_message="Confirmed in QuickBooks after a lost answer").count() == 4


def test_an_attempt_quickbooks_never_got_is_sent_again(queued, source, quickbooks,
                                                       stored_order):
    # given: an attempt left waiting, for an order QuickBooks does not have
    preferences, documents = queued(2, orders_per_request=10, check_duplicates=False)
    qb = quickbooks()
    first = drive(preferences, source, qb)
    assert first.percents[-1] == 100
    record = ExportRecord.objects.order_by("id").first()
    qb_refs = {t.ref_number for t in qb.transactions()}
    assert record.ref_number in qb_refs
    # rewind to a lost answer for a number QuickBooks never saw: the attempt waits, its order
    # still held by the operation, as a dropped session leaves them
    ExportedOrder.objects.filter(order_id=record.order_id).delete()
    ExportRecord.objects.filter(pk=record.pk).update(state=ExportState.NEEDS_RECONCILING,
                                                     ref_number="X" + record.ref_number)
    PendingOperationOrder.objects.filter(order_id=record.order_id).update(
        state=ItemState.CLAIMED, finished_at=None)
    PendingOperation.objects.update(status=OperationStatus.IN_PROGRESS)

    # when
    drive(preferences, source, qb)

    # then: the lost attempt ends as "resent" and the order goes out again
    record.refresh_from_db()
    assert (record.state, record.action) == (ExportState.FAILED, "resent")
    assert ExportedOrder.objects.filter(order_id=record.order_id).exists()
    again = ExportRecord.objects.get(order_id=record.order_id, state=ExportState.DONE)
    assert again.pk > record.pk and again.ref_number == record.ref_number.removeprefix("X")
