"""``qbQuickBooksListEntries``: the Settings tab's pickers page through our copy of a QuickBooks
list, by list or by the setting being chosen, and bad arguments are typed errors."""

from __future__ import annotations

import pytest

from saleor_qb_sync import quickbooks_lists
from saleor_qb_sync.qbxml.lists import ListEntry

from .conftest import NO_PERMISSION_TOKEN, edges

ENTRIES = """
query($list: QbQuickBooksListKey, $setting: String, $search: String, $first: Int,
      $after: String, $inactive: Boolean) {
  qbQuickBooksListEntries(list: $list, setting: $setting, search: $search, first: $first,
                          after: $after, includeInactive: $inactive) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { listId name fullName recordType isActive } }
  }
}
"""


def _entry(list_id: str, full_name: str, record_type: str, active: bool = True) -> ListEntry:
    return ListEntry(list_id=list_id, name=full_name.rsplit(":", 1)[-1], full_name=full_name,
                     record_type=record_type, is_active=active, edit_sequence="1",
                     time_modified=None)


@pytest.fixture
def accounts(db):
    rows = [_entry("A1", "Sales", "Income"),
            _entry("A2", "Undeposited Funds", "OtherCurrentAsset"),
            _entry("A3", "Checking", "Bank"), _entry("A4", "Accounts Receivable",
                                                    "AccountsReceivable"),
            _entry("A5", "Old Bank", "Bank", active=False)]
    quickbooks_lists.store("accounts", rows)
    quickbooks_lists.store("items", [_entry("I1", "Shipping", "ItemOtherCharge"),
                                     _entry("I2", "Subtotal", "ItemSubtotal"),
                                     _entry("I3", "State Tax", "ItemSalesTax")])


def names(result) -> list[str]:
    return [n["fullName"] for n in edges(result.data["qbQuickBooksListEntries"])]


def test_a_setting_offers_only_the_records_quickbooks_takes_there(api, accounts):
    # when
    deposit = api(ENTRIES, {"setting": "depositToAccount"})
    shipping = api(ENTRIES, {"setting": "shippingItemName"})

    # then
    assert names(deposit) == ["Checking", "Undeposited Funds"]
    assert names(shipping) == ["Shipping", "State Tax"]  # never the subtotal item


def test_a_list_is_paged_searched_and_shows_inactive_records_only_when_asked(api, accounts):
    # when
    first = api(ENTRIES, {"list": "ACCOUNTS", "first": 2})
    page = first.data["qbQuickBooksListEntries"]
    second = api(ENTRIES, {"list": "ACCOUNTS", "first": 2,
                           "after": page["pageInfo"]["endCursor"]})

    # then
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"] is True
    assert names(first) + names(second) == ["Accounts Receivable", "Checking", "Sales",
                                            "Undeposited Funds"]
    assert names(api(ENTRIES, {"list": "ACCOUNTS", "search": "BANK", "inactive": True})) == [
        "Old Bank"]
    assert names(api(ENTRIES, {"list": "ACCOUNTS", "search": "bank"})) == []


@pytest.mark.parametrize(("variables", "code", "field"), [
    ({}, "INVALID", "list"),
    ({"list": "ACCOUNTS", "setting": "arAccount"}, "INVALID", "list"),
    ({"setting": "timeZone"}, "INVALID_CHOICE", "setting"),
    ({"list": "ACCOUNTS", "first": 500}, "INVALID", "first"),
    ({"list": "ACCOUNTS", "search": "x" * 300}, "INVALID", "search"),
])
def test_bad_arguments_are_typed_errors(api, accounts, variables, code, field):
    # when
    result = api(ENTRIES, variables)

    # then
    assert result.status == 200
    assert result.error_codes == [code]
    assert result.content["errors"][0]["extensions"]["exception"].get("field") == field


def test_an_unknown_list_is_refused_by_the_schema(api, accounts):
    assert api(ENTRIES, {"list": "VENDORS"}).error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_staff_without_manage_orders_see_nothing(api, accounts):
    assert api(ENTRIES, {"list": "ACCOUNTS"}, token=NO_PERMISSION_TOKEN).error_codes == [
        "PERMISSION_DENIED"]
