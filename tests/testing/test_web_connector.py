"""The Web Connector emulator against a scripted SOAP server on loopback.

The server answers hand-written SOAP envelopes (what a correct or broken QBWC endpoint would
send), so these tests pin the emulator's behaviour to the wire, not to our own server code.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import requests
import zeep
from lxml import etree

from saleor_qb_sync.testing import intuit_files
from saleor_qb_sync.testing.web_connector import (
    HRESULT_PARSE_ERROR,
    QB_BEGIN_SESSION,
    QB_PROCESS_REQUEST,
    QB_RESPONSE_LOST,
    QBWC_NOOP_WAIT,
    NotEmulated,
    ProtocolViolation,
    ServerFault,
    ServerUnreachable,
    SessionEnd,
    SessionLimitExceeded,
    WebConnector,
    default_hcp_response,
)

WSDL = intuit_files.wsdl_path()
if WSDL is None:
    pytest.skip(intuit_files.WSDL_HELP, allow_module_level=True)

INTUIT_NS = "http://developer.intuit.com/"
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

TICKET = "6a1c3f0e-5b7d-4f43-9d2e-8f1e2a3b4c5d"
COMPANY_PATH = "C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Outdoor.QBW"

# ---- hand-written SOAP answers ---------------------------------------------------------------

ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
    "<soap:Body>{}</soap:Body></soap:Envelope>"
)


def answer(method: str, value: str | int) -> str:
    """A correct document/literal answer: wrapper and result in Intuit's namespace."""
    return ENVELOPE.format(
        f'<{method}Response xmlns="{INTUIT_NS}">'
        f"<{method}Result>{escape(str(value))}</{method}Result>"
        f"</{method}Response>"
    )


def authenticate_answer(*items: str) -> str:
    strings = "".join(f"<string>{escape(item)}</string>" for item in items)
    return ENVELOPE.format(
        f'<authenticateResponse xmlns="{INTUIT_NS}">'
        f"<authenticateResult>{strings}</authenticateResult>"
        "</authenticateResponse>"
    )


FAULT = ENVELOPE.format(
    "<soap:Fault><faultcode>soap:Server</faultcode>"
    "<faultstring>Server was unable to process request.</faultstring></soap:Fault>"
)
HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>Server Error (500)</title></head>"
    "<body><h1>Server Error (500)</h1></body></html>"
)

INVOICE_ADD_RQ = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>'
    '<QBXML><QBXMLMsgsRq onError="stopOnError"><InvoiceAddRq requestID="{n}"><InvoiceAdd>'
    "<CustomerRef><FullName>Smith &amp; Sons</FullName></CustomerRef><RefNumber>W100{n}</RefNumber>"
    "</InvoiceAdd></InvoiceAddRq></QBXMLMsgsRq></QBXML>"
)
INVOICE_ADD_RS = (
    '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><InvoiceAddRs requestID="1" statusCode="0" '
    'statusSeverity="Info" statusMessage="Status OK"><InvoiceRet><TxnID>1A3F-1714567890</TxnID>'
    "<RefNumber>W1001</RefNumber></InvoiceRet></InvoiceAddRs></QBXMLMsgsRs></QBXML>"
)


# ---- the scripted server ---------------------------------------------------------------------


@dataclass
class Received:
    method: str
    arguments: dict[str, str]
    soap_action: str | None
    content_type: str | None


