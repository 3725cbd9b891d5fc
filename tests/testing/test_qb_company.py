"""The simulated company file's description and records: immutable seeds, QuickBooks' names."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.testing.qb_company import (
    AccountSpec,
    Company,
    CurrencySpec,
    Customer,
    CustomerSpec,
    ItemSpec,
    NameIndex,
    Transaction,
    TxnLine,
)

CREATED = datetime(2026, 12, 1, tzinfo=UTC)


def test_a_company_given_lists_keeps_tuples_and_cannot_be_changed():
    # when
    company = Company(items=[ItemSpec("Mug")], customers=[CustomerSpec("Jane")])

    # then
    assert company.items == (ItemSpec("Mug"),)
    assert company.customers == (CustomerSpec("Jane"),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        company.name = "Another"  # type: ignore[misc]


def test_a_bare_company_has_no_accounts_and_the_default_one_a_us_stores():
    # when
    bare, default = Company(), Company.default()

    # then
    assert bare.accounts == () and bare.default_item_sales_tax is None
    assert {a.name for a in default.accounts} >= {"Sales", "Undeposited Funds",
                                                   "Accounts Receivable"}
    assert [(t.name, t.rate_percent) for t in default.sales_tax_items] == [
        ("State Sales Tax", Decimal("8.25"))]
    assert default.default_item_sales_tax == "State Sales Tax"
    assert [c.name for c in default.sales_tax_codes] == ["Tax", "Non"]


def test_the_default_company_takes_overrides_and_keeps_the_rest():
    # when
    pro = Company.default(supports_sales_orders=False, customers=[])

    # then
    assert pro.supports_sales_orders is False
    assert pro.customers == ()
    assert pro.accounts == Company.default().accounts


def test_a_sub_customers_full_name_names_its_parents():
    # given
    parent = Customer("80000001-1", "Acme", CREATED)
    job = Customer("80000002-1", "Warehouse", CREATED, parent=parent)
    phase = Customer("80000003-1", "Phase 2", CREATED, parent=job)

    # then
    assert [c.full_name for c in (parent, job, phase)] == [
        "Acme", "Acme:Warehouse", "Acme:Warehouse:Phase 2"]
    assert [c.sublevel for c in (parent, job, phase)] == [0, 1, 2]


def test_names_are_found_whatever_their_case_and_surrounding_spaces():
    # given
    index = NameIndex()
    record = object()
    index.add("Web Customer", record)

    # then
    assert index.get("  web CUSTOMER ") is record
    assert "WEB customer" in index
    assert "Web Customers" not in index
    assert index.get(None) is None
    assert list(index.values()) == [record]


def test_a_name_added_again_in_another_case_is_the_same_entry():
    # given
    index = NameIndex()
    first, second = object(), object()

    # when
    index.add("Straße", first)
    index.add("STRASSE", second)

    # then: one key for both (the index casefolds)
    assert list(index.values()) == [second]


def test_a_multicurrency_company_gets_the_default_currency_list_and_a_plain_one_none():
    # when
    plain, multi = Company(), Company(multicurrency=True)

    # then
    assert plain.currencies == () and plain.home_currency == "US Dollar"
    assert [(c.name, c.code, c.exchange_rate) for c in multi.currencies] == [
        ("US Dollar", "USD", Decimal("1")), ("Euro", "EUR", Decimal("1.08")),
        ("Polish Zloty", "PLN", Decimal("0.25")),
        ("British Pound Sterling", "GBP", Decimal("1.27")),
        ("Canadian Dollar", "CAD", Decimal("0.73"))]
    assert all(c.is_active for c in multi.currencies)


def test_a_company_refuses_currencies_it_does_not_have():
    # then
    with pytest.raises(ValueError, match="multicurrency is off"):
        Company(customers=[CustomerSpec("Berlin", currency="Euro")])
    with pytest.raises(ValueError, match="not in currencies"):
        Company(multicurrency=True, accounts=[AccountSpec("Bank CHF", "Bank", currency="CHF")])
    with pytest.raises(ValueError, match="home currency"):
        Company(multicurrency=True, home_currency="Euro",
                currencies=[CurrencySpec("US Dollar", "USD", Decimal(1))])
    assert Company(customers=[CustomerSpec("Boston", currency="us dollar")]).customers


def test_a_transactions_home_currency_total_is_rounded_half_up_to_the_cent():
    # given
    txn = Transaction(
        kind="Invoice", txn_id="1A2B-1", txn_number=1, time_created=CREATED,
        edit_sequence="1", txn_date=CREATED.date(), ref_number="W1", customer_name="Krakow",
        lines=[], subtotal=Decimal("10.10"), sales_tax_item=None, sales_tax_percentage=None,
        sales_tax_total=Decimal("0.00"), total_amount=Decimal("10.10"), currency="Polish Zloty",
        exchange_rate=Decimal("0.25"))

    # then
    assert txn.total_amount_in_home_currency == Decimal("2.53")
    assert dataclasses.replace(txn, exchange_rate=Decimal(1)).total_amount_in_home_currency \
        == Decimal("10.10")


def test_a_name_removed_from_an_index_is_gone_whatever_its_case():
    # given
    index = NameIndex()
    index.add("Web Customer", object())

    # when
    index.remove("WEB customer")
    index.remove("never there")

    # then
    assert "Web Customer" not in index


def test_a_transactions_summary_is_what_quickbooks_recorded_as_json_ready_text():
    # given: a product line, a line without a quantity, and a negative line
    lines = [
        TxnLine("1-1", "Mug", "Blue mug", Decimal("2"), Decimal("9.995"), None, Decimal("19.99"),
                "Non", False),
        TxnLine("2-1", "Shipping", None, None, None, None, Decimal("5.00"), "Tax", True),
        TxnLine("3-1", "Gift card", "Gift card applied", None, None, None, Decimal("-10.00"),
                "Non", False),
    ]
    txn = Transaction(
        kind="Invoice", txn_id="1A2B-1", txn_number=1, time_created=CREATED,
        edit_sequence="1", txn_date=CREATED.date(), ref_number="W1", customer_name="Doe, Jane",
        lines=lines, subtotal=Decimal("14.99"), sales_tax_item="State Sales Tax",
        sales_tax_percentage=Decimal("8.25"), sales_tax_total=Decimal("0.41"),
        total_amount=Decimal("15.40"), currency="US Dollar")

    # when
    summary = txn.summary()

    # then
    assert json.loads(json.dumps(summary)) == summary
    assert {k: summary[k] for k in ("type", "ref_number", "customer", "txn_date", "currency")} \
        == {"type": "Invoice", "ref_number": "W1", "customer": "Doe, Jane",
            "txn_date": "2026-12-01", "currency": "US Dollar"}
    assert summary["lines"] == [
        {"item": "Mug", "description": "Blue mug", "quantity": "2", "rate": "9.995",
         "rate_percent": None, "amount": "19.99", "sales_tax_code": "Non"},
        {"item": "Shipping", "description": None, "quantity": None, "rate": None,
         "rate_percent": None, "amount": "5.00", "sales_tax_code": "Tax"},
        {"item": "Gift card", "description": "Gift card applied", "quantity": None,
         "rate": None, "rate_percent": None, "amount": "-10.00", "sales_tax_code": "Non"},
    ]
    assert (summary["subtotal"], summary["sales_tax_item"], summary["sales_tax_total"],
            summary["total_amount"]) == ("14.99", "State Sales Tax", "0.41", "15.40")
