"""The settings that name QuickBooks records, checked against our copy of the lists."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from saleor_qb_sync import company, list_checks, quickbooks_lists
from saleor_qb_sync.list_checks import Severity
from saleor_qb_sync.models import WebConnectorSession
from saleor_qb_sync.preferences import CustomerMode, Preferences, TaxMode
from saleor_qb_sync.qbxml.currency import CompanyCurrencies
from saleor_qb_sync.qbxml.lists import ListEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def entry(list_id: str, full_name: str, record_type: str = "", *, active: bool = True
          ) -> ListEntry:
    return ListEntry(list_id=list_id, name=full_name.rsplit(":", 1)[-1], full_name=full_name,
                     record_type=record_type, is_active=active, edit_sequence="1",
                     time_modified=NOW)


def read(key: str, *entries: ListEntry) -> None:
    """``key`` as a complete read by Web Connector that gave ``entries``."""
    quickbooks_lists.store(key, list(entries))
    quickbooks_lists.finish(key, NOW, full=True, records=len(entries), round_trips=1)


@pytest.fixture
def company_lists():
    read("accounts",
         entry("A1", "Sales", "Income"), entry("A2", "Undeposited Funds", "OtherCurrentAsset"),
         entry("A3", "Accounts Receivable", "AccountsReceivable"),
         entry("A4", "Sales Tax Payable", "OtherCurrentLiability"),
         entry("A5", "Checking", "Bank"), entry("A6", "Old Sales", "Income", active=False),
         entry("A7", "Office Supplies", "Expense"))
    read("items",
         entry("I1", "Shipping", "ItemOtherCharge"),
         entry("I2", "Saleor Discount", "ItemDiscount"),
         entry("I3", "Gift Card", "ItemOtherCharge"),
         entry("I4", "Saleor Refund", "ItemOtherCharge"),
         entry("I5", "Saleor Product", "ItemNonInventory"),
         entry("I6", "Saleor Sales Tax", "ItemOtherCharge"),
         entry("I7", "State Tax", "ItemSalesTax"), entry("I8", "Subtotal", "ItemSubtotal"),
         entry("I9", "Freight:Ground", "ItemService"))
    read("customers", entry("C1", "Saleor Web Store"), entry("C2", "Closed Shop", active=False))
    read("classes", entry("K1", "Web"))
    read("payment_methods", entry("P1", "Visa", "CreditCard"), entry("P2", "Cash", "Cash"))


def problems(preferences: Preferences, *fields: str):
    return [(p.field, p.severity, p.code)
            for p in list_checks.check(preferences, fields or None)]


def test_the_defaults_of_a_company_with_those_names_have_no_problem(company_lists):
    assert problems(Preferences()) == []


def test_an_account_quickbooks_lacks_is_an_error_naming_it(company_lists):
    # when
    found = list_checks.check(Preferences(income_account="Salse"), ["income_account"])

    # then
    assert [(p.field, p.severity, p.code, p.value) for p in found] == [
        ("income_account", Severity.ERROR, "not_in_quickbooks", "Salse")]
    assert "QuickBooks has no account named \"Salse\"" in found[0].message


def test_names_compare_without_regard_to_case_and_by_full_name(company_lists):
    prefs = Preferences(income_account="sales", shipping_item_name="FREIGHT:GROUND")
    assert problems(prefs, "income_account", "shipping_item_name") == []
    # the last part alone is not the full name: the first export would add a new item
    assert problems(Preferences(shipping_item_name="Ground"), "shipping_item_name") == [
        ("shipping_item_name", Severity.NOTICE, "created_by_export")]


def test_an_inactive_record_is_refused(company_lists):
    assert problems(Preferences(income_account="Old Sales"), "income_account") == [
        ("income_account", Severity.ERROR, "inactive_in_quickbooks")]
    prefs = Preferences(customer_mode=CustomerMode.SINGLE_CUSTOMER,
                        single_customer_name="Closed Shop")
    assert problems(prefs, "single_customer_name") == [
        ("single_customer_name", Severity.ERROR, "inactive_in_quickbooks")]


def test_accounts_of_a_type_quickbooks_refuses_there_are_errors_unusual_ones_notices(
        company_lists):
    found = list_checks.check(
        Preferences(ar_account="Checking", deposit_to_account="Office Supplies",
                    income_account="Checking"),
        ["ar_account", "deposit_to_account", "income_account"])
    assert [(p.field, p.severity, p.code) for p in found] == [
        ("income_account", Severity.NOTICE, "unusual_account_type"),
        ("deposit_to_account", Severity.ERROR, "wrong_account_type"),
        ("ar_account", Severity.ERROR, "wrong_account_type"),
    ]
    assert found[2].message == ("\"Checking\" is a bank account; QuickBooks takes only an "
                                "accounts receivable account as the accounts receivable "
                                "account.")
    assert found[1].message.startswith("\"Office Supplies\" is an expense account")


def test_an_item_quickbooks_lacks_is_added_by_the_first_export_a_notice(company_lists):
    found = list_checks.check(Preferences(shipping_item_name="Delivery"),
                              ["shipping_item_name"])
    assert [(p.severity, p.code) for p in found] == [(Severity.NOTICE, "created_by_export")]
    assert "the first export that needs it adds it" in found[0].message


def test_an_item_that_cannot_carry_a_line_is_refused(company_lists):
    assert problems(Preferences(discount_item_name="Subtotal"), "discount_item_name") == [
        ("discount_item_name", Severity.ERROR, "not_a_line_item")]


def test_quickbooks_own_tax_needs_a_sales_tax_item_that_exists(company_lists):
    tax = Preferences(tax_mode=TaxMode.QUICKBOOKS_TAX_ITEM)
    assert problems(dataclasses.replace(tax, sales_tax_item_name="Saleor Sales Tax"),
                    "sales_tax_item_name") == [
        ("sales_tax_item_name", Severity.ERROR, "not_a_sales_tax_item")]
    assert problems(dataclasses.replace(tax, sales_tax_item_name="County Tax"),
                    "sales_tax_item_name") == [
        ("sales_tax_item_name", Severity.ERROR, "not_in_quickbooks")]
    assert problems(dataclasses.replace(tax, sales_tax_item_name="State Tax"),
                    "sales_tax_item_name") == []


def test_each_payment_method_pair_is_checked_and_named(company_lists):
    found = list_checks.check(
        Preferences(payment_methods=("card=Visa", "bank=Wire", "cash=Cash")),
        ["payment_methods"])
    assert [(p.code, p.value) for p in found] == [("not_in_quickbooks", "Wire")]
    assert found[0].message.startswith("bank: QuickBooks has no payment method named \"Wire\"")


def test_a_class_quickbooks_lacks_is_refused_and_none_is_fine(company_lists):
    assert problems(Preferences(class_name="Retail"), "class_name") == [
        ("class_name", Severity.ERROR, "not_in_quickbooks")]
    assert problems(Preferences(class_name=""), "class_name") == []


def test_the_single_customer_is_checked_only_in_single_customer_mode(company_lists):
    assert problems(Preferences(single_customer_name="Nobody"), "single_customer_name") == []
    prefs = Preferences(customer_mode=CustomerMode.SINGLE_CUSTOMER,
                        single_customer_name="Nobody")
    assert problems(prefs, "single_customer_name") == [
        ("single_customer_name", Severity.NOTICE, "created_by_export")]


def test_a_list_never_read_checks_nothing_and_says_so(db):
    found = list_checks.check(Preferences(income_account="Anything"), ["income_account"])
    assert [(p.severity, p.code) for p in found] == [(Severity.NOTICE, "lists_not_read")]
    assert "has not read QuickBooks' accounts yet" in found[0].message
    assert list_checks.refusals(None, Preferences(income_account="Anything")) == []


def test_with_multicurrency_the_home_currency_must_be_quickbooks_own(db):
    row = WebConnectorSession(ticket_digest="a" * 64, username="qb")
    company.remember_currencies(row, CompanyCurrencies(True, "EUR", (("EUR", "Euro"),)))
    row.save()
    found = list_checks.check(Preferences(company_currency="USD"), ["company_currency"])
    assert [(p.code, p.message) for p in found] == [(
        "home_currency_mismatch",
        "QuickBooks' home currency is Euro (EUR), not USD: with multicurrency on, set it to "
        "EUR.")]
    assert list_checks.check(Preferences(company_currency="EUR"), ["company_currency"]) == []


def test_only_what_a_save_changes_is_refused(company_lists):
    # given: saved when "Old Sales" was active; it has since been made inactive
    saved = Preferences(income_account="Old Sales")

    # when another setting changes, the old name does not block the save
    assert list_checks.refusals(saved, dataclasses.replace(saved, class_name="Web")) == []
    # but it shows among the problems of the settings in force
    assert ("income_account", Severity.ERROR, "inactive_in_quickbooks") in problems(saved)
    # and changing to another bad name is refused
    refused = list_checks.refusals(saved, dataclasses.replace(saved, class_name="Retail"))
    assert [(e.field, e.code) for e in refused] == [("class_name", "not_in_quickbooks")]


def test_a_change_of_mode_checks_the_names_it_starts_using(company_lists):
    before = Preferences(sales_tax_item_name="Saleor Sales Tax")
    after = dataclasses.replace(before, tax_mode=TaxMode.QUICKBOOKS_TAX_ITEM)
    assert [(e.field, e.code) for e in list_checks.refusals(before, after)] == [
        ("sales_tax_item_name", "not_a_sales_tax_item")]


def test_the_check_reads_one_statement_per_list_it_looks_at(company_lists,
                                                            django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # pulls, accounts, items, customers, classes,
        list_checks.check(Preferences())     # payment methods, the last session's currencies


def test_a_picker_offers_what_quickbooks_takes_in_that_setting(company_lists):
    deposit = list_checks.choices_for("deposit_to_account", Preferences())
    page, total = quickbooks_lists.search(deposit.list, record_types=deposit.types)
    assert [e.full_name for e in page] == ["Checking", "Undeposited Funds"]
    shipping = list_checks.choices_for("shipping_item_name", Preferences())
    page, total = quickbooks_lists.search(shipping.list, excluded_types=shipping.excluded)
    assert "Subtotal" not in [e.full_name for e in page] and total == 8
    tax = list_checks.choices_for("sales_tax_item_name",
                                  Preferences(tax_mode=TaxMode.QUICKBOOKS_TAX_ITEM))
    page, _ = quickbooks_lists.search(tax.list, record_types=tax.types)
    assert [e.full_name for e in page] == ["State Tax"]
    assert list_checks.choices_for("time_zone", Preferences()) is None


def test_a_search_puts_names_starting_with_the_text_first(company_lists):
    page, total = quickbooks_lists.search("accounts", "sale")
    assert [e.full_name for e in page] == ["Sales", "Sales Tax Payable"]
    page, total = quickbooks_lists.search("accounts", "o", active_only=False, limit=2)
    assert total == 4 and [e.full_name for e in page] == ["Office Supplies", "Old Sales"]
