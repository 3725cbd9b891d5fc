"""The look-up step: one set for a whole wave, duplicates linked or refused, and the item
names the missing-item rule needs."""

from __future__ import annotations

import pytest

from saleor_qb_sync.models import ExportedOrder, ExportRecord, ExportState

from ..engine_driver import drive

pytestmark = pytest.mark.django_db


def test_one_look_up_covers_every_set_of_the_wave(queued, source, quickbooks):
    # given: 40 orders at 10 a set: one wave of four sets
    preferences, _ = queued(40, orders_per_request=10, check_duplicates=True)

    # when
    run = drive(preferences, source, quickbooks())

    # then: one look-up set (the session's settings check at its head, then the RefNumber
    # queries only: items are created), then the 4 write sets
    assert run.round_trips == 5
    assert run.sets[0][:2] == ["AccountQueryRq", "ItemQueryRq"]
    assert set(run.sets[0][2:]) <= {"InvoiceQueryRq", "SalesReceiptQueryRq",
                                    "SalesOrderQueryRq"}


def test_an_order_quickbooks_already_has_is_linked_not_added(queued, source, quickbooks):
    # given: the orders went in once, then the ledger forgot (a store reinstalling us)
    preferences, documents = queued(5, orders_per_request=10, check_duplicates=True)
    qb = quickbooks()
    drive(preferences, source, qb)
    ExportedOrder.objects.all().delete()
    ExportRecord.objects.all().delete()
    from saleor_qb_sync.models import WebConnectorSession
    from saleor_qb_sync.transfers import Actor, queue_orders

    WebConnectorSession.objects.all().delete()
    queue_orders(source, preferences, Actor(email="s@example.com"),
                 [d.order_id for d in documents])

    # when
    run = drive(preferences, source, qb)

    # then: no write set at all; each order linked to its transaction
    assert len(qb.transactions()) == 5
    assert not any(name.endswith("AddRq") for s in run.sets for name in s)
    assert set(ExportRecord.objects.values_list("state", "linked_existing")) == {
        (ExportState.DONE, True)}


@pytest.fixture
def with_skus(configure, stored_order, source):
    """Three orders whose lines have SKUs QuickBooks lacks, queued."""
    from saleor_qb_sync.transfers import Actor, queue_orders

    def create(**overrides):
        preferences = configure(orders_per_request=10, check_duplicates=False, **overrides)
        documents = [stored_order(n, sku=f"SKU-{n}") for n in (1, 2, 3)]
        queue_orders(source, preferences, Actor(email="s@example.com"),
                     [d.order_id for d in documents])
        return preferences

    return create


def test_with_the_fail_rule_orders_needing_a_missing_item_fail_before_anything_is_sent(
        with_skus, source, quickbooks):
    preferences = with_skus(missing_item_action="fail")
    qb = quickbooks()

    run = drive(preferences, source, qb)

    assert 'ItemQueryRq requestID="qi"' in run.xml[0]  # the wave's items, beside the check
    assert qb.transactions() == []
    failed = ExportRecord.objects.filter(state=ExportState.FAILED).order_by("order_number")
    assert [r.status_message for r in failed] == [
        f"QuickBooks has no item named SKU-{n}." for n in (1, 2, 3)]
    assert all(r.cause["kind"] == "item" for r in failed)


def test_with_the_default_item_rule_missing_products_become_the_default_item(
        with_skus, source, quickbooks):
    preferences = with_skus(missing_item_action="use_default", default_item_name="Saleor item")
    qb = quickbooks()

    run = drive(preferences, source, qb)

    assert 'ItemQueryRq requestID="qi"' in run.xml[0]
    assert len(qb.transactions()) == 3
    names = {i.name for i in qb.items}
    assert "Saleor item" in names and not names & {"SKU-1", "SKU-2", "SKU-3"}
    assert run.percents[-1] == 100
