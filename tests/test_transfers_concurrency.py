"""Concurrent pick-ups and deletes on real PostgreSQL: each thread has its own connection.

These tests commit (``transaction=True``): the threads cannot see the test's data otherwise.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection, transaction

from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.ledger import claim_orders
from saleor_qb_sync.models import (
    ItemState,
    OperationStatus,
    PendingOperation,
    PendingOperationOrder,
    WebConnectorSession,
)
from saleor_qb_sync.transfers import Actor, automatic_work, delete_operations, queue_orders

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor(user_id="7", email="staff@example.com")


def in_threads(*targets, timeout: float = 30):
    """Run each callable in its own thread (own DB connection); return results or raise."""
    results: list = [None] * len(targets)
    errors: list = []

    def run(index, target):
        try:
            results[index] = target()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    if errors:
        raise errors[0]
    return results


def new_session(name: str) -> WebConnectorSession:
    return WebConnectorSession.objects.create(ticket_digest=f"{name}-{uuid.uuid4().hex}",
                                              username="quickbooks")


def queued(configure, orders, source, count: int, *, seed: int):
    preferences = configure(eligible_statuses="unfulfilled,partially fulfilled,fulfilled,canceled")
    documents = orders(count, seed=seed, start_number=seed * 1000)
    operation = queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
    return preferences, operation, {d.order_id for d in documents}


@pytest.mark.parametrize("round_", range(5))
def test_two_simultaneous_pick_ups_never_hand_the_same_order_to_two_sessions(
        configure, orders, source, round_):
    # given: 40 orders in one operation; each session may take 30
    preferences, operation, order_ids = queued(configure, orders, source, 40, seed=round_ + 1)
    barrier = threading.Barrier(2)

    def pick_up(name):
        def run():
            session = new_session(name)
            barrier.wait()
            return session.pk, claim_orders(session, source, 30,
                                            automatic=automatic_work(preferences))
        return run

    # when
    (first_pk, first), (second_pk, second) = in_threads(pick_up("first"), pick_up("second"))

    # then
    first_ids = [c.order_id for c in first]
    second_ids = [c.order_id for c in second]
    assert len(first_ids) == len(set(first_ids)) and len(second_ids) == len(set(second_ids))
    assert not set(first_ids) & set(second_ids)
    assert set(first_ids) | set(second_ids) == order_ids
    # each at most its limit; how the 40 split depends on how the two lockers interleave
    # (SKIP LOCKED: a row the other locked first is skipped, not waited for), e.g. 30/10, 29/11
    assert max(len(first_ids), len(second_ids)) <= 30
    claimed = dict(PendingOperationOrder.objects.values_list("order_id", "session_id"))
    assert {str(k) for k, v in claimed.items() if v == first_pk} == set(first_ids)
    assert {str(k) for k, v in claimed.items() if v == second_pk} == set(second_ids)
    operation.refresh_from_db()
    assert operation.status == OperationStatus.IN_PROGRESS


def test_many_small_simultaneous_pick_ups_split_the_queue_between_them(
        configure, orders, source):
    # given: 4 sessions taking 5 orders at a time until nothing is left
    preferences, _, order_ids = queued(configure, orders, source, 60, seed=9)
    barrier = threading.Barrier(4)

    def worker(name):
        def run():
            session = new_session(name)
            barrier.wait()
            taken = []
            while batch := claim_orders(session, source, 5, automatic=automatic_work(preferences)):
                taken.extend(c.order_id for c in batch)
            return taken
        return run

    # when
    results = in_threads(*(worker(f"worker-{i}") for i in range(4)))

    # then
    every = [order_id for taken in results for order_id in taken]
    assert len(every) == len(set(every)) == len(order_ids)
    assert set(every) == order_ids


def test_a_pick_up_racing_a_delete_never_claims_orders_of_the_deleted_operation(
        configure, orders, source):
    # given: the delete holds its transaction open while Web Connector asks for work
    preferences, operation, _ = queued(configure, orders, source, 5, seed=11)
    deleted = threading.Event()

    def delete():
        with transaction.atomic():
            delete_operations([operation.public_id], STAFF)
            deleted.set()
            time.sleep(0.5)  # let the pick-up reach the rows before the delete commits

    def pick_up():
        session = new_session("racer")
        assert deleted.wait(10)
        return claim_orders(session, source, 10, automatic=automatic_work(preferences))

    # when
    _, claims = in_threads(delete, pick_up)

    # then
    operation.refresh_from_db()
    assert operation.status == OperationStatus.DELETED
    assert claims == []
    assert set(PendingOperationOrder.objects.values_list("state", flat=True)) == {
        ItemState.PENDING}


def test_a_delete_racing_a_pick_up_is_refused_once_the_pick_up_commits(
        configure, orders, source):
    # given: the pick-up holds its transaction open while a person deletes the operation
    preferences, operation, order_ids = queued(configure, orders, source, 5, seed=12)
    claimed = threading.Event()

    def pick_up():
        session = new_session("first")
        with transaction.atomic():
            claims = claim_orders(session, source, 10, automatic=automatic_work(preferences))
            claimed.set()
            time.sleep(0.5)  # let the delete wait for the operation's row
        return claims

    def delete():
        assert claimed.wait(10)
        try:
            delete_operations([operation.public_id], STAFF)
        except TransferError as exc:
            return exc.code
        return "deleted"

    # when
    claims, outcome = in_threads(pick_up, delete)

    # then
    assert outcome == "already_picked_up"
    assert {c.order_id for c in claims} == order_ids
    assert PendingOperation.objects.get().status == OperationStatus.IN_PROGRESS
