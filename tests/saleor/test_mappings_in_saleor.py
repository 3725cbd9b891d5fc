"""Mappings inside Saleor: the SKUs and buyers of real Saleor orders (``SaleorOrderSource``), what
has no mapping through our GraphQL route, and a mapping in the QuickBooks document of a Saleor
order."""

from __future__ import annotations

from dataclasses import replace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_qb_sync import mappings
from saleor_qb_sync.models import CustomerMapping, ItemMapping
from saleor_qb_sync.order_source import OrderFilter
from saleor_qb_sync.quickbooks_document import document_for
from saleor_qb_sync.saleor_host.orders import SaleorOrderSource

from .conftest import qb_graphql

EVERY_ORDER = OrderFilter(include_exported=True)
UNMAPPED = """
{
  qbUnmappedSkus(first: 100) { totalCount edges { node { sku orderCount } } }
  qbUnmappedCustomers(first: 100) { totalCount edges { node { email orderCount } } }
}
"""


def skus_of(*orders) -> dict[str, int]:
    found: dict[str, set] = {}
    for order in orders:
        for line in order.lines.all():
            if line.product_sku and not line.is_gift_card:
                found.setdefault(line.product_sku, set()).add(order.pk)
    return {sku: len(ids) for sku, ids in found.items()}


def test_the_skus_of_saleor_order_lines_are_read_in_one_query(qb_plugin, order_with_lines,
                                                             guest_order):
    # when
    with CaptureQueriesContext(connection) as queries:
        seen = SaleorOrderSource().skus(EVERY_ORDER)
    # then
    assert len(queries) == 1
    assert {s.sku: s.order_count for s in seen} == skus_of(order_with_lines, guest_order)
    assert [s.sku for s in seen] == sorted(s.sku for s in seen)
    assert all(s.product_name for s in seen)


def test_a_mapped_buyer_is_left_out_of_the_customers_whatever_the_case_of_the_e_mail(
        qb_plugin, order_with_lines, guest_order):
    # given: the guest's order carries its e-mail in another case than the mapping
    guest_order.user_email = "Guest.Buyer@Example.com"
    guest_order.save(update_fields=["user_email"])
    CustomerMapping.objects.create(email="guest.buyer@example.com",
                                   customer_full_name="Acme Corp", confirmed_at=timezone.now())
    source = SaleorOrderSource()
    # when
    every, _ = source.customers("", EVERY_ORDER, offset=0, limit=100)
    unmapped, total = source.customers("", replace(EVERY_ORDER, skip_mapped_customers=True),
                                       offset=0, limit=100)
    # then
    assert "guest.buyer@example.com" in {c.email.lower() for c in every}
    assert "guest.buyer@example.com" not in {c.email.lower() for c in unmapped}
    assert total == len(every) - 1


def test_what_has_no_mapping_is_listed_through_our_route(qb_plugin, manage_orders_staff_client,
                                                        order_with_lines):
    # given: one SKU mapped
    mapped_sku = order_with_lines.lines.order_by("product_sku").first().product_sku
    ItemMapping.objects.create(sku=mapped_sku, item_full_name="Shirts:T-shirt",
                               set_at=timezone.now())
    # when
    response = qb_graphql(manage_orders_staff_client, UNMAPPED)
    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    skus = {e["node"]["sku"] for e in data["qbUnmappedSkus"]["edges"]}
    assert skus == set(skus_of(order_with_lines)) - {mapped_sku}
    emails = {e["node"]["email"].lower() for e in data["qbUnmappedCustomers"]["edges"]}
    assert order_with_lines.user_email.lower() in emails


def test_a_saleor_orders_document_names_the_mapped_item_and_customer(qb_plugin, qb_preferences,
                                                                    order_with_lines):
    # given
    line = order_with_lines.lines.order_by("product_sku").first()
    ItemMapping.objects.create(sku=line.product_sku, item_full_name="Shirts:T-shirt",
                               set_at=timezone.now())
    CustomerMapping.objects.create(email=order_with_lines.user_email.lower(),
                                   customer_full_name="Acme Corp:Store 2",
                                   confirmed_at=timezone.now())
    # when
    shown = document_for(SaleorOrderSource(), qb_preferences(), str(order_with_lines.id))
    # then
    assert shown.reason is None, shown.reason
    txn = shown.mapped.transaction
    assert txn.customer_name == "Acme Corp:Store 2"
    assert "Shirts:T-shirt" in {ln.item_name for ln in txn.lines}
    assert "Shirts:T-shirt" not in {i.name for i in shown.mapped.items}
    assert shown.mapped.customer.existing
    assert mappings.current().customer_for(order_with_lines.user_email.lower())
