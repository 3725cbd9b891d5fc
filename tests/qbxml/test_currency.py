"""An order in another currency than the company's: converted at the set rate, to the cent, or
refused with a reason naming the setting; never booked with its own numbers as home currency.
With multicurrency on, booked in its own currency for a customer in that currency."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
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
from saleor_qb_sync.qbxml.currency import (
    SINGLE_CURRENCY,
    CompanyCurrencies,
    ar_account_for,
    follow_up_rate,
    home_currency,
    in_currency_of,
)
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


# --- a multicurrency company (QuickBooks' preferences and currency list say so) -------------

EURO_COMPANY = CompanyCurrencies(True, "USD", (("USD", "US Dollar"), ("EUR", "Euro"),
                                               ("PLN", "Polish Zloty")), ("GBP",))


def eur_order():
    return replace(pln_order(), currency="EUR")


def test_multicurrency_books_a_foreign_order_in_its_own_currency_for_a_customer_in_it():
    # when
    document = eur_order()
    mapped = map_order(document, Preferences(), EURO_COMPANY)
    # then
    txn = mapped.transaction
    assert txn.currency == "EUR"
    assert txn.lines_total == to_cents(document.total_gross)  # EUR amounts, not converted
    assert txn.exchange_rate is None  # QuickBooks' currency list decides
    assert txn.ar_account == ""  # QuickBooks' A/R account of EUR
    assert "converted" not in txn.memo
    assert mapped.customer.currency == "Euro"
    assert txn.customer_name == mapped.customer.name
    assert txn.customer_name.endswith(" (EUR)")
    assert any("booked in EUR (Euro, QuickBooks multicurrency) at the exchange rate of "
               "QuickBooks' currency list" in w for w in mapped.warnings)


def test_the_settings_rate_is_the_transactions_exchange_rate_under_multicurrency():
    preferences = Preferences.from_config({"exchange_rates": "EUR=1.0815"})
    mapped = map_order(eur_order(), preferences, EURO_COMPANY)
    assert mapped.transaction.exchange_rate == Decimal("1.0815")
    assert mapped.transaction.lines_total == to_cents(eur_order().total_gross)
    assert any("at 1.0815 USD per EUR (Exchange rates setting)" in w for w in mapped.warnings)


def test_a_home_currency_order_in_a_multicurrency_company_is_as_in_any_company():
    document = order()
    assert map_order(document, Preferences(), EURO_COMPANY) == map_order(document, Preferences())


def test_a_long_customer_name_keeps_its_currency_code_within_quickbooks_41_characters():
    document = replace(eur_order(), customer=replace(eur_order().customer,
                                                     first_name="Maximiliane-Josephine",
                                                     last_name="von Hohenzollern-Sigmaringen"))
    name = map_order(document, Preferences(), EURO_COMPANY).customer.name
    assert len(name) == 41 and name.endswith(" (EUR)")


@pytest.mark.parametrize(("currency", "says"), [
    ("CHF", "CHF, which is not in QuickBooks' currency list: add it"),
    ("GBP", "GBP, which is inactive in QuickBooks' currency list: make it active"),
])
def test_a_currency_quickbooks_lacks_or_has_inactive_is_refused_naming_it(currency, says):
    with pytest.raises(MappingError) as refused:
        map_order(replace(pln_order(), currency=currency), Preferences(), EURO_COMPANY)
    assert refused.value.code == "currency_not_in_quickbooks"
    assert says in refused.value.message
    assert "Lists → Currency List" in refused.value.message


def test_a_home_currency_setting_other_than_quickbooks_refuses_orders_naming_both():
    with pytest.raises(MappingError) as refused:
        map_order(order(), Preferences.from_config({"company_currency": "EUR"}), EURO_COMPANY)
    assert refused.value.code == "home_currency_mismatch"
    assert ("QuickBooks' home currency is US Dollar (USD), but the setting QuickBooks home "
            "currency says EUR: set it to USD") in refused.value.message


def test_what_follows_an_order_is_in_its_transactions_currency_whatever_the_company_says_now():
    preferences = Preferences.from_config({"exchange_rates": "EUR=1.08"})
    document = eur_order()
    # booked in EUR (multicurrency): payments stay in EUR
    assert in_currency_of(document, "EUR", preferences) is document
    # converted to USD when it was exported (multicurrency off then): converted again
    assert in_currency_of(document, "USD", preferences).currency == "USD"
    assert (follow_up_rate("EUR", preferences), follow_up_rate("USD", preferences),
            follow_up_rate("PLN", preferences)) == (Decimal("1.08"), None, None)
    assert ar_account_for("EUR", preferences) == ""
    assert ar_account_for("USD", preferences) == preferences.ar_account


def test_the_company_currencies_survive_their_json():
    assert CompanyCurrencies.from_json(EURO_COMPANY.to_json()) == EURO_COMPANY
    assert CompanyCurrencies.from_json(None) == SINGLE_CURRENCY
    assert EURO_COMPANY.name_of("eur") == "Euro" and EURO_COMPANY.name_of("GBP") is None
