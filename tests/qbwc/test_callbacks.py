"""The QBWC callbacks, driven directly: how many round trips a session takes, what each set
holds, the percentages, and the answers to calls that make no sense."""

from __future__ import annotations

import math

import pytest

from saleor_qb_sync.ledger import Claim
from saleor_qb_sync.models import (
    ExportedOrder,
    ItemState,
    MessageSet,
    PendingOperationOrder,
    SessionState,
    WebConnectorSession,
)
from saleor_qb_sync.qbwc import session as sessions
from saleor_qb_sync.qbwc.callbacks import (
    AUTH_NONE,
    EXPIRED_MESSAGE,
    PERCENT_ERROR,
    Engine,
)
from saleor_qb_sync.transfers import queue_orders

from .conftest import STAFF
from .engine_driver import drive

pytestmark = pytest.mark.django_db

TXN_ADDS = {"InvoiceAddRq", "SalesReceiptAddRq", "SalesOrderAddRq"}


def kinds(request_set: list[str]) -> set[str]:
    return {"txn" if name in TXN_ADDS else "add" if name.endswith("AddRq") else "query"
            for name in request_set}


def test_a_first_sync_takes_one_look_up_with_the_settings_check_and_a_set_per_hundred(
        queued, source, quickbooks):
    # given: 250 orders, 100 per set, duplicates checked; customers and items all new
    preferences, _ = queued(250, seed=250, orders_per_request=100, check_duplicates=True)
    qb = quickbooks()

    # when
    run = drive(preferences, source, qb)

    # then: one look-up for the whole wave (the settings check riding in it), then three write
    # sets whose adds come first
    assert run.round_trips == 1 + math.ceil(250 / 100)
    assert kinds(run.sets[0]) == {"query"} and "AccountQueryRq" in run.sets[0]
    for write_set in run.sets[1:]:
        first_txn = next(i for i, name in enumerate(write_set) if name in TXN_ADDS)
        assert all(name in TXN_ADDS for name in write_set[first_txn:])
    assert ExportedOrder.objects.count() == 250 == len(qb.transactions())
    assert run.percents[-1] == 100
    assert run.percents == sorted(run.percents)


def test_without_duplicates_and_creating_items_nothing_is_looked_up(queued, source, quickbooks):
    # given
    preferences, _ = queued(30, seed=30, orders_per_request=10, check_duplicates=False)

    # when
    run = drive(preferences, source, quickbooks())

    # then: the settings check, then only write sets
    assert run.round_trips == 1 + 3
    assert all("txn" in kinds(s) for s in run.sets[1:])


def test_the_second_sync_of_the_same_buyers_adds_no_name_quickbooks_has(
        configure, orders, source, quickbooks):
    # given: a first sync of four buyers' orders made their names known
    preferences = configure(orders_per_request=50, check_duplicates=False)
    first = [d for d in orders(60, seed=5, customers=4)
             if d.status in preferences.eligible_statuses]
    queue_orders(source, preferences, STAFF, [d.order_id for d in first])
    qb = quickbooks()
    drive(preferences, source, qb)
    had = {c.name for c in qb.customers} | {i.name for i in qb.items}
    second = [d for d in orders(20, seed=5, customers=4, start_number=1001)
              if d.status in preferences.eligible_statuses]
    queue_orders(source, preferences, STAFF, [d.order_id for d in second])

    # when
    run = drive(preferences, source, qb)

    # then: no customer is added again, nor any item QuickBooks had
    added = [name for request_set in run.sets for name in request_set
             if name.endswith("AddRq") and name not in TXN_ADDS]
    assert "CustomerAddRq" not in added
    new_names = ({c.name for c in qb.customers} | {i.name for i in qb.items}) - had
    assert len(added) == len(new_names)
    assert len(qb.transactions()) == len(first) + len(second)


