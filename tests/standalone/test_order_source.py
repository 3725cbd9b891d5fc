"""``SampleOrderSource`` beyond what ``tests/test_order_source.py`` checks of it: page order,
the customer given by global or raw user id, limits, name search, batched storing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from saleor_qb_sync.order_source import OrderFilter
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.standalone.models import SampleOrder
from saleor_qb_sync.standalone.order_source import SampleOrderSource, store_sample_orders
from saleor_qb_sync.testing.sample_orders import generate_orders

pytestmark = pytest.mark.django_db

EVERY = OrderFilter(include_exported=True)


def test_a_page_lists_the_newest_orders_first_as_summaries(orders, source):
    # given
    documents = orders(12, seed=21)

    # when
    page = source.search(EVERY, offset=0, limit=5)
    total = source.filtered(EVERY).count()

    # then
    listed = sorted((d for d in documents if d.status not in ("draft", "unconfirmed")),
                    key=lambda d: (d.created_at, d.number), reverse=True)
    assert [s.number for s in page] == [d.number for d in listed[:5]]
    first = page[0]
    assert (first.order_id, first.currency, first.total_gross, first.customer_email) == (
        listed[0].order_id, listed[0].currency, listed[0].total_gross,
        listed[0].customer.email)
    assert isinstance(first.order_id, str)
    assert total == len(listed)


def test_a_customer_given_by_global_or_raw_user_id_finds_the_same_orders(orders, source):
    # given
    documents = orders(40, seed=22, customers=4)
    user_id = next(d.customer.user_id for d in documents if d.customer.user_id)
    theirs = sorted(d.number for d in documents if d.customer.user_id == user_id)

    # when
    by_global = source.search_ids(OrderFilter(customer=to_global_id("User", user_id),
                                              include_exported=True, any_status=True))
    by_raw = source.search_ids(OrderFilter(customer=user_id, include_exported=True,
                                           any_status=True))
    by_other_type = source.search_ids(OrderFilter(customer=to_global_id("Order", user_id),
                                                  include_exported=True, any_status=True))

    # then
    assert sorted(ref.number for ref in by_global) == theirs
    assert by_raw == by_global
    assert by_other_type == []


def test_search_ids_stops_at_the_limit_oldest_first(orders, source):
    # given
    orders(10, seed=23)

    # when
    everything = source.search_ids(EVERY)
    first_three = source.search_ids(EVERY, limit=3)

    # then
    assert first_three == everything[:3]
    assert [ref.channel_slug for ref in first_three] == [
        SampleOrder.objects.get(order_id=ref.order_id).channel_slug for ref in first_three]


def test_customers_are_found_by_part_of_their_name_whatever_its_case(source):
    # given
    documents = generate_orders(30, seed=24, customers=6)
    store_sample_orders(documents)
    named = next(d for d in documents if d.customer_name)
    part = named.customer_name[1:4].swapcase()

    # when
    found, total = source.customers(part, EVERY, offset=0, limit=50)

    # then
    assert named.customer.email in {c.email for c in found}
    assert all(part.casefold() in (c.name.casefold() + c.email.casefold()) for c in found)
    assert total == len(found)


def test_storing_in_batches_writes_every_order_and_says_how_many():
    # given
    documents = generate_orders(7, seed=25, start=datetime(2026, 5, 1, tzinfo=UTC))

    # when
    written = store_sample_orders(documents, batch_size=3)

    # then
    assert written == 7
    loaded = SampleOrderSource().load([d.order_id for d in documents])
    assert loaded == {d.order_id: d for d in documents}
