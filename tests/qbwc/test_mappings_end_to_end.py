"""End to end: what staff mapped by hand, through Web Connector into QuickBooks.

The emulator built from Intuit's WSDL calls our live endpoint; the simulator validates every
request against Intuit's schema. A first update reads QuickBooks' lists; staff map a SKU to an
item QuickBooks names differently and a buyer to a customer it already has; the next update
puts their order on that item and that customer, adding neither, while an unmapped order
follows the rules as before.
"""

from __future__ import annotations

import pytest
from lxml import etree

from saleor_qb_sync import mappings
from saleor_qb_sync.models import ExportedOrder
from saleor_qb_sync.qbxml.schema import validate
from saleor_qb_sync.quickbooks_document import document_for
from saleor_qb_sync.testing.qb_company import Company, CustomerSpec, ItemSpec
from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
from saleor_qb_sync.transfers import Actor, preview, queue_orders, transfer_filter

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor(user_id="8", email="owner@example.com")


def adds(report, tag: str) -> list[str]:
    """The names of every ``tag`` (CustomerAdd, ItemNonInventoryAdd…) the server sent."""
    names = []
    for request in report.requests_sent:
        root = etree.fromstring(request.encode())
        names += [node.findtext("Name") for node in root.iter(tag)]
    return names


@pytest.mark.parametrize("missing_item_action", ["create", "use_default"])
def test_a_mapped_sku_and_customer_land_on_what_quickbooks_has_without_adding_them(
        configure, stored_order, source, qbxml_schema, web_connector, missing_item_action):
    # given: a company with its own names; a first update reads its lists
    preferences = configure(lists_max_age_hours=24, missing_item_action=missing_item_action)
    company = Company.default(
        items=(*Company.default().items, ItemSpec("Tee Shirt Medium", account="Sales")),
        customers=(CustomerSpec("Web Customer"),
                   CustomerSpec("Acme Wholesale", email="ap@acme.example")))
    qb = QuickBooksSimulator(company, schema=qbxml_schema)
    web_connector(qb, strict=True).run_update()
    # staff map the SKU and confirm the buyer (in other spellings than QuickBooks')
    mappings.set_item("TEE-M", "tee shirt medium", by=STAFF.label)
    mappings.set_customer("jane@acme.example", "ACME WHOLESALE", by=STAFF.label)
    mapped = stored_order(1, email="Jane@Acme.example", sku="TEE-M")
    unmapped = stored_order(2, email="bob@example.com", first_name="Bob", last_name="Smith",
                            sku="MUG-1")
    # what the preview and the order's document show before anything is sent
    rows = {r.order.number: r for r in preview(source, preferences, transfer_filter(
        preferences, STAFF, include_exported=False, skip_queued=False)).rows}
    shown = document_for(source, preferences, mapped.order_id)
    queue_orders(source, preferences, STAFF, [mapped.order_id, unmapped.order_id])

    # when
    report = web_connector(qb, strict=True).run_update()

    # then: both orders are in QuickBooks
    assert ExportedOrder.objects.count() == 2
    sent = qb.find_transaction("1")
    assert sent.customer_name == "Acme Wholesale"
    assert [ln.item_name for ln in sent.lines][0] == "Tee Shirt Medium"
    # neither the mapped customer nor the mapped item was added; the unmapped ones were
    customer_adds = adds(report, "CustomerAdd")
    item_adds = adds(report, "ItemNonInventoryAdd")
    assert "Jane Doe" not in customer_adds and "Acme Wholesale" not in customer_adds
    assert "Bob Smith" in customer_adds
    assert "TEE-M" not in item_adds and "Tee Shirt Medium" not in item_adds
    if missing_item_action == "create":
        assert "MUG-1" in item_adds
    assert sorted(c.full_name for c in qb.customers) == [
        "Acme Wholesale", "Bob Smith", "Web Customer"]
    # the preview said so, by the same mapping
    assert rows[1].quickbooks_customer == "Acme Wholesale"
    assert rows[2].quickbooks_customer == "Bob Smith"
    assert shown.mapped.transaction.customer_name == "Acme Wholesale"
    assert "<FullName>Tee Shirt Medium</FullName>" in shown.qbxml
    # every request was what Intuit's schema accepts
    assert report.requests_sent
    for request in report.requests_sent:
        assert validate(request, qbxml_schema) == [], request
