"""The write step: sets sized by count and bytes, adds first, an unreadable set bisected, a
name QuickBooks lost added again once."""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import etree

from saleor_qb_sync.models import ExportedOrder, ExportRecord, ExportState
from saleor_qb_sync.qbwc.steps import write
from saleor_qb_sync.testing.qb_simulator import QuickBooksError

from ..engine_driver import drive

pytestmark = pytest.mark.django_db
TXN_ADDS = {"InvoiceAddRq", "SalesReceiptAddRq", "SalesOrderAddRq"}


def txn_count(request_set: list[str]) -> int:
    return sum(name in TXN_ADDS for name in request_set)


def test_a_set_stops_at_its_byte_limit_and_the_rest_goes_in_the_next(
        queued, source, quickbooks, monkeypatch):
    # given: room for 40 orders by count, but only about 20 KB a set
    preferences, documents = queued(40, orders_per_request=40, check_duplicates=False)
    monkeypatch.setattr(write, "MAX_SET_BYTES", 20_000)
    qb = quickbooks()

    # when
    run = drive(preferences, source, qb)

    # then: several sets, each within the limit (but for a single order), all orders once
    writes = [(names, xml) for names, xml in zip(run.sets, run.xml, strict=True)
              if txn_count(names)]
    assert len(writes) > 2
    assert all(len(xml.encode()) < 20_000 + 2_000 or txn_count(names) == 1
               for names, xml in writes)
    assert sum(txn_count(names) for names, _ in writes) == 40
    assert Counter(t.ref_number for t in qb.transactions()) == Counter(
        str(d.number) for d in documents)


def test_the_adds_come_before_every_transaction_and_each_name_once(queued, source,
                                                                   quickbooks):
    preferences, _ = queued(30, orders_per_request=30, check_duplicates=False)
    run = drive(preferences, source, quickbooks())
    names, xml = run.sets[-1], run.xml[-1]
    first_txn = next(i for i, n in enumerate(names) if n in TXN_ADDS)
    assert first_txn > 0 and all(n in TXN_ADDS for n in names[first_txn:])
    added = [el.findtext("*/Name") for el in etree.fromstring(xml.encode()).find(
        "QBXMLMsgsRq")[:first_txn]]
    assert len(added) == len(set(added))


class Unreadable:
    """QuickBooks, except that a set holding order ``bad``'s RefNumber cannot be parsed."""

    def __init__(self, real, bad: str):
        self.real, self.bad, self.sizes = real, bad, []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def process(self, xml):
        refs = [el.text for el in etree.fromstring(xml.encode()).iter("RefNumber")]
        if "AddRq>" in xml and any(n in TXN_ADDS for n in _names(xml)):
            self.sizes.append(sum(n in TXN_ADDS for n in _names(xml)))
            if self.bad in refs:
                raise QuickBooksError("0x80040400", "QuickBooks found an error when parsing "
                                                    "the provided XML text stream.")
        return self.real.process(xml)


def _names(xml):
    return [el.tag for el in etree.fromstring(xml.encode()).find("QBXMLMsgsRq")]


def test_a_set_quickbooks_cannot_read_is_halved_until_the_bad_order_is_alone(
        queued, source, quickbooks):
    # given: 16 orders in one set; QuickBooks cannot read any set holding the fifth
    preferences, documents = queued(16, orders_per_request=16, check_duplicates=False)
    bad = documents[4]
    qb = Unreadable(quickbooks(), str(bad.number))

    # when
    drive(preferences, source, qb)

    # then: halves of 8, 4, 2 and 1 around the bad one; it alone failed, the rest landed once
    assert qb.sizes[:2] == [16, 8]
    assert 1 in qb.sizes and len(qb.sizes) <= 1 + 2 * 4
    failed = ExportRecord.objects.filter(state=ExportState.FAILED).exclude(action="resent")
    assert [r.order_number for r in failed] == [bad.number]
    assert "could not read" in failed.get().status_message.lower()
    assert ExportedOrder.objects.count() == 15
    assert sorted(t.ref_number for t in qb.transactions()) == sorted(
        str(d.number) for d in documents if d is not bad)


def test_a_customer_the_cache_believes_in_but_quickbooks_lacks_is_added_on_the_retry(
        queued, source, quickbooks):
    # given: the name cache believes QuickBooks has every customer of the orders (someone
    # deleted them in QuickBooks since), so the first set carries no CustomerAdd
    from saleor_qb_sync.qbwc import names
    from saleor_qb_sync.qbxml.mapping import map_order

    preferences, documents = queued(3, orders_per_request=10, check_duplicates=False)
    customers = {map_order(d, preferences).customer.name for d in documents}
    names.remember([(names.CUSTOMER, n) for n in customers])
    qb = quickbooks()

    # when
    run = drive(preferences, source, qb)

    # then: QuickBooks refused them (3140), the names were forgotten and the orders sent once
    # more with the customers added first; each order is in QuickBooks once
    writes = [n for n in run.sets if txn_count(n)]
    assert "CustomerAddRq" not in writes[0]
    assert "CustomerAddRq" in writes[1]
    assert ExportRecord.objects.filter(action="retried", status_code=3140).count() == 3
    assert sorted(t.ref_number for t in qb.transactions()) == sorted(
        str(d.number) for d in documents)
    assert ExportedOrder.objects.count() == 3


def test_a_wave_is_four_sets_of_orders_and_never_more_than_a_thousand(configure):
    assert write.wave_size(configure(orders_per_request=10)) == 40
    assert write.wave_size(configure(orders_per_request=250)) == write.MAX_WAVE_ORDERS == 1000
