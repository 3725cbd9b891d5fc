"""SOAP edges: chunked and lying bodies, every encoding a client may send, absurd qbXML answers.

Each is answered (200) or refused as a SOAP fault (text/xml with faultcode and faultstring),
never a traceback in the log, never an HTML page, and nothing a refusal writes.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import socket
from urllib.parse import urlparse
from xml.sax.saxutils import escape

import pytest
from asgiref.sync import async_to_sync
from lxml import etree

from saleor_qb_sync.models import ExportRecord, WebConnectorSession
from saleor_qb_sync.transfers import Actor, queue_orders
from tests.conftest import QBWC_PASSWORD, QBWC_USER
from tests.hostile import row_counts

from .test_soap_service import INTUIT, URL, envelope, fault_string, post, result

pytestmark = pytest.mark.django_db

SIX_MB = 6 * 1024 * 1024


@pytest.fixture
def unchanged(db):
    before = row_counts()
    yield
    assert row_counts() == before


@pytest.fixture
def no_tracebacks(caplog):
    caplog.set_level(logging.WARNING)
    yield
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]


class CountingStream(io.BytesIO):
    """A decoded chunked body as gunicorn hands it over (``wsgi.input``), counting reads."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        piece = super().read(size)
        self.bytes_read += len(piece)
        return piece


def chunked_post(client, body: bytes, method: str = "serverVersion"):
    stream = CountingStream(body)
    response = client.generic("POST", URL, b"", CONTENT_TYPE="text/xml; charset=utf-8",
                              HTTP_SOAPACTION=f'"{INTUIT}{method}"',
                              HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH="",
                              **{"wsgi.input": stream, "wsgi.input_terminated": True})
    return response, stream


# --- bodies ---------------------------------------------------------------------------------


def test_a_chunked_body_from_a_server_that_decodes_it_is_read(client, configure, unchanged):
    # when
    response, _ = chunked_post(client, envelope("serverVersion"))

    # then
    assert response.status_code == 200
    assert result(response, "serverVersion").text.startswith("saleor-qb-sync")


def test_a_6_mb_chunked_body_is_refused_while_reading(client, configure, unchanged):
    # given
    limit = 5 * 1024 * 1024
    body = envelope("authenticate", strUserName="x" * SIX_MB, strPassword="y")

    # when
    response, stream = chunked_post(client, body, "authenticate")

    # then: refused after limit + 1 bytes, not after 6 MB
    assert response.status_code == 413
    assert "larger than" in fault_string(response)
    assert stream.bytes_read == limit + 1


def test_a_chunked_body_through_django_asgi_is_read_and_bounded(configure, unchanged,
                                                                async_client, settings):
    # given: Saleor runs under ASGI, where Django has the whole body in a file
    settings.SALEOR_QB_SYNC_MAX_SOAP_BODY = 10_000

    def send(body):
        return async_to_sync(async_client.post)(
            URL, body, content_type="text/xml; charset=utf-8",
            headers={"Transfer-Encoding": "chunked", "SOAPAction": f'"{INTUIT}serverVersion"'})

    # when
    small = send(envelope("serverVersion"))
    large = send(envelope("serverVersion") + b" " * 20_000)

    # then
    assert small.status_code == 200
    assert result(small, "serverVersion").text.startswith("saleor-qb-sync")
    assert large.status_code == 413


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "0x10"])
def test_a_content_length_that_is_no_number_is_refused_with_400(client, configure, unchanged,
                                                                 length):
    # when
    response = client.generic("POST", URL, envelope("serverVersion"), content_type="text/xml",
                              CONTENT_LENGTH=length)

    # then
    assert response.status_code == 400
    assert "Content-Length" in fault_string(response)


