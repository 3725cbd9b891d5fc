"""What staff mapped by hand: set against our copy of QuickBooks' lists, read once, and what is
still unmapped (SKUs QuickBooks lacks, buyers with suggestions)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync import clock, mappings, quickbooks_lists
from saleor_qb_sync.documents import Customer
from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.models import CustomerMapping
from saleor_qb_sync.order_source import OrderFilter
from saleor_qb_sync.qbxml.lists import ListEntry
from saleor_qb_sync.qbxml.records import MappedCustomer
from saleor_qb_sync.standalone.order_source import store_sample_orders
from tests.conftest import order_uuid
from tests.qbxml.factories import order, order_line

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ALL = OrderFilter(include_exported=True)


@pytest.fixture
def at():
    with clock.use(clock.SettableClock(NOW)):
        yield


def pulled(key: str, *entries: ListEntry) -> None:
    """Our copy of a QuickBooks list, as a completed read leaves it."""
    quickbooks_lists.store(key, list(entries))
    quickbooks_lists.finish(key, NOW, full=True, records=len(entries), round_trips=1)


def entry(list_id: str, full_name: str, **fields) -> ListEntry:
    values = {"edit_sequence": "1", "time_modified": NOW, "record_type": "", "is_active": True,
              **fields}
    return ListEntry(list_id=list_id, name=full_name.rpartition(":")[2], full_name=full_name,
                     **values)


def stored(number: int, *skus: str | None, email: str = "jane@example.com",
           first_name: str = "Jane", last_name: str = "Doe", product: str = "T-shirt"):
    document = order(number=number, order_id=order_uuid(number),
                     lines=tuple(replace(order_line(sku=sku, name=product),
                                         line_id=f"l{number}-{n}")
                                 for n, sku in enumerate(skus)),
                     customer=Customer(email=email, first_name=first_name,
                                       last_name=last_name))
    store_sample_orders([document])
    return document


# --- item mappings ----------------------------------------------------------------------------


def test_an_item_mapping_takes_quickbooks_spelling_and_list_id_and_replaces_the_old_one(at):
    # given
    pulled("items", entry("I1", "Shirts:T-shirt red M"), entry("I2", "Mugs"))
    # when
    mappings.set_item(" TS-RED-M ", "shirts:t-shirt  RED m", by="staff@example.com")
    mapping = mappings.set_item("TS-RED-M", "Shirts:T-shirt red M", by="owner@example.com")
    # then
    assert (mapping.sku, mapping.item_full_name, mapping.item_list_id, mapping.set_by,
            mapping.set_at) == ("TS-RED-M", "Shirts:T-shirt red M", "I1", "owner@example.com",
                                NOW)
    assert mappings.current().items == {"TS-RED-M": "Shirts:T-shirt red M"}
    assert mappings.item_mappings()[1] == 1


def test_an_item_quickbooks_lacks_is_refused_naming_it(at):
    pulled("items", entry("I1", "Mugs"))
    with pytest.raises(TransferError) as refused:
        mappings.set_item("TS-RED-M", "T-shirt red", by="staff@example.com")
    assert refused.value.code == "not_in_quickbooks"
    assert refused.value.field == "itemFullName"
    assert "“T-shirt red”" in refused.value.message
    assert mappings.current().items == {}


def test_before_the_lists_were_ever_read_a_mapping_is_refused_saying_so(at):
    with pytest.raises(TransferError) as refused:
        mappings.set_item("TS-RED-M", "T-shirt red", by="staff@example.com")
    assert refused.value.code == "lists_never_read"
    assert "have not been read yet" in refused.value.message


def test_an_inactive_item_one_that_cannot_be_a_line_or_an_empty_sku_is_refused(at):
    pulled("items", entry("I1", "Old shirt", is_active=False),
           entry("I2", "Subtotal", record_type="ItemSubtotal"))
    with pytest.raises(TransferError) as inactive:
        mappings.set_item("TS", "Old shirt", by="staff@example.com")
    with pytest.raises(TransferError) as subtotal:
        mappings.set_item("TS", "subtotal", by="staff@example.com")
    with pytest.raises(TransferError) as empty:
        mappings.set_item("  ", "Old shirt", by="staff@example.com")
    assert (inactive.value.code, subtotal.value.code, empty.value.code) == (
        "inactive_in_quickbooks", "not_a_line_item", "required")
    assert mappings.current().items == {}


def test_deleting_an_item_mapping_and_one_that_does_not_exist(at):
    pulled("items", entry("I1", "Mugs"))
    mappings.set_item("MUG", "Mugs", by="staff@example.com")
    assert mappings.delete_item("MUG").item_full_name == "Mugs"
    with pytest.raises(TransferError) as missing:
        mappings.delete_item("MUG")
    assert missing.value.code == "not_found"


def test_unmapped_skus_are_those_quickbooks_lacks_by_the_item_rule_and_without_mapping(
        at, source):
    # given: "MUG" is an item of QuickBooks (in another case), "TS-RED-M" is mapped,
    # "A:B" becomes the item "A B" under the item rule, which QuickBooks has
    pulled("items", entry("I1", "mug"), entry("I2", "Shirts:T-shirt red M"), entry("I3", "A B"))
    mappings.set_item("TS-RED-M", "Shirts:T-shirt red M", by="staff@example.com")
    stored(1, "MUG", "TS-RED-M", "CAP-1", None, product="Cap")
    stored(2, "CAP-1", "A:B", "HAT-2", product="Beanie")
    # when
    page, total = mappings.unmapped_skus(source, ALL, offset=0, limit=1)
    rest, _ = mappings.unmapped_skus(source, ALL, offset=1, limit=10)
    found, found_total = mappings.unmapped_skus(source, ALL, "beanie")
    # then
    assert total == 2
    assert [(u.sku, u.order_count, u.rule_item_name) for u in page + rest] == [
        ("CAP-1", 2, "CAP-1"), ("HAT-2", 1, "HAT-2")]
    assert ([u.sku for u in found], found_total) == (["HAT-2"], 1)


# --- customer mappings ------------------------------------------------------------------------


def test_a_customer_mapping_keys_the_buyer_by_lower_case_e_mail_and_keeps_who_confirmed_it(at):
    pulled("customers", entry("C1", "Acme Corp", email="ap@acme.example", currency="Euro"))
    mapping = mappings.set_customer(" Buyer@Acme.example ", "acme corp", by="staff@example.com")
    assert (mapping.email, mapping.customer_full_name, mapping.customer_list_id,
            mapping.confirmed_by, mapping.confirmed_at) == (
        "buyer@acme.example", "Acme Corp", "C1", "staff@example.com", NOW)
    assert mappings.current().customers == {
        "buyer@acme.example": MappedCustomer("Acme Corp", "Euro")}
    with pytest.raises(TransferError) as not_email:
        mappings.set_customer("Jane Doe", "Acme Corp", by="staff@example.com")
    with pytest.raises(TransferError) as unknown:
        mappings.set_customer("jane@example.com", "Acme Inc", by="staff@example.com")
    assert (not_email.value.code, unknown.value.code) == ("invalid", "not_in_quickbooks")
    assert mappings.delete_customer("BUYER@acme.example").email == "buyer@acme.example"
    assert not CustomerMapping.objects.exists()


def test_unmapped_customers_come_with_suggestions_by_e_mail_then_by_name(at, source):
    # given
    pulled("customers",
           entry("C1", "Doe, Jane", email="JANE@example.com"),
           entry("C2", "Jane Doe"),
           entry("C3", "Wholesale:Jane Doe", is_active=False),
           entry("C4", "Bob Smith", email="bob@other.example"),
           entry("C5", "Acme Corp", email="ap@acme.example"))
    stored(1, "TS", email="jane@example.com")
    stored(2, "TS", email="bob@example.com", first_name="Bob", last_name="Smith")
    stored(3, "TS", email="mapped@acme.example", first_name="Al", last_name="Acme")
    stored(4, "TS", email="", first_name="No", last_name="Mail")
    mappings.set_customer("mapped@acme.example", "Acme Corp", by="staff@example.com")
    # when
    with CaptureQueriesContext(connection) as queries:
        page, total = mappings.unmapped_customers(source, ALL)
    # then: the mapped buyer and the one without e-mail are not listed
    assert total == 2
    assert [c.customer.email for c in page] == ["bob@example.com", "jane@example.com"]
    bob, jane = page
    assert [(s.entry.full_name, s.matched_by) for s in bob.suggestions] == [
        ("Bob Smith", "name")]
    assert [(s.entry.full_name, s.matched_by) for s in jane.suggestions] == [
        ("Doe, Jane", "email"), ("Jane Doe", "name"), ("Wholesale:Jane Doe", "name")]
    assert len(queries) == 3  # the page, its count and every suggestion


def test_current_reads_every_mapping_in_one_statement(at):
    pulled("items", entry("I1", "Mugs"))
    pulled("customers", entry("C1", "Acme Corp"))
    mappings.set_item("MUG", "Mugs", by="staff@example.com")
    mappings.set_customer("a@acme.example", "Acme Corp", by="staff@example.com")
    with CaptureQueriesContext(connection) as queries:
        current = mappings.current()
    assert len(queries) == 1
    assert current.item_for(" MUG") == "Mugs"
    assert current.customer_for("a@acme.example") == MappedCustomer("Acme Corp", "")


def test_a_mapping_whose_record_is_gone_or_inactive_in_quickbooks_says_so(at):
    # given: mapped while QuickBooks had them; then a read finds one inactive, one gone
    pulled("items", entry("I1", "Mugs"), entry("I2", "Caps"))
    pulled("customers", entry("C1", "Acme Corp"))
    mappings.set_item("MUG", "Mugs", by="staff@example.com")
    mappings.set_item("CAP", "Caps", by="staff@example.com")
    mappings.set_customer("a@acme.example", "Acme Corp", by="staff@example.com")
    quickbooks_lists.store("items", [entry("I1", "Mugs", is_active=False)])
    quickbooks_lists.store("customers", [entry("C1", "Acme Corp Ltd")])
    # when
    items, _ = mappings.item_mappings()
    customers, _ = mappings.customer_mappings()
    # then
    assert {m.sku: m.in_quickbooks for m in items} == {"CAP": True, "MUG": False}
    assert [m.in_quickbooks for m in customers] == [False]
    assert mappings.delete_item("CAP").in_quickbooks is True