@dataclass
class ScriptedSoapServer:
    """Answers each SOAP method from a script; the last scripted answer for a method repeats."""

    url: str = ""
    script: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    received: list[Received] = field(default_factory=list)

    def on(self, method: str, *bodies: str, status: int = 200) -> ScriptedSoapServer:
        self.script[method].extend((status, body) for body in bodies)
        return self

    def reply(self, method: str) -> tuple[int, str]:
        queue = self.script.get(method)
        if not queue:
            return 500, FAULT
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def calls(self, method: str) -> list[dict[str, str]]:
        return [r.arguments for r in self.received if r.method == method]

    def normal_session(self, *percentages: int) -> ScriptedSoapServer:
        self.on("serverVersion", answer("serverVersion", "saleor-qb-sync 0.1.0"))
        self.on("clientVersion", answer("clientVersion", ""))
        self.on("authenticate", authenticate_answer(TICKET, ""))
        for n, _ in enumerate(percentages, start=1):
            self.on("sendRequestXML", answer("sendRequestXML", INVOICE_ADD_RQ.format(n=n)))
        self.on("receiveResponseXML", *(answer("receiveResponseXML", p) for p in percentages))
        self.on("getLastError", answer("getLastError", "NoOp"))
        self.on("closeConnection", answer("closeConnection", "OK"))
        return self


def _handler(server: ScriptedSoapServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            envelope = etree.fromstring(body, SAFE_PARSER)
            operation = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]
            method = etree.QName(operation).localname
            arguments = {etree.QName(child).localname: child.text or "" for child in operation}
            server.received.append(
                Received(
                    method,
                    arguments,
                    self.headers.get("SOAPAction"),
                    self.headers.get("Content-Type"),
                )
            )
            status, reply = server.reply(method)
            payload = reply.encode("utf-8")
            self.send_response(status)
            content_type = "text/html" if reply.startswith("<!DOCTYPE") else "text/xml"
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def soap_server() -> Iterator[ScriptedSoapServer]:
    server = ScriptedSoapServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_port}/plugins/global/saleor_qb_sync/qbwc"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()


# ---- the QuickBooks side ---------------------------------------------------------------------


class FakeQuickBooksError(Exception):
    def __init__(self, hresult: str, message: str) -> None:
        super().__init__(f"{hresult}: {message}")
        self.hresult = hresult
        self.message = message


class ResponseLost(Exception):
    """Same name as the simulator's: the emulator recognises it by name."""


class FakeQuickBooks:
    def __init__(self, *outcomes: str | Exception) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[str] = []

    def process(self, request_xml: str) -> str:
        self.requests.append(request_xml)
        outcome = self.outcomes.pop(0) if self.outcomes else INVOICE_ADD_RS
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@dataclass
class SleepRecorder:
    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def web_connector(
    soap_server: ScriptedSoapServer, sleeps: SleepRecorder
) -> Callable[..., WebConnector]:
    def make(quickbooks: object | None = None, **options: object) -> WebConnector:
        session = requests.Session()
        session.trust_env = False
        options.setdefault("transport", zeep.Transport(session=session, operation_timeout=10))
        return WebConnector(
            soap_server.url,
            "saleor",
            "s3cret",
            quickbooks if quickbooks is not None else FakeQuickBooks(),
            wsdl=WSDL,
            sleep=sleeps,
            **options,
        )

    return make


# ---- a normal session ------------------------------------------------------------------------


