"""The fault matrix: whatever breaks, every order ends in QuickBooks exactly once or failed with a
reason, and a later session finishes the rest."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from django.db import connections
from django.db.models import F
from django.test import Client

from saleor_qb_sync.models import (
    ExportedOrder,
    ExportRecord,
    ExportState,
    WebConnectorSession,
)
from saleor_qb_sync.testing.web_connector import SessionEnd, SessionLimitExceeded
from saleor_qb_sync.transfers import Actor, queue_orders

from ..conftest import booked_total
from .test_soap_service import INTUIT, envelope, result

pytestmark = pytest.mark.django_db(transaction=True)
STAFF = Actor(email="staff@example.com")


def eligible(documents, preferences):
    return [d for d in documents if d.status in preferences.eligible_statuses]


def next_scheduled_run():
    WebConnectorSession.objects.update(last_seen_at=F("last_seen_at") - timedelta(minutes=30))


def assert_exactly_once(qb, documents):
    per_ref = Counter(t.ref_number for t in qb.transactions())
    assert per_ref == Counter(str(d.number) for d in documents)
    assert ExportedOrder.objects.count() == len(documents)
    assert not ExportRecord.objects.filter(
        state__in=[ExportState.SENT, ExportState.NEEDS_RECONCILING]).exists()


@pytest.fixture
def store(configure, orders, source):
    def create(count, seed, **preferences):
        prefs = configure(**preferences)
        documents = eligible(orders(count, seed=seed), prefs)
        queue_orders(source, prefs, STAFF, [d.order_id for d in documents])
        return documents

    return create


def test_web_connector_killed_mid_session_then_the_next_run_finishes(store, quickbooks,
                                                                     web_connector):
    # given
    documents = store(30, seed=41, orders_per_request=5, check_duplicates=False)
    qb = quickbooks()

    # when: Web Connector dies after three round trips (the cap stops it mid-session)
    with pytest.raises(SessionLimitExceeded):
        web_connector(qb, max_round_trips=3).run_update()
    next_scheduled_run()
    finished = web_connector(qb).run_update()

    # then
    assert finished.ended_by == SessionEnd.COMPLETED
    assert_exactly_once(qb, documents)


def test_a_new_worker_for_every_call_changes_nothing(store, quickbooks, configure):
    # given: every SOAP call is served by a fresh WSGI handler with fresh database connections,
    # as when the server restarts or a load balancer picks another worker between two calls
    documents = store(12, seed=42, orders_per_request=4)
    qb = quickbooks()

    def call(method, **params):
        connections.close_all()
        response = Client().generic("POST", "/plugins/global/saleor_qb_sync/qbwc",
                                  envelope(method, **params), content_type="text/xml",
                                  HTTP_SOAPACTION=f'"{INTUIT}{method}"')
        assert response.status_code == 200, response.content
        node = result(response, method)
        strings = node.findall(f"{{{INTUIT}}}string")
        return [s.text or "" for s in strings] if strings else node.text or ""

    # when
    ticket, company = call("authenticate", strUserName="quickbooks",
                           strPassword="correct horse battery staple")
    hcp = escape(qb.hcp_response())
    percent = 0
    while percent < 100:
        request = call("sendRequestXML", ticket=ticket, strHCPResponse=hcp,
                       strCompanyFileName="C:\\Company.QBW", qbXMLCountry="US",
                       qbXMLMajorVers="13", qbXMLMinorVers="0")
        hcp = ""
        assert request, call("getLastError", ticket=ticket)
        percent = int(call("receiveResponseXML", ticket=ticket,
                           response=escape(qb.process(request)), hresult="", message=""))
    closing = call("closeConnection", ticket=ticket)

    # then
    assert closing == f"{len(documents)} orders exported"
    assert_exactly_once(qb, documents)


def test_two_web_connectors_at_once_the_second_is_told_busy(store, quickbooks, web_connector):
    # given: a first Web Connector holds an open session
    store(5, seed=43)
    qb = quickbooks()
    with pytest.raises(SessionLimitExceeded):
        web_connector(qb, max_round_trips=1).run_update()

    # when: a second one arrives while the first is still within its callback window
    second = web_connector(qb).run_update()

    # then
    assert second.ended_by == SessionEnd.BUSY
    assert WebConnectorSession.objects.filter(state="open").count() == 1


def test_quickbooks_busy_ends_the_session_and_loses_nothing(store, quickbooks, web_connector):
    # given
    documents = store(6, seed=44, orders_per_request=50)
    qb = quickbooks()
    qb.faults.inject("busy", on_call=2)

    # when
    first = web_connector(qb).run_update()
    second = web_connector(qb).run_update()

    # then
    assert first.ended_by == SessionEnd.STOPPED_ON_ERROR
    assert first.errors and "QuickBooks" in first.errors[-1]
    assert second.ended_by == SessionEnd.COMPLETED
    assert_exactly_once(qb, documents)


def test_a_response_lost_twice_in_a_row_still_ends_exactly_once(store, quickbooks,
                                                                web_connector):
    # given
    documents = store(10, seed=45, orders_per_request=5, check_duplicates=False)
    qb = quickbooks()

    # when: two sessions in a row lose an answer after QuickBooks processed it
    landed = []
    for _ in range(2):
        qb.faults.inject("lose_response", on_request="AddRq")  # a write set's answer
        assert web_connector(qb).run_update().ended_by == SessionEnd.RESPONSE_LOST
        landed.append(len(qb.transactions()))
        next_scheduled_run()
    final = web_connector(qb).run_update()

    # then: each lost answer was of a set QuickBooks had processed
    assert landed[0] > 0 and landed[1] > landed[0]
    assert final.ended_by == SessionEnd.COMPLETED
    assert_exactly_once(qb, documents)


def test_an_answer_quickbooks_cannot_confirm_waits_for_the_next_session_without_looping(
        store, quickbooks, web_connector):
    # given: an answer was lost, and QuickBooks then answers every reconciling look-up with
    # "record in use" (3170), which confirms nothing either way
    from lxml import etree

    documents = store(3, seed=46, orders_per_request=50, check_duplicates=False)
    qb = quickbooks()
    qb.faults.inject("lose_response", on_request="AddRq")  # the write set
    web_connector(qb).run_update()
    next_scheduled_run()

    class InUse:
        """QuickBooks, except that reconciling look-ups (requestIDs r0, r1…) answer 3170."""

        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def process(self, request_xml):
            root = etree.fromstring(request_xml.encode())
            requests = list(root.find("QBXMLMsgsRq"))
            if not all(rq.get("requestID", "").startswith("r") for rq in requests):
                return self.real.process(request_xml)
            answer = etree.Element("QBXML")
            msgs = etree.SubElement(answer, "QBXMLMsgsRs")
            for rq in requests:
                etree.SubElement(msgs, rq.tag[:-2] + "Rs", requestID=rq.get("requestID"),
                                 statusCode="3170", statusSeverity="Error",
                                 statusMessage="The record is in use by another user.")
            return etree.tostring(answer, xml_declaration=True, encoding="utf-8").decode()

    # when
    session = web_connector(InUse(qb)).run_update()

    # then: the session ends instead of asking forever, nothing is sent twice, and a later
    # session with a willing QuickBooks confirms the orders exactly once
    assert session.ended_by == SessionEnd.COMPLETED
    assert session.round_trips < 10
    assert ExportRecord.objects.filter(state=ExportState.NEEDS_RECONCILING).count() == 3
    next_scheduled_run()
    web_connector(qb).run_update()
    assert_exactly_once(qb, documents)


#: the answers to our transaction adds
TXN_ADD_RESPONSES = ("InvoiceAddRs", "SalesReceiptAddRs", "SalesOrderAddRs")


def rewrite_transaction_answers(how):
    """A ``rewrite_response`` for the simulator: ``how(rs)`` on every transaction add answer."""
    def rewrite(response: str) -> str:
        from lxml import etree

        root = etree.fromstring(response.encode("utf-8"))
        for rs in list(root.find("QBXMLMsgsRs")):
            if rs.tag in TXN_ADD_RESPONSES:
                how(rs)
        return etree.tostring(root.getroottree(), xml_declaration=True,
                              encoding="utf-8").decode()

    return rewrite


def as_customer_add(rs):
    rs.tag = "CustomerAddRs"


def without_ret(rs):
    for ret in list(rs):
        rs.remove(ret)


def with_empty_txn_id(rs):
    for txn_id in rs.iter("TxnID"):
        txn_id.text = ""


@pytest.mark.parametrize("forgery", [as_customer_add, without_ret, with_empty_txn_id])
def test_an_answer_that_confirms_nothing_marks_nothing_exported_and_asking_settles_it(
        store, quickbooks, web_connector, forgery):
    # given: QuickBooks adds the transactions, but Web Connector hands back answers of another
    # type (CustomerAddRs for SalesReceiptAddRq), without the …Ret, or with an empty TxnID
    documents = store(6, seed=47, orders_per_request=50, check_duplicates=False)
    qb = quickbooks()
    qb.faults.inject("rewrite_response", rewrite=rewrite_transaction_answers(forgery),
                     times=100)

    # when
    report = web_connector(qb).run_update()

    # then: nothing was marked exported on that answer; the session asked QuickBooks and
    # linked each order to the transaction it really has, once
    assert report.ended_by == SessionEnd.COMPLETED
    assert_exactly_once(qb, documents)
    txn_ids = {t.ref_number: t.txn_id for t in qb.transactions()}
    done = ExportRecord.objects.filter(state=ExportState.DONE)
    assert {r.ref_number: r.txn_id for r in done} == txn_ids
    assert all(r.status_message.startswith("Confirmed in QuickBooks by looking it up")
               for r in done)


@pytest.mark.parametrize("processed", [True, False], ids=["answer-lost", "never-processed"])
def test_web_connector_killed_after_send_request_xml_a_new_run_a_minute_later_goes_at_once(
        store, quickbooks, web_connector, processed):
    # given: Web Connector dies right after sendRequestXML handed it the first write set
    # (QuickBooks had processed it, or never got it); the session stays open
    import re


    documents = store(12, seed=48, orders_per_request=5, check_duplicates=False)
    qb = quickbooks()

    class Killed(Exception):
        pass

    class DiesOnFirstWrite:
        def __getattr__(self, name):
            return getattr(qb, name)

        def process(self, request_xml):
            if not re.search(r"<(Invoice|SalesReceipt|SalesOrder)AddRq", request_xml):
                return qb.process(request_xml)
            if processed:
                qb.process(request_xml)
            raise Killed

    with pytest.raises(Killed):
        web_connector(DiesOnFirstWrite()).run_update()

    # when: a run at once finds the session too fresh to be called dead; one a minute later
    # (no call for 60 s) takes over without waiting for the three-minute timeout
    assert web_connector(qb).run_update().ended_by == SessionEnd.BUSY
    WebConnectorSession.objects.update(last_seen_at=F("last_seen_at") - timedelta(seconds=60))
    report = web_connector(qb).run_update()

    # then: every order in QuickBooks exactly once, to the cent
    assert report.ended_by == SessionEnd.COMPLETED
    assert WebConnectorSession.objects.filter(state="dropped").count() == 1
    assert_exactly_once(qb, documents)
    totals = {t.ref_number: t.total_amount for t in qb.transactions()}
    assert totals == {str(d.number): booked_total(d) for d in documents}
