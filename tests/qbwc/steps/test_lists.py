"""The lists step: which lists a session reads, in what sets, and what an iterator's loss or
a session's end does to a read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saleor_qb_sync import clock, quickbooks_lists
from saleor_qb_sync.models import (
    MessageSet,
    OperationKind,
    OperationStatus,
    PendingOperation,
    QuickBooksListEntry,
    QuickBooksListPull,
    WebConnectorSession,
)
from saleor_qb_sync.qbwc.steps import lists
from saleor_qb_sync.qbxml.lists import ListEntry
from saleor_qb_sync.testing.qb_company import Company, CustomerSpec
from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
from saleor_qb_sync.transfers import TransferError, queue_lists_refresh

from ..conftest import STAFF
from ..engine_driver import drive

pytestmark = pytest.mark.django_db

SHORT = ["AccountQueryRq", "SalesTaxCodeQueryRq", "ClassQueryRq", "PaymentMethodQueryRq"]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(quickbooks_lists, "CHUNK", 100)


def company(customers: int = 250) -> Company:
    return Company.default(customers=tuple(CustomerSpec(f"Customer {n:04d}")
                                           for n in range(customers)))


def answers() -> list[str]:
    return [m.response_xml for m in MessageSet.objects.order_by("id")]


def customers_read() -> int:
    return QuickBooksListEntry.objects.filter(list="customers").count()


class EndsSessionBefore:
    """A QuickBooks whose session ends (iterators forgotten) before the ``nth`` call."""

    def __init__(self, qb, nth: int) -> None:
        self.qb, self.nth, self.calls = qb, nth, 0

    def hcp_response(self):
        return self.qb.hcp_response()

    def process(self, xml):
        self.calls += 1
        if self.calls == self.nth:
            self.qb.end_session()
        return self.qb.process(xml)


def test_a_first_read_takes_the_short_lists_with_the_first_items_then_customers_in_chunks(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=24)

    run = drive(preferences, source, quickbooks(company(250)))

    # the settings check, then the short lists with the items, then 3 chunks of customers
    assert run.sets[1] == [*SHORT, "ItemQueryRq"]
    assert run.sets[2:] == [["CustomerQueryRq"]] * 3
    assert 'iterator="Start"' in run.xml[2] and 'iteratorID="{' in run.xml[3]
    assert "<MaxReturned>100</MaxReturned>" in run.xml[2]
    assert "FromModifiedDate" not in run.xml[2]
    assert customers_read() == 250
    assert run.percents[-1] == 100


def test_with_max_age_0_nothing_is_read_and_no_session_opens_for_the_lists(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=0)
    run = drive(preferences, source, quickbooks(company(10)))
    assert run.refused == "none"
    assert QuickBooksListPull.objects.count() == 0


def test_a_list_read_a_day_ago_is_read_again_for_what_changed_only(
        configure, source, qbxml_schema):
    preferences = configure(lists_max_age_hours=24)
    made = clock.SettableClock(clock.now() - timedelta(days=2))
    qb = QuickBooksSimulator(company(250), schema=qbxml_schema, clock=made)
    drive(preferences, source, qb)
    first = QuickBooksListPull.objects.get(list="customers").pulled_at
    assert drive(preferences, source, qb).refused == "none"  # fresh: nothing to do

    moment = clock.SettableClock(clock.now() + timedelta(hours=25))
    made.at = moment.at
    qb.edit_customer("Customer 0007", email="seven@example.com")
    with clock.use(moment):
        run = drive(preferences, source, qb)

    assert run.sets[2:] == [["CustomerQueryRq"]]
    assert 'retCount="1"' in answers()[-1]
    assert QuickBooksListEntry.objects.get(full_name="Customer 0007").email == (
        "seven@example.com")
    assert (f"<FromModifiedDate>{(first - quickbooks_lists.OVERLAP).replace(microsecond=0)
                                 .isoformat()}</FromModifiedDate>") in run.xml[2]
    pull = QuickBooksListPull.objects.get(list="customers")
    assert (pull.pulled_at > first, pull.round_trips, pull.full_pulled_at) == (True, 1, first)


def test_an_iterator_quickbooks_no_longer_knows_starts_its_list_over_once(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=24)
    qb = quickbooks(company(250))

    # the session ends in QuickBooks before the third call: the second customer chunk
    run = drive(preferences, source, EndsSessionBefore(qb, nth=4))

    assert run.sets[2:] == [["CustomerQueryRq"]] * 5  # start, 3391, start again, 2 more
    assert 'iterator="Continue"' in run.xml[3]
    assert 'iterator="Start"' in run.xml[4]
    assert customers_read() == 250
    work = WebConnectorSession.objects.get().work["lists"]
    assert work["restarted"] == ["customers"] and work["failed"] == []


def test_a_session_ending_mid_list_leaves_what_it_read_and_the_next_starts_that_list_over(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=24)
    qb = quickbooks(company(250))

    drive(preferences, source, qb, limit=3)  # check, short lists + items, 1 customer chunk

    assert customers_read() == 100
    assert not QuickBooksListPull.objects.filter(list="customers").exists()
    assert QuickBooksListPull.objects.filter(list="items").exists()
    qb.end_session()  # Web Connector closed the connection
    run = drive(preferences, source, qb)
    assert run.sets[1:] == [["CustomerQueryRq"]] * 3  # only the list not read completely
    assert 'iterator="Start"' in run.xml[1] and "FromModifiedDate" not in run.xml[1]
    assert customers_read() == 250


def test_an_iterator_lost_twice_gives_the_list_up_for_this_session_and_says_so(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=24)
    qb = quickbooks(company(250))

    class ForgetsEveryTime(EndsSessionBefore):
        def process(self, xml):
            if 'iterator="Continue"' in xml:
                self.qb.end_session()
            return self.qb.process(xml)

    run = drive(preferences, source, ForgetsEveryTime(qb, 0))

    assert run.percents[-1] == 100
    row = WebConnectorSession.objects.get()
    assert row.work["lists"]["failed"] == ["customers"]
    assert "customers list" in row.last_error
    assert not QuickBooksListPull.objects.filter(list="customers").exists()


def test_a_queued_refresh_opens_a_session_reads_every_list_and_is_done(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=0)
    qb = quickbooks(company(120))
    operation = queue_lists_refresh(STAFF)
    assert (operation.kind, operation.status) == (OperationKind.REFRESH_LISTS,
                                                  OperationStatus.QUEUED)
    assert lists.waiting(preferences) == 1
    with pytest.raises(TransferError) as refused:
        queue_lists_refresh(STAFF)
    assert refused.value.code == "already_queued"

    run = drive(preferences, source, qb)

    assert run.sets[1] == [*SHORT, "ItemQueryRq"]
    operation.refresh_from_db()
    assert operation.status == OperationStatus.DONE
    assert operation.picked_up_at is not None and operation.completed_at is not None
    assert operation.summary.startswith("read ")
    assert "120 customers" in operation.summary
    assert lists.waiting(preferences) == 0
    assert PendingOperation.objects.filter(status=OperationStatus.QUEUED).count() == 0


def test_the_lists_come_after_the_orders_of_the_session(queued, source, quickbooks):
    preferences, documents = queued(3, check_duplicates=False, lists_max_age_hours=24)
    run = drive(preferences, source, quickbooks(company(5)))
    writes = [i for i, names in enumerate(run.sets) if any("AddRq" in n for n in names)]
    reads = [i for i, names in enumerate(run.sets) if "CustomerQueryRq" in names
             and len(names) == 1]
    assert writes and reads and max(writes) < min(reads)


def test_a_full_refresh_reads_all_of_every_list_and_drops_what_quickbooks_no_longer_has(
        configure, source, quickbooks):
    preferences = configure(lists_max_age_hours=24)
    qb = quickbooks(company(150))
    drive(preferences, source, qb)
    # a customer deleted in QuickBooks since (we still hold it)
    quickbooks_lists.store("customers", [ListEntry("GONE-1", "1", None, "Gone", "Gone", "",
                                                   True)])
    queue_lists_refresh(STAFF)  # incremental: what changed only, deletions unseen
    incremental = drive(preferences, source, qb)
    assert all("<FromModifiedDate>" in xml for xml in incremental.xml[1:])
    assert QuickBooksListEntry.objects.filter(list_id="GONE-1").exists()

    operation = queue_lists_refresh(STAFF, full=True)
    assert operation.summary.startswith("full refresh")
    run = drive(preferences, source, qb)

    assert not any("<FromModifiedDate>" in xml for xml in run.xml[1:])
    assert run.sets[2:] == [["CustomerQueryRq"]] * 2
    assert not QuickBooksListEntry.objects.filter(list_id="GONE-1").exists()
    assert customers_read() == 150
