"""Which QuickBooks transaction is an order's: RefNumber plus our ExternalGUID or memo."""

from __future__ import annotations

from saleor_qb_sync.qbwc.steps.matching import matching_record
from saleor_qb_sync.qbxml.parse import ResponseItem

ORDER = "5a0e4b7c-1111-4222-8333-944445555666"


def answer(*records):
    return ResponseItem("qd", "InvoiceQuery", 0, "Info", "", records=tuple(records))


def test_our_external_guid_proves_it_whatever_its_case():
    record = {"RefNumber": "1001", "ExternalGUID": "{" + ORDER.upper() + "}", "TxnID": "T1"}
    assert matching_record(answer(record), "1001", ORDER, 1001) == record


def test_our_memo_proves_it_but_not_a_longer_order_number():
    ours = {"RefNumber": "12", "Memo": "Saleor order #12", "TxnID": "T1"}
    other = {"RefNumber": "12", "Memo": "Saleor order #123", "TxnID": "T2"}
    assert matching_record(answer(other, ours), "12", ORDER, 12) == ours
    assert matching_record(answer(other), "12", ORDER, 12) is None


def test_the_same_number_alone_proves_nothing():
    assert matching_record(answer({"RefNumber": "1001", "TxnID": "T9"}), "1001", ORDER,
                           1001) is None
