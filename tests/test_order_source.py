"""``OrderFilter`` and the standalone ``SampleOrderSource`` on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync.documents import document_to_json
from saleor_qb_sync.ledger import queue
from saleor_qb_sync.models import ExportedOrder, ExportRecord, ExportState
from saleor_qb_sync.order_source import OneOf, OrderFilter, OrderRef
from saleor_qb_sync.standalone.models import SampleOrder
from saleor_qb_sync.standalone.order_source import store_sample_orders

NEW_YORK = ZoneInfo("America/New_York")


def record(order, *, state=ExportState.DONE, automatic=False):
    return ExportRecord.objects.create(order_id=order.order_id, order_number=order.number,
                                       transaction_type="Invoice", ref_number=str(order.number),
                                       state=state, automatic=automatic)


# --- OrderFilter --------------------------------------------------------------------------


def test_the_created_range_is_whole_days_in_the_filters_time_zone():
    # given
    flt = OrderFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 1),
                      time_zone="America/New_York")

    # when
    start, end = flt.created_range()

    # then
    assert start == datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)


def test_the_export_start_moment_narrows_the_range_but_never_widens_it():
    # given
    late_start = datetime(2026, 3, 5, tzinfo=UTC)
    early_start = datetime(2026, 2, 1, tzinfo=UTC)

    # when
    narrowed = OrderFilter(date_from=date(2026, 3, 1), created_not_before=late_start)
    kept = OrderFilter(date_from=date(2026, 3, 1), created_not_before=early_start)
    only_start = OrderFilter(created_not_before=early_start)

    # then
    assert narrowed.created_range() == (late_start, None)
    assert kept.created_range() == (datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")), None)
    assert only_start.created_range() == (early_start, None)


@pytest.mark.parametrize(("channels", "allowed", "effective"), [
    ((), None, None),
    (("a",), None, ("a",)),
    ((), ("b", "a"), ("a", "b")),
    (("a", "c"), ("a", "b"), ("a",)),
    (("c",), ("a",), ()),
    ((), (), ()),
])
def test_the_effective_channels_are_the_requested_ones_the_caller_may_see(
        channels, allowed, effective):
    # given
    flt = OrderFilter(channels=channels, allowed_channels=allowed)

    # when
    result = flt.effective_channels()

    # then
    assert result == effective


# --- SampleOrderSource ----------------------------------------------------------------------


def test_stored_orders_load_back_equal_to_what_was_stored(orders, source):
    # given
    documents = orders(25, seed=4)

    # when
    loaded = source.load([d.order_id for d in documents] + [str(uuid.uuid4())])

    # then
    assert len(loaded) == 25
    assert all(loaded[d.order_id] == d for d in documents)
    assert all(document_to_json(loaded[d.order_id]) == document_to_json(d) for d in documents)


def test_storing_an_order_again_replaces_it(orders, source):
    # given
    first = orders(1, seed=4)[0]

    # when
    store_sample_orders([first.__class__(**{
        **{f: getattr(first, f) for f in first.__dataclass_fields__}, "status": "fulfilled"})])

    # then
    assert SampleOrder.objects.count() == 1
    assert source.load([first.order_id])[first.order_id].status == "fulfilled"
    assert SampleOrder.objects.get().status == "fulfilled"


def test_search_ids_lists_every_match_oldest_first_minus_the_excluded(orders, source):
    # given
    documents = orders(12, seed=6)
    by_age = sorted(documents, key=lambda d: (d.created_at, d.number))
    exportable = [d for d in by_age if d.status not in ("draft", "unconfirmed")]

    # when
    found = source.search_ids(OrderFilter(), exclude=[exportable[0].order_id])

    # then
    assert found == [(d.order_id, d.number, d.channel_slug) for d in exportable[1:]]


def test_the_filter_counts_all_matches_beyond_the_page(orders, source):
    # given
    orders(30, seed=7)

    # when
    page = source.search(OrderFilter(), offset=25, limit=10)
    total = source.filtered(OrderFilter()).count()

    # then
    assert total == 30
    assert len(page) == 5


def test_orders_asked_for_by_id_are_found_with_one_array_parameter(orders, source):
    # given
    documents = orders(6, seed=9)
    wanted = [d.order_id for d in documents[1:4]] + [str(uuid.uuid4())]  # one unknown

    # when
    with CaptureQueriesContext(connection) as queries:
        found = source.search_ids(OrderFilter(order_ids=tuple(wanted), include_exported=True,
                                              any_status=True))

    # then
    assert sorted(ref.order_id for ref in found) == sorted(wanted[:3])
    (query,) = queries.captured_queries
    assert "= ANY('{" in query["sql"] and "::uuid[])" in query["sql"]  # one array parameter
    assert " IN (" not in query["sql"]


def test_exported_orders_are_excluded_with_a_subquery(orders, source):
    # given
    documents = orders(4, seed=8)
    exported = documents[0]
    ExportedOrder.objects.create(order_id=exported.order_id, order_number=exported.number,
                                 record=record(exported))

    # when
    without = {ref.number for ref in source.search_ids(OrderFilter())}
    with_exported = {ref.number for ref in source.search_ids(
        OrderFilter(include_exported=True))}

    # then
    assert exported.number not in without
    assert exported.number in with_exported


def test_only_queued_matches_the_orders_skip_queued_leaves_out(orders, source):
    # given
    documents = orders(6, seed=8)
    exportable = [d for d in documents if d.status not in ("draft", "unconfirmed")]
    waiting = exportable[0]
    queue([OrderRef(waiting.order_id, waiting.number, waiting.channel_slug)], user_id="7",
          email="staff@example.com", app="", request={}, summary="1 order queued")

    # when
    skipped = {ref.number for ref in source.search_ids(OrderFilter(skip_queued=True))}
    only = (source.search(OrderFilter(only_queued=True), offset=0, limit=10),
            source.filtered(OrderFilter(only_queued=True)).count())

    # then
    assert skipped == {d.number for d in exportable} - {waiting.number}
    assert ([s.number for s in only[0]], only[1]) == ([waiting.number], 1)


@pytest.mark.parametrize(("state", "automatic", "skipped"), [
    (ExportState.SENT, True, True),
    (ExportState.FAILED, True, True),
    (ExportState.NEEDS_RECONCILING, True, True),
    (ExportState.DONE, True, False),
    (ExportState.FAILED, False, False),
])
def test_automatic_selection_skips_orders_it_already_tried(orders, source, state, automatic,
                                                           skipped):
    # given
    tried = orders(1, seed=9)[0]
    record(tried, state=state, automatic=automatic)

    # when
    found = source.search_ids(OrderFilter(skip_automatic_attempts=True, include_exported=True))

    # then
    assert (found == []) is skipped


def test_customers_are_grouped_by_email_with_their_order_count(orders, source):
    # given
    documents = orders(20, seed=10, customers=3)
    expected = {}
    for d in documents:
        expected[d.customer.email] = expected.get(d.customer.email, 0) + 1

    # when
    every = OrderFilter(include_exported=True)
    customers, total = source.customers("", every, offset=0, limit=10)
    searched, searched_total = source.customers("CUSTOMER1@", every, offset=0, limit=10)

    # then
    assert total == len(expected)
    assert {c.email: c.order_count for c in customers} == expected
    assert [c.email for c in customers] == sorted(expected)
    assert searched_total == 1 and searched[0].email == "customer1@example.com"


def test_one_of_nothing_asks_nothing_and_excluding_nothing_keeps_everything(orders):
    # given
    orders(3, seed=10)

    # when
    with CaptureQueriesContext(connection) as queries:
        none = list(SampleOrder.objects.filter(OneOf("order_id", [])))
    every = SampleOrder.objects.exclude(OneOf("number", [], "bigint")).count()
    some = SampleOrder.objects.exclude(OneOf("number", [SampleOrder.objects.first().number],
                                             "bigint")).count()

    # then
    assert none == [] and queries.captured_queries == []
    assert (every, some) == (3, 2)