def test_a_content_length_shorter_than_the_body_reads_a_truncated_envelope(client, configure,
                                                                           unchanged):
    # when
    response = client.generic("POST", URL, envelope("serverVersion"), content_type="text/xml",
                              CONTENT_LENGTH="60")

    # then
    assert response.status_code == 500
    assert "not well-formed" in fault_string(response)


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_on_djangos_own_server_gets_411_not_an_empty_read(live_server, configure):
    # given: Django's runserver and live server (wsgiref) never decode chunked bodies
    url = urlparse(live_server.url)
    body = envelope("serverVersion")
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece)
                       for piece in (body[:50], body[50:])) + b"0\r\n\r\n"
    head = (f"POST {URL} HTTP/1.1\r\nHost: {url.hostname}\r\n"
            "Content-Type: text/xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n").encode()

    # when: the server may answer (and close) before it has read the body, so a failed send
    # is not the test's business; the answer is
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head + chunked)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass

    # then
    status_line, _, rest = answer.partition(b"\r\n")
    headers, _, content = rest.partition(b"\r\n\r\n")
    assert status_line.startswith(b"HTTP/1.1 411"), answer[:200]
    assert b"content-type: text/xml" in headers.lower()
    assert "Content-Length" in etree.fromstring(content).findtext(".//faultstring")
    assert not WebConnectorSession.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_content_length_longer_than_the_body_reads_what_came_until_the_client_closes(
        live_server, configure):
    # given
    url = urlparse(live_server.url)
    body = envelope("serverVersion")
    head = (f"POST {URL} HTTP/1.1\r\nHost: {url.hostname}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(body) + 1000}\r\n\r\n").encode()

    # when: the client sends less than it announced, then stops sending
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk

    # then: the envelope is read as sent (it is complete), and answered
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"serverVersionResult" in answer


# --- encodings ------------------------------------------------------------------------------


def authenticate_as(user: str, encoding: str, *, declare: str | None = None,
                    bom: bytes = b"") -> bytes:
    text = envelope("authenticate", strUserName=user, strPassword="wrong").decode()
    text = text.replace('encoding="utf-8"', f'encoding="{declare or encoding}"')
    return bom + text.encode(encoding)


ENCODED = {
    "utf-16-bom": authenticate_as("José", "utf-16"),
    "utf-16le-no-bom": authenticate_as("José", "utf-16-le", declare="utf-16"),
    "utf-16be-no-bom": authenticate_as("José", "utf-16-be", declare="utf-16"),
    "utf-8-bom": authenticate_as("José", "utf-8", bom=b"\xef\xbb\xbf"),
    "latin-1-declared": authenticate_as("José", "latin-1", declare="iso-8859-1"),
    "windows-1252-declared": authenticate_as("José", "cp1252", declare="windows-1252"),
    "utf-32-bom": authenticate_as("José", "utf-32"),
}
CHARSETS = ["utf-8", "utf-16", "iso-8859-1", "x-unknown-charset", None]


@pytest.mark.parametrize("charset", CHARSETS, ids=lambda c: c or "no-charset")
@pytest.mark.parametrize("name", list(ENCODED))
def test_any_encoding_the_envelope_declares_is_read_whatever_the_charset_header_says(
        client, configure, no_tracebacks, name, charset):
    # when
    content_type = f"text/xml; charset={charset}" if charset else "text/xml"
    response = post(client, ENCODED[name], "authenticate", content_type=content_type)

    # then: read as José, refused as a wrong password (the second string says why)
    assert response.status_code == 200, response.content
    strings = [s.text for s in etree.fromstring(response.content).iter(f"{{{INTUIT}}}string")]
    assert strings[1] == "nvu"


@pytest.mark.parametrize("body", [
    authenticate_as("x", "utf-8", declare="x-klingon"),
    authenticate_as("x", "cp500", declare="cp500"),
    authenticate_as("x", "utf-8", declare="utf-16"),
    b"\xef\xbb\xbf" + authenticate_as("x", "utf-16-le", declare="utf-16"),
    authenticate_as("José", "latin-1"),  # declared utf-8, but latin-1 bytes
], ids=["unknown-declared", "ebcdic", "utf-8-declared-utf-16", "bom-contradicts", "bad-bytes"])
def test_an_encoding_that_cannot_be_read_is_a_client_fault_without_a_traceback(
        client, configure, unchanged, no_tracebacks, body):
    # when
    response = post(client, body, "authenticate")

    # then
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.findtext(".//faultcode") == "soap:Client"
    assert root.findtext(".//faultstring")


def test_a_value_its_type_cannot_take_is_a_client_fault_logged_without_a_traceback(
        client, configure, unchanged, no_tracebacks):
    # when
    response = post(client, envelope("sendRequestXML", ticket="t", strHCPResponse="",
                                     strCompanyFileName="", qbXMLCountry="US",
                                     qbXMLMajorVers="9" * 40, qbXMLMinorVers="x"),
                    "sendRequestXML")

    # then
    assert response.status_code == 500
    assert "Client" in etree.fromstring(response.content).findtext(".//faultcode")


