"""``soap_view`` and the spyne contract, unit by unit, with a stand-in engine.

The SOAP endpoint's behaviour through the live routes (WSDL, hostile bodies, encodings, real
``Engine`` sessions) is in ``test_soap_service.py`` and ``test_soap_hardening.py``; here each
call is checked to reach the engine with Intuit's parameters, and refused requests to never
build one.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.test import RequestFactory
from lxml import etree

from saleor_qb_sync.qbwc.service import (
    PLAIN_GET_BODY,
    QBWC_NAMESPACE,
    BodyRefused,
    read_body,
    soap_fault,
    soap_view,
)

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def envelope(method: str, **params: str) -> bytes:
    body = "".join(f"<{k}>{v}</{k}>" for k, v in params.items())
    return (f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>'
            f'<{method} xmlns="{QBWC_NAMESPACE}">{body}</{method}></soap:Body>'
            "</soap:Envelope>").encode()


class StandInEngine:
    """Answers every call with its name and remembers the arguments."""

    def __init__(self, calls: list) -> None:
        self.calls = calls

    def __getattr__(self, name):
        def call(*args):
            self.calls.append((name, args))
            if name == "authenticate":
                return ["ticket-1", ""]
            return 7 if name == "receive_response_xml" else f"{name} answered"

        return call


@pytest.fixture
def engines():
    """An engine factory that counts how many engines it built and records their calls."""

    class Factory:
        built = 0
        calls: list = []

        def __call__(self):
            Factory.built += 1
            return StandInEngine(Factory.calls)

    Factory.calls = []
    return Factory()


@pytest.fixture
def post():
    factory = RequestFactory()

    def send(body: bytes, *, content_type="text/xml; charset=utf-8", **extra):
        return factory.post("/qbwc", body, content_type=content_type, **extra)

    return send


def result(response, method: str) -> etree._Element:
    root = etree.fromstring(response.content)
    return root.find(f"{{{SOAP_ENV}}}Body/{{{QBWC_NAMESPACE}}}{method}Response/"
                     f"{{{QBWC_NAMESPACE}}}{method}Result")


def fault(response) -> tuple[str, str]:
    node = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert node is not None, response.content
    return node.findtext("faultcode"), node.findtext("faultstring")


@pytest.mark.parametrize(("method", "params", "engine_call", "answer"), [
    ("serverVersion", {}, ("server_version", ()), "server_version answered"),
    ("clientVersion", {"strVersion": "2.3.0.215"},
     ("client_version", ("2.3.0.215",)), "client_version answered"),
    ("sendRequestXML", {"ticket": "t", "strHCPResponse": "<hcp/>".replace("<", "&lt;"),
                        "strCompanyFileName": r"C:\Co.QBW", "qbXMLCountry": "US",
                        "qbXMLMajorVers": "13", "qbXMLMinorVers": "0"},
     ("send_request_xml", ("t", "<hcp/>", r"C:\Co.QBW", "US", 13, 0)),
     "send_request_xml answered"),
    ("receiveResponseXML", {"ticket": "t", "response": "r", "hresult": "0x8004", "message": "m"},
     ("receive_response_xml", ("t", "r", "0x8004", "m")), "7"),
    ("connectionError", {"ticket": "t", "hresult": "0x1", "message": "m"},
     ("connection_error", ("t", "0x1", "m")), "connection_error answered"),
    ("getLastError", {"ticket": "t"}, ("get_last_error", ("t",)), "get_last_error answered"),
    ("closeConnection", {"ticket": "t"}, ("close_connection", ("t",)),
     "close_connection answered"),
])
def test_each_call_reaches_the_engine_with_intuits_parameters_typed(post, engines, method,
                                                                    params, engine_call,
                                                                    answer):
    # when
    response = soap_view(post(envelope(method, **params)), engines)

    # then
    assert response.status_code == 200
    assert result(response, method).text == answer
    assert engines.calls == [engine_call]


def test_authenticate_answers_an_array_of_strings_and_passes_the_callers_address(post, engines):
    # when
    response = soap_view(post(envelope("authenticate", strUserName="qb", strPassword="pw"),
                              REMOTE_ADDR="203.0.113.7"), engines)

    # then
    strings = result(response, "authenticate").findall(f"{{{QBWC_NAMESPACE}}}string")
    assert [s.text for s in strings] == ["ticket-1", None]
    assert engines.calls == [("authenticate", ("qb", "pw", "203.0.113.7"))]


def test_each_call_gets_an_engine_of_its_own(post, engines):
    # when
    for _ in range(3):
        soap_view(post(envelope("serverVersion")), engines)

    # then
    assert engines.built == 3


@pytest.mark.parametrize(("make_request", "status"), [
    (lambda rf: rf.get("/qbwc"), 200),
    (lambda rf: rf.head("/qbwc"), 200),
    (lambda rf: rf.put("/qbwc", envelope("serverVersion"), content_type="text/xml"), 405),
    (lambda rf: rf.post("/qbwc", envelope("serverVersion"), content_type="application/json"),
     415),
    (lambda rf: rf.post("/qbwc", b"<not xml", content_type="text/xml"), 500),
    (lambda rf: rf.post("/qbwc", b'<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>',
                        content_type="text/xml"), 500),
    (lambda rf: rf.post("/qbwc", f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body/>'
                        "</soap:Envelope>".encode(), content_type="text/xml"), 500),
])
def test_requests_refused_or_answered_before_the_contract_never_build_an_engine(
        engines, make_request, status):
    # when
    response = soap_view(make_request(RequestFactory()), engines)

    # then
    assert response.status_code == status
    assert engines.built == 0


def test_a_plain_get_says_what_the_endpoint_is(engines):
    # when
    response = soap_view(RequestFactory().get("/qbwc"), engines)

    # then
    assert response.content.decode() == PLAIN_GET_BODY
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_body_over_the_configured_limit_is_refused_with_413(post, engines, settings):
    # given
    settings.SALEOR_QB_SYNC_MAX_SOAP_BODY = 100
    body = envelope("getLastError", ticket="t" * 200)

    # when
    response = soap_view(post(body), engines)

    # then
    assert response.status_code == 413
    assert fault(response) == ("soap:Client", "The message is larger than 100 bytes.")
    assert engines.built == 0


def test_an_engine_that_fails_is_a_server_fault_and_logged(post, caplog):
    # given
    class Failing:
        def get_last_error(self, ticket):
            raise RuntimeError("the database went away")

    # when
    with caplog.at_level(logging.ERROR, logger="saleor_qb_sync.qbwc.service"):
        response = soap_view(post(envelope("getLastError", ticket="t")), Failing)

    # then: the caller learns nothing of the cause; the log has it
    assert response.status_code == 500
    code, message = fault(response)
    assert code.endswith(":Server")
    assert b"database" not in response.content
    assert [r.levelname for r in caplog.records
            if r.getMessage() == "QBWC call getLastError failed"] == ["ERROR"]
    assert "RuntimeError: the database went away" in caplog.text


def test_settings_that_cannot_be_read_are_a_soap_fault_not_an_html_page(post, caplog):
    # given: the host cannot build an engine (its stored preferences are unreadable)
    def unreadable():
        raise ValueError("orders_per_request: 'lots' is not a number")

    # when
    with caplog.at_level(logging.ERROR, logger="saleor_qb_sync.qbwc.service"):
        response = soap_view(post(envelope("authenticate", strUserName="u", strPassword="p")),
                             unreadable)

    # then
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/xml")
    code, message = fault(response)
    assert code.endswith(":Server") and "settings" in message
    assert b"lots" not in response.content
    assert "orders_per_request" in caplog.text


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_total = 0

    def read(self, size=-1):
        piece = super().read(size)
        self.read_total += len(piece)
        return piece


def test_a_body_of_exactly_the_limit_is_read_whole():
    # given
    request = RequestFactory().post("/qbwc", b"x" * 100, content_type="text/xml")

    # when / then
    assert read_body(request, 100) == b"x" * 100


def test_a_chunked_body_is_read_no_further_than_one_byte_past_the_limit():
    # given: a WSGI server that decodes chunks (wsgi.input_terminated)
    stream = CountingStream(b"x" * 10_000)
    request = RequestFactory().post("/qbwc", b"", content_type="text/xml",
                                    HTTP_TRANSFER_ENCODING="chunked")
    request.environ["wsgi.input"] = stream
    request.environ["wsgi.input_terminated"] = True

    # when
    with pytest.raises(BodyRefused) as caught:
        read_body(request, 100)

    # then
    assert caught.value.status == 413
    assert stream.read_total == 101


@pytest.mark.parametrize(("meta", "status"), [
    ({"HTTP_TRANSFER_ENCODING": "chunked"}, 411),
    ({"CONTENT_LENGTH": "12abc"}, 400),
    ({"CONTENT_LENGTH": "101"}, 413),
])
def test_a_body_that_cannot_be_read_safely_is_refused_with_its_status(meta, status):
    # given
    request = RequestFactory().post("/qbwc", b"x", content_type="text/xml")
    request.META.update(meta)

    # when / then
    with pytest.raises(BodyRefused) as caught:
        read_body(request, 100)
    assert caught.value.status == status


def test_a_fault_escapes_its_message():
    # when
    response = soap_fault('Not "<xml>" & such', status=415)

    # then
    assert response.status_code == 415
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert fault(response) == ("soap:Client", 'Not "<xml>" & such')
