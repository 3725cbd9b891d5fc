"""The SOAP endpoint as Web Connector and hostile clients meet it: shapes, faults, limits."""

from __future__ import annotations

import pytest
from lxml import etree

from saleor_qb_sync.models import AuthenticationAttempt, WebConnectorSession

URL = "/plugins/global/saleor_qb_sync/qbwc"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
INTUIT = "http://developer.intuit.com/"


def envelope(method: str, **params: str) -> bytes:
    body = "".join(f"<{k}>{v}</{k}>" for k, v in params.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}">'
            f'<soap:Body><{method} xmlns="{INTUIT}">{body}</{method}></soap:Body>'
            "</soap:Envelope>").encode()


def post(client, body: bytes, method: str = "serverVersion",
         content_type="text/xml; charset=utf-8"):
    return client.generic("POST", URL, body, content_type=content_type,
                          HTTP_SOAPACTION=f'"{INTUIT}{method}"')


def result(response, method: str) -> etree._Element:
    root = etree.fromstring(response.content)
    return root.find(f"{{{SOAP_ENV}}}Body/{{{INTUIT}}}{method}Response/{{{INTUIT}}}{method}Result")


def fault_string(response) -> str:
    root = etree.fromstring(response.content)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert fault is not None, response.content
    return fault.findtext("faultstring")


@pytest.fixture
def nothing_written():
    def counts():
        return (WebConnectorSession.objects.count(), AuthenticationAttempt.objects.count())

    before = counts()
    yield
    assert counts() == before


def test_a_plain_get_answers_200_for_web_connectors_certificate_check(client, configure):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Web Connector" in response.content


def test_the_wsdl_is_served_with_intuits_namespace_and_operations(client, configure):
    # when
    response = client.get(URL + "?wsdl")

    # then
    assert response.status_code == 200
    wsdl = etree.fromstring(response.content)
    assert wsdl.get("targetNamespace") == INTUIT
    operations = {op.get("name") for op in wsdl.iter("{http://schemas.xmlsoap.org/wsdl/}operation")}
    assert {"serverVersion", "clientVersion", "authenticate", "sendRequestXML",
            "receiveResponseXML", "connectionError", "getLastError",
            "closeConnection"} <= operations


@pytest.mark.django_db
def test_server_version_answers_in_intuits_namespace(client, configure):
    response = post(client, envelope("serverVersion"))
    assert response.status_code == 200
    assert result(response, "serverVersion").text.startswith("saleor-qb-sync")


@pytest.mark.django_db
def test_authenticate_always_answers_two_strings_even_when_refused(client, configure):
    # when
    response = post(client, envelope("authenticate", strUserName="quickbooks",
                                     strPassword="wrong"), "authenticate")

    # then
    strings = result(response, "authenticate").findall(f"{{{INTUIT}}}string")
    assert len(strings) == 2
    assert (strings[1].text or "") == "nvu"


@pytest.mark.django_db
def test_an_unknown_ticket_gets_clean_end_of_session_answers(client, configure):
    # when
    sent = post(client, envelope("sendRequestXML", ticket="not-a-ticket", strHCPResponse="",
                                 strCompanyFileName="", qbXMLCountry="US", qbXMLMajorVers="13",
                                 qbXMLMinorVers="0"), "sendRequestXML")
    received = post(client, envelope("receiveResponseXML", ticket="not-a-ticket",
                                     response="&lt;QBXML/&gt;", hresult="", message=""),
                    "receiveResponseXML")
    error = post(client, envelope("getLastError", ticket="not-a-ticket"), "getLastError")

    # then
    assert (result(sent, "sendRequestXML").text or "") == ""
    assert result(received, "receiveResponseXML").text == "-1"
    assert "expired" in result(error, "getLastError").text


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    b"this is not xml",
    b"<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'><soap:Body>",
    b"\xff\xfe\x00<broken utf-8",
    envelope("noSuchMethod", x="1"),
], ids=["not-xml", "truncated", "invalid-utf8", "unknown-method"])
def test_malformed_soap_gets_a_soap_fault_and_writes_nothing(client, configure, body,
                                                             nothing_written):
    response = post(client, body)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/xml")
    assert fault_string(response)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<authenticate xmlns="http://developer.intuit.com/"><strUserName>&lol3;</strUserName>
