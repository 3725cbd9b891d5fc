"""The 20 real Saleor orders of ``orders-populatedb.json``, read as ``OrderDocument``s."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest

from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbxml.mapping import map_order
from saleor_qb_sync.testing.saleor_sample import load_sample_orders, sample_path


@pytest.fixture(scope="module")
def sample():
    if not sample_path().exists():
        pytest.skip(f"the Saleor sample is not at {sample_path()} (set SALEOR_SAMPLE)")
    return load_sample_orders()


def test_all_twenty_orders_load(sample):
    # then
    assert len(sample) == 20
    assert sorted(o.number for o in sample) == list(range(1, 21))
    assert all(uuid.UUID(o.order_id) for o in sample)
    assert {(o.channel_slug, o.currency) for o in sample} == {("default-channel", "USD"),
                                                               ("channel-pln", "PLN")}


def test_every_order_maps_under_the_default_preferences(sample):
    # when
    mapped = [map_order(o, Preferences()) for o in sample]

    # then
    assert all(m.transaction.lines_total == o.total_gross for m, o in zip(mapped, sample,
                                                                          strict=True))
    assert all(o.totals_problem() is None for o in sample)


def test_lines_without_sku_get_an_item_named_after_the_product(sample):
    # given
    with_null_sku = [o for o in sample if any(line.sku is None for line in o.lines)]

    # when
    mapped = {o.number: map_order(o, Preferences()) for o in with_null_sku}

    # then
    assert len(with_null_sku) >= 10
    assert sum(line.sku is None for o in sample for line in o.lines) == 16
    for document in with_null_sku:
        result = mapped[document.number]
        items = {i.name for i in result.items}
        for line in document.lines:
            if line.sku is None:
                assert line.product_name[:31] in items
        assert any(w.startswith("a line has no SKU: an item named after the product")
                   for w in result.warnings)


def test_guests_have_no_user_id(sample):
    # then
    assert all(o.customer.user_id is None and o.customer.is_guest for o in sample)
    assert all("@" in o.customer.email for o in sample)


def test_statuses_are_the_databases_spelling(sample):
    # when
    statuses = Counter(o.status for o in sample)

    # then
    assert statuses["unconfirmed"] == 2
    assert statuses["partially fulfilled"] > 0
    assert set(statuses) == {"unconfirmed", "unfulfilled", "partially fulfilled", "fulfilled"}


def test_unpaid_orders_become_invoices_and_paid_ones_sales_receipts(sample):
    # when
    kinds = {o.number: map_order(o, Preferences()).transaction.kind.value for o in sample}

    # then
    assert [n for n, k in sorted(kinds.items()) if k == "Invoice"] == [1, 2, 11, 12, 18]
    assert all(k == "SalesReceipt" for n, k in kinds.items() if n not in (1, 2, 11, 12, 18))
