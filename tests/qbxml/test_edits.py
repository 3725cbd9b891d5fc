"""What an edit in Saleor can change on an exported transaction (its addresses), what changed,
and the ``…Mod`` that updates it: built in the schema's order, validated by Intuit's XSD."""

from __future__ import annotations

from dataclasses import replace

import pytest

from saleor_qb_sync.documents import Address
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.edits import (
    HeaderChange,
    HeaderUpdate,
    address_parts,
    address_text,
    changes_between,
    current_header,
    described,
    has_landed,
    header_of,
    queried_transactions,
)
from saleor_qb_sync.qbxml.mapping import map_order
from saleor_qb_sync.qbxml.records import TxnKind
from saleor_qb_sync.qbxml.schema import validate

from .factories import order, qb_address, transaction

HOME = {"Addr1": "Jane Doe", "Addr2": "1 Main St", "City": "Springfield", "State": "IL",
        "PostalCode": "62701", "Country": "US"}


def test_the_header_is_the_mapped_transactions_addresses_by_their_qbxml_names():
    # given
    txn = transaction(bill_address=qb_address(), ship_address=None)
    # when
    header = header_of(txn)
    # then
    assert header == {"BillAddress": HOME, "ShipAddress": {}}


def test_an_address_keeps_only_the_parts_with_a_value_and_up_to_five_lines():
    lines = tuple(f"line {i}" for i in range(1, 6))
    assert address_parts(qb_address(lines=lines, state="")) == {
        **{f"Addr{i}": f"line {i}" for i in range(1, 6)}, "City": "Springfield",
        "PostalCode": "62701", "Country": "US"}
    assert address_parts(None) == {}


def test_the_current_header_comes_from_the_same_mapping_as_the_export():
    # given
    document = order(shipping_address=Address(first_name="Ann", street_address_1="9 Elm Rd",
                                              city="Dover", country_code="US"))
    # when
    header = current_header(document, Preferences())
    # then: exactly what the export's transaction says
    assert header == header_of(map_order(document, Preferences()).transaction)
    assert header["ShipAddress"] == {"Addr1": "Ann", "Addr2": "9 Elm Rd", "City": "Dover",
                                     "Country": "US"}


def test_changes_name_each_aggregate_that_differs_with_before_and_after():
    # given
    before = {"BillAddress": HOME, "ShipAddress": HOME}
    after = {"BillAddress": HOME, "ShipAddress": {**HOME, "Addr2": "2 Oak Ave"}}
    # when
    changes = changes_between(before, after)
    # then
    assert changes == [HeaderChange("ShipAddress", HOME, {**HOME, "Addr2": "2 Oak Ave"})]
    assert changes[0].label == "Shipping address"
    assert described(changes) == "shipping address"
    assert HeaderChange.from_json(changes[0].to_json()) == changes[0]


def test_nothing_changed_and_an_unknown_header_give_no_changes():
    header = {"BillAddress": HOME, "ShipAddress": {}}
    assert changes_between(header, dict(header)) == []
    # a row exported before headers were kept: unknown, never "everything changed"
    assert changes_between({}, header) == []


def test_an_address_removed_in_saleor_is_a_change_to_nothing():
    assert changes_between({"BillAddress": HOME, "ShipAddress": HOME},
                           {"BillAddress": HOME, "ShipAddress": {}}) == [
        HeaderChange("ShipAddress", HOME, {})]


def test_an_address_reads_on_one_line():
    assert address_text(HOME) == "Jane Doe, 1 Main St, Springfield IL 62701, US"
    assert address_text({}) == ""


def update(*changes: HeaderChange, kind: str = "Invoice") -> HeaderUpdate:
    return HeaderUpdate(kind=kind, txn_id="1A-1234", edit_sequence="1714560000",
                        order_id="o", order_number=1001, ref_number="1001", changes=changes)


def test_a_mod_sends_txn_id_edit_sequence_and_only_the_changed_address():
    # given
    new = {**HOME, "Addr2": "2 Oak Ave"}
    # when
    rq = update(HeaderChange("ShipAddress", HOME, new)).request("m0")
    # then
    mod = rq.find("InvoiceMod")
    assert [el.tag for el in mod] == ["TxnID", "EditSequence", "ShipAddress"]
    assert mod.findtext("TxnID") == "1A-1234" and mod.findtext("EditSequence") == "1714560000"
    assert {el.tag: el.text for el in mod.find("ShipAddress")} == new
    assert [el.text for el in rq.findall("IncludeRetElement")] == list(
        build.TXN_MOD_RET_ELEMENTS)


