"""Drive the ``Engine`` directly, as Web Connector would, without SOAP: what each message set
asked, what each callback cost in SQL statements, and the percentages it answered."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from saleor_qb_sync.qbwc.callbacks import Engine
from saleor_qb_sync.testing.qb_simulator import QuickBooksError

from ..conftest import QBWC_PASSWORD, QBWC_USER


@dataclass
class Run:
    #: each message set we sent, as the list of its request names (``InvoiceAddRq``…)
    sets: list[list[str]] = field(default_factory=list)
    #: the qbXML of each set
    xml: list[str] = field(default_factory=list)
    #: SQL statements of each round trip (sendRequestXML + receiveResponseXML)
    statements: list[int] = field(default_factory=list)
    percents: list[int] = field(default_factory=list)
    #: what authenticate answered when there was no ticket ("none", "busy", "nvu")
    refused: str = ""
    closed: str = ""

    @property
    def round_trips(self) -> int:
        return len(self.sets)


def request_names(xml: str) -> list[str]:
    messages = etree.fromstring(xml.encode("utf-8")).find("QBXMLMsgsRq")
    return [request.tag for request in messages]


def drive(preferences, source, quickbooks, *, limit: int = 500) -> Run:
    run = Run()
    engine = Engine(preferences, source)
    ticket, answer = engine.authenticate(QBWC_USER, QBWC_PASSWORD, "198.51.100.7")
    if not ticket:
        run.refused = answer
        return run
    hcp = quickbooks.hcp_response()
    for _ in range(limit):
        with CaptureQueriesContext(connection) as queries:
            xml = engine.send_request_xml(ticket, hcp, "C:\\Company.QBW", "US", 13, 0)
            hcp = ""
            if not xml:
                break
            run.sets.append(request_names(xml))
            run.xml.append(xml)
            try:
                response, hresult, message = quickbooks.process(xml), "", ""
            except QuickBooksError as exc:
                response, hresult, message = "", exc.hresult, exc.message
            percent = engine.receive_response_xml(ticket, response, hresult, message)
        run.statements.append(len(queries))
        run.percents.append(percent)
        if percent >= 100 or percent < 0:
            break
    run.closed = engine.close_connection(ticket)
    return run
