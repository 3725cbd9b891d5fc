"""Forged answers never mark an order exported, and never lose one.

QuickBooks processes every request for real (the simulator), then the answer Web Connector hands
back is forged in one of the ways an answer can confirm nothing: a response of another type, a
success without its ``…Ret``, an empty or absent TxnID, another RefNumber, a requestID twice or
not at all, extra responses nobody asked for, a response left out. After every session: every
order the ledger calls exported is in QuickBooks with that TxnID (never an empty one). After
clean sessions: every order is in QuickBooks exactly once and the ledger says so.
"""

from __future__ import annotations

import copy
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from saleor_qb_sync.models import ExportedOrder, ExportRecord, ExportState, WebConnectorSession
from saleor_qb_sync.qbwc.callbacks import Engine
from saleor_qb_sync.standalone.order_source import SampleOrderSource, store_sample_orders
from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator
from saleor_qb_sync.testing.sample_orders import generate_orders
from saleor_qb_sync.transfers import Actor, queue_orders

from .test_ledger_properties import run_session

STAFF = Actor(email="staff@example.com")
FORGERIES = ("wrong_type", "missing_ret", "empty_txn_id", "absent_txn_id", "other_ref",
             "duplicate_request_id", "missing_request_id", "extra_unknown", "left_out")


class Rollback(Exception):
    pass


def forge(response: str, forgery: str, index: int) -> str:
    """``response`` with its ``index``-th ``…Rs`` (modulo their number) forged."""
    root = etree.fromstring(response.encode("utf-8"))
    msgs = root.find("QBXMLMsgsRs")
    responses = [rs for rs in msgs if rs.tag.endswith("Rs")]
    if not responses:
        return response
    rs = responses[index % len(responses)]
    rets = [el for el in rs if el.tag.endswith("Ret")]
    if forgery == "wrong_type":
        rs.tag = "ItemQueryRs" if rs.tag == "CustomerAddRs" else "CustomerAddRs"
    elif forgery == "missing_ret":
        for ret in rets:
            rs.remove(ret)
    elif forgery in ("empty_txn_id", "absent_txn_id"):
        for txn_id in list(rs.iter("TxnID")):
            if forgery == "empty_txn_id":
                txn_id.text = ""
            else:
                txn_id.getparent().remove(txn_id)
    elif forgery == "other_ref":
        for ref in rs.iter("RefNumber"):
            ref.text = "X" + (ref.text or "")[-9:]
    elif forgery == "duplicate_request_id":
        twin = copy.deepcopy(rs)
        for txn_id in twin.iter("TxnID"):
            txn_id.text = "FORGED-1"
        rs.addnext(twin)
    elif forgery == "missing_request_id":
        rs.attrib.pop("requestID", None)
    elif forgery == "extra_unknown":
        etree.SubElement(msgs, "FooBarRs", requestID="zz9", statusCode="0",
                         statusSeverity="Info", statusMessage="Status OK")
        extra = etree.SubElement(msgs, "InvoiceAddRs", requestID="zz8", statusCode="0",
                                 statusSeverity="Info", statusMessage="Status OK")
        ret = etree.SubElement(extra, "InvoiceRet")
        etree.SubElement(ret, "TxnID").text = "FORGED-2"
    elif forgery == "left_out":
        msgs.remove(rs)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8").decode()


class Forging:
    """QuickBooks that answers call N (1 = the first) with a forged answer, per ``plan``."""

    def __init__(self, real: QuickBooksSimulator, plan: dict[int, tuple[str, int]]) -> None:
        self.real = real
        self.plan = plan
        self.calls = 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def process(self, request_xml):
        self.calls += 1
        response = self.real.process(request_xml)
        if self.calls in self.plan:
            return forge(response, *self.plan[self.calls])
        return response


def check_confirmed(qb: QuickBooksSimulator) -> None:
    """Every order the ledger calls exported is in QuickBooks with that TxnID."""
    txn_ids = {t.ref_number: t.txn_id for t in qb.transactions()}
    for record in ExportRecord.objects.filter(state=ExportState.DONE):
        assert record.txn_id, record.status_message
        assert txn_ids.get(record.ref_number) == record.txn_id, record.status_message
    assert all(n == 1 for n in Counter(t.ref_number for t in qb.transactions()).values())


def next_run() -> None:
    WebConnectorSession.objects.update(last_seen_at=F("last_seen_at") - timedelta(minutes=30))


@pytest.mark.django_db
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=st.dictionaries(st.integers(1, 8),
                            st.tuples(st.sampled_from(FORGERIES), st.integers(0, 60)),
                            min_size=1, max_size=4),
       batch=st.sampled_from([1, 4, 50]), check_duplicates=st.booleans())
def test_a_forged_answer_never_marks_an_order_exported_and_no_order_is_lost(
        configure, qbxml_schema, plan, batch, check_duplicates):
    try:
        with transaction.atomic():
            preferences = configure(check_duplicates=check_duplicates, orders_per_request=batch)
            documents = [d for d in generate_orders(8, seed=78)
                         if d.status in preferences.eligible_statuses]
            store_sample_orders(documents)
            source = SampleOrderSource()
            queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
            engine = Engine(preferences, source)
            qb = QuickBooksSimulator(schema=qbxml_schema)
            forging = Forging(qb, plan)

            # when: sessions whose answers are forged, then clean ones
            for _ in range(2):
                run_session(engine, forging)
                next_run()
                check_confirmed(qb)
            for _ in range(4):
                outcome = run_session(engine, qb)
                next_run()
                check_confirmed(qb)
                if outcome == "none":
                    break

            # then: every order in QuickBooks exactly once, the ledger agreeing
            assert Counter(t.ref_number for t in qb.transactions()) == Counter(
                str(d.number) for d in documents)
            assert ExportedOrder.objects.count() == len(documents)
            assert not ExportRecord.objects.filter(
                state__in=[ExportState.SENT, ExportState.NEEDS_RECONCILING]).exists()
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", FORGERIES)
def test_each_forged_write_answer_leaves_the_order_to_be_confirmed_by_asking(
        configure, qbxml_schema, forgery):
    # given: one order whose transaction add is answered with a forged response
    preferences = configure(check_duplicates=False, orders_per_request=50)
    documents = [d for d in generate_orders(4, seed=79)
                 if d.status in preferences.eligible_statuses][:1]
    store_sample_orders(documents)
    source = SampleOrderSource()
    queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
    qb = QuickBooksSimulator(schema=qbxml_schema)

    class ForgeTransactionAdds:
        def __getattr__(self, name):
            return getattr(qb, name)

        def process(self, request_xml):
            response = qb.process(request_xml)
            if "SalesReceiptAddRq" not in request_xml and "InvoiceAddRq" not in request_xml:
                return response
            tags = [rs.tag for rs in etree.fromstring(response.encode())[0]]
            index = next(i for i, tag in enumerate(tags) if tag.endswith(
                ("SalesReceiptAddRs", "InvoiceAddRs")))
            return forge(response, forgery, index)

    # when
    outcome = run_session(Engine(preferences, source), ForgeTransactionAdds())

    # then: the order is exported once, confirmed by a look-up in the same session, and the
    # ledger names what was wrong with the first answer (extra unknown answers change nothing)
    assert outcome == "done"
    record = ExportRecord.objects.get(state=ExportState.DONE)
    assert record.txn_id == qb.transactions()[0].txn_id
    assert len(qb.transactions()) == 1
    if forgery == "extra_unknown":
        assert "looking it up" not in record.status_message
    else:
        assert record.status_message.startswith("Confirmed in QuickBooks")
