"""The mapping queries as a client reads them: mapped and unmapped SKUs and customers, the
suggestions, paging and who may see what."""

from __future__ import annotations

import pytest

from saleor_qb_sync import mappings
from tests.graphql.conftest import NO_PERMISSION_TOKEN, USD_ONLY_TOKEN, edges, paginate
from tests.graphql.mapping_fixtures import pulled, stored

pytestmark = pytest.mark.django_db

UNMAPPED_SKUS = """
query Unmapped($search: String, $first: Int, $after: String) {
  qbUnmappedSkus(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { sku productName orderCount ruleItemName } }
  }
}
"""
ITEM_MAPPINGS = """
query { qbItemMappings { totalCount edges { node {
  sku itemFullName itemListId setBy inQuickBooks
} } } }
"""
UNMAPPED_CUSTOMERS = """
query Unmapped($search: String, $first: Int, $after: String) {
  qbUnmappedCustomers(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      email name orderCount
      suggestions { matchedBy customer { listId fullName email isActive } }
    } }
  }
}
"""
CUSTOMER_MAPPINGS = """
query { qbCustomerMappings { totalCount edges { node {
  email customerFullName customerListId confirmedBy confirmedAt inQuickBooks
} } } }
"""
def test_unmapped_skus_leave_out_what_quickbooks_has_and_what_is_mapped_page_by_page(api):
    # given
    pulled("items", ("I1", "TEE-M"), ("I2", "Shirts:T-shirt red M"))
    mappings.set_item("TS-RED-M", "Shirts:T-shirt red M", by="owner@example.com")
    for n in range(1, 8):
        stored(n, "TEE-M", "TS-RED-M", f"CAP-{n}", "MUG")
    # when
    nodes = paginate(api, UNMAPPED_SKUS, "qbUnmappedSkus", first=3)
    found = api(UNMAPPED_SKUS, {"search": "cap-7"}).data["qbUnmappedSkus"]
    # then
    assert [n["sku"] for n in nodes] == [f"CAP-{n}" for n in range(1, 8)] + ["MUG"]
    assert nodes[-1] == {"sku": "MUG", "productName": "T-Shirt", "orderCount": 7,
                         "ruleItemName": "MUG"}
    assert [n["sku"] for n in edges(found)] == ["CAP-7"]
    assert api(ITEM_MAPPINGS).data["qbItemMappings"] == {"totalCount": 1, "edges": [{"node": {
        "sku": "TS-RED-M", "itemFullName": "Shirts:T-shirt red M", "itemListId": "I2",
        "setBy": "owner@example.com", "inQuickBooks": True}}]}


def test_unmapped_customers_come_with_suggestions_and_mapped_ones_are_listed_apart(api):
    # given
    pulled("customers", ("C1", "Doe, Jane", {"email": "Jane@Example.com"}),
           ("C2", "Jane Doe", {"is_active": False}), ("C3", "Acme Corp"))
    stored(1, "TEE-M", email="jane@example.com")
    stored(2, "TEE-M", email="buyer@acme.example", first_name="Al", last_name="Buyer")
    stored(3, "TEE-M", email="nobody@example.com", first_name="No", last_name="Body")
    mappings.set_customer("buyer@acme.example", "Acme Corp", by="owner@example.com")
    # when
    unmapped = api(UNMAPPED_CUSTOMERS).data["qbUnmappedCustomers"]
    mapped = api(CUSTOMER_MAPPINGS).data["qbCustomerMappings"]
    # then
    assert unmapped["totalCount"] == 2
    jane, nobody = edges(unmapped)
    assert (jane["email"], jane["name"], jane["orderCount"]) == (
        "jane@example.com", "Jane Doe", 1)
    assert jane["suggestions"] == [
        {"matchedBy": "EMAIL", "customer": {"listId": "C1", "fullName": "Doe, Jane",
                                            "email": "Jane@Example.com", "isActive": True}},
        {"matchedBy": "NAME", "customer": {"listId": "C2", "fullName": "Jane Doe",
                                           "email": "", "isActive": False}}]
    assert nobody["suggestions"] == []
    [row] = edges(mapped)
    assert (row["email"], row["customerFullName"], row["customerListId"], row["confirmedBy"]) \
        == ("buyer@acme.example", "Acme Corp", "C3", "owner@example.com")
    assert row["confirmedAt"] and row["inQuickBooks"] is True


def test_unmapped_ones_are_only_those_of_the_channels_the_caller_may_see(api):
    pulled("items", ("I1", "Mugs"))
    stored(1, "USD-ONLY", email="usd@example.com")
    stored(2, "PLN-ONLY", email="pln@example.com", channel="channel-pln", currency="PLN")
    skus = api(UNMAPPED_SKUS, token=USD_ONLY_TOKEN).data["qbUnmappedSkus"]
    customers = api(UNMAPPED_CUSTOMERS, token=USD_ONLY_TOKEN).data["qbUnmappedCustomers"]
    everything = api(UNMAPPED_SKUS).data["qbUnmappedSkus"]
    assert [n["sku"] for n in edges(skus)] == ["USD-ONLY"]
    assert [n["email"] for n in edges(customers)] == ["usd@example.com"]
    assert [n["sku"] for n in edges(everything)] == ["PLN-ONLY", "USD-ONLY"]


@pytest.mark.parametrize("query", [UNMAPPED_SKUS, UNMAPPED_CUSTOMERS, ITEM_MAPPINGS,
                                   CUSTOMER_MAPPINGS])
def test_the_mapping_lists_need_manage_orders(api, query):
    assert api(query, token=NO_PERMISSION_TOKEN).error_codes == ["PERMISSION_DENIED"]


def test_a_search_too_long_or_a_bad_cursor_is_a_typed_error_not_a_crash(api):
    too_long = api(UNMAPPED_SKUS, {"search": "x" * 255})
    bad_cursor = api(UNMAPPED_CUSTOMERS, {"after": "not-a-cursor"})
    assert too_long.status == 200 and too_long.error_codes == ["INVALID"]
    assert bad_cursor.status == 200 and bad_cursor.error_codes == ["INVALID"]


PREVIEW = """
query Preview($filter: QbOrderTransferFilterInput!) {
  qbOrderTransferPreview(filter: $filter) { edges { node { number quickbooksCustomer } } }
}
"""


def test_the_preview_names_the_quickbooks_customer_a_mapped_buyers_order_goes_to(api):
    # given
    pulled("customers", ("C1", "Acme Corp:Store 2"))
    stored(1, "TEE-M", email="buyer@acme.example", first_name="Al", last_name="Buyer")
    stored(2, "TEE-M", email="bob@example.com", first_name="Bob", last_name="Smith")
    mappings.set_customer("Buyer@Acme.example", "Acme Corp:Store 2", by="owner@example.com")
    # when
    rows = edges(api(PREVIEW, {"filter": {}}).data["qbOrderTransferPreview"])
    # then
    assert {r["number"]: r["quickbooksCustomer"] for r in rows} == {
        1: "Acme Corp:Store 2", 2: "Bob Smith"}
