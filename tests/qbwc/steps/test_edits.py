"""The edits step: an order whose address changed in Saleor after its export is noticed,
shown, and, once asked for (or automatically), its QuickBooks transaction is updated with a
``…Mod`` carrying the EditSequence QuickBooks has: never a second transaction, once, surviving
lost answers and QuickBooks' 3200."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest

from saleor_qb_sync import edits, ledger
from saleor_qb_sync.documents import Address, ChargeStatus
from saleor_qb_sync.models import (
    ExportedOrder,
    ExportState,
    FollowUpKind,
    FollowUpRecord,
    WebConnectorSession,
)
from saleor_qb_sync.qbwc import session as sessions
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.edits import ADDRESS_PARTS
from saleor_qb_sync.standalone.order_source import store_sample_orders

from ..engine_driver import drive

pytestmark = pytest.mark.django_db

CHECK = ["AccountQueryRq", "ItemQueryRq"]
HOME = Address(first_name="Jane", last_name="Doe", street_address_1="1 Main St",
               city="Springfield", postal_code="62701", country_code="US", country_area="IL")
NEW = Address(first_name="Jane", last_name="Doe", street_address_1="77 Harbour Rd",
              street_address_2="Flat 2", city="Portland", postal_code="04101",
              country_code="US", country_area="ME")
NEW_PARTS = {"Addr1": "Jane Doe", "Addr2": "77 Harbour Rd", "Addr3": "Flat 2",
             "City": "Portland", "State": "ME", "PostalCode": "04101", "Country": "US"}


@pytest.fixture
def exported(configure, stored_order, source, quickbooks):
    """An order exported by a first session: (preferences, order, qb)."""

    def create(number: int = 1, *, charge_status=ChargeStatus.NONE, **overrides):
        from saleor_qb_sync.transfers import queue_orders

        from ..conftest import STAFF

        preferences = configure(**{"transaction_type": "invoice", "check_duplicates": False,
                                   "record_payments": False, **overrides})
        document = stored_order(number, charge_status=charge_status, billing_address=HOME,
                                shipping_address=HOME)
        queue_orders(source, preferences, STAFF, [document.order_id])
        qb = quickbooks()
        run = drive(preferences, source, qb)
        assert run.percents[-1] == 100
        assert len(qb.transactions()) == 1
        return preferences, document, qb

    return create


def edit(document, **changes):
    """Staff change the order in Saleor (``orderUpdate``)."""
    edited = replace(document, **changes)
    store_sample_orders([edited])
    return edited


def lose_the_update_answer(preferences, source, qb) -> None:
    """A session in which QuickBooks applies the update but Web Connector loses its answer
    (the session is then dropped, as its Web Connector is gone)."""
    qb.faults.inject("lose_response", on_request="InvoiceModRq")
    with contextlib.suppress(Exception):
        drive(preferences, source, qb)
    for row in WebConnectorSession.objects.filter(state="open"):
        sessions.drop(row)


def txn_of(qb, document):
    [txn] = [t for t in qb.transactions() if t.ref_number == str(document.number)]
    return txn


def updates():
    return list(FollowUpRecord.objects.filter(kind=FollowUpKind.MODIFICATION).order_by("id"))


def test_a_changed_shipping_address_is_shown_and_once_asked_for_updates_the_invoice(
        exported, source):
    # given: an invoice in QuickBooks, then staff change the order's shipping address
    preferences, document, qb = exported()
    invoice = txn_of(qb, document)
    edit(document, shipping_address=NEW)

    # when: a Web Connector update compares the order (ask: nothing is sent yet)
    first = drive(preferences, source, qb)
    noticed = ExportedOrder.objects.get(order_id=document.order_id)
    # then a person asks for the update, and the next Web Connector update runs
    edits.request_update(source, preferences, _staff(), document.order_id)
    second = drive(preferences, source, qb)

    # then: the first update only noticed; the second read the invoice and modified it
    assert first.refused == "none" or first.sets == [CHECK]
    assert [c["field"] for c in noticed.changes] == ["ShipAddress"]
    assert noticed.changes_noticed_at is not None
    assert second.sets[-2:] == [["InvoiceQueryRq"], ["InvoiceModRq"]]
    after = txn_of(qb, document)
    assert len(qb.transactions()) == 1 and after.txn_id == invoice.txn_id
    assert after.fields["ShipAddress"] == NEW_PARTS
    assert after.fields["BillAddress"] == invoice.fields["BillAddress"]
    assert after.total_amount == invoice.total_amount and len(after.lines) == len(invoice.lines)
    [record] = updates()
    assert (record.state, record.txn_id) == (ExportState.DONE, invoice.txn_id)
    assert record.header == {"ShipAddress": NEW_PARTS}
    assert "shipping address" in record.status_message
    row = ExportedOrder.objects.get(order_id=document.order_id)
    assert row.changes == [] and row.update_requested_at is None
    assert row.header["ShipAddress"] == NEW_PARTS
    # and a third update finds nothing to send
    assert drive(preferences, source, qb).refused == "none"
    assert len(updates()) == 1


def test_the_mod_carries_the_edit_sequence_quickbooks_returned_to_the_query(exported, source):
    # given
    preferences, document, qb = exported(update_edited_orders="automatic")
    sequence = txn_of(qb, document).edit_sequence
    edit(document, shipping_address=NEW)
    # when
    run = drive(preferences, source, qb)
    # then
    mod_xml = next(x for x, s in zip(run.xml, run.sets, strict=True) if s == ["InvoiceModRq"])
    assert f"<EditSequence>{sequence}</EditSequence>" in mod_xml
    assert "<BillAddress>" not in mod_xml and "<InvoiceLineMod>" not in mod_xml


def test_in_ask_mode_nothing_is_sent_until_a_person_asks(exported, source):
    # given
    preferences, document, qb = exported()
    edit(document, billing_address=NEW)
    # when: two updates
    drive(preferences, source, qb)
    drive(preferences, source, qb)
    # then
    assert updates() == []
    assert txn_of(qb, document).fields["BillAddress"]["City"] == "Springfield"
    state = edits.since_export(source, preferences, document.order_id)
    assert [c.field for c in state.changes] == ["BillAddress"]


def test_automatic_mode_updates_a_sales_receipt_in_the_same_session_that_notices(
        exported, source):
    # given
    preferences, document, qb = exported(transaction_type="sales_receipt",
                                         charge_status=ChargeStatus.FULL,
                                         update_edited_orders="automatic")
    edit(document, billing_address=NEW, shipping_address=NEW)
    # when
    run = drive(preferences, source, qb)
    # then
    assert run.sets[-2:] == [["SalesReceiptQueryRq"], ["SalesReceiptModRq"]]
    receipt = txn_of(qb, document)
    assert receipt.kind == "SalesReceipt" and len(qb.transactions()) == 1
    assert receipt.fields["BillAddress"] == receipt.fields["ShipAddress"] == NEW_PARTS


def test_a_sales_order_is_updated_with_sales_order_mod(exported, source):
    preferences, document, qb = exported(transaction_type="sales_order",
                                         update_edited_orders="automatic")
    edit(document, shipping_address=NEW)
    run = drive(preferences, source, qb)
    assert run.sets[-1] == ["SalesOrderModRq"]
    assert txn_of(qb, document).fields["ShipAddress"] == NEW_PARTS


def test_a_lost_update_answer_is_confirmed_by_reading_the_transaction_and_sent_once(
        exported, source):
    # given: QuickBooks applied the update, but Web Connector lost its answer
    preferences, document, qb = exported(update_edited_orders="automatic")
    edit(document, shipping_address=NEW)
    lose_the_update_answer(preferences, source, qb)
    assert [r.state for r in updates()] == [ExportState.NEEDS_RECONCILING]
    sequence = txn_of(qb, document).edit_sequence

    # when
    run = drive(preferences, source, qb)

    # then: the invoice was read, found updated, and no second Mod went out
    assert ["InvoiceQueryRq"] in run.sets and ["InvoiceModRq"] not in run.sets
    [record] = updates()
    assert (record.state, record.status_message) == (
        ExportState.DONE, "Confirmed in QuickBooks after a lost answer")
    assert txn_of(qb, document).edit_sequence == sequence
    assert ExportedOrder.objects.get(order_id=document.order_id).changes == []


def test_a_lost_update_quickbooks_does_not_show_is_sent_again(exported, source, quickbooks):
    # given: the update's answer was lost, and then someone put the old address back by hand
    preferences, document, qb = exported(update_edited_orders="automatic")
    old = dict(txn_of(qb, document).fields["ShipAddress"])
    edit(document, shipping_address=NEW)
    lose_the_update_answer(preferences, source, qb)
    _modify_by_hand(qb, document, old)

    # when
    run = drive(preferences, source, qb)

    # then: read, not there, sent again with the new EditSequence: in QuickBooks once
    assert run.sets.count(["InvoiceModRq"]) == 1
    assert [(r.state, r.action) for r in updates()] == [
        (ExportState.FAILED, ledger.RESENT), (ExportState.DONE, "")]
    assert txn_of(qb, document).fields["ShipAddress"] == NEW_PARTS
    assert len(qb.transactions()) == 1


class EditedInQuickBooksMeanwhile:
    """QuickBooks where someone edits the transaction between our read and our Mod (once)."""

    def __init__(self, qb, document):
        self.qb, self.document, self.done = qb, document, False

    def __getattr__(self, name):
        return getattr(self.qb, name)

    def process(self, xml):
        if "InvoiceModRq" in xml and not self.done:
            self.done = True
            txn = txn_of(self.qb, self.document)
            _modify_by_hand(self.qb, self.document, txn.fields["BillAddress"])
        return self.qb.process(xml)


def test_an_edit_sequence_out_of_date_is_read_again_and_sent_again_not_a_failure(
        exported, source):
    # given
    preferences, document, qb = exported(update_edited_orders="automatic")
    edit(document, shipping_address=NEW)
    # when
    run = drive(preferences, source, EditedInQuickBooksMeanwhile(qb, document))
    # then: 3200, read again, updated in the same session
    assert run.sets.count(["InvoiceModRq"]) == 2
    assert [(r.state, r.status_code, r.action) for r in updates()] == [
        (ExportState.FAILED, None, ledger.RESENT), (ExportState.DONE, 0, "")]
    assert "EditSequence" in updates()[0].status_message
    assert txn_of(qb, document).fields["ShipAddress"] == NEW_PARTS


def test_a_refused_update_keeps_the_reason_and_is_not_sent_again_unasked(exported, source):
    # given: the invoice was voided in QuickBooks, then the order's address changed
    preferences, document, qb = exported(update_edited_orders="automatic")
    qb.process(_void_request(txn_of(qb, document).txn_id))
    edit(document, shipping_address=NEW)
    # when: two updates
    first = drive(preferences, source, qb)
    second = drive(preferences, source, qb)
    # then
    [record] = updates()
    assert record.state == ExportState.FAILED and record.action and record.status_code
    assert ["InvoiceModRq"] in first.sets and ["InvoiceModRq"] not in second.sets
    row = ExportedOrder.objects.get(order_id=document.order_id)
    assert row.changes and row.update_requested_at is None
    # a person may ask again: it is then sent again
    edits.request_update(source, preferences, _staff(), document.order_id)
    assert ["InvoiceModRq"] in drive(preferences, source, qb).sets


def test_a_transaction_deleted_in_quickbooks_is_not_updated_and_says_so(exported, source):
    preferences, document, qb = exported(update_edited_orders="automatic")
    qb.process(_delete_request(txn_of(qb, document).txn_id))
    edit(document, shipping_address=NEW)
    run = drive(preferences, source, qb)
    assert ["InvoiceModRq"] not in run.sets
    [record] = updates()
    assert record.state == ExportState.FAILED and "no longer in QuickBooks" in record.action


def test_a_second_edit_after_an_update_is_a_second_update(exported, source):
    preferences, document, qb = exported(update_edited_orders="automatic")
    edit(document, shipping_address=NEW)
    drive(preferences, source, qb)
    edit(document, shipping_address=HOME)
    drive(preferences, source, qb)
    assert [(r.sequence, r.state) for r in updates()] == [(1, ExportState.DONE),
                                                          (2, ExportState.DONE)]
    # the line that is gone was cleared in QuickBooks
    assert "Addr3" not in txn_of(qb, document).fields["ShipAddress"]
    assert txn_of(qb, document).fields["ShipAddress"]["City"] == "Springfield"


def test_with_updates_off_nothing_is_compared_or_sent(exported, source):
    preferences, document, qb = exported(update_edited_orders="off")
    edit(document, shipping_address=NEW)
    assert drive(preferences, source, qb).refused == "none"
    assert ExportedOrder.objects.get(order_id=document.order_id).changes == []
    assert edits.since_export(source, preferences, document.order_id) is None


def test_an_edit_not_in_the_transaction_changes_nothing(exported, source):
    # the customer note and the e-mail are not on the transaction's header
    preferences, document, qb = exported(update_edited_orders="automatic")
    edit(document, customer=replace(document.customer, email="new@example.com"))
    assert drive(preferences, source, qb).refused == "none"
    assert updates() == []


def test_the_update_round_trips_cost_the_same_statements_for_two_orders_and_for_eight(
        configure, stored_order, source, quickbooks):
    # given: 2 and then 8 invoices whose shipping address changed after export
    from saleor_qb_sync.transfers import queue_orders

    from ..conftest import STAFF

    statements = []
    for count, first in ((2, 1), (8, 100)):
        preferences = configure(transaction_type="invoice", check_duplicates=False,
                                record_payments=False, update_edited_orders="automatic",
                                orders_per_request=50)
        documents = [stored_order(n, charge_status=ChargeStatus.NONE, billing_address=HOME,
                                  shipping_address=HOME) for n in range(first, first + count)]
        queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
        qb = quickbooks()
        drive(preferences, source, qb)
        for document in documents:
            edit(document, shipping_address=NEW)
        # when
        run = drive(preferences, source, qb)
        # then: one query set, one Mod set
        assert run.sets[-2:] == [["InvoiceQueryRq"] * count, ["InvoiceModRq"] * count]
        statements.append(run.statements[-2:])
    assert statements[0] == statements[1], statements


# --- helpers ------------------------------------------------------------------------------------


def _staff():
    from ..conftest import STAFF

    return STAFF


def _modify_by_hand(qb, document, ship_address: dict) -> None:
    """Someone edits the transaction in QuickBooks (its ship address), as a Mod would."""
    txn = txn_of(qb, document)
    current = txn.fields.get("ShipAddress") or {}
    pairs = [(part, ship_address.get(part, "")) for part in ADDRESS_PARTS
             if part in ship_address or part in current]
    request = build.transaction_mod(txn.kind, txn.txn_id, txn.edit_sequence,
                                    [("ShipAddress", pairs)], "hand")
    answer = qb.process(build.message_set([request]))
    assert 'statusCode="0"' in answer, answer


def _void_request(txn_id: str) -> str:
    return ('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError='
            '"stopOnError"><TxnVoidRq><TxnVoidType>Invoice</TxnVoidType>'
            f"<TxnID>{txn_id}</TxnID></TxnVoidRq></QBXMLMsgsRq></QBXML>")


def _delete_request(txn_id: str) -> str:
    return ('<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError='
            '"stopOnError"><TxnDelRq><TxnDelType>Invoice</TxnDelType>'
            f"<TxnID>{txn_id}</TxnID></TxnDelRq></QBXMLMsgsRq></QBXML>")