def test_a_normal_session_calls_the_callbacks_in_qbwc_order(soap_server, web_connector):
    # given
    soap_server.normal_session(50, 100)
    quickbooks = FakeQuickBooks()

    # when
    report = web_connector(quickbooks).run_update()

    # then
    assert report.calls == [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "receiveResponseXML",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert [r.method for r in soap_server.received] == report.calls
    assert report.round_trips == 2
    assert report.percentages == [50, 100]
    assert report.last_percentage == 100
    assert report.close_message == "OK"
    assert report.ended_by is SessionEnd.COMPLETED
    assert report.requests_sent == [INVOICE_ADD_RQ.format(n=1), INVOICE_ADD_RQ.format(n=2)]
    assert quickbooks.requests == report.requests_sent
    assert report.events.count(QB_PROCESS_REQUEST) == 2
    assert report.server_version == "saleor-qb-sync 0.1.0"
    assert report.elapsed_seconds > 0


def test_quickbooks_is_told_when_the_session_ends_so_its_iterators_die_with_it(
        soap_server, web_connector):
    # given
    soap_server.normal_session(50, 100)

    class EndsSessions(FakeQuickBooks):
        ended = 0

        def end_session(self) -> None:
            self.ended += 1

    quickbooks = EndsSessions()

    # when
    web_connector(quickbooks).run_update()

    # then: once, after the last request
    assert quickbooks.ended == 1
    assert len(quickbooks.requests) == 2


def test_every_call_carries_the_parameters_qbwc_sends(soap_server, web_connector):
    # given
    soap_server.normal_session(100)

    # when
    web_connector(qbxml_version=(13, 0), country="US").run_update()

    # then
    assert soap_server.calls("serverVersion") == [{}]
    assert soap_server.calls("clientVersion") == [{"strVersion": "2.3.0.215"}]
    assert soap_server.calls("authenticate") == [{"strUserName": "saleor", "strPassword": "s3cret"}]
    (send,) = soap_server.calls("sendRequestXML")
    assert send["ticket"] == TICKET
    assert send["strCompanyFileName"] == "C:\\Accounting\\Company.QBW"
    assert (send["qbXMLCountry"], send["qbXMLMajorVers"], send["qbXMLMinorVers"]) == (
        "US",
        "13",
        "0",
    )
    assert soap_server.calls("receiveResponseXML") == [
        {"ticket": TICKET, "response": INVOICE_ADD_RS, "hresult": "", "message": ""}
    ]
    assert soap_server.calls("closeConnection") == [{"ticket": TICKET}]


def test_requests_are_soap_11_with_intuit_soap_actions(soap_server, web_connector):
    # given
    soap_server.normal_session(100)

    # when
    web_connector().run_update()

    # then
    for received in soap_server.received:
        assert received.soap_action == f'"http://developer.intuit.com/{received.method}"'
        assert received.content_type.startswith("text/xml")


def test_only_the_first_send_request_carries_the_host_company_preferences_response(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(50, 100)

    # when
    report = web_connector().run_update()

    # then
    first, second = soap_server.calls("sendRequestXML")
    assert first["strHCPResponse"] == report.hcp_response
    hcp = etree.fromstring(first["strHCPResponse"].encode(), SAFE_PARSER)
    assert [rs.tag for rs in hcp.find("QBXMLMsgsRs")] == [
        "HostQueryRs",
        "CompanyQueryRs",
        "PreferencesQueryRs",
    ]
    assert hcp.findall(".//SupportedQBXMLVersion")[-1].text == "13.0"
    assert second["strHCPResponse"] == ""


def test_quickbooks_can_supply_its_own_host_company_preferences_response(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    quickbooks = FakeQuickBooks()
    quickbooks.host_company_preferences = lambda: "<QBXML><QBXMLMsgsRs/></QBXML>"

    # when
    web_connector(quickbooks).run_update()

    # then
    assert soap_server.calls("sendRequestXML")[0]["strHCPResponse"] == (
        "<QBXML><QBXMLMsgsRs/></QBXML>"
    )


@pytest.mark.schema
def test_the_default_host_company_preferences_response_is_valid_qbxml_13():
    # given
    schema_dir = intuit_files.schema_dir_or_skip()
    schema = etree.XMLSchema(etree.parse(str(Path(schema_dir) / "qbxmlops130.xsd")))

    # when
    document = etree.fromstring(default_hcp_response((13, 0)).encode(), SAFE_PARSER)

    # then
    assert schema.validate(document), schema.error_log


def test_qbxml_markup_survives_the_soap_round_trip_in_both_directions(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    response_with_markup = INVOICE_ADD_RS.replace("W1001", "A&lt;B &amp; C")
    quickbooks = FakeQuickBooks(response_with_markup)

    # when
    web_connector(quickbooks).run_update()

    # then
    assert quickbooks.requests == [INVOICE_ADD_RQ.format(n=1)]
    assert soap_server.calls("receiveResponseXML")[0]["response"] == response_with_markup


# ---- clientVersion ---------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", ["E:Please upgrade QBWC", "O:2.3.0.36"])
def test_a_client_version_refusal_stops_before_authenticate(soap_server, web_connector, refusal):
    # given
    soap_server.normal_session(100)
    soap_server.script["clientVersion"] = [(200, answer("clientVersion", refusal))]

    # when
    report = web_connector().run_update()

    # then
    assert report.calls == ["serverVersion", "clientVersion"]
    assert report.ended_by is SessionEnd.CLIENT_VERSION_REJECTED
    assert report.client_version_answer == refusal


def test_a_client_version_warning_lets_the_update_continue(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["clientVersion"] = [(200, answer("clientVersion", "W:Old build"))]

    # when
    report = web_connector().run_update()

    # then
    assert report.ended_by is SessionEnd.COMPLETED
    assert "authenticate" in report.calls


# ---- authenticate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "ended_by"),
    [
        ("none", SessionEnd.NO_WORK),
        ("NONE", SessionEnd.NO_WORK),
        ("nvu", SessionEnd.INVALID_USER),
        ("busy", SessionEnd.BUSY),
    ],
)
def test_authenticate_without_a_session_ends_the_update_with_no_further_calls(
    soap_server, web_connector, status, ended_by
):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer("", status))]
    quickbooks = FakeQuickBooks()

    # when
    report = web_connector(quickbooks).run_update()

    # then
    assert report.calls == ["serverVersion", "clientVersion", "authenticate"]
    assert report.ended_by is ended_by
    assert report.authenticate.status == status
    assert quickbooks.requests == []
    assert QB_BEGIN_SESSION not in report.events


def test_authenticate_none_closes_the_connection_when_emulating_that_reading(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer("t-0", "none"))]

    # when
    report = web_connector(close_after_none=True).run_update()

    # then
    assert report.calls[-1] == "closeConnection"
    assert soap_server.calls("closeConnection") == [{"ticket": "t-0"}]


def test_authenticate_with_a_company_path_opens_that_file(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer(TICKET, COMPANY_PATH))]

    # when
    report = web_connector().run_update()

    # then
    assert report.company_file == COMPANY_PATH
    assert report.authenticate.company_file == COMPANY_PATH
    assert soap_server.calls("sendRequestXML")[0]["strCompanyFileName"] == COMPANY_PATH


