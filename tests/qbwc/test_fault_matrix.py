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
    for _ in range(2):
        qb.faults.inject("lose_response", on_call=2)
        assert web_connector(qb).run_update().ended_by == SessionEnd.RESPONSE_LOST
        next_scheduled_run()
    final = web_connector(qb).run_update()

    # then
    assert final.ended_by == SessionEnd.COMPLETED
    assert_exactly_once(qb, documents)


def test_an_answer_quickbooks_cannot_confirm_waits_for_the_next_session_without_looping(
        store, quickbooks, web_connector):
    # given: an answer was lost, and QuickBooks then answers every reconciling look-up with
    # "record in use" (3170), which confirms nothing either way
    from lxml import etree

    documents = store(3, seed=46, orders_per_request=50, check_duplicates=False)
    qb = quickbooks()
    qb.faults.inject("lose_response", on_call=2)
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