def test_every_write_round_trip_costs_the_same_statements_at_ten_and_at_sixty_orders(
        configure, orders, source, quickbooks):
    # given: the same store twice, with sets of 10 and of 60 orders (the follow-ups and the
    # edits comparison off: what they compare depends on the orders already in QuickBooks, here
    # the first round's, not on the set's size; their own count is tested in
    # steps/test_follow_ups.py and steps/test_edits.py)
    counts = []
    for size in (10, 60):
        preferences = configure(orders_per_request=size, check_duplicates=True,
                                record_payments=False, record_refunds=False,
                                void_cancelled=False, update_edited_orders="off")
        documents = [d for d in orders(size * 3, seed=size, start_number=size * 1000)
                     if d.status in preferences.eligible_statuses][:size]
        queue_orders(source, preferences, STAFF, [d.order_id for d in documents])

        # when
        run = drive(preferences, source, quickbooks())
        counts.append(run.statements[-1])  # the write set and its answer
        WebConnectorSession.objects.all().delete()

    # then
    assert counts[0] == counts[1], counts


def test_with_nothing_to_do_authenticate_says_none(configure, source):
    assert Engine(configure(), source).authenticate("quickbooks", "correct horse battery staple",
                                                    "198.51.100.7") == ["", AUTH_NONE]


def test_calls_with_an_unknown_ticket_are_answered_without_work(configure, source):
    engine = Engine(configure(), source)
    assert engine.send_request_xml("nope", "", "", "US", 13, 0) == ""
    assert engine.receive_response_xml("nope", "<QBXML/>", "", "") == PERCENT_ERROR
    assert engine.get_last_error("nope") == EXPIRED_MESSAGE
    assert engine.close_connection("nope") == "OK"


def test_an_answer_nobody_asked_for_ends_with_an_error(queued, source, quickbooks):
    # given: a session whose set was answered already
    preferences, _ = queued(2, seed=2)
    engine = Engine(preferences, source)
    ticket = engine.authenticate("quickbooks", "correct horse battery staple", "x")[0]
    xml = engine.send_request_xml(ticket, quickbooks().hcp_response(), "", "US", 13, 0)
    engine.receive_response_xml(ticket, quickbooks().process(xml), "", "")
    MessageSet.objects.update(state="answered")

    # when
    percent = engine.receive_response_xml(ticket, "<QBXML/>", "", "")

    # then
    assert percent == PERCENT_ERROR
    assert engine.get_last_error(ticket) == "Web Connector sent an answer we did not ask for."


def test_a_client_older_than_2_1_0_30_is_refused_and_odd_versions_pass(configure, source):
    engine = Engine(configure(), source)
    assert engine.client_version("2.1.0.29").startswith("E:")
    assert engine.client_version("2.3.0.215") == ""
    assert engine.client_version("beta") == ""


def test_an_engine_that_claims_nothing_sends_only_the_orders_in_its_work(
        queued, source, quickbooks, stored_order):
    # given: an order waits in a pending operation; the session's work holds another
    preferences, documents = queued(1)
    waiting = documents[0]
    given = stored_order(90001, first_name="Given")
    work = sessions.Work(next_waves=[sessions.Wave([Claim(given.order_id, given.number, None,
                                                          given.channel_slug)])])
    ticket = sessions.start("dry run", automatic=False, total=1, work=work)
    engine = Engine(preferences, source, claim=False)
    qb = quickbooks()

    # when
    sets, hcp, percent = [], qb.hcp_response(), None
    while percent is None or 0 <= percent < 100:
        xml = engine.send_request_xml(ticket, hcp, "C:\\Company.QBW", "US", 13, 0)
        hcp = ""
        sets.append(xml)
        percent = engine.receive_response_xml(ticket, qb.process(xml), "", "")

    # then: the given order is in QuickBooks, the queued one still waits, unclaimed
    assert percent == 100
    assert [t.ref_number for t in qb.transactions()] == [str(given.number)]
    assert ExportedOrder.objects.filter(order_id=given.order_id).exists()
    assert not ExportedOrder.objects.filter(order_id=waiting.order_id).exists()
    assert set(PendingOperationOrder.objects.values_list("state", flat=True)) == {
        ItemState.PENDING}
    assert WebConnectorSession.objects.get(
        ticket_digest=sessions.ticket_digest(ticket)).state == SessionState.CLOSED
