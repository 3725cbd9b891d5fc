"""Sessions: one at a time, their typed work kept between callbacks, and what ending one
does with the orders it held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_qb_sync import clock, ledger
from saleor_qb_sync.ledger import Claim
from saleor_qb_sync.models import (
    ExportState,
    ItemState,
    MessageSet,
    MessageSetKind,
    MessageSetState,
    PendingOperationOrder,
    SessionState,
    WebConnectorSession,
)
from saleor_qb_sync.qbwc import session as sessions
from saleor_qb_sync.qbwc.preflight import Preflight
from saleor_qb_sync.qbwc.session import SESSION_TIMEOUT, Wave, Work
from saleor_qb_sync.transfers import Actor, queue_orders

pytestmark = pytest.mark.django_db


def test_the_work_comes_back_as_it_was_stored():
    work = Work(
        preflight=Preflight({"account": {"sales": "present"}}, []),
        reconcile_asked=[3, 4],
        wave=Wave([Claim("a", 1, 7, "web")], looked_up=True),
        next_waves=[Wave([Claim("b", 2, None, "")])],
        in_flight=[Claim("c", 3, 7, "web")],
        missing_items=["MUG"], retried=["a"])

    # when
    again = Work.from_json(work.to_json())

    # then
    assert again == work
    assert again.busy
    assert not Work().busy
    assert Work.from_json({}) == Work()


def test_a_second_session_is_busy_until_the_first_falls_silent(configure):
    # given
    opened = sessions.open_session("quickbooks", automatic=False, estimate=lambda: 3)

    # when
    busy = sessions.open_session("quickbooks", automatic=False, estimate=lambda: 3)
    with clock.use(lambda: timezone.now() + sessions.SESSION_YIELDS_AFTER
                   + timedelta(seconds=1)):
        later = sessions.open_session("quickbooks", automatic=False, estimate=lambda: 3)

    # then: only the digest of each ticket is stored; the silent session was dropped
    assert opened[0] and busy == ("", "busy") and later[0]
    assert not WebConnectorSession.objects.filter(ticket_digest=opened[0]).exists()
    assert WebConnectorSession.objects.get(
        ticket_digest=sessions.ticket_digest(opened[0])).state == SessionState.DROPPED


def test_nothing_to_do_opens_no_session():
    assert sessions.open_session("quickbooks", automatic=True, estimate=lambda: 0) == ("",
                                                                                     "none")
    assert not WebConnectorSession.objects.exists()


def test_a_session_silent_past_the_timeout_is_dropped_when_it_calls_again(configure):
    ticket, _ = sessions.open_session("quickbooks", automatic=False, estimate=lambda: 1)
    with clock.use(lambda: timezone.now() + SESSION_TIMEOUT + timedelta(seconds=1)):
        assert sessions.find(ticket) is None
        closed = sessions.find(ticket, include_closed=True)
    assert closed.row.state == SessionState.DROPPED
    assert closed.row.summary == "0 orders exported (session dropped)"


def test_closing_gives_back_the_unsent_and_keeps_the_sent_for_reconciling(
        configure, stored_order, source):
    # given: a session holding three orders, one of them sent without an answer
    preferences = configure()
    documents = [stored_order(n) for n in (1, 2, 3)]
    queue_orders(source, preferences, Actor(email="s@example.com"),
                 [d.order_id for d in documents])
    ticket, _ = sessions.open_session("quickbooks", automatic=False, estimate=lambda: 3)
    session = sessions.find(ticket)
    claims = ledger.claim_orders(session.row, source, 3)
    session.work.wave = Wave(claims[1:])
    message_set = MessageSet.objects.create(session=session.row, kind=MessageSetKind.WRITE,
                                            request_xml="<QBXML/>")
    ledger.sent([ledger.new_attempt(
        order_id=claims[0].order_id, order_number=1, transaction_type="Invoice",
        ref_number="1", session=session.row, operation_id=claims[0].operation_id,
        message_set=message_set)])

    # when
    sessions.close(session)

    # then
    message_set.refresh_from_db()
    assert message_set.state == MessageSetState.LOST
    assert ledger.to_reconcile().get().order_number == 1
    assert ledger.to_reconcile().get().state == ExportState.NEEDS_RECONCILING
    assert dict(PendingOperationOrder.objects.values_list("order_number", "state")) == {
        1: ItemState.CLAIMED, 2: ItemState.PENDING, 3: ItemState.PENDING}
    assert not sessions.find(ticket, include_closed=True).work.busy


def test_start_opens_a_session_with_the_work_given_even_beside_an_open_one(configure):
    # given: a session is open (open_session would answer busy)
    sessions.open_session("quickbooks", automatic=False, estimate=lambda: 3)
    work = Work(next_waves=[Wave([Claim("a", 1, None, "web")])])

    # when
    ticket = sessions.start("dry run", automatic=False, total=1, work=work)

    # then
    session = sessions.find(ticket)
    assert session.row.state == SessionState.OPEN and session.row.orders_total == 1
    assert session.work == work
    assert WebConnectorSession.objects.filter(state=SessionState.OPEN).count() == 2
