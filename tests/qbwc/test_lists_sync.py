"""End to end: QuickBooks' lists read over Web Connector, a company of 25,000 customers.

The emulator built from Intuit's WSDL calls our live endpoint; the simulator pages list queries
with real iterators. The first update reads every list (customers 1,000 a round trip); after a
bookkeeper changes a few customers, a queued refresh reads only those.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from saleor_qb_sync import quickbooks_lists
from saleor_qb_sync.clock import SettableClock
from saleor_qb_sync.models import (
    MessageSet,
    MessageSetKind,
    OperationStatus,
    PendingOperation,
    QuickBooksListEntry,
    QuickBooksListPull,
)
from saleor_qb_sync.testing.qb_company import Company, CustomerSpec
from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
from saleor_qb_sync.transfers import Actor, queue_lists_refresh

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor(user_id="7", email="staff@example.com")
CUSTOMERS = 25_000
#: the largest answer to a 1,000-customer chunk we accept (Web Connector passes it as one string)
MAX_ANSWER_BYTES = 400_000


def customer_queries(report) -> list[tuple[str, str]]:
    """(request, response) of the round trips that asked for customers."""
    return [(rq, rs) for rq, rs in zip(report.requests_sent, report.responses, strict=True)
            if "<CustomerQueryRq" in rq]


def ret_counts(response: str) -> int:
    rs = etree.fromstring(response.encode()).find("QBXMLMsgsRs/CustomerQueryRs")
    return int(rs.get("retCount") or 0)


def test_25000_customers_first_in_iterator_chunks_then_only_what_changed(
        configure, qbxml_schema, web_connector):
    # given: a company of 25,000 customers, made two days ago; lists read when a day old
    configure(lists_max_age_hours=24)
    made = SettableClock(timezone.now() - timedelta(days=2))
    started = time.monotonic()
    company = Company.default(customers=tuple(
        CustomerSpec(f"Customer {n:05d}", email=f"c{n}@example.com") for n in range(CUSTOMERS)))
    qb = QuickBooksSimulator(company, schema=qbxml_schema, clock=made)
    seeded = time.monotonic() - started
    assert seeded < 10, f"seeding {CUSTOMERS} customers took {seeded:.1f} s"

    # when: the first update (nothing else to do: it opens for the lists alone)
    started = time.monotonic()
    report = web_connector(qb, max_round_trips=200).run_update()
    first_seconds = time.monotonic() - started

    # then: customers came in ceil(25,000 / 1,000) round trips, one iterator, each answer small
    chunks = customer_queries(report)
    assert len(chunks) == math.ceil(CUSTOMERS / quickbooks_lists.CHUNK) == 25
    assert 'iterator="Start"' in chunks[0][0]
    assert all('iterator="Continue"' in rq for rq, _ in chunks[1:])
    assert [ret_counts(rs) for _, rs in chunks] == [1000] * 25
    assert max(len(rs.encode()) for _, rs in chunks) < MAX_ANSWER_BYTES
    assert qb.iterators_started == 2  # items and customers
    # all of them in our table, with what QuickBooks said of each
    customers = QuickBooksListEntry.objects.filter(list="customers")
    assert customers.count() == CUSTOMERS
    one = customers.get(full_name="Customer 00042")
    assert (one.email, one.is_active, one.list_id) == (
        "c42@example.com", True, qb.find_customer("Customer 00042").list_id)
    assert one.edit_sequence and one.time_modified is not None
    # and the other lists, each read completely once
    assert set(QuickBooksListPull.objects.values_list("list", flat=True)) == {
        lst.key for lst in quickbooks_lists.LISTS} | {quickbooks_lists.PREFERENCES}
    assert QuickBooksListPull.objects.get(list="customers").round_trips == 25
    accounts = dict(QuickBooksListEntry.objects.filter(list="accounts")
                    .values_list("full_name", "record_type"))
    assert accounts["Undeposited Funds"] == "OtherCurrentAsset"
    # the session's settings check, the short lists with the items, then the 25 chunks
    assert [k for k in MessageSet.objects.order_by("id").values_list("kind", flat=True)] == (
        [MessageSetKind.PREFLIGHT] + [MessageSetKind.LISTS] * 26)
    assert report.round_trips == 27

    # when: a bookkeeper changes two customers and adds one, and staff ask for a refresh
    made.at = timezone.now()
    qb.edit_customer("Customer 00042", email="new@example.com")
    qb.edit_customer("Customer 24999", is_active=False)
    qb.add_customer("Zed New", email="zed@example.com")
    operation = queue_lists_refresh(STAFF)
    started = time.monotonic()
    report = web_connector(qb).run_update()
    second_seconds = time.monotonic() - started

    # then: one customer round trip, reading exactly those three
    [(request, response)] = customer_queries(report)
    assert "<FromModifiedDate>" in request
    assert ret_counts(response) == 3
    assert customers.count() == CUSTOMERS + 1
    assert customers.get(full_name="Customer 00042").email == "new@example.com"
    assert customers.get(full_name="Customer 24999").is_active is False
    pull = QuickBooksListPull.objects.get(list="customers")
    assert (pull.records_read, pull.round_trips) == (3, 1)
    operation.refresh_from_db()
    assert operation.status == OperationStatus.DONE
    assert "3 customers" in operation.summary
    # the second session: settings check, short lists + items (nothing changed), customers
    assert MessageSet.objects.filter(kind=MessageSetKind.LISTS).count() == 26 + 2
    print(f"\nfirst pull {first_seconds:.1f} s, incremental {second_seconds:.1f} s, "
          f"largest chunk {max(len(rs) for _, rs in chunks):,} bytes")
    assert PendingOperation.objects.filter(status=OperationStatus.QUEUED).count() == 0
