"""A set is kept before it leaves; only adds carry a message-set ID."""

from __future__ import annotations

import pytest
from lxml import etree

from saleor_qb_sync.models import MessageSet, MessageSetKind, MessageSetState, WebConnectorSession
from saleor_qb_sync.qbwc.session import Session
from saleor_qb_sync.qbwc.steps.context import Context

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("kind", "with_id"), [(MessageSetKind.WRITE, True),
                                               (MessageSetKind.LOOKUP, False)])
def test_the_set_is_stored_as_sent_with_what_each_request_is_for(configure, source, kind,
                                                                 with_id):
    session = Session(WebConnectorSession.objects.create(ticket_digest="d", username="q"))
    ctx = Context(configure(), source, session)

    xml = ctx.store(kind, [etree.Element("HostQueryRq", requestID="h")], {"h": {"kind": "x"}})

    stored = MessageSet.objects.get()
    assert (stored.request_xml, stored.requests, stored.state) == (
        xml, {"h": {"kind": "x", "asked": ["HostQuery", []]}}, MessageSetState.SENT)
    msgs = etree.fromstring(xml.encode()).find("QBXMLMsgsRq")
    assert msgs.get("onError") == "continueOnError"
    assert (msgs.get("newMessageSetID") == stored.message_set_id.hex[:24]) is with_id
