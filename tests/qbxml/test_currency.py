"""An order in another currency than the company's: converted at the set rate, to the cent, or
refused with a reason naming the setting; never booked with its own numbers."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings

from saleor_qb_sync.documents import (
    Discount,
    OrderLine,
    Payment,
    Refund,
    RefundLine,
    Shipping,
    to_cents,
)
from saleor_qb_sync.errors import MappingError, PreferencesInvalid
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbxml import currency
from saleor_qb_sync.qbxml.currency import home_currency
from saleor_qb_sync.qbxml.mapping import map_order
from tests.strategies import orders

from .factories import order, order_line


def pln_order():
    """3 × 33.33 PLN net at 23 % and 15.99 PLN shipping: amounts that do not convert evenly."""
    return order(lines=(order_line(quantity=3, unit_net="33.33", tax_rate="0.23"),),
                 shipping=Shipping("InPost", Decimal("15.99"), Decimal("19.67"),
                                   Decimal("0.23")),
                 currency="PLN", payments=(Payment(method="card", amount=Decimal("142.66"),
                                                   payment_id="transaction:a"),))


def test_an_order_in_the_home_currency_is_left_as_it_is():
    document = order()
    assert home_currency(document, Preferences()) is document


def test_without_a_rate_an_order_in_another_currency_is_refused_naming_the_setting():
    with pytest.raises(MappingError) as refused:
        map_order(pln_order(), Preferences())
    assert refused.value.code == "foreign_currency"
    assert "QuickBooks would book the PLN amounts as USD" in refused.value.message
    assert "Exchange rates" in refused.value.message


@pytest.mark.parametrize("rate", ["0.25", "0.2517", "4.1234"])
def test_a_converted_order_totals_the_converted_saleor_total_to_the_cent(rate):
    # when
    document = pln_order()
    mapped = map_order(document, Preferences.from_config({"exchange_rates": f"PLN={rate}"}))
    # then
    txn = mapped.transaction
    assert txn.currency == "USD"
    assert txn.lines_total == to_cents(document.total_gross * Decimal(rate))
    assert f"converted from {document.total_gross} PLN at {rate} USD per PLN" in txn.memo
    assert any(w.startswith("amounts converted from") for w in mapped.warnings)


def test_payments_are_converted_at_the_same_rate():
    converted = home_currency(pln_order(), Preferences.from_config({"exchange_rates":
                                                                    "PLN=0.25"}))
    assert converted.payments[0].amount == Decimal("142.66") * Decimal("0.25")
    assert converted.currency == "USD"


@pytest.mark.parametrize("raw", ["PLN", "PLN=", "PLN=-1", "PLN=abc", "PLNX=1", "PLN=1,PLN=2",
                                 "PLN=NaN"])
def test_an_exchange_rate_that_is_not_a_positive_rate_is_refused(raw):
    with pytest.raises(PreferencesInvalid) as refused:
        Preferences.from_config({"exchange_rates": raw})
    assert refused.value.errors[0].field == "exchange_rates"


def test_rates_are_read_case_blind_and_the_home_currency_is_one():
    preferences = Preferences.from_config({"exchange_rates": "pln=0.25, EUR = 1.08"})
    assert preferences.exchange_rates == ("PLN=0.25", "EUR=1.08")
    assert (preferences.rate_for("pln"), preferences.rate_for("USD"),
            preferences.rate_for("GBP")) == (Decimal("0.25"), Decimal(1), None)


def _replaced(record, rate, names):
    """The conversion as ``dataclasses.replace`` spells it (what ``home_currency`` did)."""
    return dataclasses.replace(record, **{n: getattr(record, n) * rate for n in names})


@settings(max_examples=150, deadline=None)
@given(document=orders())
def test_a_conversion_is_what_replacing_every_amount_gives(document):
    # given: any order, refunds and all, converted at an uneven rate
    rate = Decimal("0.2517")
    document = dataclasses.replace(document, currency="PLN", refunds=(
        Refund("granted:1", Decimal("10.01"), (RefundLine("l1", 1),), shipping=True),))
    # when
    converted = home_currency(document, Preferences.from_config(
        {"exchange_rates": f"PLN={rate}"}))
    # then: field for field what replace() on each record gives
    money = currency._MONEY
    assert converted == dataclasses.replace(
        _replaced(document, rate, currency._ORDER_MONEY), currency="USD",
        lines=tuple(_replaced(line, rate, money[OrderLine]) for line in document.lines),
        shipping=None if document.shipping is None else _replaced(
            document.shipping, rate, money[Shipping]),
        discounts=tuple(_replaced(d, rate, money[Discount]) for d in document.discounts),
        payments=tuple(_replaced(p, rate, money[Payment]) for p in document.payments),
        refunds=tuple(_replaced(r, rate, money[Refund]) for r in document.refunds))
    assert converted.metadata == document.metadata
