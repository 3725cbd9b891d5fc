"""The simulated company file's description and records: immutable seeds, QuickBooks' names."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.testing.qb_company import (
    Company,
    Customer,
    CustomerSpec,
    ItemSpec,
    NameIndex,
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
