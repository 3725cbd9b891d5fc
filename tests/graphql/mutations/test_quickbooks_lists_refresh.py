"""``qbQuickBooksListsRefresh`` and ``qbQuickBooksLists``: staff ask for fresh QuickBooks lists,
see the request among the pending operations, may delete it, and see what was read."""

from __future__ import annotations

import pytest

from saleor_qb_sync import clock, quickbooks_lists
from saleor_qb_sync.models import OperationStatus, PendingOperation
from saleor_qb_sync.qbxml.lists import ListEntry

from ..conftest import NO_PERMISSION_TOKEN, edges

REFRESH = """
mutation { qbQuickBooksListsRefresh {
  pendingOperation { id kind status orderCount summary }
  errors { field message code }
} }
"""
OPERATIONS = "query { qbPendingOperations(first: 10) { edges { node { id kind status } } } }"
DELETE = """
mutation($ids: [ID!]!) { qbPendingOperationDelete(ids: $ids) {
  pendingOperations { status } errors { code } } }
"""
LISTS = """
query { qbQuickBooksLists {
  lists { key label count activeCount lastReadAt recordsRead roundTrips incremental }
  salesTaxOn multicurrencyOn homeCurrency preferencesReadAt maxAgeHours refreshWaiting
} }
"""


def test_a_refresh_is_queued_listed_and_deletable_like_a_transfer(api):
    # when
    payload = api(REFRESH).data["qbQuickBooksListsRefresh"]

    # then
    assert payload["errors"] == []
    queued = payload["pendingOperation"]
    assert (queued["kind"], queued["status"], queued["orderCount"]) == (
        "REFRESH_LISTS", "QUEUED", 0)
    assert "refresh of the QuickBooks lists" in queued["summary"]
    listed = edges(api(OPERATIONS).data["qbPendingOperations"])
    assert [(n["id"], n["kind"]) for n in listed] == [(queued["id"], "REFRESH_LISTS")]
    assert api(LISTS).data["qbQuickBooksLists"]["refreshWaiting"] is True

    # when: deleted before Web Connector picks it up
    deleted = api(DELETE, {"ids": [queued["id"]]}).data["qbPendingOperationDelete"]

    # then
    assert deleted == {"pendingOperations": [{"status": "DELETED"}], "errors": []}
    assert api(LISTS).data["qbQuickBooksLists"]["refreshWaiting"] is False


def test_a_full_refresh_is_asked_for_by_an_argument(api):
    payload = api("mutation { qbQuickBooksListsRefresh(full: true) { "
                  "pendingOperation { summary } errors { code } } }"
                  ).data["qbQuickBooksListsRefresh"]
    assert payload["errors"] == []
    assert payload["pendingOperation"]["summary"].startswith("full refresh")
    assert PendingOperation.objects.get().request == {"full": True}


def test_a_second_refresh_while_one_waits_is_a_typed_error(api):
    api(REFRESH)
    payload = api(REFRESH).data["qbQuickBooksListsRefresh"]
    assert payload["pendingOperation"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == (None, "ALREADY_QUEUED")
    assert PendingOperation.objects.filter(status=OperationStatus.QUEUED).count() == 1


def test_one_picked_up_cannot_be_deleted(api):
    from saleor_qb_sync import ledger

    queued = api(REFRESH).data["qbQuickBooksListsRefresh"]["pendingOperation"]
    ledger.claim_list_refreshes()
    payload = api(DELETE, {"ids": [queued["id"]]}).data["qbPendingOperationDelete"]
    assert [e["code"] for e in payload["errors"]] == ["ALREADY_PICKED_UP"]


@pytest.mark.parametrize("query", [REFRESH, LISTS])
def test_both_need_manage_orders(api, query):
    assert api(query, token=NO_PERMISSION_TOKEN).error_codes == ["PERMISSION_DENIED"]


def test_the_lists_show_counts_and_read_times(api, configure):
    configure(lists_max_age_hours=12)
    empty = api(LISTS).data["qbQuickBooksLists"]
    assert [row["count"] for row in empty["lists"]] == [0] * 7
    assert (empty["salesTaxOn"], empty["preferencesReadAt"], empty["maxAgeHours"]) == (
        None, None, 12)

    started = clock.now()
    quickbooks_lists.store("items", [
        ListEntry("I1", "1", None, "Labor", "Labor", "ItemService", True),
        ListEntry("I2", "1", None, "State", "State", "ItemSalesTax", False)])
    quickbooks_lists.finish("items", started, full=True, records=2, round_trips=1)
    quickbooks_lists.remember_preferences({"sales_tax": True, "multi_currency": False})

    shown = api(LISTS).data["qbQuickBooksLists"]
    rows = {row["key"]: row for row in shown["lists"]}
    assert (rows["items"]["count"], rows["items"]["activeCount"], rows["items"]["recordsRead"],
            rows["items"]["roundTrips"], rows["items"]["incremental"]) == (2, 1, 2, 1, False)
    assert rows["items"]["lastReadAt"] is not None
    assert (rows["sales_tax_items"]["count"], rows["sales_tax_items"]["label"]) == (
        1, "Sales tax items")
    assert rows["customers"]["lastReadAt"] is None
    assert (shown["salesTaxOn"], shown["multicurrencyOn"], shown["homeCurrency"]) == (
        True, False, "")
