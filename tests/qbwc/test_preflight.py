"""The session's preflight: accounts and items the settings name are checked before any order
goes, what depends on a missing one is not sent and says why, and automatic mode tries those
orders again once the cause is gone (never the ones only a person can clear)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import F

from saleor_qb_sync.ledger import Cause, CauseKind
from saleor_qb_sync.models import ExportRecord, ExportState, WebConnectorSession
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbwc import preflight
from saleor_qb_sync.qbxml.mapping import map_order
from saleor_qb_sync.testing.qb_company import AccountSpec, Company
from saleor_qb_sync.testing.web_connector import SessionEnd

MISSING_TAX_ACCOUNT = ("The account “Sales Tax Payable” (setting “Sales tax account”) does not "
                       "exist in the QuickBooks company: create it in QuickBooks (Lists → Chart "
                       "of Accounts) or choose another in the settings.")


def company_without(*accounts: str, extra: tuple[AccountSpec, ...] = ()) -> Company:
    kept = tuple(a for a in Company.default().accounts if a.name not in accounts)
    return Company.default(accounts=kept + extra)


def next_scheduled_run():
    WebConnectorSession.objects.update(last_seen_at=F("last_seen_at") - timedelta(minutes=30),
                                       started_at=F("started_at") - timedelta(minutes=30))


def eligible(documents, preferences):
    return [d for d in documents if d.status in preferences.eligible_statuses]


def refs(qb):
    return sorted(t.ref_number for t in qb.transactions())


def uses_tax_item(document, preferences):
    return any(line.item_name == preferences.sales_tax_item_name
               for line in map_order(document, preferences).transaction.lines)


# --- end to end ---------------------------------------------------------------------------

pytestmark_e2e = pytest.mark.django_db(transaction=True)


@pytestmark_e2e
def test_a_missing_sales_tax_account_fails_the_orders_naming_it_and_they_go_once_it_exists(
        configure, orders, quickbooks, web_connector):
    # given: automatic mode, and a company without "Sales Tax Payable"
    preferences = configure(export_mode="automatic", orders_per_request=50)
    documents = eligible(orders(8, seed=31), preferences)
    taxed = [d for d in documents if uses_tax_item(d, preferences)]
    assert taxed
    qb = quickbooks(company_without("Sales Tax Payable"))

    # when
    first = web_connector(qb).run_update()

    # then: the tax item is not created, the orders needing it fail naming the account
    assert first.ended_by == SessionEnd.COMPLETED
    assert qb.find_item(preferences.sales_tax_item_name) is None
    failed = ExportRecord.objects.filter(state=ExportState.FAILED)
    assert sorted(r.order_number for r in failed) == sorted(d.number for d in taxed)
    assert all(MISSING_TAX_ACCOUNT in r.status_message for r in failed)
    assert all(r.cause["kind"] == "account" and r.cause["name"] == "Sales Tax Payable"
               for r in failed)
    assert refs(qb) == sorted(str(d.number) for d in documents if d not in taxed)

    # when: the bookkeeper creates the account; Web Connector runs again
    qb.add_account("Sales Tax Payable", "OtherCurrentLiability")
    next_scheduled_run()
    second = web_connector(qb).run_update()

    # then: automatic mode tries the failed orders again, and they go
    assert second.ended_by == SessionEnd.COMPLETED
    assert refs(qb) == sorted(str(d.number) for d in documents)


@pytestmark_e2e
def test_failed_orders_are_tried_again_when_the_settings_name_another_account(
        configure, orders, quickbooks, web_connector):
    # given
    preferences = configure(export_mode="automatic", orders_per_request=50)
    documents = eligible(orders(6, seed=32), preferences)
    qb = quickbooks(company_without(
        "Sales Tax Payable", extra=(AccountSpec("State Tax Owed", "OtherCurrentLiability"),)))
    web_connector(qb).run_update()
    assert ExportRecord.objects.filter(state=ExportState.FAILED).exists()

    # when: the setting now names an account the company has
    configure(export_mode="automatic", orders_per_request=50,
              sales_tax_account="State Tax Owed")
    next_scheduled_run()
    web_connector(qb).run_update()

    # then
    assert refs(qb) == sorted(str(d.number) for d in documents)
    assert qb.find_item(preferences.sales_tax_item_name).account == "State Tax Owed"


@pytestmark_e2e
def test_without_the_deposit_account_no_sales_receipt_is_sent_and_invoices_still_go(
        configure, orders, quickbooks, web_connector):
    # given: by payment status, so paid orders are sales receipts and the others invoices
    preferences = configure(export_mode="automatic", orders_per_request=50)
    documents = eligible(orders(12, seed=33), preferences)
    kinds = {d.number: map_order(d, preferences).transaction.kind.value for d in documents}
    assert set(kinds.values()) == {"Invoice", "SalesReceipt"}
    qb = quickbooks(company_without("Undeposited Funds"))

    # when
    web_connector(qb).run_update()

    # then
    assert qb.transactions("SalesReceipt") == []
    assert refs(qb) == sorted(str(n) for n, k in kinds.items() if k == "Invoice")
    failed = ExportRecord.objects.filter(state=ExportState.FAILED)
    assert sorted(r.order_number for r in failed) == sorted(
        n for n, k in kinds.items() if k == "SalesReceipt")
    assert all("“Undeposited Funds” (setting “Deposit to account”)" in r.status_message
               for r in failed)
    session = WebConnectorSession.objects.get()
    assert "Undeposited Funds" in session.last_error


@pytestmark_e2e
def test_an_order_refused_for_the_closing_date_still_waits_for_a_person(
        configure, orders, quickbooks, web_connector):
    # given: automatic mode, books closed before every order
    configure(export_mode="automatic", orders_per_request=50)
    orders(4, seed=34)
    qb = quickbooks()
    qb.closing_date = date(2030, 1, 1)
    web_connector(qb).run_update()
    failed = set(ExportRecord.objects.filter(state=ExportState.FAILED)
                 .values_list("pk", flat=True))
    assert failed
    assert not ExportRecord.objects.filter(pk__in=failed).exclude(cause={}).exists()

    # when: another scheduled run
    next_scheduled_run()
    report = web_connector(qb).run_update()

    # then: nothing is tried again
    assert report.ended_by == SessionEnd.NO_WORK
    assert set(ExportRecord.objects.values_list("pk", flat=True)) == failed


# --- the pieces -------------------------------------------------------------------------


def test_the_preflight_asks_for_the_accounts_and_items_the_settings_name():
    # given
    preferences = Preferences.from_config({"transaction_type": "invoice",
                                           "gift_card_account": "Gift Liability"})

    # when
    needed = preflight.requirements(preferences, [
        Cause(CauseKind.ITEM, "x", "TEE-M"), Cause(CauseKind.SETTINGS, "x")])

    # then: no deposit account for invoices only; the item a failure waits on is asked about
    by_kind = {(r.kind.value, r.name, r.setting) for r in needed}
    assert ("account", "Accounts Receivable", "ar_account") in by_kind
    assert ("account", "Sales Tax Payable", "sales_tax_account") in by_kind
    assert ("account", "Gift Liability", "gift_card_account") in by_kind
    assert not any(r.setting == "deposit_to_account" for r in needed)
    assert ("item", "Saleor Sales Tax", "sales_tax_item_name") in by_kind
    assert ("item", "TEE-M", "") in by_kind


def test_in_quickbooks_tax_item_mode_the_sales_tax_item_is_a_tax_item_and_blocks_its_orders(
        orders):
    # given
    preferences = Preferences.from_config({"tax_mode": "quickbooks_tax_item",
                                           "sales_tax_item_name": "State Tax",
                                           "exchange_rates": "PLN=0.25, EUR=1.08"})
    document = orders(1, seed=35)[0]
    mapped = map_order(document, preferences)
    requests, meta = preflight.requests(preflight.requirements(preferences))
    result = preflight.Preflight(checked={"tax_item": {"state tax": "missing"}})

    # when
    blocked = preflight.blocker(mapped, [], result, preferences)

    # then
    assert "ItemSalesTaxQueryRq" in [r.tag for r in requests]
    assert meta[preflight.TAX_ITEMS_REQUEST]["names"] == {"State Tax": "sales_tax_item_name"}
    assert "The sales tax item “State Tax” (setting “Sales tax item”) does not exist" in (
        blocked.message)
    assert blocked.cause.kind == CauseKind.TAX_ITEM


def test_quickbooks_refusing_an_item_for_its_account_names_the_account_and_the_setting():
    # given: QuickBooks' own text for an ItemOtherChargeAdd whose AccountRef does not exist
    message = ('There is an invalid reference to QuickBooks Account "Sales Tax Payable" in the '
               "ItemOtherCharge. QuickBooks error message: Invalid argument. The specified "
               "record does not exist in the list.")

    # when
    why = preflight.refused_item("Saleor Sales Tax", "Sales Tax Payable", message, Preferences())

    # then
    assert why.message.startswith("QuickBooks refused to create the item “Saleor Sales Tax”, "
                                  "which posts to the account “Sales Tax Payable”: ")
    assert MISSING_TAX_ACCOUNT in why.message
    assert (why.cause.kind, why.cause.name, why.cause.setting) == (
        CauseKind.ACCOUNT, "Sales Tax Payable", "sales_tax_account")


def test_a_cause_is_gone_when_its_record_exists_or_the_settings_changed_but_not_otherwise():
    # given
    cause = Cause(CauseKind.ACCOUNT, "fp1", "Sales Tax Payable", "sales_tax_account")

    def present(kind, name):
        return False

    # then
    assert not cause.gone("fp1", present)
    assert cause.gone("fp1", lambda kind, name: True)
    assert cause.gone("fp2", present)
    assert not Cause(CauseKind.SETTINGS, "fp1").gone("fp1", present)
    assert Cause(CauseKind.TRANSIENT, "fp1").gone("fp1", present)
    assert Cause.from_json(cause.to_json()) == cause
    assert Cause.from_json({}) is None
