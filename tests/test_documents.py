"""``OrderDocument``: its JSON form and the totals invariant Saleor's orders keep."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

from hypothesis import given, settings

from saleor_qb_sync.documents import (
    Shipping,
    document_from_json,
    document_to_json,
    to_cents,
)
from saleor_qb_sync.testing.sample_orders import generate_orders
from tests.qbxml.factories import order, order_line
from tests.strategies import orders


def through_json(document):
    return document_from_json(json.loads(json.dumps(document_to_json(document))))


def test_generated_orders_survive_a_round_trip_through_json():
    # given
    documents = generate_orders(200, seed=13)

    # when
    again = [through_json(d) for d in documents]

    # then
    assert again == documents
    assert [a.metadata for a in again] == [d.metadata for d in documents]


@settings(max_examples=150, deadline=None)
@given(orders())
def test_any_order_survives_a_round_trip_through_json(document):
    # when
    again = through_json(document)

    # then
    assert again == document
    assert again.created_at.utcoffset() == document.created_at.utcoffset()
    assert type(again.charge_status) is type(document.charge_status)


def test_the_json_form_keeps_money_exact_and_metadata():
    # given
    document = order(lines=(order_line(unit_net="0.333", quantity=3),),
                     metadata={"source": "test"})

    # when
    data = document_to_json(document)
    again = document_from_json(data)

    # then
    assert data["lines"][0]["unit_price_net"] == "0.333"
    assert isinstance(again.lines[0].unit_price_net, Decimal)
    assert again.lines[0].unit_price_net == Decimal("0.333")
    assert again.metadata == {"source": "test"}
    assert again.shipping is None and again.billing_address is not None


def test_generated_orders_always_add_up():
    # when
    problems = [d.totals_problem() for d in generate_orders(500, seed=17)]

    # then
    assert problems == [None] * 500


def test_a_legacy_gift_card_lowers_the_total_and_still_adds_up():
    # given
    document = order(shipping=Shipping("DHL", Decimal("5.00"), Decimal("5.00")),
                     gift_card_amount="7.50")

    # when
    problem = document.totals_problem()

    # then
    assert problem is None
    assert document.total_gross == document.subtotal_gross + Decimal("5.00") - Decimal("7.50")


def test_a_total_that_does_not_add_up_is_explained():
    # given
    document = dataclasses.replace(order(), total_gross=Decimal("25.00"))

    # when
    problem = document.totals_problem()

    # then
    assert problem == ("lines (20.00) + shipping (0.00) - gift cards (0.00) = 20.00, but the "
                       "order total is 25.00 USD")


def test_sub_cent_differences_are_not_a_problem():
    # given
    document = dataclasses.replace(order(), total_gross=Decimal("20.004"))

    # when
    problem = document.totals_problem()

    # then
    assert problem is None
    assert to_cents(Decimal("0.005")) == Decimal("0.01")
