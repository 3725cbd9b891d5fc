"""The SOAP hostile-input corpus: templates × payloads (``tests/hostile.py``), and slow clients.

Every case must be answered as SOAP (text/xml; a fault with faultcode and faultstring unless
it is a 200 answer), with a status from a short list, no traceback logged, and no table of
ours changed. Calls are ones that write nothing when refused (clientVersion, getLastError,
closeConnection with unknown tickets); authenticate records attempts, so it is not a template.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from urllib.parse import urlparse
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from tests.hostile import BILLION_LAUGHS, RAW_BODIES, TEXT_PAYLOADS, XXE, is_html, row_counts

from .test_soap_service import INTUIT, SOAP_ENV, URL, envelope

pytestmark = pytest.mark.django_db

ALLOWED_STATUSES = {200, 400, 405, 411, 413, 415, 500}


def soap(method: str, **params: str) -> bytes:
    """``envelope``, but a lone surrogate stays in the bytes (invalid UTF-8, as sent)."""
    body = "".join(f"<{k}>{v}</{k}>" for k, v in params.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}">'
            f'<soap:Body><{method} xmlns="{INTUIT}">{body}</{method}></soap:Body>'
            "</soap:Envelope>").encode("utf-8", "surrogatepass")


def wrap(inner: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}">'
            f"<soap:Body>{inner}</soap:Body></soap:Envelope>").encode()


#: template → body builder from a text payload
TEMPLATES = {
    "client-version": lambda t: soap("clientVersion", strVersion=escape(t)),
    "last-error-ticket": lambda t: soap("getLastError", ticket=escape(t)),
    "close-ticket": lambda t: soap("closeConnection", ticket=escape(t)),
    "unescaped-element": lambda t: soap("clientVersion", strVersion=t),
    "method-name": lambda t: envelope("x" + "".join(c for c in t if c.isalnum())[:200]),
    "before-envelope": lambda t: t.encode("utf-8", "surrogatepass") + envelope("serverVersion"),
}
HOSTILE_XML = {
    "billion-laughs": BILLION_LAUGHS.encode(),
    "xxe": XXE.encode(),
    "external-dtd": b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd"><r/>',
    "parameter-entity": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM '
                         b'"file:///etc/passwd"> %p;]><r/>'),
    "lowercase-doctype": b'<?xml version="1.0"?><!doctype r [<!entity x "y">]><r>&x;</r>',
    "xinclude": wrap('<clientVersion xmlns="http://developer.intuit.com/"><strVersion>'
                     '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                     'href="file:///etc/passwd" parse="text"/></strVersion></clientVersion>'),
    "deep-elements": wrap("<a>" * 10_000 + "</a>" * 10_000),
    "many-attributes": wrap("<a " + " ".join(f'a{i}="1"' for i in range(20_000)) + "/>"),
    "huge-attribute": wrap('<a b="' + "x" * 3_000_000 + '"/>'),
    "processing-instruction": wrap("<?php system('id'); ?>"),
    "soap12-envelope": envelope("serverVersion").replace(
        SOAP_ENV.encode(), b"http://www.w3.org/2003/05/soap-envelope"),
    "no-body": f'<soap:Envelope xmlns:soap="{SOAP_ENV}"/>'.encode(),
    "two-methods": wrap('<serverVersion xmlns="http://developer.intuit.com/"/>'
                        '<clientVersion xmlns="http://developer.intuit.com/"/>'),
    "wrong-namespace": envelope("serverVersion").replace(INTUIT.encode(), b"urn:evil"),
    "utf7-declared": envelope("serverVersion").replace(b"utf-8", b"utf-7"),
}
CONTENT_TYPES = ["application/json", "text/plain", "text/html", "multipart/form-data",
                 "application/x-www-form-urlencoded", "application/xml", ""]
METHODS = ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]
VALID = envelope("clientVersion", strVersion="2.3.0.215")

CASES = (
    [pytest.param("template", t, p, id=f"{t}-{p}") for t in TEMPLATES for p in TEXT_PAYLOADS]
    + [pytest.param("xml", None, name, id=f"xml-{name}") for name in HOSTILE_XML]
    + [pytest.param("raw", None, name, id=f"raw-{name}") for name in RAW_BODIES]
    + [pytest.param("content-type", None, c, id=f"content-type-{c or 'none'}")
       for c in CONTENT_TYPES]
    + [pytest.param("method", None, m, id=f"method-{m}") for m in METHODS]
    + [pytest.param("truncated", None, n, id=f"truncated-{n}")
       for n in (1, 5, 38, 39, 100, len(VALID) // 2, len(VALID) - 1)]
)


def body_of(kind: str, template: str | None, payload) -> bytes:
    if kind == "template":
        return TEMPLATES[template](TEXT_PAYLOADS[payload])
    if kind == "xml":
        return HOSTILE_XML[payload]
    if kind == "raw":
        return RAW_BODIES[payload]
    if kind == "truncated":
        return VALID[:payload]
    return VALID


@pytest.mark.parametrize(("kind", "template", "payload"), CASES)
def test_hostile_soap_requests_get_soap_answers_without_tracebacks_and_write_nothing(
        client, configure, caplog, kind, template, payload):
    # given
    caplog.set_level(logging.WARNING)
    before = row_counts()
    method = payload if kind == "method" else "POST"
    content_type = payload if kind == "content-type" else "text/xml; charset=utf-8"

    # when
    response = client.generic(method, URL, body_of(kind, template, payload),
                              content_type=content_type,
                              HTTP_SOAPACTION=f'"{INTUIT}clientVersion"')

    # then
    assert response.status_code in ALLOWED_STATUSES
    assert not is_html(response)
    assert response["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    if response.status_code != 200:
        assert fault is not None, response.content[:300]
        assert fault.findtext("faultcode") and fault.findtext("faultstring")
    assert b"root:" not in response.content  # no /etc/passwd
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]
    assert row_counts() == before


# --- slow clients ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_client_trickling_its_body_byte_by_byte_does_not_hold_up_other_clients(live_server,
                                                                                 configure):
    # given: a client announcing a body and sending it one byte every 20 ms (about 6 s)
    url = urlparse(live_server.url)
    body = envelope("serverVersion")
    head = (f"POST {URL} HTTP/1.1\r\nHost: {url.hostname}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    trickler_answer: list[bytes] = []

    def trickle():
        with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
            sock.sendall(head)
            for byte in body:
                sock.sendall(bytes([byte]))
                time.sleep(0.02)
            trickler_answer.append(sock.recv(65536))

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    time.sleep(0.3)

    # when: another client calls while the trickler is still sending
    started = time.monotonic()
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("POST", URL, body=envelope("serverVersion"),
                       headers={"Content-Type": "text/xml; charset=utf-8"})
    answer = connection.getresponse()
    answer.read()
    elapsed = time.monotonic() - started
    still_trickling = trickler.is_alive()
    trickler.join(timeout=30)

    # then: answered at once by another thread; the trickler gets its answer in the end
    assert answer.status == 200
    assert elapsed < 2
    assert still_trickling
    assert trickler_answer and trickler_answer[0].startswith(b"HTTP/1.1 200")