def test_authenticate_with_an_empty_status_uses_the_company_file_that_is_open(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    open_file = "D:\\Books\\Open Company.QBW"

    # when
    report = web_connector(company_file=open_file).run_update()

    # then
    assert report.authenticate.status == ""
    assert report.authenticate.company_file is None
    assert soap_server.calls("sendRequestXML")[0]["strCompanyFileName"] == open_file


def test_authenticate_wait_and_run_every_elements_are_recorded(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer(TICKET, "", "300", "600"))]

    # when
    report = web_connector().run_update()

    # then
    assert report.authenticate.postpone_seconds == 300
    assert report.authenticate.min_run_every_seconds == 600


def test_authenticate_with_an_empty_second_element_written_as_a_self_closing_tag_is_accepted(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [
        (
            200,
            ENVELOPE.format(
                f'<authenticateResponse xmlns="{INTUIT_NS}"><authenticateResult>'
                f"<string>{TICKET}</string><string/></authenticateResult></authenticateResponse>"
            ),
        )
    ]

    # when
    report = web_connector().run_update()

    # then
    assert report.authenticate.raw == (TICKET, "")
    assert report.ended_by is SessionEnd.COMPLETED


@pytest.mark.parametrize("items", [(TICKET,), ()])
def test_authenticate_with_fewer_than_two_elements_is_a_protocol_violation(
    soap_server, web_connector, items
):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer(*items))]

    # when
    with pytest.raises(ProtocolViolation, match="at least two") as raised:
        web_connector().run_update()

    # then
    assert raised.value.report.calls == ["serverVersion", "clientVersion", "authenticate"]


def test_a_non_numeric_postpone_element_is_a_protocol_violation(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer(TICKET, "", "soon"))]

    # when / then
    with pytest.raises(ProtocolViolation, match="seconds"):
        web_connector().run_update()


