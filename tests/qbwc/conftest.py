"""Stores with queued orders for the engine's tests (callbacks and steps)."""

from __future__ import annotations

import pytest

from saleor_qb_sync.transfers import Actor, queue_orders

STAFF = Actor(email="staff@example.com")


@pytest.fixture
def queued(configure, orders, source):
    """``queued(count, **preferences)``: that many eligible orders queued → (preferences,
    documents)."""

    def create(count: int, seed: int = 11, **overrides):
        preferences = configure(**overrides)
        documents = [d for d in orders(count * 2, seed=seed)
                     if d.status in preferences.eligible_statuses][:count]
        assert len(documents) == count
        queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
        return preferences, documents

    return create
