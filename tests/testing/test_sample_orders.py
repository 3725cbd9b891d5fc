"""Generated sample orders: the same for a seed, realistic, and adding up as Saleor's do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from saleor_qb_sync.documents import ChargeStatus
from saleor_qb_sync.testing.sample_orders import CHANNELS, generate_orders


def test_the_same_seed_gives_the_same_orders_and_another_seed_others():
    # when
    first, again, other = (generate_orders(25, seed=s) for s in (5, 5, 6))

    # then
    assert first == again
    assert [o.order_id for o in first] != [o.order_id for o in other]


def test_orders_are_numbered_and_spread_over_the_span_in_order():
    # given
    start = datetime(2026, 3, 1, tzinfo=UTC)

    # when
    orders = generate_orders(10, seed=1, start_number=1001, start=start, span_days=10)

    # then
    assert [o.number for o in orders] == list(range(1001, 1011))
    assert all(start <= o.created_at < start + timedelta(days=10) for o in orders)
    assert [o.created_at for o in orders] == sorted(o.created_at for o in orders)
    assert len({o.order_id for o in orders}) == 10


def test_every_order_adds_up_and_uses_its_channels_currency():
    # when
    orders = generate_orders(300, seed=2)

    # then
    currencies = {c.slug: c.currency for c in CHANNELS}
    assert [o.number for o in orders if o.totals_problem()] == []
    assert all(o.currency == currencies[o.channel_slug] for o in orders)
    assert all(line.total_price_gross >= 0 and line.quantity >= 1
               for o in orders for line in o.lines)


def test_paid_orders_were_charged_their_total_and_unpaid_ones_nothing():
    # when
    orders = generate_orders(200, seed=3)

    # then
    paid = [o for o in orders if o.charge_status is ChargeStatus.FULL]
    unpaid = [o for o in orders if o.charge_status is not ChargeStatus.FULL]
    assert paid and unpaid
    assert all(o.total_charged == o.total_gross == sum(p.amount for p in o.payments)
               for o in paid)
    assert all(o.total_charged == 0 and not o.payments for o in unpaid)


def test_the_orders_have_the_shapes_a_real_store_has():
    # when
    orders = generate_orders(400, seed=4)

    # then
    lines = [line for o in orders for line in o.lines]
    assert any(o.customer.user_id is None for o in orders)  # guests
    assert any(o.customer.user_id for o in orders)  # registered customers
    assert any(line.sku is None for line in lines)
    assert any(line.is_gift_card for line in lines)
    assert any(line.total_price_gross == 0 for line in lines)
    assert any(o.gift_card_amount > 0 for o in orders)
    assert any(o.voucher_code for o in orders)
    assert any(o.shipping is None for o in orders)
    assert {o.channel_slug for o in orders} == {c.slug for c in CHANNELS}
    assert any(len(o.customer_name) > 31 or any(len(line.product_name) > 31 for line in o.lines)
               for o in orders)  # longer than QuickBooks' names


def test_customers_come_from_a_pool_of_the_size_asked():
    # when
    orders = generate_orders(60, seed=5, customers=3)

    # then
    assert len({o.customer.email for o in orders}) == 3
