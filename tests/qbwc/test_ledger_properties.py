"""Random sequences of queue, delete, Web Connector sessions and faults keep the ledger honest.

Drives ``Engine`` directly (the SOAP layer has its own tests) with the QuickBooks simulator, so
hypothesis can try many sequences. After every step: no order is in QuickBooks twice, every
order the ledger calls exported is in QuickBooks with that TxnID, and no order has two attempts
in flight. After a final clean session, every queued order is exported or failed with a reason,
and nothing is left in flight.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_qb_sync.errors import TransferError
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
from saleor_qb_sync.order_source import OrderRef
from saleor_qb_sync.qbwc.callbacks import Engine
from saleor_qb_sync.standalone.order_source import SampleOrderSource, store_sample_orders
from saleor_qb_sync.testing.qb_simulator import QuickBooksError, QuickBooksSimulator
from saleor_qb_sync.testing.sample_orders import generate_orders
from saleor_qb_sync.transfers import Actor, _create_operation, delete_operations, queue_orders

from ..conftest import QBWC_PASSWORD, QBWC_USER

STAFF = Actor(email="staff@example.com")
FAULTS = (None, None, "lose_response", "busy", "connection_failure")


class Rollback(Exception):
    pass


def run_session(engine: Engine, qb: QuickBooksSimulator, *, max_round_trips: int = 50) -> str:
    """Web Connector's loop on the engine; returns how it ended."""
    ticket, status = engine.authenticate(QBWC_USER, QBWC_PASSWORD)[:2]
    if status in ("none", "busy", "nvu"):
        return status
    hcp = qb.hcp_response()
    for _ in range(max_round_trips):
        request = engine.send_request_xml(ticket, hcp, "C:\\Co.QBW", "US", 13, 0)
        hcp = ""
        if not request:
            engine.get_last_error(ticket)
            engine.close_connection(ticket)
            return "error"
        try:
            response = qb.process(request)
        except QuickBooksError as exc:
            percent = engine.receive_response_xml(ticket, "", exc.hresult, exc.message)
        except Exception as exc:  # ResponseLost: Web Connector drops out
            if type(exc).__name__ == "ResponseLost":
                return "lost"
            raise
        else:
            percent = engine.receive_response_xml(ticket, response, "", "")
        if percent < 0:
            engine.get_last_error(ticket)
            engine.close_connection(ticket)
            return "error"
        if percent >= 100:
            engine.close_connection(ticket)
            return "done"
    return "stuck"


def check_ledger(qb: QuickBooksSimulator) -> None:
    per_ref = Counter(t.ref_number for t in qb.transactions())
    assert all(count == 1 for count in per_ref.values()), per_ref
    txn_ids = {t.ref_number: t.txn_id for t in qb.transactions()}
    for exported in ExportedOrder.objects.select_related("record"):
        assert txn_ids.get(exported.record.ref_number) == exported.record.txn_id
    # an order may be queued again while an attempt is in flight (a person asked twice), but it
    # never has two attempts in flight at once
    in_flight = Counter(ExportRecord.objects.filter(
        state__in=[ExportState.SENT, ExportState.NEEDS_RECONCILING]).values_list(
        "order_id", flat=True))
    assert all(count == 1 for count in in_flight.values()), in_flight


step = st.one_of(
    st.tuples(st.just("queue"), st.lists(st.integers(0, 11), min_size=1, max_size=6)),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("session"), st.sampled_from(FAULTS), st.integers(1, 3)),
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=7), batch=st.sampled_from([1, 3, 50]))
def test_random_queues_deletes_sessions_and_faults_never_double_an_order(
        configure, qbxml_schema, steps, batch):
    try:
        with transaction.atomic():
            preferences = configure(check_duplicates=True, orders_per_request=batch)
            documents = [d for d in generate_orders(12, seed=77)
                         if d.status in preferences.eligible_statuses]
            store_sample_orders(documents)
            source = SampleOrderSource()
            engine = Engine(preferences, source)
            qb = QuickBooksSimulator(schema=qbxml_schema)
            for action, *args in steps:
                if action == "queue":
                    picked = [documents[i % len(documents)] for i in args[0]]
                    queue_racing(source, preferences, picked)
                elif action == "delete":
                    queued = list(PendingOperation.objects.filter(status="queued"))
                    if queued:
                        delete_operations([queued[args[0] % len(queued)].public_id], STAFF)
                else:
                    fault, on_call = args
                    if fault:
                        qb.faults.inject(fault, on_call=on_call)
                    run_session(engine, qb)
                    qb.faults.clear()
                    WebConnectorSession.objects.update(
                        last_seen_at=F("last_seen_at") - timedelta(minutes=30))
                check_ledger(qb)
            # a final clean session finishes everything that is still queued
            assert run_session(engine, qb) in ("done", "none")
            check_ledger(qb)
            open_items = PendingOperationOrder.objects.filter(
                operation__status__in=[OperationStatus.QUEUED, OperationStatus.IN_PROGRESS],
                state__in=[ItemState.PENDING, ItemState.CLAIMED])
            assert not open_items.exists()
            assert not ExportRecord.objects.filter(
                state__in=[ExportState.SENT, ExportState.NEEDS_RECONCILING]).exists()
            raise Rollback
    except Rollback:
        pass


def queue_racing(source, preferences, documents) -> None:
    """Queue as staff do; an order already waiting is refused (``already_queued``), but two
    people who queue it at the same moment both pass that check: the refused ones are queued
    the way the slower of the two would have, so operations with twins stay covered."""
    try:
        queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
    except TransferError as error:
        assert error.code == "already_queued", error.message
        unique = {d.order_id: d for d in documents}.values()
        _create_operation(STAFF, [OrderRef(d.order_id, d.number, d.channel_slug)
                                  for d in unique], request={"race": True})


@pytest.mark.django_db
@pytest.mark.parametrize("batch", [1, 3, 50])
def test_an_order_queued_twice_before_a_run_goes_to_quickbooks_once(configure, qbxml_schema,
                                                                    batch):
    # given: two people queue the same order before Web Connector runs
    preferences = configure(check_duplicates=True, orders_per_request=batch)
    documents = [d for d in generate_orders(12, seed=77)
                 if d.status in preferences.eligible_statuses]
    store_sample_orders(documents)
    source = SampleOrderSource()
    queue_racing(source, preferences, [documents[0]])
    queue_racing(source, preferences, [documents[0]])
    assert PendingOperationOrder.objects.count() == 2
    qb = QuickBooksSimulator(schema=qbxml_schema)

    # when
    outcome = run_session(Engine(preferences, source), qb)

    # then
    assert outcome == "done"
    check_ledger(qb)
    assert not PendingOperationOrder.objects.filter(
        state__in=[ItemState.PENDING, ItemState.CLAIMED]).exists()
