"""Dry run: chosen orders through the real export against a simulated company, leaving no trace.

The simulated company is seeded from our copy of QuickBooks' lists as a Web Connector update
stores it (``quickbooks_lists.store``); each outcome is what a real run records. The last tests
pull the lists from a simulated QuickBooks over the emulator, dry-run, then export the same
orders for real and compare.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.apps import apps

from saleor_qb_sync import dry_run as dry_run_module
from saleor_qb_sync import quickbooks_lists
from saleor_qb_sync.dry_run import (
    MAX_ORDERS,
    DryRunOutcome,
    dry_run_filter,
    dry_run_orders,
    simulated_company,
)
from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.models import ExportState, WebConnectorSession
from saleor_qb_sync.qbwc import names
from saleor_qb_sync.qbxml.currency import CompanyCurrencies
from saleor_qb_sync.qbxml.lists import ListEntry
from saleor_qb_sync.standalone.order_source import SampleOrderSource
from saleor_qb_sync.testing.intuit_files import schema_dir
from saleor_qb_sync.testing.qb_company import Company, CustomerSpec, ItemSpec
from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
from saleor_qb_sync.transfers import Actor, queue_lists_refresh, queue_orders, transfer_filter

from .conftest import mark_exported

pytestmark = pytest.mark.django_db

STAFF = Actor(user_id="7", email="staff@example.com")
READ = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def entry(name: str, record_type: str = "", **fields) -> ListEntry:
    values = {"edit_sequence": "1", "time_modified": READ, "is_active": True, **fields}
    return ListEntry(list_id=f"8000{abs(hash(name)) % 10**8:08d}-1", name=name,
                     full_name=name, record_type=record_type, **values)


ACCOUNTS = (entry("Sales", "Income"), entry("Undeposited Funds", "OtherCurrentAsset"),
            entry("Accounts Receivable", "AccountsReceivable"),
            entry("Sales Tax Payable", "OtherCurrentLiability"))


TAX_CODES = (entry("Tax", "Taxable"), entry("Non", "NonTaxable"))


def pulled(*, accounts=ACCOUNTS, items=(), customers=(), sales_tax_codes=TAX_CODES,
           classes=(), payment_methods=(), sales_tax=True, multi_currency=False,
           home="US Dollar"):
    """QuickBooks' lists as a Web Connector update stores them after reading them all."""
    for key, rows in (("accounts", accounts), ("items", items), ("customers", customers),
                      ("sales_tax_codes", sales_tax_codes), ("classes", classes),
                      ("payment_methods", payment_methods)):
        quickbooks_lists.store(key, list(rows))
        quickbooks_lists.finish(key, READ, full=True, records=len(rows), round_trips=1)
    quickbooks_lists.remember_preferences({"sales_tax": sales_tax,
                                           "multi_currency": multi_currency,
                                           "home_currency": home})


