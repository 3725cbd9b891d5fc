"""Counting beside the caller, on a second connection (counting.py)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync.counting import count_alongside
from saleor_qb_sync.standalone.models import SampleOrder
from saleor_qb_sync.standalone.order_source import store_sample_orders
from saleor_qb_sync.testing.sample_orders import generate_orders


def settled_backends(at_most: int) -> int:
    """``backends()`` once it is ``at_most`` or 2 s have passed (a closed connection's server
    process leaves pg_stat_activity a moment after the client has gone)."""
    deadline = time.monotonic() + 2
    while (count := backends()) > at_most and time.monotonic() < deadline:
        time.sleep(0.02)
    return count


def backends() -> int:
    """Connections to this database other than ours."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_counts_on_another_connection_and_closes_it():
    # given: committed orders, as a preview outside any transaction sees them
    store_sample_orders(generate_orders(12, seed=4))
    matching = SampleOrder.objects.filter(number__gt=4)
    before = backends()

    # when
    with CaptureQueriesContext(connection) as ours:
        total = count_alongside(matching)
        counted = total()

    # then: the right number, asked for on a connection not ours, which is gone afterwards
    assert counted == matching.count() == 8
    assert not any("COUNT" in q["sql"].upper() for q in ours.captured_queries)
    assert settled_backends(before) == before


@pytest.mark.django_db(transaction=True)
def test_a_database_error_reaches_the_caller():
    # given: a query the database refuses when it runs
    failing = SampleOrder.objects.extra(where=["1 / (number - number) = 1"])
    store_sample_orders(generate_orders(1, seed=1))

    # when / then
    total = count_alongside(failing)
    with pytest.raises(DataError, match="division by zero"):
        total()


@pytest.mark.django_db
def test_inside_a_transaction_it_counts_on_the_callers_connection(monkeypatch):
    # given: rows this transaction wrote, which no other connection can see yet
    store_sample_orders(generate_orders(5, seed=2))
    monkeypatch.setattr(threading, "Thread", None)  # no thread may be started

    # when
    with CaptureQueriesContext(connection) as ours:
        counted = count_alongside(SampleOrder.objects.all())()

    # then
    assert counted == 5
    assert any("COUNT" in q["sql"].upper() for q in ours.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_filter_nothing_can_match_counts_zero_without_asking():
    with CaptureQueriesContext(connection) as ours:
        assert count_alongside(SampleOrder.objects.filter(pk__in=[]))() == 0
    assert ours.captured_queries == []
