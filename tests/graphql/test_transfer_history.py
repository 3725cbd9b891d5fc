from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from saleor_qb_sync.ledger import record_attempt, record_failure, record_success
from saleor_qb_sync.models import ExportRecord
from saleor_qb_sync.saleor_ids import to_global_id

from .conftest import NO_PERMISSION_TOKEN, edges, paginate

HISTORY_QUERY = """
query History($filter: QbTransferHistoryFilterInput, $first: Int, $after: String) {
  qbTransferHistory(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id orderId orderNumber transactionType refNumber txnId state statusCode
        statusMessage action createdAt updatedAt automatic linkedExisting
      }
    }
  }
}
"""


def export(document, *, fail: bool = False, minutes_ago: int = 0) -> ExportRecord:
    record = record_attempt(order_id=document.order_id, order_number=document.number,
                            transaction_type="SalesReceipt", ref_number=str(document.number),
                            session=None, operation_id=None)
    if fail:
        record_failure(record, status_code=3180, message="There was an error saving",
                       action="Check the item list in QuickBooks.")
    else:
        record_success(record, txn_id=f"TXN-{document.number}", linked_existing=True)
    ExportRecord.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return record


def test_history_lists_attempts_newest_first(api, orders):
    # given
    documents = orders(3, seed=51)
    export(documents[0], minutes_ago=10)
    export(documents[1], fail=True, minutes_ago=5)
    export(documents[2], minutes_ago=1)

    # when
    result = api(HISTORY_QUERY)

    # then
    rows = edges(result.data["qbTransferHistory"])
    assert [r["orderNumber"] for r in rows] == [documents[2].number, documents[1].number,
                                               documents[0].number]
    failed = rows[1]
    assert failed["orderId"] == to_global_id("Order", documents[1].order_id)
    assert failed["state"] == "FAILED"
    assert failed["statusCode"] == 3180
    assert failed["statusMessage"] == "There was an error saving"
    assert failed["action"] == "Check the item list in QuickBooks."
    assert failed["automatic"] is True
    done = rows[0]
    assert (done["state"], done["txnId"], done["linkedExisting"]) == (
        "DONE", f"TXN-{documents[2].number}", True)
    assert done["transactionType"] == "SalesReceipt"


def test_history_filters_by_state_number_and_order(api, orders):
    # given
    documents = orders(4, seed=52)
    for index, document in enumerate(documents):
        export(document, fail=index % 2 == 1)

    # when
    failed = api(HISTORY_QUERY, {"filter": {"state": "FAILED"}})
    by_number = api(HISTORY_QUERY, {"filter": {"orderNumber": documents[2].number}})
    by_id = api(HISTORY_QUERY, {
        "filter": {"orderId": to_global_id("Order", documents[3].order_id)}})

    # then
    assert {r["orderNumber"] for r in edges(failed.data["qbTransferHistory"])} == {
        documents[1].number, documents[3].number}
    assert [r["orderNumber"] for r in edges(by_number.data["qbTransferHistory"])] == [
        documents[2].number]
    assert [r["orderNumber"] for r in edges(by_id.data["qbTransferHistory"])] == [
        documents[3].number]


def test_history_paginates_to_the_end(api, orders):
    # given
    documents = orders(11, seed=53)
    for age, document in enumerate(documents):
        export(document, minutes_ago=age)

    # when
    nodes = paginate(api, HISTORY_QUERY, "qbTransferHistory", first=4)

    # then
    assert [n["orderNumber"] for n in nodes] == [d.number for d in documents]


def test_history_refuses_an_invalid_order_id_and_state(api, db):
    # when
    bad_id = api(HISTORY_QUERY, {"filter": {"orderId": "not-an-id"}})
    bad_state = api(HISTORY_QUERY, {"filter": {"state": "LOST"}})

    # then
    assert bad_id.error_codes == ["INVALID_ID"]
    assert bad_id.content["errors"][0]["extensions"]["exception"]["field"] == "orderId"
    assert bad_state.status == 400
    assert bad_state.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


def test_history_needs_manage_orders(api, db):
    # when
    result = api(HISTORY_QUERY, token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]
