"""``qbOrdersDryRun`` as the Dashboard calls it: per-order outcomes, the summary, typed errors."""

from __future__ import annotations

from saleor_qb_sync.models import ExportRecord, PendingOperation, WebConnectorSession
from saleor_qb_sync.qbwc import names
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.testing.intuit_files import schema_dir

from ...conftest import mark_exported
from ..conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN

DRY_RUN_MUTATION = """
mutation DryRun($input: QbOrdersDryRunInput!) {
  qbOrdersDryRun(input: $input) {
    dryRun {
      orders {
        orderId orderNumber outcome transactionType refNumber total { amount currency }
        customer reason action setting settingLabel statusCode queued
      }
      summary {
        wouldLand wouldFail alreadyInQuickbooks customersCreated itemsCreated
        listsRead listsNeverRead listsReadAt schemaChecked notes
      }
    }
    errors { field message code }
  }
}
"""


def order_id(document) -> str:
    return to_global_id("Order", document.order_id)


def test_a_dry_run_by_order_ids_reports_each_order_and_the_summary(api, configure,
                                                                   stored_order):
    # given: an earlier update found the item TEE-M in QuickBooks; the lists were never read
    configure(missing_item_action="fail", transaction_type="invoice")
    names.remember([(names.ITEM, "TEE-M")])
    good = stored_order(1)
    unknown_item = stored_order(2, sku="MUG", first_name="Mia", email="mia@example.com")
    exported = stored_order(3, first_name="Eve", email="eve@example.com")
    mark_exported(exported, WebConnectorSession.objects.create(ticket_digest="past"))
    records = ExportRecord.objects.count()

    # when
    result = api(DRY_RUN_MUTATION, {"input": {"orderIds": [
        order_id(good), order_id(unknown_item), order_id(exported)]}})

    # then
    payload = result.data["qbOrdersDryRun"]
    assert payload["errors"] == []
    first, second, third = payload["dryRun"]["orders"]
    assert first == {
        "orderId": order_id(good), "orderNumber": 1, "outcome": "WOULD_LAND",
        "transactionType": "Invoice", "refNumber": "1",
        "total": {"amount": 20.0, "currency": "USD"}, "customer": "Jane Doe", "reason": "",
        "action": "", "setting": None, "settingLabel": None, "statusCode": 0,
        "queued": False}
    assert second["outcome"] == "WOULD_FAIL"
    assert second["reason"] == "QuickBooks has no item named MUG."
    assert second["total"] is None
    assert third["outcome"] == "ALREADY_IN_QUICKBOOKS"
    summary = payload["dryRun"]["summary"]
    assert (summary["wouldLand"], summary["wouldFail"], summary["alreadyInQuickbooks"]) == (
        1, 1, 1)
    assert summary["customersCreated"] == ["Jane Doe"]
    assert summary["itemsCreated"] == []  # the one unknown item fails the order instead
    assert summary["listsRead"] is False
    assert "Customers" in summary["listsNeverRead"]
    assert summary["listsReadAt"] is None
    # checked against Intuit's schema where it is at hand (../shared beside a clone; CI)
    assert summary["schemaChecked"] is (schema_dir() is not None)
    assert any("Refresh QuickBooks lists" in note for note in summary["notes"])
    assert ExportRecord.objects.count() == records
    assert not PendingOperation.objects.exists()


def test_a_dry_run_by_filter_minus_the_unchecked(api, configure, stored_order):
    # given
    configure()
    orders = [stored_order(n, first_name=f"P{n}", email=f"p{n}@example.com")
              for n in range(1, 4)]

    # when
    result = api(DRY_RUN_MUTATION, {"input": {"filter": {"dateFrom": "2026-01-01"},
                                              "excludeOrderIds": [order_id(orders[0])]}})

    # then
    dry_run = result.data["qbOrdersDryRun"]["dryRun"]
    assert [o["orderNumber"] for o in dry_run["orders"]] == [2, 3]
    assert dry_run["summary"]["wouldLand"] == 2
    assert sorted(dry_run["summary"]["customersCreated"]) == ["P2 Doe", "P3 Doe"]


