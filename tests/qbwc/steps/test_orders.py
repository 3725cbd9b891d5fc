"""Orders of a step: mapped once, or failed with why; the default-item rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync.ledger import Claim
from saleor_qb_sync.models import CustomerMapping, ItemMapping, WebConnectorSession
from saleor_qb_sync.qbwc.session import Session
from saleor_qb_sync.qbwc.steps.context import Context
from saleor_qb_sync.qbwc.steps.orders import items_need_lookup, prepare

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def context(preferences, source, **work) -> Context:
    session = Session(WebConnectorSession.objects.create(ticket_digest="d", username="q"))
    for name, value in work.items():
        setattr(session.work, name, value)
    return Context(preferences, source, session)


def test_each_order_is_mapped_and_a_vanished_one_is_failed_with_why(configure, stored_order,
                                                                    source):
    preferences = configure()
    document = stored_order(1)
    gone = Claim("00000000-0000-4000-8000-000000000001", 2, None)

    ready, unsent = prepare(context(preferences, source),
                            [Claim(document.order_id, 1, None), gone])

    assert [p.mapped.transaction.order_number for p in ready] == [1]
    assert [(u.claim, u.code) for u in unsent] == [(gone, "order_missing")]


def test_settings_that_cannot_map_an_order_fail_it_with_the_settings_as_cause(
        configure, stored_order, source):
    preferences = configure(missing_item_action="fail")
    document = stored_order(1, sku=None)

    ready, unsent = prepare(context(preferences, source), [Claim(document.order_id, 1, None)])

    assert ready == [] and unsent[0].code == "missing_sku"
    assert unsent[0].cause.kind == "settings"


def test_with_the_default_rule_items_quickbooks_lacks_become_the_default(configure,
                                                                         stored_order, source):
    preferences = configure(missing_item_action="use_default", default_item_name="Saleor item")
    document = stored_order(1, sku="TEE-M")

    ready, _ = prepare(context(preferences, source, missing_items=["TEE-M"]),
                       [Claim(document.order_id, 1, None)])

    mapped = ready[0].mapped
    assert "TEE-M" not in {line.item_name for line in mapped.transaction.lines}
    assert "Saleor item" in {i.name for i in mapped.items}


@pytest.mark.parametrize(("rule", "mode", "needed"), [
    ("create", "by_sku", False), ("fail", "by_sku", True), ("use_default", "by_sku", True),
    ("fail", "single_item", False)])
def test_only_rules_that_must_know_what_is_missing_look_items_up(configure, source, rule, mode,
                                                                 needed):
    preferences = configure(missing_item_action=rule, item_mode=mode)
    assert items_need_lookup(context(preferences, source)) is needed


def test_staffs_mappings_are_read_once_per_callback_however_many_batches_use_them(
        configure, stored_order, source):
    # given: a mapped SKU and buyer, two batches of orders prepared in one callback
    ItemMapping.objects.create(sku="TEE-M", item_full_name="Tee Shirt Medium", set_at=NOW)
    CustomerMapping.objects.create(email="buyer@example.com", customer_full_name="Acme Corp",
                                   confirmed_at=NOW)
    first, second = stored_order(1), stored_order(2, email="other@example.com")
    ctx = context(configure(), source)
    # when
    with CaptureQueriesContext(connection) as queries:
        ready_1, _ = prepare(ctx, [Claim(first.order_id, 1, None)])
        ready_2, _ = prepare(ctx, [Claim(second.order_id, 2, None)])
    # then: one read of each table, used by both batches
    tables = (ItemMapping._meta.db_table, CustomerMapping._meta.db_table)
    assert [sum(t in q["sql"] for q in queries) for t in tables] == [1, 1]
    lines = [p.mapped.transaction.lines[0].item_name for p in ready_1 + ready_2]
    assert lines == ["Tee Shirt Medium", "Tee Shirt Medium"]
    assert [p.mapped.customer.existing for p in ready_1 + ready_2] == [True, False]
    assert ready_1[0].mapped.transaction.customer_name == "Acme Corp"
    assert "Tee Shirt Medium" not in {i.name for p in ready_1 for i in p.mapped.items}
