"""``qbItemMappingDelete`` as a client calls it."""

from __future__ import annotations

import pytest

from saleor_qb_sync import mappings
from tests.conftest import SETTINGS_TOKEN, STAFF_TOKEN
from tests.graphql.mapping_fixtures import pulled

pytestmark = pytest.mark.django_db

DELETE = """
mutation Delete($sku: String!) {
  qbItemMappingDelete(sku: $sku) {
    itemMapping { sku itemFullName }
    errors { field code }
  }
}
"""


def test_a_mapping_is_removed_and_a_second_delete_finds_none(api):
    # given
    pulled("items", ("I1", "Mugs"))
    mappings.set_item("MUG", "Mugs", by="owner@example.com")
    # when
    first = api(DELETE, {"sku": "MUG"}, token=SETTINGS_TOKEN).data["qbItemMappingDelete"]
    second = api(DELETE, {"sku": "MUG"}, token=SETTINGS_TOKEN).data["qbItemMappingDelete"]
    # then
    assert first == {"itemMapping": {"sku": "MUG", "itemFullName": "Mugs"}, "errors": []}
    assert second == {"itemMapping": None, "errors": [{"field": "sku", "code": "NOT_FOUND"}]}
    assert mappings.current().items == {}


def test_removing_a_mapping_needs_manage_plugins(api):
    pulled("items", ("I1", "Mugs"))
    mappings.set_item("MUG", "Mugs", by="owner@example.com")
    assert api(DELETE, {"sku": "MUG"}, token=STAFF_TOKEN).error_codes == ["PERMISSION_DENIED"]
    assert mappings.current().items == {"MUG": "Mugs"}
