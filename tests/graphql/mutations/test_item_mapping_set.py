"""``qbItemMappingSet`` as a client calls it: checked against our copy of QuickBooks' items."""

from __future__ import annotations

import pytest

from saleor_qb_sync import mappings
from tests.conftest import SETTINGS_TOKEN, STAFF_TOKEN
from tests.graphql.mapping_fixtures import pulled

pytestmark = pytest.mark.django_db

SET = """
mutation Set($sku: String!, $item: String!) {
  qbItemMappingSet(sku: $sku, itemFullName: $item) {
    itemMapping { sku itemFullName itemListId setBy setAt inQuickBooks }
    errors { field message code }
  }
}
"""


def set_item(api, sku, item, token=SETTINGS_TOKEN):
    return api(SET, {"sku": sku, "item": item}, token=token)


def test_a_sku_is_mapped_to_the_item_as_quickbooks_spells_it(api):
    # given
    pulled("items", ("I9", "Shirts:T-shirt red M"))
    # when
    result = set_item(api, " TS-RED-M ", "shirts:t-shirt red m").data["qbItemMappingSet"]
    # then
    assert result["errors"] == []
    mapping = result["itemMapping"]
    assert (mapping["sku"], mapping["itemFullName"], mapping["itemListId"], mapping["setBy"]) \
        == ("TS-RED-M", "Shirts:T-shirt red M", "I9", "owner@example.com")
    assert mapping["inQuickBooks"] is True
    assert mappings.current().items == {"TS-RED-M": "Shirts:T-shirt red M"}


def test_an_item_quickbooks_lacks_is_a_typed_error_naming_it(api):
    pulled("items", ("I9", "Mugs"))
    result = set_item(api, "TS-RED-M", "T-shirt red").data["qbItemMappingSet"]
    assert result["itemMapping"] is None
    [error] = result["errors"]
    assert (error["field"], error["code"]) == ("itemFullName", "NOT_IN_QUICKBOOKS")
    assert "“T-shirt red”" in error["message"]
    assert mappings.current().items == {}


def test_before_quickbooks_lists_were_read_the_error_says_so(api):
    [error] = set_item(api, "TS-RED-M", "T-shirt red").data["qbItemMappingSet"]["errors"]
    assert error["code"] == "LISTS_NEVER_READ"
    assert "refresh QuickBooks' lists" in error["message"]


@pytest.mark.parametrize(("sku", "item", "code"), [
    ("", "Mugs", "REQUIRED"), ("S" * 256, "Mugs", "TOO_LONG"), ("MUG", "", "REQUIRED"),
    ("MUG", "x" * 200, "TOO_LONG"), ("MUG", "Old mugs", "INACTIVE_IN_QUICKBOOKS")])
def test_bad_input_is_a_typed_error_never_a_crash(api, sku, item, code):
    pulled("items", ("I1", "Mugs"), ("I2", "Old mugs", {"is_active": False}))
    result = set_item(api, sku, item)
    assert result.status == 200
    assert [e["code"] for e in result.data["qbItemMappingSet"]["errors"]] == [code]


def test_changing_the_mappings_needs_manage_plugins(api):
    pulled("items", ("I1", "Mugs"))
    assert set_item(api, "MUG", "Mugs", token=STAFF_TOKEN).error_codes == ["PERMISSION_DENIED"]
    assert mappings.current().items == {}