def test_a_part_quickbooks_has_that_the_new_address_lacks_is_sent_empty_to_clear_it():
    # given: the order lost its second street line and its state
    old = {**HOME, "Addr3": "Suite 5"}
    new = {k: v for k, v in HOME.items() if k != "State"}
    # when
    mod = update(HeaderChange("BillAddress", old, new)).request("m0").find("InvoiceMod")
    # then: in the schema's order, Addr3 and State empty
    address = mod.find("BillAddress")
    assert [el.tag for el in address] == ["Addr1", "Addr2", "Addr3", "City", "State",
                                         "PostalCode", "Country"]
    assert address.findtext("Addr3") == "" and address.findtext("State") == ""


def test_both_addresses_go_bill_first_as_the_schema_demands():
    mod = update(HeaderChange("ShipAddress", {}, HOME),
                 HeaderChange("BillAddress", {}, HOME)).request("m0").find("InvoiceMod")
    assert [el.tag for el in mod][2:] == ["BillAddress", "ShipAddress"]


def test_a_mod_of_nothing_or_of_a_credit_memo_is_refused():
    with pytest.raises(ValueError, match="carries some of"):
        build.transaction_mod("Invoice", "1A", "1", [], "m0")
    with pytest.raises(ValueError, match="not updated"):
        build.transaction_mod("CreditMemo", "1A", "1", [("BillAddress", [])], "m0")
    with pytest.raises(ValueError, match="allows 41"):
        update(HeaderChange("BillAddress", {}, {"Addr1": "x" * 42})).request("m0")


@pytest.mark.schema
@pytest.mark.parametrize("kind", [TxnKind.INVOICE, TxnKind.SALES_RECEIPT, TxnKind.SALES_ORDER])
def test_the_query_by_txn_id_and_the_mod_validate_against_intuits_schema(qbxml_schema, kind):
    # given
    changes = (HeaderChange("BillAddress", {**HOME, "Addr3": "Suite 5"}, HOME),
               HeaderChange("ShipAddress", HOME, {"Addr1": "Ann", "City": "Dover"}))
    requests = [build.transaction_query_by_id(kind, ["1A-1234"], "q0"),
                update(*changes, kind=kind).request("m0")]
    # when
    xml = build.message_set(requests, on_error="continueOnError")
    # then
    assert validate(xml, qbxml_schema) == []


ANSWER = """<?xml version="1.0"?><QBXML><QBXMLMsgsRs>
<InvoiceQueryRs requestID="q0" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<InvoiceRet><TxnID>1A-1234</TxnID><EditSequence>1714560001</EditSequence>
<RefNumber>1001</RefNumber>
<BillAddress><Addr1>Jane Doe</Addr1><Addr2>1 Main St</Addr2><City>Springfield</City>
<State>IL</State><PostalCode>62701</PostalCode><Country>US</Country></BillAddress>
</InvoiceRet></InvoiceQueryRs>
<InvoiceQueryRs requestID="q1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">
<InvoiceRet><TxnID>1A-9</TxnID><EditSequence>7</EditSequence></InvoiceRet></InvoiceQueryRs>
</QBXMLMsgsRs></QBXML>"""


def test_a_query_answer_gives_each_transactions_edit_sequence_and_header():
    # when
    found = queried_transactions(ANSWER, "q0")
    # then: only the request asked about; an address QuickBooks does not show is empty
    assert list(found) == ["1A-1234"]
    txn = found["1A-1234"]
    assert (txn.edit_sequence, txn.ref_number) == ("1714560001", "1001")
    assert txn.header == {"BillAddress": HOME, "ShipAddress": {}}


def test_an_update_has_landed_when_quickbooks_shows_every_aggregate_it_set():
    txn = queried_transactions(ANSWER, "q0")["1A-1234"]
    assert has_landed(txn, {"BillAddress": HOME})
    assert has_landed(txn, {"ShipAddress": {}})
    assert not has_landed(txn, {"BillAddress": {**HOME, "Addr2": "2 Oak Ave"}})
    assert not has_landed(replace(txn, header={"BillAddress": {}, "ShipAddress": {}}),
                          {"BillAddress": HOME})