def test_an_empty_ticket_with_work_to_do_is_a_protocol_violation(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(200, authenticate_answer("", ""))]

    # when / then
    with pytest.raises(ProtocolViolation, match="empty ticket"):
        web_connector().run_update()


# ---- answers QBWC could not use --------------------------------------------------------------


def test_an_html_error_page_instead_of_a_soap_envelope_is_a_protocol_violation(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [(500, HTML_ERROR_PAGE)]

    # when
    with pytest.raises(ProtocolViolation, match="authenticate") as raised:
        web_connector().run_update()

    # then
    assert raised.value.report.transcript[-1].method == "authenticate"
    assert raised.value.report.transcript[-1].error


def test_a_well_formed_html_page_is_still_not_a_soap_envelope(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["serverVersion"] = [(200, "<html><body><p>It works</p></body></html>")]

    # when / then
    with pytest.raises(ProtocolViolation, match="not a SOAP 1.1 envelope"):
        web_connector().run_update()


def test_result_elements_outside_intuits_namespace_are_a_protocol_violation(
    soap_server, web_connector
):
    # given: the classic serializer bug, an unqualified child under a qualified wrapper
    soap_server.normal_session(100)
    soap_server.script["authenticate"] = [
        (
            200,
            ENVELOPE.format(
                f'<tns:authenticateResponse xmlns:tns="{INTUIT_NS}"><authenticateResult>'
                f"<string>{TICKET}</string><string></string>"
                "</authenticateResult></tns:authenticateResponse>"
            ),
        )
    ]

    # when / then
    with pytest.raises(ProtocolViolation, match="elementFormDefault"):
        web_connector().run_update()


def test_a_response_wrapper_for_another_operation_is_a_protocol_violation(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    soap_server.script["clientVersion"] = [(200, answer("serverVersion", ""))]

    # when / then
    with pytest.raises(ProtocolViolation, match="clientVersionResponse"):
        web_connector().run_update()


def test_a_percentage_above_100_is_a_protocol_violation(soap_server, web_connector):
    # given
    soap_server.normal_session(150)

    # when
    with pytest.raises(ProtocolViolation, match="150") as raised:
        web_connector().run_update()

    # then
    assert raised.value.report.calls[-1] == "receiveResponseXML"


@pytest.mark.parametrize("value", ["fifty", ""])
def test_a_percentage_that_is_not_an_integer_is_a_protocol_violation(
    soap_server, web_connector, value
):
    # given
    soap_server.normal_session(100)
    soap_server.script["receiveResponseXML"] = [(200, answer("receiveResponseXML", value))]

    # when / then
    with pytest.raises(ProtocolViolation, match="int"):
        web_connector().run_update()


def test_a_missing_percentage_is_a_protocol_violation(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["receiveResponseXML"] = [
        (200, ENVELOPE.format(f'<receiveResponseXMLResponse xmlns="{INTUIT_NS}"/>'))
    ]

    # when / then
    with pytest.raises(ProtocolViolation, match="minOccurs=1"):
        web_connector().run_update()


def test_a_soap_fault_is_reported_as_a_server_fault(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["sendRequestXML"] = [(500, FAULT)]

    # when
    with pytest.raises(ServerFault, match="unable to process") as raised:
        web_connector().run_update()

    # then
    assert raised.value.method == "sendRequestXML"


def test_an_unreachable_server_is_reported_as_such(sleeps):
    # given: a loopback port nobody listens on
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = httpd.server_port
    httpd.server_close()
    connector = WebConnector(
        f"http://127.0.0.1:{port}/qbwc", "saleor", "s3cret", FakeQuickBooks(), wsdl=WSDL
    )

    # when / then
    with pytest.raises(ServerUnreachable):
        connector.run_update()


def test_a_server_outside_loopback_is_refused():
    # when / then
    with pytest.raises(ValueError, match="non-loopback"):
        WebConnector("https://qb.example.com/qbwc", "saleor", "s3cret", FakeQuickBooks(), wsdl=WSDL)


# ---- sendRequestXML "" and getLastError --------------------------------------------------------


def test_an_empty_request_and_noop_make_qbwc_wait_and_ask_again(soap_server, web_connector, sleeps):
    # given
    soap_server.normal_session(100)
    soap_server.script["sendRequestXML"] = [
        (200, answer("sendRequestXML", "")),
        (200, answer("sendRequestXML", INVOICE_ADD_RQ.format(n=1))),
    ]

    # when
    report = web_connector().run_update()

    # then
    assert report.calls == [
        "serverVersion",
        "clientVersion",
        "authenticate",
        "sendRequestXML",
        "getLastError",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert QBWC_NOOP_WAIT in report.events
    assert sleeps.seconds == [5.0]
    assert report.noop_waits == 1
    assert report.ended_by is SessionEnd.COMPLETED


def test_noop_waits_are_capped(soap_server, web_connector, sleeps):
    # given
    soap_server.normal_session(100)
    soap_server.script["sendRequestXML"] = [(200, answer("sendRequestXML", ""))]

    # when
    with pytest.raises(SessionLimitExceeded, match="NoOp"):
        web_connector(max_noop_waits=3, noop_wait_seconds=0.5).run_update()

    # then
    assert sleeps.seconds == [0.5, 0.5, 0.5]


def test_an_empty_request_and_an_error_message_close_the_connection(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["sendRequestXML"] = [(200, answer("sendRequestXML", ""))]
    soap_server.script["getLastError"] = [(200, answer("getLastError", "Queue is locked"))]

    # when
    report = web_connector().run_update()

    # then
    assert report.calls[-3:] == ["sendRequestXML", "getLastError", "closeConnection"]
    assert report.errors == ["Queue is locked"]
    assert report.ended_by is SessionEnd.STOPPED_ON_ERROR
    assert report.round_trips == 0


def test_interactive_mode_is_not_emulated(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.script["sendRequestXML"] = [(200, answer("sendRequestXML", ""))]
    soap_server.script["getLastError"] = [(200, answer("getLastError", "Interactive mode"))]

    # when / then
    with pytest.raises(NotEmulated):
        web_connector().run_update()


def test_a_negative_percentage_asks_for_the_last_error_then_closes(soap_server, web_connector):
    # given
    soap_server.normal_session(-101)
    soap_server.script["getLastError"] = [(200, answer("getLastError", "Order W1001 failed"))]

    # when
    report = web_connector().run_update()

    # then
    assert report.calls[-3:] == ["receiveResponseXML", "getLastError", "closeConnection"]
    assert report.errors == ["Order W1001 failed"]
    assert report.last_percentage == -101
    assert report.ended_by is SessionEnd.STOPPED_ON_ERROR


# ---- the QuickBooks side ---------------------------------------------------------------------


def test_a_quickbooks_error_reaches_receive_response_xml_as_hresult_and_message(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(50, 100)
    quickbooks = FakeQuickBooks(
        FakeQuickBooksError("0x80040401", "Could not access QuickBooks."), INVOICE_ADD_RS
    )

    # when
    report = web_connector(quickbooks).run_update()

    # then
    first, second = soap_server.calls("receiveResponseXML")
    assert first == {
        "ticket": TICKET,
        "response": "",
        "hresult": "0x80040401",
        "message": "Could not access QuickBooks.",
    }
    assert second["response"] == INVOICE_ADD_RS and second["hresult"] == ""
    assert report.hresults == [("0x80040401", "Could not access QuickBooks.")]
    assert report.ended_by is SessionEnd.COMPLETED


def test_strict_mode_raises_when_quickbooks_cannot_parse_a_request(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    parse_error = FakeQuickBooksError(
        HRESULT_PARSE_ERROR, "QuickBooks found an error when parsing the provided XML text stream."
    )

    # when
    with pytest.raises(ProtocolViolation, match="could not parse request #1") as raised:
        web_connector(FakeQuickBooks(parse_error), strict=True).run_update()

    # then
    assert "receiveResponseXML" not in raised.value.report.calls


def test_a_lost_response_ends_the_session_without_receive_response_or_close(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(50, 100)

    # when
    report = web_connector(FakeQuickBooks(ResponseLost())).run_update()

    # then
    assert report.calls == ["serverVersion", "clientVersion", "authenticate", "sendRequestXML"]
    assert report.events[-1] == QB_RESPONSE_LOST
    assert report.ended_by is SessionEnd.RESPONSE_LOST
    assert report.requests_sent == [INVOICE_ADD_RQ.format(n=1)]
    assert report.round_trips == 0


def test_a_lost_response_is_also_recognised_by_its_response_lost_attribute(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    lost = RuntimeError("QBWC crashed")
    lost.response_lost = True

    # when
    report = web_connector(FakeQuickBooks(lost)).run_update()

    # then
    assert report.ended_by is SessionEnd.RESPONSE_LOST
    assert "receiveResponseXML" not in report.calls


def test_the_round_trip_cap_stops_a_server_that_never_finishes(soap_server, web_connector):
    # given: a server stuck at 50 %
    soap_server.normal_session(50)

    # when
    with pytest.raises(SessionLimitExceeded, match="3 round trips") as raised:
        web_connector(max_round_trips=3).run_update()

    # then
    assert raised.value.report.round_trips == 3
    assert raised.value.report.calls.count("sendRequestXML") == 3


# ---- connectionError -------------------------------------------------------------------------


def test_quickbooks_that_cannot_be_opened_calls_connection_error_and_done_ends_the_update(
    soap_server, web_connector
):
    # given
    soap_server.normal_session(100)
    soap_server.on("connectionError", answer("connectionError", "done"))
    failure = ("0x80040408", "Could not start QuickBooks.")

    # when
    report = web_connector(open_company_fails_with=failure).run_update()

    # then
    assert report.calls == ["serverVersion", "clientVersion", "authenticate", "connectionError"]
    assert soap_server.calls("connectionError") == [
        {"ticket": TICKET, "hresult": "0x80040408", "message": "Could not start QuickBooks."}
    ]
    assert report.ended_by is SessionEnd.CONNECTION_ERROR_DONE
    assert report.hresults == [failure]


def test_connection_error_answering_a_path_retries_with_that_file(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.on("connectionError", answer("connectionError", COMPANY_PATH))
    failure = ("0x80040416", "If QuickBooks is not running, the company data file name …")

    # when
    report = web_connector(open_company_fails_with=[failure, None]).run_update()

    # then
    assert report.calls[3:] == [
        "connectionError",
        "sendRequestXML",
        "receiveResponseXML",
        "closeConnection",
    ]
    assert report.events.count(QB_BEGIN_SESSION) == 2
    assert soap_server.calls("sendRequestXML")[0]["strCompanyFileName"] == COMPANY_PATH


def test_connection_error_retries_are_capped(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    soap_server.on("connectionError", answer("connectionError", ""))

    # when
    with pytest.raises(SessionLimitExceeded, match="retry") as raised:
        web_connector(
            open_company_fails_with=("0x80040401", "Could not access QuickBooks."),
            max_connection_retries=2,
        ).run_update()

    # then
    assert raised.value.report.calls.count("connectionError") == 3


def test_the_qbxml_version_quickbooks_reports_is_what_qbwc_passes_on(soap_server, web_connector):
    # given
    soap_server.normal_session(100)
    quickbooks = FakeQuickBooks()
    quickbooks.max_qbxml_version = (16, 0)

    # when
    report = web_connector(quickbooks).run_update()

    # then
    send = soap_server.calls("sendRequestXML")[0]
    assert (send["qbXMLMajorVers"], send["qbXMLMinorVers"]) == ("16", "0")
    hcp = etree.fromstring(report.hcp_response.encode(), SAFE_PARSER)
    assert hcp.findall(".//SupportedQBXMLVersion")[-1].text == "16.0"