def test_a_missing_account_names_the_setting_as_qb_settings_does(api, configure,
                                                                 stored_order):
    # given: the settings name a deposit account that the pulled accounts lack
    from saleor_qb_sync import quickbooks_lists
    from saleor_qb_sync.qbxml.lists import ListEntry

    configure()
    now = quickbooks_lists.clock.now()
    for key in [lst.key for lst in quickbooks_lists.LISTS]:
        rows = [ListEntry("80000001-1", "1", now, "Sales", "Sales", "Income", True)] if (
            key == "accounts") else []
        quickbooks_lists.store(key, rows)
        quickbooks_lists.finish(key, now, full=True, records=len(rows), round_trips=1)
    document = stored_order(1)

    # when
    result = api(DRY_RUN_MUTATION, {"input": {"orderIds": [order_id(document)]}})

    # then
    verdict = result.data["qbOrdersDryRun"]["dryRun"]["orders"][0]
    assert verdict["outcome"] == "WOULD_FAIL"
    assert verdict["setting"] == "depositToAccount"
    assert verdict["settingLabel"]
    assert "Undeposited Funds" in verdict["reason"]
    assert result.data["qbOrdersDryRun"]["dryRun"]["summary"]["listsRead"] is True


def test_bad_arguments_are_typed_errors(api, configure, stored_order):
    # given
    configure()
    document = stored_order(1)
    cases = [
        ({}, "orderIds", "REQUIRED"),
        ({"orderIds": [order_id(document)], "filter": {}}, "orderIds", "INVALID"),
        ({"orderIds": [order_id(document)], "excludeOrderIds": [order_id(document)]},
         "excludeOrderIds", "INVALID"),
        ({"orderIds": []}, "orderIds", "EMPTY_SELECTION"),
        ({"orderIds": ["not-an-id"]}, "orderIds", "INVALID_ID"),
        ({"orderIds": [to_global_id("Order", "5c1f0a8e-3d2b-4c1e-9f7a-0b6d2e4f8a99")]},
         "orderIds", "NOT_FOUND"),
        ({"filter": {"dateFrom": "2026-03-02", "dateTo": "2026-03-01"}}, "dateTo",
         "INVALID_DATE_RANGE"),
        ({"filter": {"dateFrom": "2020-01-01", "dateTo": "2020-01-02"}}, "filter",
         "EMPTY_SELECTION"),
        ({"orderIds": [to_global_id("Product", "1")]}, "orderIds", "INVALID_ID"),
    ]

    for arguments, field, code in cases:
        # when
        result = api(DRY_RUN_MUTATION, {"input": arguments})

        # then
        assert result.status == 200, arguments
        payload = result.data["qbOrdersDryRun"]
        assert payload["dryRun"] is None, arguments
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)], (
            arguments, payload["errors"])


def test_more_than_500_orders_are_refused(api, configure):
    # given: the limit is checked before the orders are looked for
    configure()
    ids = [to_global_id("Order", f"00000000-0000-4000-8000-{n:012d}") for n in range(501)]

    # when
    result = api(DRY_RUN_MUTATION, {"input": {"orderIds": ids}})

    # then
    payload = result.data["qbOrdersDryRun"]
    assert payload["dryRun"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("orderIds", "TOO_MANY")]
    assert "at most 500" in payload["errors"][0]["message"]


def test_channel_restricted_staff_try_only_their_channels_orders(api, configure,
                                                                  stored_order):
    # given
    configure()
    usd = stored_order(1)
    other = stored_order(2, channel="channel-pln", currency="PLN", first_name="Ola")

    # when
    refused = api(DRY_RUN_MUTATION, {"input": {"orderIds": [order_id(other)]}},
                  token=USD_ONLY_TOKEN)
    by_filter = api(DRY_RUN_MUTATION, {"input": {"filter": {}}}, token=USD_ONLY_TOKEN)

    # then
    assert refused.data["qbOrdersDryRun"]["errors"][0]["code"] == "NOT_FOUND"
    assert [o["orderId"] for o in by_filter.data["qbOrdersDryRun"]["dryRun"]["orders"]] == [
        order_id(usd)]


def test_a_dry_run_needs_manage_orders(api, configure, stored_order):
    # given
    configure()
    document = stored_order(1)

    # when
    result = api(DRY_RUN_MUTATION, {"input": {"orderIds": [order_id(document)]}},
                 token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