def by_number(result) -> dict[int, object]:
    return {o.number: o for o in result.orders}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table of ours (the ledger, claims, sessions, lists, names…)."""
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in apps.get_app_config("saleor_qb_sync").get_models()}


# --- outcomes ----------------------------------------------------------------------------------


def test_good_and_refused_orders_are_each_reported_with_the_reason_a_real_run_records(
        configure, stored_order):
    # given: QuickBooks has the item TEE-M, the customer Jane Doe and an inactive Ina Ctive
    preferences = configure(missing_item_action="fail")
    pulled(items=[entry("TEE-M", "ItemNonInventory", account="Sales")],
           customers=[entry("Jane Doe"), entry("Ina Ctive", is_active=False)])
    orders = [
        stored_order(1),
        stored_order(2, first_name="Bob", email="bob@example.com"),
        stored_order(3, sku="MUG", first_name="Mia", email="mia@example.com"),
        stored_order(4, currency="GBP", first_name="Gus", email="gus@example.com"),
        stored_order(5, first_name="Ina", last_name="Ctive", email="ina@example.com"),
        stored_order(6, status="draft"),
        stored_order(7, first_name="Eve", email="eve@example.com"),
    ]
    mark_exported(orders[6], WebConnectorSession.objects.create(ticket_digest="t"),
                  txn_id="TXN-7")

    # when
    result = dry_run_orders(SampleOrderSource(), preferences, STAFF,
                            [o.order_id for o in orders])

    # then
    outcome = by_number(result)
    assert [o.number for o in result.orders] == [1, 2, 3, 4, 5, 6, 7]
    for number in (1, 2):
        assert outcome[number].outcome == DryRunOutcome.WOULD_LAND
        assert outcome[number].transaction_type == "SalesReceipt"
        assert outcome[number].ref_number == str(number)
        assert outcome[number].total == Decimal("20.00")
    assert outcome[2].customer == "Bob Doe"
    assert result.customers_created == ("Bob Doe",)  # Jane Doe is in QuickBooks already
    assert result.items_created == ()
    assert outcome[3].outcome == DryRunOutcome.WOULD_FAIL
    assert outcome[3].reason == "QuickBooks has no item named MUG."
    assert outcome[3].action == "Create the item in QuickBooks or change the missing item rule."
    assert outcome[4].outcome == DryRunOutcome.WOULD_FAIL
    assert "it is in GBP" in outcome[4].reason and "Exchange rates" in outcome[4].reason
    # the simulator refuses a transaction for an inactive customer (3140), after the engine
    # tried once more adding the name
    assert outcome[5].outcome == DryRunOutcome.WOULD_FAIL
    assert outcome[5].status_code == 3140
    assert "Ina Ctive" in outcome[5].reason
    assert outcome[6].outcome == DryRunOutcome.WOULD_FAIL
    assert "draft and unconfirmed orders are never exported" in outcome[6].reason
    assert outcome[7].outcome == DryRunOutcome.ALREADY_IN_QUICKBOOKS
    assert outcome[7].ref_number == "7"
    assert "duplicate check would find it" in outcome[7].reason
    assert (result.count(DryRunOutcome.WOULD_LAND), result.count(DryRunOutcome.WOULD_FAIL),
            result.count(DryRunOutcome.ALREADY_IN_QUICKBOOKS)) == (2, 4, 1)
    assert result.lists_never_read == ()
    assert result.lists_read_at == READ
    # checked against Intuit's schema where it is at hand (../shared beside a clone; CI)
    assert result.schema_checked is (schema_dir() is not None)


def test_a_missing_account_fails_every_order_naming_the_setting(configure, stored_order):
    # given: QuickBooks has no Undeposited Funds, where sales receipts are deposited
    preferences = configure()
    pulled(accounts=[a for a in ACCOUNTS if a.full_name != "Undeposited Funds"],
           items=[entry("TEE-M", "ItemNonInventory", account="Sales")])
    order = stored_order(1)

    # when
    verdict = dry_run_orders(SampleOrderSource(), preferences, STAFF, [order.order_id]).orders[0]

    # then
    assert verdict.outcome == DryRunOutcome.WOULD_FAIL
    assert "Undeposited Funds" in verdict.reason
    assert verdict.setting == "deposit_to_account"
    assert verdict.setting_label


def test_multicurrency_books_in_the_order_currency_and_refuses_one_the_list_lacks(
        configure, stored_order):
    # given: QuickBooks in multicurrency with US Dollar and Euro only
    preferences = configure()
    pulled(items=[entry("TEE-M", "ItemNonInventory", account="Sales")], multi_currency=True)
    WebConnectorSession.objects.create(ticket_digest="mc", host_info={
        "currencies": CompanyCurrencies(True, "USD", (("USD", "US Dollar"),
                                                      ("EUR", "Euro"))).to_json()})
    euro = stored_order(1, currency="EUR")
    pound = stored_order(2, currency="GBP", first_name="Gus", email="gus@example.com")

    # when
    result = dry_run_orders(SampleOrderSource(), preferences, STAFF,
                            [euro.order_id, pound.order_id])

    # then
    outcome = by_number(result)
    assert outcome[1].outcome == DryRunOutcome.WOULD_LAND
    assert outcome[1].currency == "EUR"
    assert result.customers_created == ("Jane Doe (EUR)",)
    assert outcome[2].outcome == DryRunOutcome.WOULD_FAIL
    assert "it is in GBP" in outcome[2].reason


def test_without_lists_every_customer_and_item_is_new_and_the_result_says_so(
        configure, stored_order):
    # given: no update ever read QuickBooks' lists; one found the customer Jane Doe
    preferences = configure()
    names.remember([(names.CUSTOMER, "Jane Doe")])
    jane = stored_order(1)
    bob = stored_order(2, first_name="Bob", email="bob@example.com", sku="MUG")

    # when
    result = dry_run_orders(SampleOrderSource(), preferences, STAFF,
                            [jane.order_id, bob.order_id])

    # then
    assert [o.outcome for o in result.orders] == [DryRunOutcome.WOULD_LAND] * 2
    assert result.customers_created == ("Bob Doe",)
    assert sorted(result.items_created) == ["MUG", "TEE-M"]
    assert len(result.lists_never_read) == len(quickbooks_lists.LISTS)
    assert result.lists_read_at is None
    assert any("QuickBooks' lists were never read" in note and "Refresh QuickBooks lists"
               in note for note in result.notes)


def test_without_intuits_schema_the_run_works_and_says_requests_were_not_checked(
        configure, stored_order, monkeypatch):
    # given: a store's server, which has no QBXML_SCHEMA_DIR
    monkeypatch.delenv("QBXML_SCHEMA_DIR", raising=False)
    preferences = configure()
    order = stored_order(1)

    # when
    result = dry_run_orders(SampleOrderSource(), preferences, STAFF, [order.order_id])

    # then
    assert result.orders[0].outcome == DryRunOutcome.WOULD_LAND
    assert not result.schema_checked
    assert any("not checked against Intuit's qbXML schema" in note for note in result.notes)


def test_a_filter_takes_its_matches_minus_the_unchecked_ones(configure, stored_order):
    # given
    preferences = configure()
    orders = [stored_order(n, first_name=f"P{n}", email=f"p{n}@example.com")
              for n in range(1, 5)]
    flt = transfer_filter(preferences, STAFF)

    # when
    result = dry_run_filter(SampleOrderSource(), preferences, flt, [orders[1].order_id])

    # then
    assert sorted(o.number for o in result.orders) == [1, 3, 4]


def test_more_orders_than_the_limit_or_none_at_all_are_refused(configure, stored_order,
                                                                monkeypatch):
    # given
    preferences = configure()
    monkeypatch.setattr(dry_run_module, "MAX_ORDERS", 2)
    orders = [stored_order(n, first_name=f"P{n}", email=f"p{n}@example.com")
              for n in range(1, 4)]
    flt = transfer_filter(preferences, STAFF)

    # when / then
    with pytest.raises(TransferError) as too_many:
        dry_run_filter(SampleOrderSource(), preferences, flt)
    assert too_many.value.code == "too_many" and too_many.value.field == "filter"
    with pytest.raises(TransferError) as too_many_ids:
        dry_run_orders(SampleOrderSource(), preferences, STAFF, [o.order_id for o in orders])
    assert too_many_ids.value.code == "too_many"
    with pytest.raises(TransferError) as none:
        dry_run_orders(SampleOrderSource(), preferences, STAFF, [])
    assert none.value.code == "empty_selection"
    assert MAX_ORDERS == 500


# --- no trace ----------------------------------------------------------------------------------


def test_a_dry_run_leaves_every_table_as_it_was(configure, stored_order):
    # given: lists, names, a queued transfer of the same orders and a past export
    preferences = configure(missing_item_action="fail")
    pulled(items=[entry("TEE-M", "ItemNonInventory", account="Sales")])
    names.remember([(names.ITEM, "TEE-M")])
    orders = [stored_order(1), stored_order(2, sku="MUG", first_name="Mia"),
              stored_order(3, first_name="Eve")]
    queue_orders(SampleOrderSource(), preferences, STAFF, [orders[0].order_id])
    mark_exported(orders[2], WebConnectorSession.objects.create(ticket_digest="past"))
    before = snapshot()

    # when
    result = dry_run_orders(SampleOrderSource(), preferences, STAFF,
                            [o.order_id for o in orders])

    # then: the run did its work, and nothing of it is left
    assert [o.outcome for o in result.orders] == [
        DryRunOutcome.WOULD_LAND, DryRunOutcome.WOULD_FAIL, DryRunOutcome.ALREADY_IN_QUICKBOOKS]
    assert result.orders[0].queued
    assert result.customers_created == ("Jane Doe",)
    assert snapshot() == before


def test_a_run_that_fails_midway_leaves_no_trace_either(configure, stored_order, monkeypatch):
    # given: QuickBooks breaks on the second message set, once the first answer was recorded
    preferences = configure(missing_item_action="fail")
    pulled(items=[entry("TEE-M", "ItemNonInventory", account="Sales")])
    orders = [stored_order(1), stored_order(2, sku="MUG", first_name="Mia")]
    before = snapshot()
    process = QuickBooksSimulator.process
    written: list[int] = []

    def breaking(self, request_xml):
        if self.call_count == 1:
            written.append(sum(len(rows) for rows in snapshot().values()))
            raise RuntimeError("the simulated company broke")
        return process(self, request_xml)

    monkeypatch.setattr(QuickBooksSimulator, "process", breaking)

    # when
    with pytest.raises(RuntimeError, match="broke"):
        dry_run_orders(SampleOrderSource(), preferences, STAFF, [o.order_id for o in orders])

    # then: the run had written its session, attempts and message sets, all gone now
    assert written and written[0] > sum(len(rows) for rows in before.values())
    assert snapshot() == before


# --- the simulated company -------------------------------------------------------------------


def test_the_simulated_company_is_seeded_from_the_lists_and_preferences(configure):
    # given
    preferences = configure()
    pulled(items=[entry("TEE-M", "ItemService", account="Sales"),
                  entry("Old", "ItemInventory", is_active=False),
                  entry("State Tax", "ItemSalesTax")],
           customers=[entry("Jane Doe", email="jane@example.com")],
           classes=[entry("Web")], payment_methods=[entry("Visa", "CreditCard")],
           sales_tax=True)
    names.remember([(names.ITEM, "Found Earlier")])

    # when
    company, never_read, read_at = simulated_company(preferences)
    quickbooks = QuickBooksSimulator(company, validate_schema=False)

    # then
    assert never_read == () and read_at == READ
    assert quickbooks.find_item("TEE-M").kind == "Service"
    assert quickbooks.find_item("Old").is_active is False
    assert quickbooks.find_item("Found Earlier") is not None
    assert quickbooks.find_item("State Tax").kind == "SalesTax"
    assert company.default_item_sales_tax == "State Tax"
    assert quickbooks.find_customer("Jane Doe").fields["Email"] == "jane@example.com"
    assert {a.name for a in quickbooks.accounts} == {a.full_name for a in ACCOUNTS}
    assert company.classes == ("Web",) and company.payment_methods == ("Visa",)
    assert not company.multicurrency


def test_without_lists_the_accounts_the_settings_name_are_assumed(configure):
    # given
    preferences = configure()

    # when
    company, never_read, _ = simulated_company(preferences)

    # then
    assert {a.name for a in company.accounts} >= {preferences.income_account,
                                                  preferences.deposit_to_account,
                                                  preferences.ar_account}
    assert company.items == () and company.customers == ()
    assert len(never_read) == len(quickbooks_lists.LISTS)


# --- the same as a real run --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_export_afterwards_gives_the_outcomes_the_dry_run_said(
        configure, stored_order, qbxml_schema, web_connector):
    # given: a QuickBooks company whose lists an update read
    preferences = configure(missing_item_action="fail")
    quickbooks = QuickBooksSimulator(Company.default(
        items=(ItemSpec("TEE-M", account="Sales"),),
        customers=(CustomerSpec("Jane Doe"), CustomerSpec("Ina Ctive", is_active=False))),
        schema=qbxml_schema)
    queue_lists_refresh(STAFF)
    web_connector(quickbooks).run_update()
    assert quickbooks_lists.company_preferences().sales_tax is True
    orders = [
        stored_order(1),
        stored_order(2, first_name="Bob", email="bob@example.com"),
        stored_order(3, sku="MUG", first_name="Mia", email="mia@example.com"),
        stored_order(4, currency="GBP", first_name="Gus", email="gus@example.com"),
        stored_order(5, first_name="Ina", last_name="Ctive", email="ina@example.com"),
    ]
    ids = [o.order_id for o in orders]
    source = SampleOrderSource()
    customers_before = {c.full_name for c in quickbooks.customers}

    # when: a dry run, then the real export of the same orders
    dry = dry_run_orders(source, preferences, STAFF, ids)
    queue_orders(source, preferences, STAFF, ids)
    web_connector(quickbooks).run_update()

    # then
    real = {str(r.order_id): r for r in _latest_per_order(ids)}
    for verdict in dry.orders:
        record = real[verdict.order_id]
        expected = (DryRunOutcome.WOULD_LAND if record.state == ExportState.DONE
                    else DryRunOutcome.WOULD_FAIL)
        assert verdict.outcome == expected, verdict
        assert (verdict.transaction_type, verdict.ref_number, verdict.total,
                verdict.status_code) == (record.transaction_type, record.ref_number,
                                         record.total_amount, record.status_code)
        if expected == DryRunOutcome.WOULD_FAIL:
            assert (verdict.reason, verdict.action) == (record.status_message, record.action)
    assert [v.outcome for v in dry.orders] == [
        DryRunOutcome.WOULD_LAND, DryRunOutcome.WOULD_LAND, DryRunOutcome.WOULD_FAIL,
        DryRunOutcome.WOULD_FAIL, DryRunOutcome.WOULD_FAIL]
    created = {c.full_name for c in quickbooks.customers} - customers_before
    assert set(dry.customers_created) == created == {"Bob Doe"}


def _latest_per_order(order_ids):
    from saleor_qb_sync.models import ExportRecord

    latest = {}
    for record in ExportRecord.objects.filter(order_id__in=order_ids).order_by("id"):
        latest[str(record.order_id)] = record
    return latest.values()