# --- QuickBooks' answers inside receiveResponseXML ------------------------------------------


def call(client, method: str, **params: str):
    return post(client, envelope(method, **{k: escape(v) for k, v in params.items()}), method)


def start_session(client, configure, orders, source) -> tuple[str, str]:
    preferences = configure()
    documents = [d for d in orders(3, seed=4) if d.status in preferences.eligible_statuses]
    queue_orders(source, preferences, Actor(user_id="7", email="staff@example.com"),
                 [d.order_id for d in documents])
    answer = call(client, "authenticate", strUserName=QBWC_USER, strPassword=QBWC_PASSWORD)
    ticket = next(etree.fromstring(answer.content).iter(f"{{{INTUIT}}}string")).text
    return ticket, next_request(client, ticket)


def next_request(client, ticket: str) -> str:
    sent = call(client, "sendRequestXML", ticket=ticket, strHCPResponse="", strCompanyFileName="",
                qbXMLCountry="US", qbXMLMajorVers="13", qbXMLMinorVers="0")
    return result(sent, "sendRequestXML").text or ""


def huge(tag: str, value: str):
    return lambda xml: re.sub(f"<{tag}>[^<]*</{tag}>", f"<{tag}>{value}</{tag}>", xml)


def attribute(name: str, value: str):
    return lambda xml: re.sub(f'{name}="[^"]*"', f'{name}="{value}"', xml)


TAMPERED = {
    "txn-id-100-kb": (huge("TxnID", "A" * 100_000), "TxnID of 100000 characters"),
    "list-id-100-kb": (huge("ListID", "8" * 100_000), "ListID of 100000 characters"),
    "edit-sequence-100-kb": (huge("EditSequence", "9" * 100_000), "EditSequence of 100000"),
    "ref-number-100-kb": (huge("RefNumber", "7" * 100_000), "RefNumber of 100000"),
    "full-name-100-kb": (huge("FullName", "N" * 100_000), "FullName of 100000"),
    "status-code-huge": (attribute("statusCode", "9" * 30), "no valid statusCode"),
    "status-code-below-int": (attribute("statusCode", "-99999999999"), "no valid statusCode"),
    "request-id-100-kb": (attribute("requestID", "r" * 100_000), "requestID of 100000"),
    "ret-count-huge": (attribute("retCount", "9" * 14), "retCount out of range"),
}


@pytest.mark.parametrize("name", list(TAMPERED))
def test_an_absurd_quickbooks_answer_gets_a_clear_error_and_minus_one_not_a_fault(
        client, configure, orders, source, quickbooks, no_tracebacks, name):
    # given
    tamper, reason = TAMPERED[name]
    ticket, request = start_session(client, configure, orders, source)
    qb = quickbooks()

    # when: Web Connector relays QuickBooks' answers, the first one that has the field tampered
    for _ in range(5):
        answer = qb.process(request)
        if tamper(answer) != answer:
            received = call(client, "receiveResponseXML", ticket=ticket, response=tamper(answer),
                            hresult="", message="")
            break
        call(client, "receiveResponseXML", ticket=ticket, response=answer, hresult="",
             message="")
        request = next_request(client, ticket)
    else:
        pytest.fail(f"no answer had the field {name} tampers")

    # then
    assert received.status_code == 200
    assert result(received, "receiveResponseXML").text == "-1"
    last_error = result(call(client, "getLastError", ticket=ticket), "getLastError").text
    assert "could not be read" in last_error and reason in last_error
    assert len(last_error) < 500
    assert not ExportRecord.objects.filter(txn_id__startswith="AAAA").exists()


@pytest.mark.parametrize("hresult", ["9" * 100_000, "0x" + "F" * 100_000, "-" + "9" * 40])
def test_an_absurd_hresult_and_message_are_kept_short(client, configure, orders, source,
                                                      no_tracebacks, hresult):
    # given
    ticket, _ = start_session(client, configure, orders, source)

    # when
    received = call(client, "receiveResponseXML", ticket=ticket, response="", hresult=hresult,
                    message="m" * 100_000)
    last_error = result(call(client, "getLastError", ticket=ticket), "getLastError").text

    # then
    assert result(received, "receiveResponseXML").text == "-1"
    assert len(last_error) < 1500
