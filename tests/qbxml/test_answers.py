"""An answer proves what we asked only when it is the one answer of the type we asked for."""

from __future__ import annotations

from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.answers import Answers, add_problem, query_problem, with_asked
from saleor_qb_sync.qbxml.parse import parse_response
from saleor_qb_sync.qbxml.records import CustomerRecord, TxnKind

REQUEST = """<?xml version="1.0"?><?qbxml version="13.0"?><QBXML>
<QBXMLMsgsRq onError="continueOnError">
<SalesReceiptAddRq requestID="t0"><SalesReceiptAdd><RefNumber>W1001</RefNumber>
</SalesReceiptAdd></SalesReceiptAddRq>
<InvoiceQueryRq requestID="r0"><RefNumber>W1</RefNumber><RefNumber>W2</RefNumber>
</InvoiceQueryRq>
</QBXMLMsgsRq></QBXML>"""

RECEIPT = ('<SalesReceiptAddRs requestID="t0" statusCode="{code}" statusSeverity="Info" '
           'statusMessage="Status OK"><SalesReceiptRet><TxnID>{txn}</TxnID>'
           '<RefNumber>{ref}</RefNumber></SalesReceiptRet></SalesReceiptAddRs>')


def answers(*responses: str) -> Answers:
    xml = f"<QBXML><QBXMLMsgsRs>{''.join(responses)}</QBXMLMsgsRs></QBXML>"
    return Answers(REQUEST, parse_response(xml))


def receipt(code=0, txn="1-A", ref="W1001") -> str:
    return RECEIPT.format(code=code, txn=txn, ref=ref)


def test_the_one_answer_of_the_type_asked_for_confirms_the_add():
    answer = answers(receipt()).answer("t0")
    assert answer.problem == ""
    assert add_problem(answer.item, ret_type="SalesReceipt", ref_number="W1001") == ""


def test_an_answer_of_another_type_is_no_answer_and_says_which_type_came():
    answer = answers('<CustomerAddRs requestID="t0" statusCode="0"/>').answer("t0")
    assert answer.item is None
    assert "CustomerAddRs" in answer.problem and "SalesReceiptAddRq" in answer.problem


def test_two_answers_for_one_request_are_no_answer():
    answer = answers(receipt(), receipt(txn="2-B")).answer("t0")
    assert answer.item is None and "2 responses" in answer.problem


def test_a_missing_answer_has_no_problem_text_and_unasked_answers_are_set_aside():
    found = answers('<SalesReceiptAddRs statusCode="0"/>', receipt().replace("t0", "zz"))
    assert found.answer("t0").item is None and found.answer("t0").problem == ""
    assert len(found.unasked) == 2
    assert found.get("t0") is None


def test_a_success_without_ret_txn_id_or_with_another_ref_number_proves_nothing():
    def problem(xml):
        return add_problem(answers(xml).get("t0"), ret_type="SalesReceipt", ref_number="W1001")

    no_ret = '<SalesReceiptAddRs requestID="t0" statusCode="0" statusSeverity="Info"/>'
    assert "0 records" in problem(no_ret)
    assert "no TxnID" in problem(receipt(txn=""))
    assert "W9999" in problem(receipt(ref="W9999"))
    assert "status 510" in problem(receipt(code=510))
    assert problem(receipt(code=530)) == ""  # saved, a field ignored


def test_a_query_answer_must_hold_only_records_of_the_kind_and_numbers_asked_for():
    found = answers(
        '<InvoiceQueryRs requestID="r0" statusCode="0" statusSeverity="Info" retCount="1">'
        '<InvoiceRet><TxnID>9-Z</TxnID><RefNumber>W1</RefNumber></InvoiceRet></InvoiceQueryRs>')
    item = found.get("r0")
    assert found.ref_numbers("r0") == ("W1", "W2")
    assert query_problem(item, ret_type="Invoice", ref_numbers=("W1", "W2"),
                         id_field="TxnID") == ""
    assert "W1" in query_problem(item, ret_type="Invoice", ref_numbers=("W2",))
    assert "SalesOrder" in query_problem(item, ret_type="SalesOrder")


def test_a_query_answer_that_contradicts_itself_is_refused():
    def problem(rs):
        answer = answers(rs).answer("r0")
        if answer.item is None:
            return answer.problem
        return query_problem(answer.item, ret_type="Invoice", id_field="TxnID")

    assert "0 records" in problem('<InvoiceQueryRs requestID="r0" statusCode="0"/>')
    assert "without its TxnID" in problem(
        '<InvoiceQueryRs requestID="r0" statusCode="0"><InvoiceRet><RefNumber>W1</RefNumber>'
        '</InvoiceRet></InvoiceQueryRs>')
    assert "returned 2 records but sent 1" in problem(
        '<InvoiceQueryRs requestID="r0" statusCode="0" retCount="2"><InvoiceRet><TxnID>1</TxnID>'
        '</InvoiceRet></InvoiceQueryRs>')
    assert problem('<InvoiceQueryRs requestID="r0" statusCode="1"/>') == ""
    assert problem('<InvoiceQueryRs requestID="r0" statusCode="3170"/>') == ""  # caller's call


def test_what_a_set_asked_is_kept_with_its_meta_and_read_back_as_from_the_set():
    # given: the requests of a set, as text (an add) and as an element (a query by RefNumber)
    requests = [build.customer_add_xml(CustomerRecord(name="Jane Doe"), "a0"),
                build.transaction_query_by_ref(TxnKind.INVOICE, ["W1", "W2"], "q0")]
    xml = build.message_set(requests).decode()
    meta = {"a0": {"kind": "customer"}, "q0": {"kind": "duplicates"}}

    # when
    kept = with_asked(requests, meta)
    from_meta = Answers("", [], meta=kept)
    from_set = Answers(xml, [])

    # then: what each asked, as parsing the set reads it, beside what the meta said
    assert from_meta.asked == from_set.asked == {"a0": "CustomerAdd", "q0": "InvoiceQuery"}
    assert from_meta.ref_numbers("q0") == from_set.ref_numbers("q0") == ("W1", "W2")
    assert {rid: info["kind"] for rid, info in kept.items()} == {"a0": "customer",
                                                                 "q0": "duplicates"}


def test_meta_that_does_not_cover_every_request_is_kept_as_it_is_and_the_set_is_parsed():
    requests = [build.customer_add_xml(CustomerRecord(name="Jane Doe"), "a0"),
                build.customer_add_xml(CustomerRecord(name="John Roe"), "a1")]
    meta = {"a0": {"kind": "customer"}}
    assert with_asked(requests, meta) is meta
    assert Answers(REQUEST, [], meta=meta).asked == {"t0": "SalesReceiptAdd",
                                                     "r0": "InvoiceQuery"}