<strPassword>x</strPassword></authenticate></soap:Body></soap:Envelope>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<authenticate xmlns="http://developer.intuit.com/"><strUserName>&xxe;</strUserName>
<strPassword>x</strPassword></authenticate></soap:Body></soap:Envelope>"""


@pytest.mark.django_db
@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "xxe"])
def test_entity_expansion_and_external_entities_are_refused_unread(client, configure, body,
                                                                   nothing_written):
    response = post(client, body, "authenticate")
    assert response.status_code == 500
    assert "DOCTYPE" in fault_string(response)
    assert b"root:" not in response.content


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_refused_with_413(client, configure, settings,
                                                        nothing_written):
    settings.SALEOR_QB_SYNC_MAX_SOAP_BODY = 1000
    response = post(client, envelope("authenticate", strUserName="x" * 2000, strPassword="y"),
                    "authenticate")
    assert response.status_code == 413
    assert "larger than" in fault_string(response)


@pytest.mark.django_db
def test_a_wrong_content_type_is_refused_with_415(client, configure, nothing_written):
    response = post(client, b'{"method": "authenticate"}', content_type="application/json")
    assert response.status_code == 415
    assert fault_string(response)


@pytest.mark.django_db
def test_other_http_methods_get_405(client, configure):
    response = client.put(URL, b"", content_type="text/xml")
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_soap_action_that_names_another_method_is_answered_by_the_body(client, configure):
    # given: the header says authenticate, the body asks serverVersion
    body = envelope("serverVersion")

    # when
    response = post(client, body, "authenticate")

    # then: the body decides, as in document/literal SOAP; nothing is authenticated
    assert response.status_code == 200
    assert result(response, "serverVersion").text.startswith("saleor-qb-sync")
    assert not AuthenticationAttempt.objects.exists()


@pytest.mark.django_db
def test_an_expired_ticket_gets_end_of_session_answers_and_its_work_goes_back(
        client, configure, orders, source):
    # given: a session that has been silent for longer than Web Connector's callback limit
    from datetime import timedelta

    from django.utils import timezone

    from saleor_qb_sync.models import SessionState
    from saleor_qb_sync.qbwc.session import SESSION_TIMEOUT, ticket_digest

    WebConnectorSession.objects.create(
        ticket_digest=ticket_digest("old-ticket"), username="quickbooks",
        last_seen_at=timezone.now() - SESSION_TIMEOUT - timedelta(minutes=1))

    # when
    sent = post(client, envelope("sendRequestXML", ticket="old-ticket", strHCPResponse="",
                                 strCompanyFileName="", qbXMLCountry="US", qbXMLMajorVers="13",
                                 qbXMLMinorVers="0"), "sendRequestXML")
    error = post(client, envelope("getLastError", ticket="old-ticket"), "getLastError")

    # then
    assert (result(sent, "sendRequestXML").text or "") == ""
    assert "expired" in result(error, "getLastError").text
    assert WebConnectorSession.objects.get().state == SessionState.DROPPED


@pytest.mark.parametrize(("setting", "during"), [(None, False), (True, False), (False, True)])
def test_a_call_runs_with_the_garbage_collector_paused_unless_the_host_says_not(
        client, configure, monkeypatch, db, settings, setting, during):
    # given: the engine's serverVersion notes whether automatic collection is on; the host's
    # SALEOR_QB_SYNC_PAUSE_COLLECTOR unset, on or off
    import gc

    from saleor_qb_sync.qbwc.callbacks import Engine

    if setting is not None:
        settings.SALEOR_QB_SYNC_PAUSE_COLLECTOR = setting

    seen = []
    original = Engine.server_version

    def server_version(self):
        seen.append(gc.isenabled())
        return original(self)

    monkeypatch.setattr(Engine, "server_version", server_version)
    gc.enable()

    # when
    response = post(client, envelope("serverVersion"))

    # then: off during the call (qbwc/collection.py) unless turned off, on again after it
    assert response.status_code == 200
    assert seen == [during]
    assert gc.isenabled()
